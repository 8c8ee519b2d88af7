# exporter.py: the export command (growthops-export runs it with Debian's
# Python): the method's three tables for a campaign, as an .xlsx workbook
# that finance and HR open in Excel (the budget table on two sheets, by
# line and by month).
#
#   growthops-export DATABASE FILE.xlsx CAMPAIGN [MONTH]
#
# workbook.sql says what the sheets hold (it reads the toolkit's views);
# this file writes them with XlsxWriter (Debian's python3-xlsxwriter), the
# most complete writer of the format there: number formats, column
# widths, frozen panes, and files Excel opens without a repair prompt.
#
# Requirements, cited below as E1..E4:
#  E1. Each sheet: a Chinese header row and an English one, frozen, with a
#      filter; then the rows; the totals row in bold.
#  E2. Numbers stay numbers with Excel formats (money #,##0.00, percentages
#      0.0%, pacing 0.00); dates are Excel dates (yyyy-mm-dd) from
#      1900-01-01 on, and text 'YYYY-MM-DD' before (Excel has no date before
#      1900: a negative serial shows as #####, and a reader takes it a day
#      early); NULL is an empty cell.  Text from the database is written as text, never as a
#      formula (a cell starting with = stays text).
#  E3. Column widths fit the text (a Chinese character counts two), at most
#      60; long text wraps.
#  E4. The database is opened read-only in intent (trusted_schema OFF, no
#      write) and refused by growthops' script_guard() (database.guard), as
#      every script of the toolkit; the workbook is written to a temporary
#      file beside FILE, then renamed: a failed export leaves no
#      half-written workbook.
#  E5. settings.as_of is checked before it is used (script_param(), as the
#      scripts check it): a bad one is named as such.
import datetime
import os
import re
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "import"))

import sqlite3  # noqa: E402

import database  # noqa: E402

USAGE = ("usage: growthops-export DATABASE FILE.xlsx CAMPAIGN [MONTH]\n"
         "  CAMPAIGN: the campaign's id or English name; MONTH: '2025-08' for the evaluation\n"
         "  (default: the last whole month before as_of)")
FORMATS = {
    "money": {"num_format": "#,##0.00"},
    "percent": {"num_format": "0.0%"},
    "pacing": {"num_format": "0.00"},
    "integer": {"num_format": "#,##0"},
    "count": {"num_format": "#,##0.##"},
    "date": {"num_format": "yyyy-mm-dd"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "text": {},
}


def fail(text, code=1):
    print(text, file=sys.stderr)
    sys.exit(code)


def display_width(text):
    return sum(2 if ord(ch) > 0x2e7f else 1 for ch in text)


def cell_format(column_format, unit):
    """E2: a 'metric' column takes its row's unit."""
    if column_format != "metric":
        return column_format
    if unit == "share":
        return "percent"
    if unit == "yuan":
        return "money"
    return "count"


def find_campaign(conn, campaign):
    row = conn.execute("SELECT campaign_id FROM main.campaigns WHERE CAST(campaign_id AS TEXT) = ?1 OR name_en = ?1 "
                       "ORDER BY CAST(campaign_id AS TEXT) = ?1 DESC LIMIT 1", (campaign,)).fetchone()
    if row is None:
        raise database.Refusal(f"growthops-export: no campaign {quote(campaign)} in the campaigns table")
    return row[0]


def check_as_of(conn):
    """E5: as_of is a date, or the message says so and how to set it."""
    try:
        # The settings row itself: v_settings would refuse it in its own words.
        conn.execute("SELECT script_param('growthops-export', 'as_of', "
                     "(SELECT value FROM settings WHERE name = 'as_of'), 'date', '2025-08-31')").fetchone()
    except sqlite3.Error as e:
        raise database.Refusal(str(e))


def find_month(conn, month):
    check_as_of(conn)
    if month is None:
        return conn.execute("SELECT period_key(date((SELECT as_of FROM v_settings), '+1 day', 'start of month', "
                            "'-1 day'), 'month')").fetchone()[0]
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        raise database.Refusal(f"growthops-export: MONTH must be a month such as 2025-08, got {quote(month)}")
    return month


def excel_date(value):
    """E2: a date Excel can hold (the schema's dates are 'YYYY-MM-DD')."""
    return isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None \
        and value >= "1900-01-01"


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def write_workbook(conn, path):
    import xlsxwriter
    fd, temporary = tempfile.mkstemp(prefix=".growthops-export-", suffix=".xlsx", dir=os.path.dirname(path) or ".")
    os.close(fd)
    try:
        counts = write_sheets(conn, xlsxwriter, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return counts


def write_sheets(conn, xlsxwriter, temporary):
    book = xlsxwriter.Workbook(temporary, {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    bold = {"bold": True}
    formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
    totals = {name: book.add_format(dict(spec, **bold)) for name, spec in FORMATS.items()}
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    counts = []
    for pos, sheet, view in conn.execute("SELECT pos, sheet, view FROM temp.export_sheets ORDER BY pos").fetchall():
        columns = conn.execute("SELECT name, zh, en, format FROM temp.export_columns WHERE sheet = ? ORDER BY pos",
                               (pos,)).fetchall()
        cursor = conn.execute(f'SELECT * FROM temp."{view}"')
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        ws = book.add_worksheet(sheet)
        widths = []
        for c, (name, zh, en, fmt) in enumerate(columns):
            ws.write_string(0, c, zh, header)
            ws.write_string(1, c, en, header)
            widths.append(max(display_width(zh), display_width(en)))
        unit_at = names.index("unit")
        for r, row in enumerate(rows, start=2):
            last = r == len(rows) + 1
            for c, (name, zh, en, fmt) in enumerate(columns):
                value = row[names.index(name)]
                kind = cell_format(fmt, row[unit_at])
                style = (totals if last else formats)[kind]
                if value is None:
                    ws.write_blank(r, c, None, style)
                elif kind == "date" and excel_date(value):
                    ws.write_datetime(r, c, datetime.datetime.strptime(value, "%Y-%m-%d"), style)
                elif isinstance(value, (int, float)) and kind not in ("text", "wrap"):
                    ws.write_number(r, c, value, style)
                    widths[c] = max(widths[c], 12)
                else:
                    text = str(value)
                    ws.write_string(r, c, text, style)
                    widths[c] = max(widths[c], max(display_width(line) for line in text.split("\n")))
        for c, (name, zh, en, fmt) in enumerate(columns):
            ws.set_column(c, c, min(widths[c] + 2, 40 if fmt == "wrap" else 60))
        ws.freeze_panes(2, 0)
        ws.autofilter(1, 0, max(1, len(rows)), len(columns) - 1)
        counts.append((sheet, len(rows) - 1))
    book.close()
    return counts


def main(argv):
    if len(argv) not in (3, 4):
        fail(USAGE, 2)
    db, path, campaign = argv[:3]
    month = argv[3] if len(argv) == 4 else None
    if not path.lower().endswith(".xlsx"):
        fail(f"growthops-export: {os.path.basename(path)}: the workbook's name ends in .xlsx\n{USAGE}", 2)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        fail(f"growthops-export: no folder {folder} for {os.path.basename(path)}")
    try:
        conn = database.open_database(db, os.path.join(here, "..", "import"), "growthops-export")
        database.guard(conn, db, "growthops-export")
        campaign_id = find_campaign(conn, campaign)
        month = find_month(conn, month)
        database.run_file(conn, os.path.join(here, "workbook.sql"), {"campaign": campaign_id, "month": month})
        name, as_of, provisional = conn.execute("SELECT name_en, as_of, provisional FROM temp.export_args").fetchone()
        counts = write_workbook(conn, path)
    except database.Refusal as e:
        fail(str(e))
    except sqlite3.Error as e:
        fail(database.message(e, db, "growthops-export"))
    except OSError as e:
        fail(f"growthops-export: cannot write {path}: {e.strerror}")
    detail = ", ".join(f"{sheet}: {n} {'row' if n == 1 else 'rows'}" for sheet, n in counts)
    running = f" (not over on {as_of}: its payouts are provisional)" if provisional else ""
    print(f"growthops-export: {os.path.basename(path)}: {name}, evaluation {month}{running}: {detail}")


if __name__ == "__main__":
    main(sys.argv[1:])
