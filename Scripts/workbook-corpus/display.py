#!/usr/bin/env python3
"""Compares what roster loads from workbooks with what LibreOffice displays: every sheet of every
workbook given is loaded by roster (load … sheet="NAME") and converted by LibreOffice to CSV with
"save cell contents as shown"; the cells are compared one by one. roster's table starts at the
first row holding a value (its header), so LibreOffice's rows are taken from that row on.

    Scripts/workbook-corpus/display.py ROSTER WORKBOOK...      (needs openpyxl and soffice)

Prints each disagreeing cell (with --quiet only the totals), then the cells compared and the share
that agree. Sheets roster refuses are counted apart and listed with the reason (a hostile file it
refuses on purpose — a zip naming a part twice, a shared string shown gigabytes of times — is not
a disagreement about what a cell shows).
LibreOffice's own artefacts are counted apart and named: formula cells (LibreOffice calculates
them again on opening: TODAY(), CELL("width"), its own results) and the sheets of pivot tables
(LibreOffice lays a pivot table out again, with its own formats), and a number whose format ends in
a point with optional places (`#,##0.##` on 1000): Excel shows `1000.`, LibreOffice `1000`.
The corpora stay outside the repository (calamine's tests/, exceljs's spec/, XlsxWriter's
xlsxwriter/test/comparison/xlsx_files/, POI's test-data/spreadsheet/).
"""
import csv, glob, os, subprocess, sys, tempfile, zipfile
import openpyxl
import warnings

csv.field_size_limit(1 << 30)
warnings.simplefilter("ignore")

args = [a for a in sys.argv[1:] if a != "--quiet"]
quiet = "--quiet" in sys.argv
roster, books = args[0], args[1:]
compared = agreed = 0
formula_cells = formula_agreed = pivot_cells = trailing_points = refused_cells = 0
refused = []


def column_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_facts(book):
    """The sheets that hold a pivot table (their part's relationships name one), and each sheet's
    formula cells (0-based row, column), read from the sheet XML."""
    import re
    pivots, formulas = set(), {}
    with zipfile.ZipFile(book) as z:
        names = {n.lower(): n for n in z.namelist()}
        workbook = z.read(names["xl/workbook.xml"]).decode("utf-8", "replace")
        rels = z.read(names["xl/_rels/workbook.xml.rels"]).decode("utf-8", "replace") if "xl/_rels/workbook.xml.rels" in names else ""
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels)) | {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
        for name, rid in re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
            target = targets.get(rid, "").lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            folder, _, file = target.rpartition("/")
            sheet_rels = names.get(f"{folder}/_rels/{file}.rels".lower())
            name = name.replace("&amp;", "&")
            if sheet_rels and b"pivotTable" in z.read(sheet_rels):
                pivots.add(name)
            part = names.get(target.lower())
            if part:
                xml = z.read(part).decode("utf-8", "replace")
                formulas[name] = {(int(r) - 1, column_index(c)) for c, r in re.findall(r'<c r="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).){0,200}?<f[ >/]', xml)}
    return pivots, formulas


def rows_of(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return [r for r in csv.reader(f)]


for book in books:
    try:
        wb = openpyxl.load_workbook(book, read_only=True)
        names = [ws.title for ws in wb.worksheets]
        pivots, formulas = sheet_facts(book)
    except Exception as e:  # a file openpyxl cannot open is left out of the comparison
        print(f"{book}: skipped (openpyxl: {type(e).__name__})")
        continue
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run(["soffice", "--headless", "--calc", "--convert-to",
                            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                            "--outdir", out, os.path.abspath(book)], capture_output=True, timeout=120)
        stem = os.path.splitext(os.path.basename(book))[0]
        for name in names:
            lo_file = os.path.join(out, f"{stem}-{name}.csv")
            if not os.path.exists(lo_file):
                continue
            lo = rows_of(lo_file)
            filled = [i for i, row in enumerate(lo) if any(c != "" for c in row)]
            if not filled:
                continue
            mine = os.path.join(out, "roster.csv")
            sheet = name.replace('"', '\\"')
            run = subprocess.run([roster, "-q", "-c", f'load "{os.path.abspath(book)}" sheet="{sheet}" | save "{mine}" replace=true'],
                                 capture_output=True, text=True, timeout=120)
            lo_cells = [(i, j, c) for i in filled for j, c in enumerate(lo[i]) if c != ""]
            if run.returncode != 0 or not os.path.exists(mine):
                errors = [l for l in run.stderr.splitlines() if ": error: " in l] or run.stderr.strip().splitlines()[-1:] or ["?"]
                refused.append((book, name, len(lo_cells), errors[:1]))
                refused_cells += len(lo_cells)
                continue
            got = rows_of(mine)
            os.remove(mine)
            header = filled[0]
            for i in range(header + 1, max(len(lo), header + len(got))):
                want_row = lo[i] if i < len(lo) else []
                got_row = got[i - header] if i - header < len(got) else []
                for j in range(max(len(want_row), len(got_row))):
                    want = want_row[j] if j < len(want_row) else ""
                    have = got_row[j] if j < len(got_row) else ""
                    if want == "" and have == "":
                        continue
                    if name in pivots:
                        pivot_cells += 1
                        continue
                    if (i, j) in formulas.get(name, ()):
                        formula_cells += 1
                        formula_agreed += want == have
                        continue
                    if want.startswith("Err:"):  # LibreOffice's own error codes, from its recalculation
                        formula_cells += 1
                        continue
                    if have == want + "." and want[-1:].isdigit():
                        trailing_points += 1
                        continue
                    compared += 1
                    if want == have:
                        agreed += 1
                    elif not quiet:
                        print(f"{os.path.basename(book)} [{name}] row {i + 1} col {j + 1}: LibreOffice {want!r}, roster {have!r}")

for book, name, cells, why in refused:
    print(f"refused: {os.path.basename(book)} [{name}] ({cells} cells): {' '.join(why)}")
print(f"set aside: {formula_cells} formula cells ({formula_agreed} agree), {pivot_cells} cells of pivot-table sheets, "
      f"{trailing_points} numbers with Excel's trailing point, {refused_cells} cells of sheets roster refuses")
print(f"{agreed} of {compared} cells agree with LibreOffice's display ({100.0 * agreed / max(1, compared):.2f}%)")
