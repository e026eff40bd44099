#!/usr/bin/env bash
# Workbook reading: load a 100,000-row, 6-column staff workbook (../shared/bench/gen_xlsx.py) and save
# it as CSV, in roster (A) and in fastexcel/calamine (B, through polars), alternately.
#   Scripts/bench/xlsx.sh [ROWS] [RUNS]     (defaults: 100000 rows, 7 timed runs each)
# Also checks the zero-padded code column: roster writes what Excel shows (01611920000000).
source "$(dirname "$0")/common.sh"
rows="${1:-100000}"
runs="${2:-7}"
"$root/Scripts/ensure-deps.sh"
roster="$(bench_binary)"
python3 -c "import fastexcel, polars" 2>/dev/null || python3 -m pip install -q fastexcel polars
book="$work/staff-$rows.xlsx"
[ -f "$book" ] || python3 "$shared/bench/gen_xlsx.py" "$rows" "$book"
cat > "$work/fastexcel_to_csv.py" <<'PY'
import sys, fastexcel
fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_polars().write_csv(sys.argv[2])
PY
sheet_xml=$(python3 -c "import zipfile,sys; print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))" "$book")
echo "== $rows rows: the sheet's XML is $((sheet_xml / 1048576)) MiB uncompressed"
rm -f "$work/xlsx-a.csv" "$work/xlsx-b.csv"
python3 "$shared/bench/ab.py" -n "$runs" \
    --a "$roster -q -c 'load \"$book\" | save \"$work/xlsx-a.csv\"'" \
    --b "python3 $work/fastexcel_to_csv.py $book $work/xlsx-b.csv"
echo "== the code column, second row: roster, then fastexcel"
sed -n 2p "$work/xlsx-a.csv" | cut -d, -f3
sed -n 2p "$work/xlsx-b.csv" | cut -d, -f3
