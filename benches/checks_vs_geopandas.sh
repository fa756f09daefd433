#!/usr/bin/env bash
# Checks benchmark: `villageplan check` (every bundled rule, including loading the project)
# on the 200k-parcel generated sample, side by side with geopandas/shapely doing the same
# overlay tasks (validity, within-layer overlaps via sjoin + intersection, gaps against the
# villages, construction land against the red line and farmland — see checks_geopandas.py),
# reading the same file, in the same run. geopandas comes from PyPI into a venv under the
# target directory. Prints the times and the ratio (goal: check < 10 s, ≥ 5× faster).
#
#   bash benches/checks_vs_geopandas.sh [PARCELS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

parcels=${1:-200000}
runs=${2:-3}
. benches/common.sh

# The same tasks as the Python script: every other rule switched off.
same="$data/checks-same-tasks.toml"
keep=" geometry.valid topology.overlap topology.gap.dltb lines.current_construction_in_red_line lines.current_construction_in_farmland "
: > "$same"
for id in $(sed -n 's/^id = "\(.*\)"/\1/p' assets/rules/checks.toml); do
  case "$keep" in *" $id "*) ;; *) printf '[[override]]\nid = "%s"\nenabled = false\n' "$id" >> "$same" ;; esac
done

# seconds of one run of CMD…; exit code 1 (errors found) is a result, not a failure.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" || [ $? -eq 1 ]
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

ours=(); same_t=(); peer=()
for i in $(seq "$runs"); do
  ours+=("$(seconds "$bin" check "$project" --format csv --out "$data/check-$parcels.csv")")
  same_t+=("$(seconds "$bin" check "$project" --rules "$same" --format csv --out /dev/null)")
  out=$("$python" benches/checks_geopandas.py "$project")
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  geopandas /'
  peer+=("$(echo "$out" | awk '/^TOTAL/ {print $2}')")
done
results=$(($(wc -l < "$data/check-$parcels.csv") - 1))
ot=$(printf '%s\n' "${ours[@]}" | median)
st=$(printf '%s\n' "${same_t[@]}" | median)
pt=$(printf '%s\n' "${peer[@]}" | median)
echo "file: $project ($parcels parcels requested), median of $runs runs, $(nproc) cores"
printf '%-62s %8.2f s  (%d results)\n' "villageplan check, load + all $(grep -c '^\[\[rule\]\]' assets/rules/checks.toml) rules" "$ot" "$results"
printf '%-62s %8.2f s\n' "villageplan check, load + the same 5 overlay rules" "$st"
printf '%-62s %8.2f s\n' "geopandas, read + validity/overlaps/gaps/conflicts" "$pt"
printf 'same tasks: %.1f× faster; full check vs geopandas tasks: %.1f×  (goal: check < 10 s, ≥ 5×)\n' \
  "$(echo "$pt/$st" | bc -l)" "$(echo "$pt/$ot" | bc -l)"
