#!/usr/bin/env bash
# Checks benchmark: `villageplan check` (every bundled rule, including loading the project)
# on the 200k-parcel generated sample, side by side with geopandas/shapely doing the same
# overlay tasks the way a skilled user does on a coverage (validity; overlaps among the
# parcels GEOS's coverage validation flags; gaps against the villages by coverage union;
# construction land against the red line and farmland by vectorised tree queries — see
# checks_geopandas.py), reading the same file, in the same run. geopandas comes from PyPI
# into a venv under the target directory. Prints per task the time of each side (ours from
# `check --timings`, the script's from its own clock), the ratios (goal: the overlay tasks
# ≥ 5×), the whole processes and the full check, and per task the number of results each
# side found, which must agree.
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

# Per run: the whole `check` (all rules), the same five rules with --timings (load and
# rule times from the process itself), and the geopandas script (its own per-task times).
: > "$data/checks-ours.txt"; : > "$data/checks-peer.txt"
ours=(); same_t=(); peer=()
for i in $(seq "$runs"); do
  ours+=("$(seconds "$bin" check "$project" --format csv --out "$data/check-$parcels.csv")")
  start=$(date +%s.%N)
  "$bin" check "$project" --rules "$same" --format csv --out "$data/check-same-$parcels.csv" \
    --timings 2> "$data/checks-timings.txt" || [ $? -eq 1 ]
  same_t+=("$(echo "$(date +%s.%N) - $start" | bc -l)")
  awk -v r="$i" '$1 == "timing" {
      t = $3
      if (t == "geometry.valid") t = "validity"; else if (t == "topology.overlap") t = "overlaps"
      else if (t == "topology.gap.dltb") t = "gaps"; else if (t ~ /^lines\.current_construction/) t = "conflicts"
      else if (t == "load") t = "read"; else next
      s[t] += $2
    } END { for (t in s) print r, t, s[t] }' "$data/checks-timings.txt" >> "$data/checks-ours.txt"
  out=$("$python" benches/checks_geopandas.py "$project")
  [ "$i" -eq 1 ] && peer_out=$out
  echo "$out" | awk -v r="$i" '$3 == "s" {print r, $1, $2}' >> "$data/checks-peer.txt"
  peer+=("$(echo "$out" | awk '/^TOTAL/ {print $2}')")
done
results=$(($(wc -l < "$data/check-$parcels.csv") - 1))
ot=$(printf '%s\n' "${ours[@]}" | median)
st=$(printf '%s\n' "${same_t[@]}" | median)
pt=$(printf '%s\n' "${peer[@]}" | median)
# median of task T in FILE (over runs); sum of the tasks given, per run, then the median
task() { awk -v t="$2" '$2 == t {print $3}' "$1" | median; }
tasks_sum() {
  local file=$1; shift
  awk -v list=" $* " 'index(list, " " $2 " ") {s[$1] += $3} END {for (r in s) print s[r]}' "$file" | median
}
ratio() { echo "$2/$1" | bc -l; }
echo "file: $project ($parcels parcels requested), median of $runs runs, $(nproc) cores"
printf '%-44s %14s %14s %10s\n' "task (same results on both sides, below)" villageplan geopandas "faster by"
for t in validity overlaps gaps conflicts; do
  o=$(task "$data/checks-ours.txt" "$t"); p=$(task "$data/checks-peer.txt" "$t")
  printf '%-44s %12.3f s %12.3f s %9.1f×\n' "  $t" "$o" "$p" "$(ratio "$o" "$p")"
done
o=$(tasks_sum "$data/checks-ours.txt" overlaps gaps conflicts); p=$(tasks_sum "$data/checks-peer.txt" overlaps gaps conflicts)
printf '%-44s %12.3f s %12.3f s %9.1f×  (goal ≥ 5×)\n' "overlay tasks (overlaps + gaps + conflicts)" "$o" "$p" "$(ratio "$o" "$p")"
o=$(tasks_sum "$data/checks-ours.txt" validity overlaps gaps conflicts); p=$(tasks_sum "$data/checks-peer.txt" validity overlaps gaps conflicts)
printf '%-44s %12.3f s %12.3f s %9.1f×\n' "the four tasks (validity included)" "$o" "$p" "$(ratio "$o" "$p")"
o=$(task "$data/checks-ours.txt" read); p=$(task "$data/checks-peer.txt" read)
printf '%-44s %12.3f s %12.3f s %9.1f×\n' "  read (ours: the whole project, every layer)" "$o" "$p" "$(ratio "$o" "$p")"
printf '%-44s %12.3f s %12.3f s %9.1f×\n' "whole process (read + the four tasks)" "$st" "$pt" "$(ratio "$st" "$pt")"
printf '%-44s %12.3f s  (%d results, all %d rules, load included)\n' "villageplan check, full" "$ot" "$results" "$(grep -c '^\[\[rule\]\]' assets/rules/checks.toml)"

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
