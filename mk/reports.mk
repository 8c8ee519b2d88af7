# mk/reports.mk: the Monday report as one self-contained HTML page
# (sql/reports/report.sql), drawn in headless Chromium by its test.
nobase_dist_pkgdata_DATA += sql/reports/report.sql
TESTS += tests/reports/report.test
EXTRA_DIST += tests/reports/report.test tests/reports/png_colors.py
dist_doc_DATA += docs/reports.md
