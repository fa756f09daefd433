#!/usr/bin/env bash
# Loading benchmark: VillagePlan reading the 200k-parcel generated sample into a Project
# (read + reproject + index) side by side with GDAL's own ogr2ogr doing read + reproject
# into memory (the "Memory" driver), on the same file, in the same run. Prints medians of
# wall time and peak memory and their ratios. Absolute times on a shared machine are noisy;
# the ratio is the figure to report.
#
#   bash benches/load_vs_gdal.sh [PARCELS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

parcels=${1:-200000}
runs=${2:-3}
. benches/common.sh

# The parcels in CGCS2000 lon/lat (EPSG:4490), so that loading includes a real reprojection.
source="$data/dltb-$parcels-4490.gpkg"
if [ ! -f "$source" ]; then
  ogr2ogr -f GPKG -t_srs EPSG:4490 -nln dltb "$source" "$project" dltb
fi
features=$(ogrinfo -ro -so "$source" dltb | awk -F': ' '/Feature Count/ {print $2}')

# measure CMD... → "wall_s cpu_s max_rss_kib" (GNU time)
measure() {
  /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -n 1 |
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

ours_t=(); ours_c=(); ours_m=(); gdal_t=(); gdal_c=(); gdal_m=()
for i in $(seq "$runs"); do
  read -r t c m < <(measure "$bin" import "$source" --crs 4542)
  ours_t+=("$t"); ours_c+=("$c"); ours_m+=("$m")
  read -r t c m < <(measure ogr2ogr -f Memory -t_srs EPSG:4542 "" "$source")
  gdal_t+=("$t"); gdal_c+=("$c"); gdal_m+=("$m")
done
oc=$(printf '%s\n' "${ours_c[@]}" | median); gc=$(printf '%s\n' "${gdal_c[@]}" | median)

ot=$(printf '%s\n' "${ours_t[@]}" | median); om=$(printf '%s\n' "${ours_m[@]}" | median)
gt=$(printf '%s\n' "${gdal_t[@]}" | median); gm=$(printf '%s\n' "${gdal_m[@]}" | median)
echo "file: $source ($features parcels, EPSG:4490 → EPSG:4542), median of $runs runs"
printf '%-44s %8s s wall %8s s CPU %8.0f MiB\n' "villageplan import (read+reproject+index)" "$ot" "$oc" "$(echo "$om/1024" | bc -l)"
printf '%-44s %8s s wall %8s s CPU %8.0f MiB\n' "ogr2ogr -f Memory -t_srs (read+reproject)" "$gt" "$gc" "$(echo "$gm/1024" | bc -l)"
printf 'ratio time %.2f×, peak memory %.2f×  (goal of issue 15: time ≤ 1.0×, memory ≤ 1.0×)\n' \
  "$(echo "$ot/$gt" | bc -l)" "$(echo "$om/$gm" | bc -l)"
