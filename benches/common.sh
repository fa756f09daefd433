# Shared by the comparison scripts (source it after `cd` to the repository root and setting
# `parcels`): the release CLI without the window, the generated sample of that size (made
# once under the target directory), the geopandas venv (made once from PyPI), a median.
# Each script then adds only what its comparison needs.

target=${CARGO_TARGET_DIR:-target}
data="$target/bench-data"
mkdir -p "$data"

# Without the window: the library and the CLI only (no GUI crate to compile).
cargo build --release --quiet --no-default-features --bin villageplan
bin="$target/release/villageplan"
project="$data/sample-$parcels/fengqing.gpkg"
if [ ! -f "$project" ]; then
  echo "generating the $parcels-parcel sample (once) …"
  "$bin" sample --out "$data/sample-$parcels" --parcels "$parcels" >/dev/null
fi

# PYTHON: a python with geopandas, pyogrio, shapely and pyproj, and pyarrow for pyogrio's
# fastest read (default: the venv below).
python=${PYTHON:-$target/bench-venv/bin/python}
if [ -z "${PYTHON:-}" ] && [ ! -x "$python" ]; then
  python3 -m venv "$target/bench-venv"
  "$target/bench-venv/bin/pip" install --quiet geopandas pyogrio shapely pyproj pyarrow
fi

# The compiled bench NAME (harness = false), built once, without the window.
bench_binary() {
  cargo bench --quiet --no-default-features --bench "$1" --no-run
  ls -t "$target"/release/deps/"$1"-* | grep -v '\.d$' | head -1
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
