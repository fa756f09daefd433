#!/usr/bin/env bash
# Installs the system packages VillagePlan needs to build, run and test, only when they are
# missing (a no-op otherwise). Non-interactive; works as root or through sudo.
set -euo pipefail

packages=(
  libgdal-dev   # GDAL (vector I/O), brings PROJ (coordinates) and SQLite
  gdal-bin      # ogr2ogr/ogrinfo: the peer in benches/ and handy for users
  pkg-config    # gdal-sys finds GDAL through it
  time bc       # benches/: peak memory and ratios
  mesa-vulkan-drivers  # lavapipe: headless wgpu for the image snapshot tests
  python3-venv  # scripts/validate_outputs.sh: a local environment for PyPI's validators
  python3-gdal  # GDAL's Python utilities (validate_gpkg.py) for the GeoPackage judge
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
