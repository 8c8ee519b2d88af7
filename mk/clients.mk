# mk/clients.mk: growthops in the clients people use.  Each smoke test runs
# tests/clients/smoke.sql in one client and checks the numbers against
# smoke.expected; it skips (exit 77) when its client is missing.
TESTS += tests/clients/shell.test tests/clients/tcl.test \
	tests/clients/python.test tests/clients/node.test \
	tests/clients/sqlite_utils.test tests/clients/install.test
EXTRA_DIST += tests/clients/shell.test tests/clients/tcl.test \
	tests/clients/python.test tests/clients/node.test \
	tests/clients/sqlite_utils.test tests/clients/install.test \
	tests/clients/clients.tcl \
	tests/clients/smoke.sql tests/clients/smoke.expected \
	tests/clients/smoke.py tests/clients/smoke.cjs

# The reference page lists exactly what loading registers.
TESTS += tests/sql/reference.test
EXTRA_DIST += tests/sql/reference.test
dist_doc_DATA += docs/reference.md
