#!/usr/bin/env python3
"""smoke.py: loads growthops into Python's sqlite3 and runs smoke.sql.

usage: python3 smoke.py MODULE SMOKE_SQL

Prints every row as "N: v1|v2|..." (see smoke.sql).  Exits 3, with a
message that says why and what to do, when this Python's sqlite3 module
cannot load extensions.
"""
import sqlite3
import sys

CANNOT_LOAD = """\
growthops: this Python ({exe}, SQLite {sqlite}) cannot load SQLite extensions:
its sqlite3 module was built without extension loading, so connections have
no enable_load_extension().  pyenv and python-build builds, and some macOS
Pythons, are built that way by default.  What to do:
  - use Debian's /usr/bin/python3 (apt-get install python3), which can; or
  - rebuild this Python with extension loading, e.g. with pyenv:
      PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions \\
        pyenv install --force {version}
  - or use the sqlite3 shell, sqlite-utils or Datasette (docs/install.md)."""


def connect(module, path=":memory:"):
    """A connection with growthops loaded from module (growthops.so)."""
    conn = sqlite3.connect(path)
    if not hasattr(conn, "enable_load_extension"):
        sys.stderr.write(CANNOT_LOAD.format(
            exe=sys.executable, sqlite=sqlite3.sqlite_version,
            version="%d.%d.%d" % sys.version_info[:3]) + "\n")
        sys.exit(3)
    conn.enable_load_extension(True)
    conn.load_extension(module)
    conn.enable_load_extension(False)
    return conn


def statements(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("--"):
                yield line


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    conn = connect(argv[1])
    out = []
    for n, sql in enumerate(statements(argv[2]), 1):
        for row in conn.execute(sql):
            values = ["NULL" if v is None else str(v) for v in row]
            out.append("%d: %s\n" % (n, "|".join(values)))
    sys.stdout.buffer.write("".join(out).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv)
