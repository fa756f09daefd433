#!/usr/bin/env bash
# Checks benchmark: `villageplan check` (every bundled rule, including loading the project)
# on the 200k-parcel generated sample, side by side with geopandas/shapely doing the same
# overlay tasks the way a skilled user does on a coverage (validity; overlaps among the
# parcels GEOS's coverage validation flags; gaps against the villages by coverage union;
# construction land against the red line and farmland by vectorised tree queries — see
# checks_geopandas.py), reading the same file, in the same run. geopandas comes from PyPI
# into a venv under the target directory. Prints the times, the ratio (goal ≥ 5×), and
# per task the number of results each side found, which must agree.
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
  same_t+=("$(seconds "$bin" check "$project" --rules "$same" --format csv --out "$data/check-same-$parcels.csv")")
  out=$("$python" benches/checks_geopandas.py "$project")
  [ "$i" -eq 1 ] && echo "$out" | sed 's/^/  geopandas /' && peer_out=$out
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

# The same results? VillagePlan's count per rule against the script's per task.
ours_n() { awk -F, -v r="$1" 'NR > 1 && $2 == r {n++} END {print n + 0}' "$data/check-same-$parcels.csv"; }
peer_n() { echo "$peer_out" | awk -v t="$1" '$1 == t {print $4}'; }
conflicts=$(( $(ours_n lines.current_construction_in_red_line) + $(ours_n lines.current_construction_in_farmland) ))
differ=0
for pair in "validity:$(ours_n geometry.valid)" "overlaps:$(ours_n topology.overlap)" \
            "gaps:$(ours_n topology.gap.dltb)" "conflicts:$conflicts"; do
  task=${pair%%:*}; n=${pair#*:}; p=$(peer_n "$task")
  mark=same; [ "$n" = "$p" ] || { mark=DIFFERENT; differ=1; }
  printf '  %-10s villageplan %6s results, geopandas %6s  %s\n' "$task" "$n" "$p" "$mark"
done
[ "$differ" -eq 0 ] || echo "the two sides disagree (above): the timings compare different work"
