"""The parcel accounting of `villageplan tables` done with geopandas/pyproj, for
benches/tables_vs_geopandas.sh: every village's 空间功能结构调整表 rows (base year), summed
and rounded. Prints `TOTAL <seconds>` and a checksum line.

Loading the layers is not timed (the Rust side also starts from a loaded project). Then,
timed, the same work as the tables, done the fastest way pyproj/geopandas offer:
  areas      ellipsoidal: parcels to EPSG:4490 (vectorised to_crs), then the geodesic area
             of each on the GRS 80 ellipsoid (the CGCS2000 figure), Geod.geometry_area_perimeter;
             planar: GeoSeries.area
  deduction  f = KCMJ/TBMJ where both are present and TBMJ > 0, else KCXS, else 0
  villages   the first 12 characters of ZLDWDM when the village layer has that code, else the
             village containing the parcel's representative point (sjoin)
  rows       三调 code → 用地用海 2023 (assets/landuse/sandiao_to_ydyh2023_codes.csv) → the row of
             assets/tables/structure.toml (town row for CZCSXM 201/202; longest code prefix;
             a coarse code reaching several rows → 待细分), decided once per distinct code;
             (1 − f) × area to the row, f × area to 其他土地 (田坎 2303)
  grouping   groupby(village, row).sum() → a village × row matrix
  rounding   largest remainder of every village's rows against its rounded total, in 公顷 to
             4 decimals and 比重 to 2 decimals, vectorised over villages

usage: tables_geopandas.py PROJECT.gpkg [ellipsoidal|planar] [REPO_ROOT]
"""
import csv
import sys
import time
import tomllib

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

path = sys.argv[1]
basis = sys.argv[2] if len(sys.argv) > 2 else "ellipsoidal"
root = sys.argv[3] if len(sys.argv) > 3 else "."

dltb = gpd.read_file(path, layer="dltb", engine="pyogrio")
villages = gpd.read_file(path, layer="villages", engine="pyogrio")
with open(f"{root}/assets/tables/structure.toml", "rb") as f:
    structure = tomllib.load(f)
with open(f"{root}/assets/landuse/sandiao_to_ydyh2023_codes.csv", encoding="utf-8") as f:
    conversion = {r["sandiao"]: r["ydyh2023"] for r in csv.DictReader(f)}

t0 = time.perf_counter()


def expand(pattern):
    if "-" not in pattern:
        return [pattern]
    a, b = pattern.split("-")
    return [str(n).zfill(len(a)) for n in range(int(a), int(b) + 1)]


rows = []  # (name, kind, codes)
for r in structure["row"]:
    if r.get("subtotal") or r.get("total"):
        continue
    codes = [c for p in r.get("codes", []) for c in expand(p)]
    rows.append((r["label"][-1], "town" if r.get("town") else "counted", codes))
PENDING, UNCLASSIFIED = len(rows), len(rows) + 1
names = [r[0] for r in rows] + ["待细分", "未归类"]


def resolve(code, in_town):
    if in_town:
        for i, (_, kind, codes) in enumerate(rows):
            if kind == "town" and any(code.startswith(c) for c in codes):
                return i
    best = None
    for i, (_, kind, codes) in enumerate(rows):
        if kind != "counted":
            continue
        for c in codes:
            if code.startswith(c) and (best is None or len(c) > best[1]):
                best = (i, len(c))
    if best:
        return best[0]
    if not code:
        return UNCLASSIFIED
    town_codes = [c for _, k, cs in rows if k == "town" and in_town for c in cs]
    reached = set()
    for i, (_, kind, codes) in enumerate(rows):
        if kind == "town" and not in_town:
            continue
        for c in codes:
            if c.startswith(code) and (kind == "town" or not any(c.startswith(t) for t in town_codes)):
                reached.add(i)
    if len(reached) == 1:
        return reached.pop()
    return PENDING if reached else UNCLASSIFIED


def base_row(code, in_town):
    ydyh = conversion.get(code) or (conversion.get(code[:-1]) if code.endswith("K") else None)
    return resolve(ydyh, in_town) if ydyh else UNCLASSIFIED


# Areas on the basis.
if basis == "ellipsoidal":
    geod = pyproj.Geod(ellps="GRS80")
    lonlat = dltb.geometry.to_crs(4490)
    area = np.abs(np.fromiter((geod.geometry_area_perimeter(g)[0] for g in lonlat.values), float, len(lonlat)))
else:
    area = dltb.geometry.area.to_numpy()

# The deduction share.
cols = set(dltb.columns)
num = lambda c: pd.to_numeric(dltb[c], errors="coerce") if c in cols else pd.Series(np.nan, index=dltb.index)
kcmj, tbmj, kcxs = num("KCMJ"), num("TBMJ"), num("KCXS")
f = np.where(kcmj.notna() & (tbmj > 0), kcmj / tbmj, np.where(kcxs.notna(), kcxs, 0.0))

# Villages: the code, else the representative point.
known = set(villages["XZQDM"].astype(str).str[:12])
code = dltb["ZLDWDM"].fillna("").astype(str).str.strip().str[:12] if "ZLDWDM" in cols else pd.Series("", index=dltb.index)
village = code.where(code.isin(known), None)
missing = village.isna()
if missing.any():
    points = gpd.GeoDataFrame(geometry=dltb.geometry[missing].representative_point(), crs=dltb.crs)
    joined = gpd.sjoin(points, villages[["XZQDM", "geometry"]], predicate="within", how="left")
    joined = joined[~joined.index.duplicated()]
    village[missing] = joined["XZQDM"].astype(str).str[:12].where(joined["XZQDM"].notna(), None)

# Rows, once per distinct (code, in town).
dlbm = (dltb["DLBM"] if "DLBM" in cols else dltb["JQDLBM"]).fillna("").astype(str).str.strip().str.upper()
town = dltb["CZCSXM"].fillna("").astype(str).str.upper().isin(["201", "202", "201A", "202A"]) if "CZCSXM" in cols else pd.Series(False, index=dltb.index)
keys = pd.MultiIndex.from_arrays([dlbm, town])
distinct = keys.unique()
row_of = pd.Series([base_row(c, t) for c, t in distinct], index=distinct)
row = row_of.reindex(keys).to_numpy()
terrace = resolve("2303", False)

# Own class × (1 − f), 田坎 × f; grouped by village and row.
frame = pd.DataFrame({
    "village": np.concatenate([village.to_numpy(), village.to_numpy()]),
    "row": np.concatenate([row, np.full(len(row), terrace)]),
    "m2": np.concatenate([area * (1 - f), area * f]),
}).dropna(subset=["village"])
matrix = frame.groupby(["village", "row"])["m2"].sum().unstack(fill_value=0.0)
matrix = matrix.reindex(columns=range(len(names)), fill_value=0.0)
m2 = matrix.to_numpy()


def largest_remainder(values, totals, scale):
    scaled = values * scale
    units = np.floor(scaled).astype(np.int64)
    missing = np.round(totals * scale).astype(np.int64) - units.sum(axis=1)
    order = np.argsort(-(scaled - units), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(values.shape[1])[None, :].repeat(len(values), 0), axis=1)
    return units + (rank < missing[:, None])


ha = largest_remainder(m2 / 1e4, m2.sum(axis=1) / 1e4, 1e4)
total = m2.sum(axis=1)
share = largest_remainder(np.divide(m2, total[:, None], out=np.zeros_like(m2), where=total[:, None] > 0) * 100,
                          np.where(total > 0, 100.0, 0.0), 1e2)
elapsed = time.perf_counter() - t0
print(f"villages {len(matrix)} rows {len(names)} total {ha.sum() / 1e4:.4f} ha, shares ok {bool((share.sum(axis=1)[total > 0] == 10000).all())}")
print(f"TOTAL {elapsed:.3f}")
