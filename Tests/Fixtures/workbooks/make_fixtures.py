#!/usr/bin/env python3
"""Makes the workbook fixtures the tests read, with the programs people's workbooks come from:
openpyxl (as HR systems and scripts write them) and LibreOffice (soffice --convert-to, which stores
every formula's calculated value the way Excel does). Run from this folder:

    python3 make_fixtures.py            # needs openpyxl; soffice for the LibreOffice ones

The expected text of every cell is in the tests (WorkbookTests.swift), written as Excel shows it.
"""
import datetime, io, os, shutil, subprocess, sys, tempfile, zipfile
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))


def cells_workbook(path):
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "Lists"
    hidden.append(["role"])
    hidden.append(["Test Administrator"])
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("Staff")
    ws.append([None])  # a blank first row: the header is the first row with a value
    ws.append(["Name", "Role", "Code", "Padded", "Fixed", "Percent", "Thousands", "Short date", "Custom date",
               "US date", "ISO date", "Time", "Flag", "Error", "Formula", "Note"])
    ws.append([CellRichText([TextBlock(InlineFont(b=True), "Renée "), "Nguyễn"]), "Educator – Test Site",
               1611920130946, 1611920130946, 3.5, 0.25, 1234567, datetime.date(2025, 8, 30), datetime.date(2025, 8, 30),
               datetime.date(2025, 8, 30), datetime.date(2025, 8, 30), datetime.time(13, 5), True, "#N/A", "=1+1", "x"])
    ws.append(["Bo Cho", "Test Examiner", 0.1, 50000, 2, 1, 999, datetime.date(1900, 1, 1), datetime.date(2024, 2, 29),
               datetime.date(2024, 2, 29), datetime.date(2024, 2, 29), datetime.time(0, 0), False, None, None, "merged"])
    ws.append(["Hidden Row", "Test Administrator", 12345678901234567, 0, 0, 0, 0, None, None, None, None, None, None, None, None, None])
    formats = {"D": "00000000000000", "E": "0.00", "F": "0%", "G": "#,##0", "H": "mm-dd-yy", "I": "m/d/yyyy",
               "J": "mm/dd/yy", "K": "yyyy-mm-dd", "L": "h:mm AM/PM"}
    for col, fmt in formats.items():
        for row in range(3, 6):
            ws[f"{col}{row}"].number_format = fmt
    ws["N3"].data_type = "e"
    ws.merge_cells("P4:P5")
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["O"].hidden = True
    # Excel's debris: styled empty cells far to the right and below.
    ws["T40"].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)


def date1904_workbook(path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Dates"
    ws.append(["When"])
    ws.append([datetime.date(2025, 8, 30)])
    ws["A2"].number_format = "m/d/yyyy"
    wb.save(path)


def libreoffice(source, out_name):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found: skipping", out_name)
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "source.xlsx")
        shutil.copy(source, src)
        subprocess.run([soffice, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", os.path.join(tmp, "out"), src],
                       check=True, capture_output=True, timeout=180)
        shutil.copy(os.path.join(tmp, "out", "source.xlsx"), os.path.join(HERE, out_name))
        # An old .xls, as LibreOffice writes one.
        if out_name == "libreoffice-cells.xlsx":
            subprocess.run([soffice, "--headless", "--calc", "--convert-to", "xls", "--outdir", os.path.join(tmp, "xls"), src],
                           check=True, capture_output=True, timeout=180)
            shutil.copy(os.path.join(tmp, "xls", "source.xls"), os.path.join(HERE, "libreoffice-old.xls"))


def hostile(path_prefix):
    base = os.path.join(HERE, "openpyxl-cells.xlsx")
    data = open(base, "rb").read()
    # Cut short: the first half of a workbook.
    open(os.path.join(HERE, "truncated.xlsx"), "wb").write(data[: len(data) // 2])
    # A zip bomb: one sheet part that inflates a thousandfold.
    with zipfile.ZipFile(os.path.join(HERE, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        with zipfile.ZipFile(base) as src:
            for item in src.infolist():
                if item.filename != "xl/worksheets/sheet2.xml":
                    z.writestr(item, src.read(item.filename))
        z.writestr("xl/worksheets/sheet2.xml", "<worksheet>" + " " * (64 << 20) + "</worksheet>")
    # A document type declaration with entities (the "billion laughs" shape) in the sheet.
    with zipfile.ZipFile(os.path.join(HERE, "doctype.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        with zipfile.ZipFile(base) as src:
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet2.xml":
                    body = body.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><worksheet', 1)
                z.writestr(item, body)
    # A binary workbook's shape (.xlsb): xl/workbook.bin instead of xl/workbook.xml.
    with zipfile.ZipFile(os.path.join(HERE, "binary.xlsb"), "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    # A password-protected workbook: an OLE compound file holding an EncryptedPackage stream. Only
    # its header and directory entry name matter to roster; the rest is filler.
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * (512 - 32)
    ole += "EncryptionInfo".encode("utf-16-le") + b"\x00" * (512 - 28)
    open(os.path.join(HERE, "encrypted.xlsx"), "wb").write(bytes(ole))


def odd_files(folder):
    """Files that are not what their names say, and valid packages with unusual part names."""
    base = os.path.join(folder, "libreoffice-cells.xlsx")

    def copy(out_name, rename):
        with zipfile.ZipFile(base) as src, zipfile.ZipFile(os.path.join(folder, out_name), "w", zipfile.ZIP_DEFLATED) as z:
            for item in src.infolist():
                name = rename(item.filename)
                if name:
                    z.writestr(name, src.read(item.filename))

    # Part names are case-insensitive in an Office package (calamine's issue_419.xlsx has this shape).
    copy("shared-strings-uppercase.xlsx", lambda n: "xl/SharedStrings.xml" if n == "xl/sharedStrings.xml" else n)
    # The shared strings part the cells refer to is missing: an error, never blank text.
    copy("shared-strings-missing.xlsx", lambda n: None if n == "xl/sharedStrings.xml" else n)
    # openpyxl writes dates as ISO 8601 text cells (t="d") when asked; a CDATA section and a CR in a cell.
    wb = openpyxl.Workbook(iso_dates=True)
    ws = wb.active
    ws.title = "Staff"
    ws.append(["Name", "Start", "Stamp", "Note"])
    ws.append(["Ann", datetime.date(2025, 8, 30), datetime.datetime(2025, 8, 30, 14, 5), "two\r\nlines"])
    ws["B2"].number_format = "m/d/yyyy"
    ws["C2"].number_format = "m/d/yyyy h:mm"
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(os.path.join(folder, "iso-dates-cdata.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<t>Ann</t>", b"<t><![CDATA[Ann <Lee> & co]]></t>")
                body = body.replace(b"two\r\nlines", b"two\r\nlines").replace(b"two&#13;\nlines", b"two\r\nlines")
            z.writestr(item, body)
    # "Export to Excel" files: a web page table saved as .xls, one with two tables, and Excel 2003 XML.
    open(os.path.join(folder, "export-html.xls"), "w", encoding="utf-8").write(
        "<html><head><meta charset=\"utf-8\"></head><body><table border=1>\n"
        "<tr><th>First Name</th><th>Last Name</th><th>CDS code</th><th>Role</th></tr>\n"
        "<tr><td>Renée</td><td>Nguyễn &amp; Co</td><td>01612340000001</td><td>Test  Site<br>Coordinator</td></tr>\n"
        "<tr><td colspan=\"2\">Bo Cho</td><td>00050000</td><td>&nbsp;</td></tr>\n"
        "</table></body></html>\n")
    open(os.path.join(folder, "export-two-tables.xlsx"), "w").write(
        "<html><body><table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table></body></html>")
    open(os.path.join(folder, "export-2003.xls"), "w", encoding="utf-8").write(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        '<Styles><Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style><Style ss:ID="z"><NumberFormat ss:Format="00000"/></Style></Styles>\n'
        '<Worksheet ss:Name="Staff"><Table>\n'
        '<Row><Cell><Data ss:Type="String">Name</Data></Cell><Cell><Data ss:Type="String">Start</Data></Cell>'
        '<Cell><Data ss:Type="String">Code</Data></Cell><Cell><Data ss:Type="String">Active</Data></Cell></Row>\n'
        '<Row><Cell><Data ss:Type="String">Ann</Data></Cell><Cell ss:StyleID="d"><Data ss:Type="DateTime">2025-08-30T00:00:00.000</Data></Cell>'
        '<Cell ss:StyleID="z"><Data ss:Type="Number">50</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell></Row>\n'
        '<Row ss:Index="4"><Cell ss:Index="3"><Data ss:Type="Number">1.5</Data></Cell></Row>\n'
        '</Table></Worksheet><Worksheet ss:Name="Lists"><Table/></Worksheet></Workbook>\n')
    # A OneRoster zip protected with a password: its entries' encryption flag is set.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("users.csv", "sourcedId,username\n1,ann\n")
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 1
    open(os.path.join(folder, "password.zip"), "wb").write(bytes(data))


NUMBER_FORMAT_CASES = [
    ("[<=9999999]###-####;(###) ###-####", 5551234), ("[<=9999999]###-####;(###) ###-####", 6175550101),
    ('0;-0;0;"text: "@', 5), ('0;-0;0;"text: "@', -5), ("$#,##0", -7500), ('"ID "0', -42),
    ("#", 0), ("#,##0", 0), ("#.##", 0.5), ("0.##", 1), ("??0", 5), ("0.0??", 1.5), ("0_)", 5), ("*-0", 5),
    ("0.00E+00", 12345), ("0.00E+00", 0.00012345), ("##0.0E+0", 12345), ("0.0E+0", 0), ("0.00E+00", -12345), ("0.00E+00", 99950),
    ("# ?/?", 1.5), ("# ?/?", 0.5), ("# ??/??", 3.14159), ("# ?/8", 1.3), ("?/?", 1.5), ("# ?/?", 2), ("# ?/?", -1.25), ("# ??/??", 0.3),
    ("[$€-40C]#,##0.00", 1234.5), ("[$¥-411]#,##0", 1234), ("[$-409]0.0", 2), ("[DBNum1]General", 5), ("[Red]0.0", 2), ('General" units"', 3),
    ("h:mm:ss.000", 0.5 + 0.5 / 86400), ("[h]:mm", 1.5), ("mm:ss.0", 1.25 / 1440),
    ("$#,##0_);($#,##0)", 1234), ("$#,##0_);($#,##0)", -1234), ("$#,##0.00_);($#,##0.00)", 1234.5), ("$#,##0.00_);[Red]($#,##0.00)", -1234.5),
    ('_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)', 1234), ('_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)', -2.5),
    ('_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)', 1234.5), ('_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)', 0),
    ("0.00", 9.075), ("0.00", 1.005), ("0.00", 2.675), ("0", 0.5), ("0", 2.5), ("General", 0.1 + 0.2), ("General", 1 / 3), ("General", 0.00001),
    ("0.00E+00", 1500), ("# ?/?", 0.25), ("0%", 0.256), ("0.0%", -0.0001), ("#,##0.00", 1234567.891), ("000-00-0000", 123456789),
    ("0,", 1234567), ("#,##0.0,,\"M\"", 1234567), ("?,?????????", 1234567), ("[hh]:mm:ss", 0.0854629), ("h:mm a/p", 0.75),
    ('0;-0;0;"text: "@', "abc"), ("_(@_)", "Median"), ('"ID "@', "x"), ("@", "00050000"), ("0.00", "kept as text"),
    ("#\\:#/#", 23.75), ("# ?/?", 0), ("0.0??E+00", 12345.678), ("[>=100]\"big\";[<0]\"negative\";\"small\"", 5),
]


def number_formats(folder):
    """A code of every kind Excel has, on a number each, and LibreOffice's display of them (the
    test compares roster's text with it)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formats"
    ws.append(["Code", "Shown"])
    for code, value in NUMBER_FORMAT_CASES:
        ws.append([code, value])
        ws.cell(row=ws.max_row, column=2).number_format = code
    path = os.path.join(folder, "number-formats.xlsx")
    wb.save(path)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--calc", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false", "--outdir", out, path],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(out, "number-formats.csv"), os.path.join(folder, "number-formats.libreoffice.csv"))


if __name__ == "__main__":
    if sys.argv[1:] == ["odd"]:  # only the files made from the fixtures above, without LibreOffice
        odd_files(HERE)
        sys.exit(0)
    if sys.argv[1:] == ["formats"]:  # only the number formats and LibreOffice's display of them
        number_formats(HERE)
        sys.exit(0)
    os.chdir(HERE)
    cells_workbook(os.path.join(HERE, "openpyxl-cells.xlsx"))
    date1904_workbook(os.path.join(HERE, "openpyxl-1904.xlsx"))
    libreoffice(os.path.join(HERE, "openpyxl-cells.xlsx"), "libreoffice-cells.xlsx")
    hostile(HERE)
    odd_files(HERE)
    number_formats(HERE)
    print("fixtures written to", HERE)
