//! Sliver elimination: small parts of a zone merge into the neighbouring zone with which
//! they share the longest boundary; red line and farmland parts are never reshaped.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, BoundingRect, Coord, Distance, Euclidean, Line, MultiPolygon, Point, Polygon};
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};

use super::overlay::Overlay;
use crate::error::Result;

/// Distance (m) within which two parts touch, and the shortest boundary (m) two parts must
/// share to be neighbours. Boundaries that come out of different overlays (or were traced
/// separately, like a red line along a parcel edge) differ by rounding, far below a
/// millimetre; a millimetre absorbs that and is far below anything a planner draws.
const TOUCH_M: f64 = 1e-3;

/// One polygon of a dissolved zone.
struct Part {
    zone: usize,
    polygon: Polygon<f64>,
}

/// A zone after sliver elimination.
pub(super) struct Zone {
    pub(super) geometry: MultiPolygon<f64>,
    pub(super) merged: usize,
    pub(super) kept: usize,
}

/// A boundary segment of a part, in the village's segment index.
type Segment = GeomWithData<Line<f64>, usize>;

/// The parts of a village's zones while slivers are merged. A merge only records that a part
/// now belongs to its neighbour's group (union-find); the geometry is dissolved once per zone
/// at the end, so a village with many slivers (boundaries that almost coincide can leave
/// hundreds) costs one dissolve per zone rather than one overlay per sliver.
pub(super) struct Parts {
    parts: Vec<Part>,
    /// Every boundary segment of every part.
    segments: RTree<Segment>,
    /// Union-find parent of each part; a root's group is one polygon of the root's zone.
    parent: Vec<usize>,
    /// The parts of each root's group (itself included).
    members: Vec<Vec<usize>>,
    /// The area of each root's group.
    area: Vec<f64>,
    /// Per zone: a line (red line / farmland), never reshaped.
    line: Vec<bool>,
    /// Per zone: slivers merged into it.
    merged: Vec<usize>,
    /// Roots that were slivers and had no neighbour to merge into.
    kept: BTreeSet<usize>,
}

fn segments(polygon: &Polygon<f64>) -> impl Iterator<Item = Line<f64>> + '_ {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .flat_map(|ring| ring.lines())
        .filter(|l| l.start != l.end)
}

/// The length of `a` that `b` runs along within `tol` (both end points of `b` within `tol`
/// of `a`'s line, projected onto `a`). geo's `line_intersection` needs exact collinearity,
/// which boundaries computed by different overlays do not have.
fn shared_length(a: Line<f64>, b: Line<f64>, tol: f64) -> f64 {
    let d = a.delta();
    let len = d.x.hypot(d.y);
    let (ux, uy) = (d.x / len, d.y / len);
    let project = |c: Coord<f64>| {
        let (x, y) = (c.x - a.start.x, c.y - a.start.y);
        (x * ux + y * uy, (y * ux - x * uy).abs())
    };
    let ((t0, d0), (t1, d1)) = (project(b.start), project(b.end));
    if d0 > tol || d1 > tol {
        return 0.0;
    }
    (t0.max(t1).min(len) - t0.min(t1).max(0.0)).max(0.0)
}

fn envelope_of(line: &Line<f64>, margin: f64) -> AABB<Point<f64>> {
    let r = line.bounding_rect();
    AABB::from_corners(
        Point::new(r.min().x - margin, r.min().y - margin),
        Point::new(r.max().x + margin, r.max().y + margin),
    )
}

impl Parts {
    pub(super) fn new(zones: Vec<MultiPolygon<f64>>, line: Vec<bool>) -> Parts {
        let merged = vec![0; zones.len()];
        let parts: Vec<Part> = zones
            .into_iter()
            .enumerate()
            .flat_map(|(zone, geometry)| {
                geometry
                    .into_iter()
                    .filter(|p| p.unsigned_area() > 0.0)
                    .map(move |polygon| Part { zone, polygon })
            })
            .collect();
        let segments = RTree::bulk_load(
            parts
                .iter()
                .enumerate()
                .flat_map(|(i, p)| segments(&p.polygon).map(move |l| Segment::new(l, i)))
                .collect(),
        );
        Parts {
            parent: (0..parts.len()).collect(),
            members: (0..parts.len()).map(|i| vec![i]).collect(),
            area: parts.iter().map(|p| p.polygon.unsigned_area()).collect(),
            parts,
            segments,
            line,
            merged,
            kept: BTreeSet::new(),
        }
    }

    fn root(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn is_line(&self, i: usize) -> bool {
        self.line[self.parts[i].zone]
    }

    /// True when a segment of a line part comes within [`TOUCH_M`] of group `r`.
    fn touches_line(&self, r: usize) -> bool {
        self.members[r].iter().any(|&m| {
            segments(&self.parts[m].polygon).any(|e| {
                self.segments
                    .locate_in_envelope_intersecting(&envelope_of(&e, TOUCH_M))
                    .any(|s| self.is_line(s.data) && Euclidean.distance(&e, s.geom()) <= TOUCH_M)
            })
        })
    }

    /// The boundary group `r` shares with each neighbouring group that is not a line.
    fn shared_with(&self, r: usize) -> BTreeMap<usize, f64> {
        let mut shared = BTreeMap::new();
        for &m in &self.members[r] {
            for e in segments(&self.parts[m].polygon) {
                for s in self
                    .segments
                    .locate_in_envelope_intersecting(&envelope_of(&e, TOUCH_M))
                {
                    let other = self.root(s.data);
                    if other == r || self.is_line(other) {
                        continue;
                    }
                    let length = shared_length(e, *s.geom(), TOUCH_M);
                    if length > 0.0 {
                        *shared.entry(other).or_insert(0.0) += length;
                    }
                }
            }
        }
        shared
    }

    /// One pass: every group (not a line) smaller than `max_area`, and when `next_to_lines`
    /// touching a line part, is merged into the neighbouring group (not a line) with which it
    /// shares the longest boundary. Smallest first, so a sliver that absorbed another is
    /// judged with its new size.
    pub(super) fn eliminate(&mut self, max_area: f64, next_to_lines: bool) {
        let mut order: Vec<usize> = (0..self.parts.len())
            .filter(|&i| self.parent[i] == i && !self.is_line(i) && self.area[i] < max_area)
            .collect();
        order.sort_by(|&a, &b| self.area[a].total_cmp(&self.area[b]).then(a.cmp(&b)));
        for r in order {
            if self.parent[r] != r || self.area[r] >= max_area {
                continue;
            }
            if next_to_lines && !self.touches_line(r) {
                continue;
            }
            let best = self
                .shared_with(r)
                .into_iter()
                .filter(|&(_, length)| length > TOUCH_M)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match best {
                None => {
                    self.kept.insert(r);
                }
                Some((into, _)) => {
                    self.kept.remove(&r);
                    self.parent[r] = into;
                    let members = std::mem::take(&mut self.members[r]);
                    self.members[into].extend(members);
                    self.area[into] += self.area[r];
                    self.merged[self.parts[into].zone] += 1;
                }
            }
        }
    }

    /// The zones again, in the order given to [`Parts::new`]; a zone that received slivers
    /// is dissolved again so that each sliver becomes one with its neighbour.
    pub(super) fn into_zones(self, overlay: &Overlay) -> Result<Vec<Zone>> {
        let zones = self.line.len();
        let mut polygons: Vec<Vec<Polygon<f64>>> = vec![Vec::new(); zones];
        let mut kept = vec![0; zones];
        for &r in &self.kept {
            if self.parent[r] == r {
                kept[self.parts[r].zone] += 1;
            }
        }
        let zone_of: Vec<usize> = (0..self.parts.len())
            .map(|i| self.parts[self.root(i)].zone)
            .collect();
        for (part, zone) in self.parts.into_iter().zip(zone_of) {
            polygons[zone].push(part.polygon);
        }
        polygons
            .into_iter()
            .zip(self.merged)
            .zip(kept)
            .map(|((polygons, merged), kept)| {
                Ok(Zone {
                    geometry: if merged > 0 {
                        overlay.dissolve(polygons)?
                    } else {
                        MultiPolygon(polygons)
                    },
                    merged,
                    kept,
                })
            })
            .collect()
    }
}
