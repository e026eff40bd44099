#!/usr/bin/env python3
"""Compares roster's number formats with Excel's own: workbooks whose cells hold =TEXT(value, code)
formulas carry the text Excel computed as the cached value (Apache POI's NumberFormatTests.xlsx,
DateFormatTests.xlsx, ElapsedFormatTests.xlsx, DateFormatNumberTests.xlsx in its test-data). For
each such formula the value and the code are given to roster's text() function and its result is
compared with Excel's.

    Scripts/workbook-corpus/text-cases.py ROSTER WORKBOOK...    (needs openpyxl)

Prints each disagreement and the count that agree. The corpora stay outside the repository: bring
them with git (e.g. test-data/spreadsheet of apache/poi).
"""
import csv, datetime, os, re, subprocess, sys, tempfile
import openpyxl
from openpyxl.utils.datetime import to_excel

roster, books = sys.argv[1], sys.argv[2:]
cases = []
for book in books:
    formulas = openpyxl.load_workbook(book, data_only=False)
    values = openpyxl.load_workbook(book, data_only=True)
    date1904 = "true" if values.epoch == openpyxl.utils.datetime.CALENDAR_MAC_1904 else "false"
    for ws in formulas.worksheets:
        cached = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                m = re.fullmatch(r"=TEXT\(\s*([A-Z]+\d+)\s*,\s*([A-Z]+\d+)\s*\)", str(cell.value or ""), re.I)
                if not m:
                    continue
                value, code = cached[m.group(1)].value, cached[m.group(2)].value
                expected = cached[cell.coordinate].value
                if value is None or code is None or expected is None:
                    continue
                if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
                    value = to_excel(value, values.epoch)
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                cases.append((os.path.basename(book), cell.coordinate, repr(float(value)), str(code), str(expected), date1904))

with tempfile.TemporaryDirectory() as folder:
    source = os.path.join(folder, "cases.csv")
    with open(source, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("book", "cell", "value", "code", "expected", "date1904")] + cases)
    out = os.path.join(folder, "got.csv")
    subprocess.run([roster, "-q", "-c", f'load "{source}" | set got = text(value, code, date1904) | save "{out}"'], check=True)
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

agree = 0
for r in rows:
    if r["got"] == r["expected"]:
        agree += 1
    else:
        print(f'{r["book"]} {r["cell"]}: {r["value"]} as {r["code"]!r}: Excel {r["expected"]!r}, roster {r["got"]!r}')
print(f"{agree} of {len(rows)} agree with Excel's TEXT() ({100.0 * agree / max(1, len(rows)):.1f}%)")
