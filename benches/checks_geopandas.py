"""The overlay tasks of `villageplan check` done with geopandas/shapely (GEOS) the way a
skilled geopandas user does them on a parcel coverage, for benches/checks_vs_geopandas.sh.
Prints one line per task (seconds and the number of results, to compare with VillagePlan's)
and `TOTAL <seconds>` (read included). One process, as a geopandas user runs it.

Tasks, on the same project GeoPackage:
  validity   shapely.is_valid on every parcel
  overlaps   shapely.coverage_invalid_edges flags the parcels whose edges do not match a
             neighbour's (the only ones that can overlap one); among those only, an STRtree
             query for intersecting pairs → interiors meet (DE-9IM T********) → intersection
             area > 0.01 m²
  gaps       per village: village − shapely.coverage_union_all(parcels meeting its
             envelope), pieces > 0.01 m²
  conflicts  construction parcels (三调 建设用地 codes) against the red line and the farmland:
             one vectorised STRtree query per zone layer (predicate intersects), then the
             intersection areas of the pairs at once, > 0.01 m²

(Earlier versions used sjoin + relate_pattern on all pairs for overlaps, union_all per
village for gaps and gpd.overlay for conflicts: 3–7× slower; see benches/README.md.)
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
# pyogrio's Arrow path is its fastest read (when pyarrow is installed, as benches/common.sh does).
try:
    import pyarrow  # noqa: F401

    arrow = True
except ImportError:
    arrow = False
read = lambda layer: gpd.read_file(path, layer=layer, engine="pyogrio", use_arrow=arrow)  # noqa: E731
dltb = read("dltb")
villages = read("villages")
red = read("red_line")
farm = read("farmland")
print(f"{'read':10s} {time.perf_counter() - t:8.2f} s  {len(dltb)} parcels", flush=True)
parcels = dltb.geometry.values


def validity():
    return int((~shapely.is_valid(parcels)).sum())


def overlaps():
    edges = shapely.coverage_invalid_edges(parcels)
    flagged = np.flatnonzero(~shapely.is_empty(edges) & ~shapely.is_missing(edges))
    if len(flagged) == 0:
        return 0
    suspects = parcels[flagged]
    left, right = shapely.STRtree(suspects).query(suspects, predicate="intersects")
    keep = left < right
    a, b = suspects[left[keep]], suspects[right[keep]]
    meet = shapely.relate_pattern(a, b, "T********")
    area = shapely.area(shapely.intersection(a[meet], b[meet]))
    return int((area > 0.01).sum())


def gaps():
    tree = shapely.STRtree(parcels)
    found = 0
    for village in villages.geometry.values:
        idx = tree.query(village)
        covered = shapely.coverage_union_all(parcels[idx])
        gap = shapely.difference(village, covered)
        found += int((shapely.area(shapely.get_parts(gap)) > 0.01).sum())
    return found


# 三调 construction land: 05, 06, 07, 08, 09, 1001–1005, 1007–1009, 1109, 1201 and 20x.
construction_prefixes = ("05", "06", "07", "08", "09", "1001", "1002", "1003", "1004", "1005",
                         "1007", "1008", "1009", "1109", "1201", "20")


def conflicts():
    built = dltb[dltb["DLBM"].astype(str).str.startswith(construction_prefixes)].geometry.values
    n = 0
    for zone in (red, farm):
        zones = zone.geometry.values
        b, z = shapely.STRtree(zones).query(built, predicate="intersects")
        area = shapely.area(shapely.intersection(built[b], zones[z]))
        n += int((area > 0.01).sum())
    return n


timed("validity", validity)
timed("overlaps", overlaps)
timed("gaps", gaps)
timed("conflicts", conflicts)
print(f"TOTAL {time.perf_counter() - t_all:.2f}")
