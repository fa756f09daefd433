//! Overlaps between features of one layer (图斑重叠).
//!
//! *Rule source*: DOMAIN.md §5.3 — no overlaps within a layer; tolerance 0.001 m [S],
//! applied here as an area tolerance per rule (`tolerance_m2`).
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
    LineIntersection, MultiPolygon, Polygon, Rect, coordinate_position::CoordPos,
    line_intersection::line_intersection,
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

/// An exact pre-test: false only when the interiors of `a` and `b` cannot share area.
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
    for la in &ea {
        for lb in &eb {
            if let Some(LineIntersection::SinglePoint {
                is_proper: true, ..
            }) = line_intersection(*la, *lb)
            {
                return true;
            }
        }
    }
    for (edges, own, other, own_box) in [(&ea, a, b, ra), (&eb, b, a, rb)] {
        let mut off_boundary = false;
        // Only points inside both envelopes can be inside the other polygon.
        let in_r =
            |c: Coord| c.x >= r.min().x && c.x <= r.max().x && c.y >= r.min().y && c.y <= r.max().y;
        for l in edges.iter() {
            let mid = Coord {
                x: (l.start.x + l.end.x) / 2.0,
                y: (l.start.y + l.end.y) / 2.0,
            };
            for c in [l.start, mid] {
                if in_r(c) && probe(other, c, &mut off_boundary) {
                    return true;
                }
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
    let mut is_subject = vec![false; features.len()];
    for &i in &subjects {
        is_subject[i] = true;
    }
    let mut found: Vec<(usize, usize, MultiPolygon<f64>, f64)> = subjects
        .par_iter()
        .flat_map_iter(|&i| {
            let ga = features[i].geometry.as_ref();
            let ra = feature_bbox(layer, i);
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
            neighbours.into_iter().filter_map(move |j| {
                let (ra, pa) = (ra?, pa);
                let gb = features[j].geometry.as_ref()?;
                let pb = polygon_slice(gb);
                let rb = gb.bounding_rect()?;
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
