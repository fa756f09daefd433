//! Overlaps between features of one layer (图斑重叠).
//!
//! *Rule source*: docs/domain.md §5.3 — no overlaps within a layer; the usual coordinate
//! tolerance is 0.001 m (common practice, no source identified), applied here as an area
//! tolerance per rule (`tolerance_m2`).
//!
//! *Performance*: candidate pairs are envelope pairs from the layer's `rstar` index. Most
//! are neighbours sharing an edge, so each pair first gets an exact but cheap test of the
//! part inside both envelopes — a proper edge crossing, or a vertex or edge midpoint of one
//! strictly inside the other, or two identical outlines — and only pairs that pass are
//! overlaid with `geo`'s BooleanOps. Pairs run on all cores.
//!
//! *Validity*: two valid polygons whose interiors share area always show one of those
//! signs. Invalid polygons are the validity rule's; their overlaps are measured as the
//! overlay sees them.

use geo::{
    Area, BooleanOps, BoundingRect, Coord, CoordinatePosition, Geometry, InteriorPoint, Line,
    MultiPolygon, Polygon, Rect, coordinate_position::CoordPos,
};
use rayon::prelude::*;

use super::result::rects_intersect;
use super::{Ctx, Finding, RuleOutput, feature_bbox};
use crate::model::{Layer, LayerRole};
use crate::units;

/// The polygons of a geometry without copying.
pub(crate) fn polygon_slice(g: &Geometry<f64>) -> &[Polygon<f64>] {
    match g {
        Geometry::Polygon(p) => std::slice::from_ref(p),
        Geometry::MultiPolygon(mp) => &mp.0,
        _ => &[],
    }
}

fn position(polygons: &[Polygon<f64>], c: Coord) -> CoordPos {
    let mut pos = CoordPos::Outside;
    for p in polygons {
        match p.coordinate_position(&c) {
            CoordPos::Inside => return CoordPos::Inside,
            CoordPos::OnBoundary => pos = CoordPos::OnBoundary,
            CoordPos::Outside => {}
        }
    }
    pos
}

fn edges_in(polygons: &[Polygon<f64>], r: Rect<f64>) -> Vec<Line<f64>> {
    polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| ring.lines())
        .filter(|l| rects_intersect(&l.bounding_rect(), &r))
        .collect()
}

/// Is `c` strictly inside `other`? Records whether anything tested was off its boundary.
fn probe(other: &[Polygon<f64>], c: Coord, off_boundary: &mut bool) -> bool {
    match position(other, c) {
        CoordPos::Inside => true,
        CoordPos::Outside => {
            *off_boundary = true;
            false
        }
        CoordPos::OnBoundary => false,
    }
}

/// Do `p` and `q` cross at a single point interior to both? The same answer as
/// `line_intersection(p, q)` reporting a proper `SinglePoint`, from the four robust
/// orientations alone: the pre-test needs only the yes/no, not the crossing point, and this
/// runs for every pair of edges near a shared border.
pub(crate) fn crosses_properly(p: Line<f64>, q: Line<f64>) -> bool {
    use geo::kernels::{Kernel, Orientation, RobustKernel};
    let opposite = |a: Orientation, b: Orientation| {
        matches!(
            (a, b),
            (Orientation::Clockwise, Orientation::CounterClockwise)
                | (Orientation::CounterClockwise, Orientation::Clockwise)
        )
    };
    rects_intersect(&p.bounding_rect(), &q.bounding_rect())
        && opposite(
            RobustKernel::orient2d(p.start, p.end, q.start),
            RobustKernel::orient2d(p.start, p.end, q.end),
        )
        && opposite(
            RobustKernel::orient2d(q.start, q.end, p.start),
            RobustKernel::orient2d(q.start, q.end, p.end),
        )
}

/// Is `l` the same segment as `m`, in either direction?
fn same_segment(l: &Line<f64>, m: &Line<f64>) -> bool {
    (l.start == m.start && l.end == m.end) || (l.start == m.end && l.end == m.start)
}

/// Which points of `edges` can be skipped when probing the other polygon: bit 0 means the
/// edge's start is a vertex of `others`, bit 1 that the whole edge is one of `others` (so its
/// midpoint is on that boundary too). Such points lie exactly on the other's boundary, so
/// the point-in-polygon test could only answer "on the boundary".
fn on_other_boundary(edges: &[Line<f64>], others: &[Line<f64>]) -> Vec<u8> {
    edges
        .iter()
        .map(|l| {
            let mut flags = 0u8;
            for m in others {
                if same_segment(l, m) {
                    return 3;
                }
                if l.start == m.start || l.start == m.end {
                    flags = 1;
                }
            }
            flags
        })
        .collect()
}

/// An exact pre-test: false only when the interiors of `a` and `b` cannot share area.
///
/// Neighbours in a parcel layer share most of their edges in the overlap of their
/// envelopes; points on exactly shared edges and vertices are skipped without a
/// point-in-polygon test, which is where the time went before.
pub(crate) fn interiors_may_meet(
    a: &[Polygon<f64>],
    b: &[Polygon<f64>],
    ra: Rect<f64>,
    rb: Rect<f64>,
) -> bool {
    let r = Rect::new(
        Coord {
            x: ra.min().x.max(rb.min().x),
            y: ra.min().y.max(rb.min().y),
        },
        Coord {
            x: ra.max().x.min(rb.max().x),
            y: ra.max().y.min(rb.max().y),
        },
    );
    if r.width() <= 0.0 || r.height() <= 0.0 {
        return false;
    }
    let (ea, eb) = (edges_in(a, r), edges_in(b, r));
    if ea
        .iter()
        .any(|la| eb.iter().any(|lb| crosses_properly(*la, *lb)))
    {
        return true;
    }
    let (skip_a, skip_b) = (on_other_boundary(&ea, &eb), on_other_boundary(&eb, &ea));
    for (edges, skip, own, other, own_box) in [(&ea, &skip_a, a, b, ra), (&eb, &skip_b, b, a, rb)] {
        let mut off_boundary = false;
        // Only points inside both envelopes can be inside the other polygon.
        let in_r =
            |c: Coord| c.x >= r.min().x && c.x <= r.max().x && c.y >= r.min().y && c.y <= r.max().y;
        for (l, &flags) in edges.iter().zip(skip.iter()) {
            if flags == 3 {
                continue;
            }
            let mid = Coord {
                x: (l.start.x + l.end.x) / 2.0,
                y: (l.start.y + l.end.y) / 2.0,
            };
            if flags == 0 && in_r(l.start) && probe(other, l.start, &mut off_boundary) {
                return true;
            }
            if in_r(mid) && probe(other, mid, &mut off_boundary) {
                return true;
            }
        }
        // Every tested point on the other's boundary and the whole outline tested (its
        // envelope lies within the other's): the outlines coincide (identical, or nested
        // along all edges); an inner point decides. Neighbours sharing an edge stop above.
        if !off_boundary
            && own_box == r
            && own
                .iter()
                .filter_map(|p| p.interior_point())
                .any(|p| position(other, p.0) == CoordPos::Inside)
        {
            return true;
        }
    }
    false
}

/// Overlaps above `tolerance_m2` between features of the layers with the given roles.
pub(crate) fn overlaps(ctx: &Ctx, roles: &[LayerRole], tolerance_m2: f64) -> RuleOutput {
    let mut out = RuleOutput::default();
    for role in roles {
        for layer in ctx.layers(*role) {
            out.findings
                .extend(layer_overlaps(ctx, layer, tolerance_m2));
        }
    }
    out
}

fn layer_overlaps(ctx: &Ctx, layer: &Layer, tolerance_m2: f64) -> Vec<Finding> {
    let features = layer.features();
    let subjects = ctx.candidates(layer);
    // Envelopes once per feature rather than once per candidate pair.
    let boxes: Vec<Option<Rect<f64>>> = (0..features.len())
        .into_par_iter()
        .map(|i| feature_bbox(layer, i))
        .collect();
    let mut is_subject = vec![false; features.len()];
    for &i in &subjects {
        is_subject[i] = true;
    }
    let mut found: Vec<(usize, usize, MultiPolygon<f64>, f64)> = subjects
        .par_iter()
        .flat_map_iter(|&i| {
            let ga = features[i].geometry.as_ref();
            let ra = boxes[i];
            let pa = ga.map(polygon_slice).unwrap_or(&[]);
            let neighbours: Vec<usize> = match ra {
                Some(ra) if !pa.is_empty() => layer
                    .index()
                    .query(ra.min().into(), ra.max().into())
                    // Each pair once: by the lower position, unless only the higher one is a
                    // subject of this (windowed) run.
                    .filter(|&j| j > i || (j < i && !is_subject[j]))
                    .collect(),
                _ => Vec::new(),
            };
            let boxes = &boxes;
            neighbours.into_iter().filter_map(move |j| {
                let (ra, pa) = (ra?, pa);
                let gb = features[j].geometry.as_ref()?;
                let pb = polygon_slice(gb);
                let rb = boxes[j]?;
                if pb.is_empty() || !interiors_may_meet(pa, pb, ra, rb) {
                    return None;
                }
                let shared = MultiPolygon(pa.to_vec()).intersection(&MultiPolygon(pb.to_vec()));
                let area = shared.unsigned_area();
                (area > tolerance_m2).then(|| (i.min(j), i.max(j), shared, area))
            })
        })
        .collect();
    found.sort_by_key(|(i, j, _, _)| (*i, *j));
    found
        .into_iter()
        .map(|(i, j, shared, area)| {
            let (a, b) = (features[i].id, features[j].id);
            Finding::new(
                layer,
                vec![i, j],
                format!(
                    "图层“{}”要素 {a} 与 {b} 重叠 {:.2} 平方米（{:.4} 亩）",
                    layer.name,
                    area,
                    units::mu(area)
                ),
                format!(
                    "layer '{}': features {a} and {b} overlap by {:.2} m² ({:.4} mu)",
                    layer.name,
                    area,
                    units::mu(area)
                ),
            )
            .at(Some(Geometry::MultiPolygon(shared)))
            .measuring(area)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_intersection::{LineIntersection, line_intersection};
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64;

    /// A coordinate on a coarse grid (so shared endpoints, collinear and touching segments
    /// are common) or anywhere (general position).
    fn coord(rng: &mut Pcg64, grid: bool) -> Coord {
        if grid {
            Coord {
                x: rng.random_range(0..5) as f64,
                y: rng.random_range(0..5) as f64,
            }
        } else {
            Coord {
                x: rng.random_range(-10.0..10.0),
                y: rng.random_range(-10.0..10.0),
            }
        }
    }

    #[test]
    fn crosses_properly_agrees_with_geo_line_intersection() {
        let mut rng = Pcg64::seed_from_u64(5);
        for n in 0..200_000 {
            let grid = n % 2 == 0;
            let p = Line::new(coord(&mut rng, grid), coord(&mut rng, grid));
            let q = Line::new(coord(&mut rng, grid), coord(&mut rng, grid));
            let geo_says = matches!(
                line_intersection(p, q),
                Some(LineIntersection::SinglePoint {
                    is_proper: true,
                    ..
                })
            );
            assert_eq!(crosses_properly(p, q), geo_says, "{p:?} {q:?}");
        }
    }

    /// A random simple polygon on the grid: an axis-aligned rectangle or a triangle.
    fn shape(rng: &mut Pcg64) -> Polygon<f64> {
        let (a, b) = (coord(rng, true), coord(rng, true));
        if rng.random_range(0..2) == 0 {
            Rect::new(
                a,
                Coord {
                    x: b.x + 1.0,
                    y: b.y + 1.0,
                },
            )
            .to_polygon()
        } else {
            let c = coord(rng, true);
            Polygon::new(vec![a, b, c, a].into(), vec![])
        }
    }

    #[test]
    fn pre_test_never_misses_a_shared_area() {
        let mut rng = Pcg64::seed_from_u64(7);
        let mut met = 0;
        for _ in 0..20_000 {
            let (a, b) = (shape(&mut rng), shape(&mut rng));
            if a.unsigned_area() == 0.0 || b.unsigned_area() == 0.0 {
                continue;
            }
            let area = a.intersection(&b).unsigned_area();
            let (ra, rb) = (a.bounding_rect().unwrap(), b.bounding_rect().unwrap());
            let may =
                interiors_may_meet(std::slice::from_ref(&a), std::slice::from_ref(&b), ra, rb);
            if area > 1e-9 {
                met += 1;
                assert!(may, "{a:?} {b:?} share {area}");
            }
        }
        assert!(met > 1000, "{met}");
    }
}
