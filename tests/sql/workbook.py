# workbook.py: writes the Excel files the import tests read, in the shape
# of the platforms' downloads, with a library other than the import's
# reader where one exists (the tests of sql/import/ run it with Debian's
# Python).
#
#   python3 workbook.py WRITER OUT.xlsx|OUT.xls SPEC.json
#
# WRITER: xlsxwriter or openpyxl (.xlsx), xlwt (.xls).  SPEC is JSON:
#   {"sheets": [{"name": "Sheet1", "rows": [[cell, ...], ...],
#                "merge": ["A1:B1", ...]}, ...],
#    "encrypt": true}          (.xls only: the workbook says it is encrypted)
# A cell is a string, a number, null (empty), or {"date": "2025-05-01"} /
# {"datetime": "2025-05-01 12:30:00"}: a date Excel stores as a serial
# number with a date format.
import datetime
import json
import sys


def value(cell):
    if isinstance(cell, dict):
        if "date" in cell:
            return datetime.datetime.strptime(cell["date"], "%Y-%m-%d"), "yyyy-mm-dd"
        return datetime.datetime.strptime(cell["datetime"], "%Y-%m-%d %H:%M:%S"), "yyyy-mm-dd hh:mm:ss"
    return cell, None


def cell_range(text):
    """'A1:B2' -> (first_row, first_col, last_row, last_col), from 0."""
    def one(ref):
        letters = "".join(c for c in ref if c.isalpha())
        col = 0
        for c in letters:
            col = col * 26 + ord(c.upper()) - 64
        return int(ref[len(letters):]) - 1, col - 1
    a, b = text.split(":")
    (r0, c0), (r1, c1) = one(a), one(b)
    return r0, c0, r1, c1


def with_xlsxwriter(out, spec):
    import xlsxwriter
    book = xlsxwriter.Workbook(out)
    formats = {}
    for sheet in spec["sheets"]:
        ws = book.add_worksheet(sheet["name"])
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                v, fmt = value(cell)
                if v is None:
                    continue
                if fmt:
                    formats.setdefault(fmt, book.add_format({"num_format": fmt}))
                    ws.write_datetime(r, c, v, formats[fmt])
                else:
                    ws.write(r, c, v)
        for m in sheet.get("merge", []):
            r0, c0, r1, c1 = cell_range(m)
            first = sheet["rows"][r0][c0] if r0 < len(sheet["rows"]) and c0 < len(sheet["rows"][r0]) else ""
            ws.merge_range(r0, c0, r1, c1, first)
    book.close()


def with_openpyxl(out, spec):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in spec["sheets"]:
        ws = book.create_sheet(sheet["name"])
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                v, fmt = value(cell)
                if v is None:
                    continue
                target = ws.cell(row=r + 1, column=c + 1, value=v)
                if fmt:
                    target.number_format = fmt
        for m in sheet.get("merge", []):
            ws.merge_cells(m)
    book.save(out)


def with_xlwt(out, spec):
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    styles = {}
    for sheet in spec["sheets"]:
        ws = book.add_sheet(sheet["name"])
        merged = [cell_range(m) for m in sheet.get("merge", [])]
        for r0, c0, r1, c1 in merged:
            first = sheet["rows"][r0][c0]
            ws.write_merge(r0, r1, c0, c1, first)
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                if any(r0 <= r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in merged):
                    continue
                v, fmt = value(cell)
                if v is None:
                    continue
                if fmt:
                    styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt))
                    ws.write(r, c, v, styles[fmt])
                else:
                    ws.write(r, c, v)
    book.save(out)
    if spec.get("encrypt"):
        encrypt_xls(out)


def encrypt_xls(out):
    """Turns the workbook's WRITEACCESS record (0x005C, 112 bytes) into a
    FILEPASS record (0x002F) of the same size: what Excel writes first in a
    password-protected .xls.  The sizes stay, so the file stays whole."""
    with open(out, "rb") as f:
        data = bytearray(f.read())
    at = data.find(b"\x5c\x00\x70\x00")
    assert at > 0, "no WRITEACCESS record"
    data[at:at + 2] = b"\x2f\x00"
    data[at + 4:at + 10] = b"\x01\x00\x01\x00\x01\x00"
    with open(out, "wb") as f:
        f.write(data)


def main():
    writer, out, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    {"xlsxwriter": with_xlsxwriter, "openpyxl": with_openpyxl, "xlwt": with_xlwt}[writer](out, spec)


main()
