#!/usr/bin/env bash
# Settled-render benchmark: VillagePlan's CPU renderer drawing every layer of the
# 200k-parcel sample at county extent and village zoom (1280 × 800), next to GDAL's
# gdal_rasterize burning the same parcels into a 1280 × 800 raster, in the same run.
#
#   bash benches/render_vs_gdal.sh [PARCELS]
set -euo pipefail
cd "$(dirname "$0")/.."
parcels=${1:-200000}
data=target/bench-data
project="$data/sample-$parcels/fengqing.gpkg"
cargo build --release --quiet
if [ ! -f "$project" ]; then
  target/release/villageplan sample --out "$data/sample-$parcels" --parcels "$parcels" >/dev/null
fi
cargo bench --quiet --bench render -- "$project"
runs=()
for i in 1 2 3 4 5; do
  start=$(date +%s.%N)
  gdal_rasterize -q -burn 1 -ts 1280 800 -ot Byte -l dltb "$project" "$data/rasterize.tif"
  end=$(date +%s.%N)
  runs+=("$(echo "$end - $start" | bc -l)")
done
printf 'gdal_rasterize dltb 1280x800 (parcels only, no anti-aliasing, no outlines): %.3f s, median of 5\n' \
  "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)"
