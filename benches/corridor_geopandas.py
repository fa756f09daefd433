"""The geopandas peer of benches/corridor.rs: one live update of a corridor while its width
changes, as a skilled geopandas user would write it, with the layers already loaded and
their spatial indexes built (not timed, as VillagePlan's SummaryContext is built once).

One update:
- VILLAGES: the centre line buffered by width/2 (round caps and joins, 50 segments a
  quarter circle = VillagePlan's π/100 arc step), then per village the planar area inside
  (sindex query, vectorised shapely intersection), villages under 1e-4 of their area left
  out as VillagePlan does;
- WITH_PARCELS: the same plus the land-use parcels inside by 三调 first-level class with
  the 田坎 deduction (KCMJ/TBMJ, else KCXS): parcels wholly inside the prepared buffer are
  counted whole, only the others are intersected.

Widths alternate 950, 1000, 1050 m. Prints the median of each, and, against the planar
reference that `corridor --write DIR` wrote (corridor-villages.csv), whether both sides
found the same villages with the same areas and the same parcel area inside.

    python corridor_geopandas.py PROJECT.gpkg DIR [UPDATES]
"""

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

WIDTHS = (950.0, 1000.0, 1050.0)
MIN_SHARE = 1e-4
CRS = 4542


def load(project):
    villages = gpd.read_file(project, layer="villages", columns=["XZQDM"]).to_crs(CRS)
    parcels = gpd.read_file(
        project, layer="dltb", columns=["DLBM", "KCXS", "KCMJ", "TBMJ"]
    ).to_crs(CRS)
    villages.sindex
    parcels.sindex
    kcmj, tbmj = parcels["KCMJ"].to_numpy(float), parcels["TBMJ"].to_numpy(float)
    by_area = np.isfinite(kcmj) & np.isfinite(tbmj) & (tbmj > 0)
    terrace = np.where(
        by_area,
        kcmj / np.where(tbmj > 0, tbmj, 1.0),
        np.nan_to_num(parcels["KCXS"].to_numpy(float)),
    )
    return {
        "villages": villages,
        "v_geom": villages.geometry.values,
        "v_area": villages.geometry.area.to_numpy(),
        "v_code": villages["XZQDM"].astype(str).str.strip().to_numpy(),
        "parcels": parcels,
        "p_geom": parcels.geometry.values,
        "p_class": parcels["DLBM"].astype(str).str.strip().str[:2].to_numpy(),
        "p_terrace": terrace,
    }


def buffer(line, width):
    zone = shapely.buffer(line, width / 2, quad_segs=50, cap_style="round", join_style="round")
    shapely.prepare(zone)
    return zone


def villages_inside(d, zone):
    idx = d["villages"].sindex.query(zone, predicate="intersects")
    inside = shapely.area(shapely.intersection(d["v_geom"][idx], zone))
    keep = (inside > 0) & (inside >= MIN_SHARE * d["v_area"][idx])
    return pd.Series(inside[keep], index=d["v_code"][idx][keep]).sort_index()


def parcels_inside(d, zone):
    idx = d["parcels"].sindex.query(zone, predicate="intersects")
    geoms = d["p_geom"][idx]
    whole = shapely.contains_properly(zone, geoms)
    inside = shapely.area(geoms)
    inside[~whole] = shapely.area(shapely.intersection(geoms[~whole], zone))
    terrace = inside * d["p_terrace"][idx]
    by_class = pd.Series(inside - terrace).groupby(d["p_class"][idx]).sum()
    by_class["1203"] = terrace.sum()
    return by_class


def timed(update, updates):
    times = []
    out = None
    for k in range(updates + 3):
        t = time.perf_counter()
        out = update(WIDTHS[k % len(WIDTHS)])
        if k >= 3:
            times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times)), out


def agreement(villages, land, reference):
    ref = pd.read_csv(reference, dtype={"code": str}).set_index("code")["inside_m2"]
    ref_land, ref_terrace = ref.pop("LAND_USE"), ref.pop("TERRACE")
    same_set = set(ref.index) == set(villages.index)
    both = ref.index.intersection(villages.index)
    diff = (villages[both] - ref[both]).abs()
    rel = (diff / ref[both]).max() if len(both) else 0.0
    land_rel = abs(land.sum() - ref_land) / ref_land
    terrace_rel = abs(land["1203"] - ref_terrace) / max(ref_terrace, 1.0)
    ok = same_set and rel < 1e-4 and land_rel < 1e-4 and terrace_rel < 1e-4
    print(
        f"AGREE {'yes' if ok else 'NO'}: villages {len(villages)} here, {len(ref)} in "
        f"VillagePlan ({'same' if same_set else 'different'} codes), largest village "
        f"difference {diff.max() if len(both) else 0.0:.1f} m² ({rel:.1e}); parcels inside "
        f"{land.sum() / 1e4:.2f} ha vs {ref_land / 1e4:.2f} ha ({land_rel:.1e}), 田坎 "
        f"{land['1203'] / 1e4:.2f} ha vs {ref_terrace / 1e4:.2f} ha"
    )
    return ok


def main():
    project, out_dir = sys.argv[1], Path(sys.argv[2])
    updates = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    t = time.perf_counter()
    d = load(project)
    print(f"load        {time.perf_counter() - t:8.3f} s  (read, to_crs {CRS}, sindex)")
    line = shapely.from_wkt((out_dir / "corridor-centre.wkt").read_text().strip())
    print(f"line        {line.length / 1e3:.1f} km from {out_dir / 'corridor-centre.wkt'}")

    v_ms, _ = timed(lambda w: villages_inside(d, buffer(line, w)), updates)
    print(f"VILLAGES    {v_ms:.2f} ms median of {updates} widths (buffer + per-village overlay)")

    def both(w):
        zone = buffer(line, w)
        return villages_inside(d, zone), parcels_inside(d, zone)

    p_ms, _ = timed(both, updates)
    print(f"WITH_PARCELS {p_ms:.2f} ms median (+ parcels by class with 田坎)")

    zone = buffer(line, 1000.0)
    ok = agreement(
        villages_inside(d, zone), parcels_inside(d, zone), out_dir / "corridor-villages.csv"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
