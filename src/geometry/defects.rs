//! Where an invalid polygon's rings cross or touch themselves.
//!
//! GEOS (through GDAL) decides validity but only answers yes/no through the C API GDAL 3.6
//! exposes, and `geo`'s `Validation` says what is wrong but not where; so the location is
//! found here for the few invalid polygons: every pair of ring segments whose envelopes meet
//! (an `rstar` self-join, O(n log n) — not the quadratic scan that makes `geo`'s
//! `Validation` slow on county outlines) is intersected exactly. The checks report these
//! points; the editor marks the first one when it refuses a geometry.

use geo::{Coord, Line, LineIntersection, Polygon, line_intersection::line_intersection};
use rstar::{RTree, primitives::GeomWithData, primitives::Rectangle};

/// At most this many problem points are reported per feature (a shredded ring can have
/// thousands; the first ones are enough to find it).
const MAX_POINTS: usize = 50;

/// Why a polygon is invalid, located.
#[derive(Debug, Clone, PartialEq)]
pub enum Defect {
    /// A ring with fewer than three distinct points (at its first point).
    TooFewPoints(Coord),
    /// Rings crossing, or a ring touching itself, at these points.
    Intersections(Vec<Coord>),
    /// Boundaries running along each other (spikes, overlapping parts), at these midpoints.
    Overlapping(Vec<Coord>),
}

/// The located defects of polygons GEOS found invalid; empty when none could be located
/// (a hole outside its shell, nested parts).
pub fn defects(polygons: &[Polygon<f64>]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut segments = Vec::new();
    for (p, polygon) in polygons.iter().enumerate() {
        for (r, ring) in std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .enumerate()
        {
            let mut distinct: Vec<Coord> = ring.0.clone();
            distinct.dedup();
            if distinct.len() > 1 && distinct.first() == distinct.last() {
                distinct.pop();
            }
            if distinct.len() < 3 {
                if let Some(&c) = ring.0.first() {
                    out.push(Defect::TooFewPoints(c));
                }
                continue;
            }
            let n = ring.0.len() - 1;
            for (k, line) in ring.lines().enumerate() {
                if line.start == line.end {
                    continue;
                }
                segments.push(GeomWithData::new(
                    Rectangle::<[f64; 2]>::from_corners(line.start.into(), line.end.into()),
                    (p, r, k, n, line),
                ));
            }
        }
    }
    let tree = RTree::bulk_load(segments);
    let (mut crossings, mut overlaps) = (Vec::new(), Vec::new());
    for (a, b) in tree.intersection_candidates_with_other_tree(&tree) {
        let ((pa, ra, ka, n, la), (pb, rb, kb, _, lb)) = (a.data, b.data);
        if (pa, ra, ka) >= (pb, rb, kb) {
            continue;
        }
        let same_ring = (pa, ra) == (pb, rb);
        let adjacent = same_ring && (kb == ka + 1 || (ka == 0 && kb + 1 == n));
        match line_intersection(la, lb) {
            // Neighbouring segments meet at their shared vertex; rings of one polygon may
            // touch at a point (OGC); a ring touching itself may not.
            Some(LineIntersection::SinglePoint {
                intersection,
                is_proper,
            }) if is_proper || (same_ring && !adjacent) => crossings.push(intersection),
            Some(LineIntersection::Collinear { intersection }) => {
                overlaps.push(midpoint(intersection));
            }
            _ => {}
        }
        if crossings.len() + overlaps.len() >= MAX_POINTS {
            break;
        }
    }
    for list in [&mut crossings, &mut overlaps] {
        list.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
        list.dedup();
    }
    if !crossings.is_empty() {
        out.push(Defect::Intersections(crossings));
    }
    if !overlaps.is_empty() {
        out.push(Defect::Overlapping(overlaps));
    }
    out
}

fn midpoint(l: Line<f64>) -> Coord {
    Coord {
        x: (l.start.x + l.end.x) / 2.0,
        y: (l.start.y + l.end.y) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    #[test]
    fn bow_tie_is_located_at_its_crossing() {
        let bow = wkt!(POLYGON((0. 0.,10. 10.,10. 0.,0. 10.,0. 0.)));
        assert_eq!(
            defects(&[bow]),
            vec![Defect::Intersections(vec![Coord { x: 5.0, y: 5.0 }])]
        );
    }

    #[test]
    fn spike_and_too_few_points() {
        let spike = wkt!(POLYGON((0. 0.,10. 0.,10. 10.,10. 20.,10. 10.,0. 10.,0. 0.)));
        let d = defects(&[spike]);
        assert!(
            d.contains(&Defect::Overlapping(vec![Coord { x: 10.0, y: 15.0 }])),
            "{d:?}"
        );
        let flat = wkt!(POLYGON((0. 0.,1. 1.,0. 0.)));
        assert_eq!(
            defects(&[flat]),
            vec![Defect::TooFewPoints(Coord { x: 0.0, y: 0.0 })]
        );
    }

    #[test]
    fn valid_shapes_have_no_defects() {
        let square_with_touching_hole =
            wkt!(POLYGON((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),(0. 0.,5. 2.,2. 5.,0. 0.)));
        assert!(defects(&[square_with_touching_hole]).is_empty());
    }
}
