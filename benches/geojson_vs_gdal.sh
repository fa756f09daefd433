#!/usr/bin/env bash
# Reviewer GeoJSON: the generated sample's parcels written as RFC 7946 GeoJSON by
# `villageplan export --layer dltb` (lon/lat, counter-clockwise exteriors, 7 decimals,
# duplicate vertices removed, validity reported, areas in m²/公顷/亩 on the ellipsoid in
# every feature) side by side with GDAL's `ogr2ogr -f GeoJSON -lco RFC7946=YES` (reprojects
# and rewinds, 7 decimals, attributes only) on the same project, in the same run,
# alternating. Prints medians of wall time, CPU time and peak memory, the ratios, and both
# files' feature counts (which must agree) and sizes.
#
#   bash benches/geojson_vs_gdal.sh [PARCELS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

parcels=${1:-200000}
runs=${2:-3}
source benches/common.sh

out="$data/geojson-$parcels"
mkdir -p "$out"

# measure CMD... → "wall_s cpu_s max_rss_kib" (GNU time)
measure() {
  /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -n 1 |
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

ours_t=(); ours_c=(); ours_m=(); gdal_t=(); gdal_c=(); gdal_m=()
for i in $(seq "$runs"); do
  rm -f "$out/villageplan.geojson" "$out/ogr2ogr.geojson"
  read -r t c m < <(measure "$bin" export "$project" --layer dltb --out "$out/villageplan.geojson")
  ours_t+=("$t"); ours_c+=("$c"); ours_m+=("$m")
  read -r t c m < <(measure ogr2ogr -f GeoJSON -lco RFC7946=YES "$out/ogr2ogr.geojson" "$project" dltb)
  gdal_t+=("$t"); gdal_c+=("$c"); gdal_m+=("$m")
done

size() { du -m "$1" | cut -f1; }
med() { printf '%s\n' "$@" | median; }
ot=$(med "${ours_t[@]}"); oc=$(med "${ours_c[@]}"); om=$(med "${ours_m[@]}")
gt=$(med "${gdal_t[@]}"); gc=$(med "${gdal_c[@]}"); gm=$(med "${gdal_m[@]}")
oursn=$(ogrinfo -ro -so -al "$out/villageplan.geojson" | awk -F': ' '/Feature Count/ {print $2}')
gdaln=$(ogrinfo -ro -so -al "$out/ogr2ogr.geojson" | awk -F': ' '/Feature Count/ {print $2}')
echo "project: $project, layer dltb; median of $runs runs"
printf '%-46s %7s s wall %7s s CPU %6.0f MiB  %s features, %s MiB\n' \
  "villageplan export (RFC 7946 + areas)" "$ot" "$oc" "$(echo "$om/1024" | bc -l)" \
  "$oursn" "$(size "$out/villageplan.geojson")"
printf '%-46s %7s s wall %7s s CPU %6.0f MiB  %s features, %s MiB\n' \
  "ogr2ogr -f GeoJSON -lco RFC7946=YES" "$gt" "$gc" "$(echo "$gm/1024" | bc -l)" \
  "$gdaln" "$(size "$out/ogr2ogr.geojson")"
printf 'ratio wall %.2f×, peak memory %.2f×  (goal: wall ≤ 1.0×)\n' \
  "$(echo "$ot/$gt" | bc -l)" "$(echo "$om/$gm" | bc -l)"
[ "$oursn" = "$gdaln" ] || { echo "feature counts differ: $oursn against $gdaln"; exit 1; }
