# importer.py: the import command (growthops-import runs it with Debian's
# Python): one export file into a growthops database, in one transaction.
#
#   growthops-import [--sheet NAME] KIND DATABASE FILE ACCOUNT
#
# The SQL does the work; this file moves the file's cells into temp tables
# and runs the SQL files in order:
#   begin.sql     the temp tables every import declares
#   KIND.sql      the kind's fields (import_fields) and how rows count
#                 (after wechat-api.sql for the data API's JSON answers)
#   header.sql    the header names every field, there are rows, the account
#   check.sql, store.sql                 for the kinds that store metric values
#   check-events.sql, store-events.sql   for the events table
# and prints the result line only after COMMIT has succeeded.
#
# Requirements, cited below as I1..I5:
#  I1. The file's name and contents are data: they reach SQLite only as
#      bound parameters, never as SQL or as a shell's dot-command, so a name
#      such as '|cmd', '-v' or one with quotes and newlines is just a name.
#  I2. The database is opened with trusted_schema OFF and foreign keys on,
#      and refused by growthops' script_guard() (database.guard), the guard
#      every script of the toolkit runs first, when its views or triggers
#      call an unsafe function or one this program does not have, a CHECK
#      calls a function that is not innocuous, a virtual table could read or
#      write files, or foreign keys are broken: nothing of it runs.
#  I3. Column names come from the file only as text to compare: the cells
#      go into import_data(row, f0, f1, ...), named by the kind's field
#      positions, so no column of the file can shadow rowid or anything.
#  I4. SQLite's temporary storage is memory: a full or missing TMPDIR does
#      not matter.
#  I5. The success line and the notes (an encoding converted, a totals row
#      skipped) are printed only after COMMIT succeeds.
#  I6. A header with characters a message cannot show (a second
#      byte-order mark, a zero-width space) is shown as read, those
#      characters escaped, when a column is missing.
import os
import sys
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

import sqlite3  # noqa: E402

import database  # noqa: E402
import reader  # noqa: E402

# KIND: where its cells come from: 'table' (CSV or a workbook) or 'json'
# (a data API answer).
KINDS = {
    "wechat-users": "table",
    "wechat-articles": "table",
    "weibo-posts": "table",
    "o2o-daily": "table",
    "daily": "table",
    "events": "table",
    "wechat-api-users": "json",
    "wechat-api-articles": "json",
}
USAGE = ("usage: growthops-import [--sheet NAME] KIND DATABASE FILE ACCOUNT\n"
         "  KIND: " + ", ".join(list(KINDS)[:-1]) + " or " + list(KINDS)[-1] + "\n"
         "  FILE: CSV (UTF-8; GB18030/GBK and UTF-16 are converted), .xlsx or .xls; JSON for wechat-api-*\n"
         "  ACCOUNT: the name or id of the account the numbers are of; events need none (the events\n"
         "    table has no account): given, it is checked against accounts and not stored")


def fail(text, code=1):
    print(text, file=sys.stderr)
    sys.exit(code)


def parse_args(argv):
    sheet = None
    args = list(argv)
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option == "--":
            break
        if option == "--help":
            print(USAGE)
            sys.exit(0)
        if option == "--sheet" and args:
            sheet = args.pop(0)
        elif option.startswith("--sheet="):
            sheet = option[len("--sheet="):]
        else:
            fail(f"growthops-import: unknown option {option}\n{USAGE}", 2)
    if len(args) == 3 and args[0] == "events":
        args.append(None)  # the events table has no account
    if len(args) != 4:
        fail(USAGE, 2)
    kind, db, path, account = args
    if kind not in KINDS:
        fail(f"growthops-import: unknown KIND '{kind}'\n{USAGE}", 2)
    return sheet, kind, db, path, account


def load_table(conn, table, fields):
    """I3: the cells of each field, by the header's name, into import_data."""
    header = table.header[1]
    columns = [header.index(field) if field in header else None for _, field in fields]
    names = ", ".join(f"f{pos} TEXT" for pos, _ in fields)
    conn.execute(f"CREATE TEMP TABLE import_data(row INTEGER PRIMARY KEY, {names})")
    marks = ", ".join("?" for _ in range(len(fields) + 1))
    conn.executemany(f"INSERT INTO temp.import_data VALUES ({marks})",
                     ([number] + [cells[c] if c is not None else None for c in columns]
                      for number, cells in table.rows))


def invisible(ch):
    """A character a message cannot show: a control, a format character
    (U+200B, U+FEFF ...) or white space other than the space."""
    return ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def header_seen(header):
    """I6: the header as read, its invisible characters escaped (\\u200b),
    or None when it has none."""
    if not any(invisible(ch) for cell in header for ch in cell):
        return None
    return ", ".join("".join(f"\\u{ord(ch):04x}" if invisible(ch) else ch for ch in cell) for cell in header)


def main(argv):
    sheet, kind, db, path, account = parse_args(argv)
    name = os.path.basename(path)
    source = KINDS[kind]
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        fail(f"growthops-import: cannot read {path}")
    if os.path.getsize(path) == 0:
        fail(f"{name} row 1: the file is empty (a header row is needed)")
    try:
        conn = database.open_database(db, here, "growthops-import")
        database.guard(conn, db, "growthops-import")
        if source == "table":
            table = reader.read_table(path, name, sheet)
            text = None
        else:
            if sheet is not None:
                raise database.Refusal(f"{name}: --sheet is for Excel workbooks; this kind reads JSON")
            table = None
            text = reader.read_json_text(path, name)
    except database.Refusal as e:
        fail(str(e))
    notes = table.notes if table else []
    if sheet is not None:
        name = f"{name} sheet '{sheet}'"
    converted = next((note for what, note in notes if what == "converted"), None)
    try:
        database.run_file(conn, os.path.join(here, "begin.sql"))
        conn.execute("INSERT INTO temp.import_args VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (kind, name, account, converted, table.header[0] if table else None,
                      "%s row %d column %s" if table else "%s item %d field %s",
                      header_seen(table.header[1]) if table else None))
        if table:
            conn.executemany("INSERT INTO temp.import_header VALUES (?, ?, ?)",
                             ((i, h, reader.column_letter(i)) for i, h in enumerate(table.header[1])))
        else:
            conn.execute("INSERT INTO temp.import_json VALUES (?)", (text,))
        if source == "json":
            database.run_file(conn, os.path.join(here, "wechat-api.sql"))
        database.run_file(conn, os.path.join(here, kind + ".sql"))
        fields = conn.execute("SELECT pos, field FROM temp.import_fields ORDER BY pos").fetchall()
        if table:
            load_table(conn, table, fields)
        cells = " UNION ALL ".join(f"SELECT row, {pos}, f{pos} FROM temp.import_data" for pos, _ in fields)
        conn.execute(f"CREATE TEMP VIEW import_cells(row, pos, cell) AS {cells}")
        database.run_file(conn, os.path.join(here, "header.sql"))
        per = conn.execute("SELECT per FROM temp.import_rows").fetchone()[0]
        steps = ["check-events.sql", "store-events.sql"] if per == "event" else ["check.sql", "store.sql"]
        for step in steps:
            database.run_file(conn, os.path.join(here, step))
        conn.execute("COMMIT")
    except (sqlite3.Error, database.Refusal) as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        fail(database.message(e, db) if isinstance(e, sqlite3.Error) else str(e))
    lines = [line for (line,) in conn.execute("SELECT line FROM temp.import_result ORDER BY rowid")]
    conn.close()
    print("\n".join(lines + [note for _, note in notes]))


if __name__ == "__main__":
    main(sys.argv[1:])
