# reader.py: reads one export as the platform wrote it, and gives its rows
# as text, or refuses it with a message naming the file (and the row and
# column where there is one).  growthops-import is its one user.
#
#   table = read_table(path, name, sheet=None)
#     table.header  (row, [cells])   the first row that is not blank
#     table.rows    (row, [cells]) for the rows below it, blank rows left
#                   out: an iterator, read once (a refusal may come while
#                   it is read)
#     table.notes   [(what, text)]: what was done that the user should know,
#                   'converted' (from another encoding) or 'totals' (a
#                   totals row skipped, known once the rows are read)
#   text = read_json_text(path, name)
#
# Requirements, cited below as R1..R8:
#  R1. What the file is comes from its bytes, not its name: a zip holding
#      xl/workbook.xml is an .xlsx workbook (openpyxl), an OLE2 file an
#      .xls workbook (xlrd); anything else is read as CSV text.  A PDF, an
#      encrypted or corrupt workbook, an OpenDocument file or other zip is
#      refused, saying what it is.
#  R2. Text: UTF-8 with or without a BOM; UTF-16 with a BOM (Excel's
#      "Unicode text", tab-separated) and GB18030 (which covers GBK, what
#      Excel writes on Chinese Windows) are converted and a note says so.
#      A file that is mostly UTF-8 but has bytes that are not is refused at
#      the first such cell: it is damaged, not in another encoding.
#  R3. A NUL character in a cell is an error naming its row and column.
#  R4. Every row has the header's number of fields; more fields are allowed
#      only when the extra ones are empty (what Excel leaves behind).
#  R5. Blank rows are left out; a totals row (合计, 总计 ...) as the last
#      row is left out, and a note says so.
#  R6. Workbooks: the first sheet, or the one named; an empty sheet, a sheet
#      that does not exist and a merged header cell are errors.  Cells
#      become the text a CSV export would hold: dates as 2025-05-01 (also
#      when Excel stores them as serial numbers with a date format), times
#      as 2025-05-01 12:30:00, numbers without exponent or float noise.
#  R7. Rows are numbered as the file numbers them: CSV records from 1 (the
#      header is row 1 when it is the first line), a sheet's own row numbers.
#  R8. Cells are never interpreted here (numbers and dates are checked by
#      the import's SQL): only the file's structure and encoding are.
#  R9. A workbook is read within bounds, whatever it claims: the zip's
#      members are checked for size and expansion before they are read, a
#      sheet is streamed (its claimed dimensions and far-away cells cost
#      nothing), only the header's columns are read, and past MAX_ROWS rows
#      or MAX_CELLS cells the import stops with a message naming the bound.
#      A date cell that is no date (a negative serial, past 9999) is an
#      error naming its row and column.
import csv
import datetime
import io
import re
import warnings
import zipfile

from database import Refusal


TOTALS = ("合计", "总计", "总和", "汇总", "合计:", "合计：", "总计:", "总计：", "total", "totals", "sum")


class Table:
    def __init__(self, header, rows, notes):
        self.header = header
        self.rows = rows
        self.notes = notes


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(header, index):
    """How a message names a column: its header text, else its letter."""
    if header is not None and index < len(header[1]) and header[1][index].strip():
        return header[1][index].strip()
    return column_letter(index)


def read_table(path, name, sheet=None):
    with open(path, "rb") as f:
        data = f.read()
    kind = sniff(data, name)
    if kind == "xlsx":
        grid, notes = read_xlsx(data, name, sheet)
    elif kind == "xls":
        grid, notes = read_xls(data, name, sheet)
    else:
        if sheet is not None:
            raise Refusal(f"{name}: --sheet is for Excel workbooks; this file is CSV text")
        grid, notes = read_csv(data, name)
    suspect = kind != "csv" or b"\x00" in data or any(what == "damaged" for what, _ in notes)
    return tidy(grid, name, [n for n in notes if n[0] != "damaged"], suspect)


def read_json_text(path, name):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise Refusal(f"{name} line {line}: bytes that are not UTF-8 (a data API answer is UTF-8 JSON)")


def sniff(data, name):
    """R1: what the bytes are."""
    if data.startswith(b"%PDF"):
        raise Refusal(f"{name}: not a spreadsheet or CSV file: it is a PDF document (export the data as .xlsx or CSV)")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                check_zip(z, name)
                mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except zipfile.BadZipFile:
            raise Refusal(f"{name}: a damaged .xlsx workbook (its zip structure is broken: download it again)")
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "opendocument.spreadsheet" in mimetype:
            raise Refusal(f"{name}: an OpenDocument spreadsheet (.ods): save it as .xlsx or as CSV UTF-8")
        raise Refusal(f"{name}: a zip archive, not an Excel workbook (no xl/workbook.xml inside)")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Refusal(f"{name}: an encrypted (password-protected) workbook: open it in Excel, remove the password and save it again")
        return "xls"
    if re.search(r"\.(xlsx|xlsm|xls)$", name, re.I) and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) \
            and b"\x00" in data[:4096]:
        raise Refusal(f"{name}: not an Excel workbook, although its name says so (neither .xlsx nor .xls inside)")
    return "csv"


def decode(data, name):
    """R2: the text of a CSV file, and a note when it was converted."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "surrogateescape"), None
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refusal(f"{name}: starts as UTF-16 but is not (damaged): save it as CSV UTF-8")
        return text, f"{name}: read as UTF-16 (Excel's Unicode text) and converted to UTF-8"
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
        raise Refusal(f"{name}: looks like UTF-16 without a byte-order mark: save it as CSV UTF-8 in Excel")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in text if ord(ch) > 127 and not "\udc80" <= ch <= "\udcff")
    if good > 2 * bad:
        return text, "damaged"  # UTF-8 with bad bytes: the cell is named later (R2)
    try:
        return data.decode("gb18030"), f"{name}: read as GB18030 (GBK, Excel's CSV on Chinese Windows) and converted to UTF-8"
    except UnicodeDecodeError:
        return text, "damaged"


def read_csv(data, name):
    """The records of a CSV file as (row, cells), read as they are used."""
    text, note = decode(data, name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","

    def records():
        number = 0
        try:
            for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                                      strict=True), start=1):
                yield number, cells
        except csv.Error as e:
            raise Refusal(f"{name} row {number + 1}: not CSV: {e} (a quote that is not closed?)")

    if note == "damaged":
        return records(), [("damaged", None)]
    return records(), [("converted", note)] if note else []


def cell_text(value):
    """R6: a workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(value, "f").rstrip("0").rstrip(".")
        return text
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def library(module, package, what):
    try:
        return __import__(module)
    except ImportError:
        raise Refusal(f"reading {what} workbooks needs {module}: apt-get install {package} (or save the sheet as CSV UTF-8)")


def pick_sheet(names, sheet, name):
    if sheet is None:
        if not names:
            raise Refusal(f"{name}: the workbook has no sheet")
        return names[0]
    if sheet not in names:
        listed = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
        raise Refusal(f"{name}: no sheet '{sheet}' in the workbook (its sheets: {listed})")
    return sheet


def merged_header_error(name, sheet, ranges, header_row):
    for first_row, last_row, first_col, last_col in ranges:
        if first_row <= header_row <= last_row:
            cells = f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}"
            raise Refusal(f"{name} sheet '{sheet}' row {header_row}: a merged header cell ({cells}): "
                               "unmerge it so that each column has its own header")


# R9: the bounds of a workbook.  A few kilobytes of zip can claim a sheet of
# 17 billion cells or expand to gigabytes: the members' sizes are checked
# before anything is read, and the rows and cells as they are read.
MAX_ROWS = 1048576           # Excel's own limit on a sheet's rows
MAX_CELLS = 10000000         # cells read under the header's columns
MAX_MEMBER_BYTES = 256 << 20   # one member of an .xlsx, uncompressed
MAX_ZIP_BYTES = 512 << 20      # all of its members
MAX_RATIO = 100              # uncompressed / compressed, for members above 1 MiB


def check_zip(z, name):
    """R9: the sizes the zip's directory gives, before a member is read
    (Python's zipfile reads no more than a member's given size)."""
    total = 0
    for info in z.infolist():
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refusal(f"{name}: its {info.filename} expands to {info.file_size:,} bytes, more than the "
                          f"import's bound of {MAX_MEMBER_BYTES >> 20} MiB for one part of a workbook: "
                          "save the sheet as CSV UTF-8")
        if total > MAX_ZIP_BYTES:
            raise Refusal(f"{name}: expands to more than the import's bound of {MAX_ZIP_BYTES >> 20} MiB "
                          "for a workbook: save the sheet as CSV UTF-8")
    for info in z.infolist():
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1 << 20 and ratio > MAX_RATIO:
            raise Refusal(f"{name}: its {info.filename} expands {ratio:,.0f} times ({info.compress_size:,} "
                          f"bytes to {info.file_size:,}), more than the import's bound of {MAX_RATIO} times: "
                          "not what a spreadsheet program writes")


def too_many(name, title, what, bound):
    return Refusal(f"{name} sheet '{title}': more than {bound:,} {what} (the import's bound for a workbook): "
                   "split the sheet, or save it as CSV UTF-8")


def bounded_rows(name, title, present, convert):
    """R9 over a sheet's rows as a library gives them: present yields
    (row number, [(column from 0, raw value)]) for the cells the file
    holds; convert(row, column, raw) gives a cell's value for cell_text().
    The first row that is not blank is the header; below it only the
    header's columns are read (a far-away cell costs nothing) and a filled
    cell past them is kept, so that tidy() names it."""
    width = None
    cells_read = 0
    for number, cells in present:
        if number > MAX_ROWS:
            raise too_many(name, title, "rows", MAX_ROWS)
        if width is None:
            texts = {}
            for column, raw in cells:
                text = cell_text(convert(number, column, raw))
                if text.strip():
                    texts[column] = text
            if not texts:
                continue
            row = [""] * (max(texts) + 1)
            for column, text in texts.items():
                row[column] = text
            width = len(row)
            yield number, row
            continue
        cells_read += width
        if cells_read > MAX_CELLS:
            raise too_many(name, title, "cells", MAX_CELLS)
        row = [""] * width
        for column, raw in cells:
            text = cell_text(convert(number, column, raw))
            if column < width:
                row[column] = text
            elif text.strip():
                row.extend([""] * (column - len(row)))
                row.append(text)
                break
        yield number, row
    if width is None:
        raise Refusal(f"{name} sheet '{title}': the sheet is empty")


def sheet_grid(name, title, present, convert, header, merged):
    """A workbook's sheet as the grid of (row, cells) that tidy() reads:
    its rows through bounded_rows(), the header's cells (the first row's,
    stripped) added to header for the messages of convert() and tidy(),
    and, once the last row is read, the header refused if merged() (the
    sheet's merged ranges: first and last row from 1, first and last
    column from 0) merges one of its cells."""
    header_row = None
    for number, row in bounded_rows(name, title, present, convert):
        if header_row is None:
            header_row = number
            header.extend(c.strip() for c in row)
        yield number, row
    merged_header_error(name, title, merged(), header_row)


def no_date(name, number, column, header, what):
    where = column_name((number, header), column) if header else column_letter(column)
    return Refusal(f"{name} row {number} column {where}: a date cell holding {what}, "
                   "which is no date (Excel shows it as #####): write the date")


def read_xlsx(data, name, sheet):
    """openpyxl's read-only mode, its parser streaming the sheet's XML: the
    dimensions the sheet claims are not used, and no row is padded.  (The
    parser is openpyxl's own; its public iter_rows() pads every row to its
    last cell, which a cell at XFD1048576 makes 16,384 wide.)"""
    openpyxl = library("openpyxl", "python3-openpyxl", ".xlsx")
    from openpyxl.worksheet._reader import WorkSheetParser
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:
        raise Refusal(f"{name}: a damaged .xlsx workbook ({type(e).__name__}: {e})")
    title = pick_sheet(book.sheetnames, sheet, name)
    ws = book[title]
    parser = WorkSheetParser(ws._get_source(), ws._shared_strings, data_only=True,
                             epoch=book.epoch, date_formats=book._date_formats)
    header = []

    def convert(number, column, raw):
        """R9: a date cell before the workbook's epoch is a negative serial,
        which Excel shows as #####."""
        if isinstance(raw, datetime.datetime) and raw < book.epoch:
            raise no_date(name, number, column, header, "a negative serial number")
        return raw

    def present():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for number, cells in parser.parse():
                    parser.row_dimensions.clear()  # rows' heights and styles: not kept
                    yield number, [(c["column"] - 1, c["value"]) for c in cells]
        except (ValueError, OverflowError, KeyError, TypeError) as e:
            raise Refusal(f"{name} sheet '{title}': a cell openpyxl cannot read ({type(e).__name__}: {e}): "
                          "a date beyond the year 9999, or a damaged workbook")

    def merged():
        """Known once the sheet's XML is read: the merges follow the rows."""
        ranges = []
        if parser.merged_cells is not None:
            for m in parser.merged_cells.mergeCell:
                min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(m.ref)
                ranges.append((min_row, max_row, min_col - 1, max_col - 1))
        return ranges

    return sheet_grid(name, title, present(), convert, header, merged), []


def read_xls(data, name, sheet):
    xlrd = library("xlrd", "python3-xlrd", ".xls")
    try:
        # ragged_rows: a row holds its own cells, not the widest row's
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  ragged_rows=True, logfile=io.StringIO())
    except xlrd.XLRDError as e:
        if "encrypted" in str(e):
            raise Refusal(f"{name}: an encrypted (password-protected) workbook: open it in Excel, remove the password and save it again")
        raise Refusal(f"{name}: a damaged .xls workbook ({e})")
    except Exception as e:
        raise Refusal(f"{name}: a damaged .xls workbook ({type(e).__name__}: {e})")
    title = pick_sheet(book.sheet_names(), sheet, name)
    ws = book.sheet_by_name(title)
    header = []

    def convert(number, column, cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xls_date(cell.value, number, column)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR")
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        return cell.value

    def xls_date(serial, number, column):
        """R11: a date cell Excel can show, else an error naming the cell
        (Excel shows ##### for a negative serial or one past 9999-12-31)."""
        try:
            if serial < 0:
                raise ValueError("a negative serial")
            return xlrd.xldate.xldate_as_datetime(serial, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            raise no_date(name, number, column, header, f"the serial number {cell_text(serial)}")

    def present():
        for r in range(ws.nrows):
            yield r + 1, [(c, ws.cell(r, c)) for c in range(ws.row_len(r))]

    def merged():
        # xlrd's ranges: rows and columns from 0, the last ones past the range
        return [(r0 + 1, r1, c0, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]

    return sheet_grid(name, title, present(), convert, header, merged), []


def blank(cells):
    if cells and cells[0].strip():
        return False  # the usual row, decided by its first cell
    return not "".join(cells).strip()


def first_filled(grid):
    for number, cells in grid:
        if not blank(cells):
            return number
    return None


def tidy(grid, name, notes, suspect):
    """R3, R4, R5 over the grid of (row, cells), a row at a time: the rows
    are checked as they are read, and the totals note is added once the
    last row has been read.  suspect: whether a cell may hold a NUL or bytes
    that are not UTF-8 (then each cell is looked at)."""
    rows = ((number, cells) for number, cells in grid if not blank(cells))
    first = next(rows, None)
    if first is None:
        raise Refusal(f"{name} row 1: the file is empty (a header row is needed)")
    header_cells = first[1]
    while header_cells and header_cells[-1].strip() == "":
        header_cells = header_cells[:-1]
    header = (first[0], [c.strip() for c in header_cells])
    width = len(header[1])

    def check_cells(number, cells):
        for index, cell in enumerate(cells):
            if "\x00" in cell:
                raise Refusal(f"{name} row {number} column {column_name(header, index)}: "
                              "a NUL byte in the cell (the file is damaged, or not text)")
            if any("\udc80" <= ch <= "\udcff" for ch in cell):
                raise Refusal(f"{name} row {number} column {column_name(header, index)}: "
                              "bytes that are not UTF-8 (the file is damaged, or in another encoding: "
                              "save it as \"CSV UTF-8\" in Excel)")

    if suspect:
        check_cells(*first)

    def body():
        last = None
        for number, cells in rows:
            if suspect:
                check_cells(number, cells)
            if len(cells) != width:
                if len(cells) < width:
                    raise Refusal(f"{name} row {number}: {len(cells)} fields, the header has {width} "
                                  "(a row is shorter than the header)")
                extra = next((i for i in range(width, len(cells)) if cells[i].strip() != ""), None)
                if extra is not None:
                    raise Refusal(f"{name} row {number}: {len(cells)} fields, the header has {width} "
                                  f"(column {column_letter(extra)} holds {quote(cells[extra])}; "
                                  "an unquoted thousands comma such as 1,234 splits a number in two: quote it)")
                cells = cells[:width]
            if last is not None:
                yield last
            last = (number, cells)
        if last is not None:
            total = next((c.strip() for c in last[1] if c.strip() != ""), "")
            if total.lower() in TOTALS:
                notes.append(("totals", f"{name} row {last[0]}: a totals row ({total}), skipped"))
            else:
                yield last

    return Table(header, body(), notes)


def quote(text):
    text = text[:40]
    return "'" + text.replace("'", "''") + "'"
