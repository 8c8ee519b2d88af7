# database.py: how growthops' commands open a user's database, shared by
# growthops-import and growthops-export.
#
#   conn = open_database(path, command)   PRAGMA trusted_schema=OFF, foreign
#                                         keys on, busy timeout, growthops
#                                         loaded, temp store in memory
#   guard(conn, path, command)            script_guard(): refuses a hostile
#                                         database before anything runs
#   run_file(conn, path, params)          runs an .sql file statement by
#                                         statement (no implicit COMMIT)
#   message(error, path)                  an SQLite error as the user reads it
#
# A database from someone else is hostile (requirement H1): its views and
# triggers run with trusted_schema OFF, so an unsafe function in them (the
# shell's edit(), writefile(), ...) fails when a statement is prepared, and
# guard() runs growthops' script_guard() first, as every script of the
# toolkit does, so that nothing of such a database runs at all.
import os
import sqlite3
import urllib.parse


class Refusal(Exception):
    """A refusal: the message is what the user reads."""


def module_path(here, command):
    module = os.environ.get("GROWTHOPS_MODULE", "")
    if module:
        return module
    for candidate in (os.path.join(here, "..", "..", "growthops.so"),
                      os.path.join(here, "..", "..", "..", "..", "lib", "growthops.so")):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    raise Refusal(f"{command}: no growthops.so beside the command nor installed: set GROWTHOPS_MODULE to its path")


def open_database(path, here, command, create=False):
    if not create and not os.path.isfile(path):
        raise Refusal(f"{command}: no database {path} (create it with schemas/growthops.sql)")
    uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + ("?mode=rwc" if create else "?mode=rw")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
    except sqlite3.Error as e:
        raise Refusal(f"{command}: cannot open {path}: {e}")
    if not hasattr(conn, "enable_load_extension"):
        raise Refusal(f"{command}: this Python's sqlite3 cannot load extensions; "
                      "run it with Debian's /usr/bin/python3 (GROWTHOPS_PYTHON)")
    module = module_path(here, command)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.enable_load_extension(True)
        conn.load_extension(module)
        conn.enable_load_extension(False)
    except sqlite3.Error as e:
        raise Refusal(message(e, path, command))
    return conn


def guard(conn, path, command):
    """H1: the extension's script_guard(), the one guard every script of the
    toolkit runs first: it prepares every view and every table's writes
    (their triggers) under trusted_schema OFF, refuses tables whose CHECK
    or default calls a function that is not innocuous, virtual tables that
    can read or write files, and rows that PRAGMA foreign_key_check finds;
    its message names what to drop.  Nothing is run."""
    try:
        conn.execute("SELECT script_guard(?)", (command,)).fetchall()
    except sqlite3.Error as e:
        raise Refusal(message(e, path))


def statements(text):
    """The statements of an .sql file, whole (triggers included)."""
    buf = ""
    for line in text.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf
            buf = ""
    if any(line.strip() and not line.strip().startswith("--") for line in buf.splitlines()):
        yield buf


def run_file(conn, path, params=None):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for sql in statements(text):
        conn.execute(sql, params or {}).fetchall()


def message(error, path, command=None):
    """An SQLite error as the user reads it: the database's own troubles
    named; any other message as it is (raise_error()'s and the schema's),
    after "command: " when the command is given."""
    text = str(error)
    name = os.path.basename(path)
    if "database is locked" in text:
        return f"{name}: the database is locked by another program (waited 5 seconds): nothing was done, try again"
    if "database or disk is full" in text:
        return f"{name}: the disk is full (database or disk is full): nothing was done"
    if "readonly database" in text:
        return f"{name}: the database is read-only (attempt to write a readonly database): nothing was done"
    if "file is not a database" in text:
        return f"{name}: not an SQLite database (file is not a database)"
    return f"{command}: {text}" if command else text
