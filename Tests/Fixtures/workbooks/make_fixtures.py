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


if __name__ == "__main__":
    os.chdir(HERE)
    cells_workbook(os.path.join(HERE, "openpyxl-cells.xlsx"))
    date1904_workbook(os.path.join(HERE, "openpyxl-1904.xlsx"))
    libreoffice(os.path.join(HERE, "openpyxl-cells.xlsx"), "libreoffice-cells.xlsx")
    hostile(HERE)
    print("fixtures written to", HERE)
