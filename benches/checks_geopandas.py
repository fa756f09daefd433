"""The overlay tasks of `villageplan check` done with geopandas/shapely (GEOS), for
benches/checks_vs_geopandas.sh. Prints one line per task and `TOTAL <seconds>`.

Tasks, on the same project GeoPackage:
  validity   shapely.is_valid on every parcel
  overlaps   sjoin(dltb, dltb, intersects) → pairs whose interiors meet (DE-9IM T********)
             → intersection area > 0.01 m²
  gaps       per village: village − union(parcels meeting its envelope), pieces > 0.01 m²
  conflicts  construction parcels (三调 建设用地 codes) ∩ red line and ∩ farmland, > 0.01 m²
"""
import sys
import time

import geopandas as gpd
import numpy as np
import shapely

path = sys.argv[1]
t_all = time.perf_counter()


def timed(name, fn):
    t = time.perf_counter()
    n = fn()
    print(f"{name:10s} {time.perf_counter() - t:8.2f} s  {n} results", flush=True)


t = time.perf_counter()
dltb = gpd.read_file(path, layer="dltb", engine="pyogrio")
villages = gpd.read_file(path, layer="villages", engine="pyogrio")
red = gpd.read_file(path, layer="red_line", engine="pyogrio")
farm = gpd.read_file(path, layer="farmland", engine="pyogrio")
print(f"{'read':10s} {time.perf_counter() - t:8.2f} s  {len(dltb)} parcels", flush=True)


def validity():
    return int((~shapely.is_valid(dltb.geometry.values)).sum())


def overlaps():
    pairs = gpd.sjoin(dltb, dltb, predicate="intersects")
    left = pairs.index.values
    right = pairs["index_right"].values
    keep = left < right
    a = dltb.geometry.values[left[keep]]
    b = dltb.geometry.values[right[keep]]
    meet = shapely.relate_pattern(a, b, "T********")
    area = shapely.area(shapely.intersection(a[meet], b[meet]))
    return int((area > 0.01).sum())


def gaps():
    sindex = dltb.sindex
    found = 0
    for village in villages.geometry.values:
        idx = sindex.query(village)
        covered = shapely.union_all(dltb.geometry.values[idx])
        gap = shapely.difference(village, covered)
        parts = shapely.get_parts(gap)
        found += int((shapely.area(parts) > 0.01).sum())
    return found


# 三调 construction land: 05, 06, 07, 08, 09, 1001–1005, 1007–1009, 1109, 1201 and 20x.
construction_prefixes = ("05", "06", "07", "08", "09", "1001", "1002", "1003", "1004", "1005",
                         "1007", "1008", "1009", "1109", "1201", "20")


def conflicts():
    built = dltb[dltb["DLBM"].astype(str).str.startswith(construction_prefixes)]
    n = 0
    for zone in (red, farm):
        hit = gpd.overlay(built[["BSM", "geometry"]], zone[["geometry"]], how="intersection",
                          keep_geom_type=True)
        n += int((hit.geometry.area > 0.01).sum())
    return n


timed("validity", validity)
timed("overlaps", overlaps)
timed("gaps", gaps)
timed("conflicts", conflicts)
print(f"TOTAL {time.perf_counter() - t_all:.2f}")
