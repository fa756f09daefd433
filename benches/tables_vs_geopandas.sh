#!/usr/bin/env bash
# Tables benchmark: the standard planning tables of every village of the 200k-parcel
# generated sample (cargo bench --bench tables), side by side with geopandas/pyproj doing
# the parcel accounting the tables rest on (tables_geopandas.py: areas on the same basis,
# the 田坎 deduction, parcels placed in villages as the tables place them, grouped by the
# 空间功能结构调整表 rows and rounded), in the same run. Both start from data already loaded:
# only the computation is timed. geopandas comes from PyPI into a venv under the target
# directory. Prints the times and the ratio (goal: ≥ 5× faster than geopandas).
#
#   bash benches/tables_vs_geopandas.sh [PARCELS] [RUNS] [ellipsoidal|planar]
set -euo pipefail
cd "$(dirname "$0")/.."

parcels=${1:-200000}
runs=${2:-3}
basis=${3:-ellipsoidal}
. benches/common.sh
bench=$(bench_binary tables)

acc=(); all=(); peer=()
for i in $(seq "$runs"); do
  out=$("$bench" "$project" "$basis")
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  villageplan /'
  acc+=("$(echo "$out" | awk '/^ACCOUNTING/ {print $2}')")
  all+=("$(echo "$out" | awk '/^TOTAL/ {print $2}')")
  out=$("$python" benches/tables_geopandas.py "$project" "$basis" .)
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  geopandas   /'
  peer+=("$(echo "$out" | awk '/^TOTAL/ {print $2}')")
done
at=$(printf '%s\n' "${acc[@]}" | median)
tt=$(printf '%s\n' "${all[@]}" | median)
pt=$(printf '%s\n' "${peer[@]}" | median)
echo "file: $project ($parcels parcels requested), $basis areas, median of $runs runs, $(nproc) cores, data loaded before timing"
printf '%-66s %8.3f s\n' "villageplan: accounting + 结构调整表 rows of every village" "$at"
printf '%-66s %8.3f s\n' "villageplan: all six tables of every village (TableBook::tables)" "$tt"
printf '%-66s %8.3f s\n' "geopandas/pyproj: the same accounting + rows" "$pt"
printf 'same work: %.1f× faster; all six tables vs geopandas accounting: %.1f×  (goal ≥ 5×)\n' \
  "$(echo "$pt/$at" | bc -l)" "$(echo "$pt/$tt" | bc -l)"
