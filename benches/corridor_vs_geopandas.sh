#!/usr/bin/env bash
# Corridor benchmark: the live update of a 40 km corridor's polygon and summary while its
# width changes (cargo bench --bench corridor: corridor_polygon + SummaryContext::summarise,
# the context built once), side by side with geopandas doing the same buffer and per-village
# overlay, and the land-use parcels inside (corridor_geopandas.py), on the same centre line
# (written by the Rust bench in the working CRS) in the same run. Only the updates are
# timed; both sides load and index the layers first. Checks that both find the same villages
# with the same areas inside, prints the medians and the ratio (goal: ≤ 30 ms per update).
#
#   bash benches/corridor_vs_geopandas.sh [PARCELS] [RUNS]
#
# PYTHON: a python with geopandas, pyogrio and shapely (default: a venv under the target
# directory, made from PyPI if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

parcels=${1:-200000}
runs=${2:-3}
. benches/common.sh
bench=$(bench_binary corridor)

out_dir="$data/corridor-$parcels"
ours=(); villages=(); whole=()
for i in $(seq "$runs"); do
  out=$("$bench" "$project" --write "$out_dir")
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  villageplan /'
  ours+=("$(echo "$out" | awk '/^UPDATE/ {print $2}')")
  out=$("$python" benches/corridor_geopandas.py "$project" "$out_dir") || {
    echo "$out" | sed 's/^/  geopandas   /'
    echo "geopandas and villageplan do not agree (AGREE line above)" >&2
    exit 1
  }
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  geopandas   /'
  villages+=("$(echo "$out" | awk '/^VILLAGES/ {print $2}')")
  whole+=("$(echo "$out" | awk '/^WITH_PARCELS/ {print $2}')")
done
ot=$(printf '%s\n' "${ours[@]}" | median)
vt=$(printf '%s\n' "${villages[@]}" | median)
wt=$(printf '%s\n' "${whole[@]}" | median)
echo "file: $project ($parcels parcels requested), median of $runs runs alternating, $(nproc) cores, layers loaded before timing"
printf '%-72s %8.2f ms\n' "villageplan: polygon + full summary per width (goal ≤ 30 ms)" "$ot"
printf '%-72s %8.2f ms\n' "geopandas: buffer + per-village overlay" "$vt"
printf '%-72s %8.2f ms\n' "geopandas: buffer + per-village overlay + parcels by class with 田坎" "$wt"
printf 'geopandas ÷ villageplan: %.2f against the buffer + villages alone, %.1f× against villages + parcels\n' \
  "$(echo "$vt/$ot" | bc -l)" "$(echo "$wt/$ot" | bc -l)"
