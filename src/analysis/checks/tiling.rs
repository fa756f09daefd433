//! Whether polygons tile a shape exactly, decided from their edges alone: the gap rule's
//! fast path, which needs no boolean operation and no copy of any polygon.
//!
//! Taken with exteriors counter-clockwise and holes clockwise, polygons that share an edge
//! run along it in opposite directions, and the two cancel. When what is left after
//! cancelling is exactly the shape's own boundary, the polygons' winding numbers add up to
//! the shape's everywhere off the edges: every point of the shape lies inside some polygon,
//! so the shape less their union is empty. Any mismatch — a gap, an overlap, a vertex on one
//! side of a shared edge only — answers "not shown", and the caller computes the union.

use geo::{Coord, LineString, MultiPolygon, Polygon, Winding, winding_order::WindingOrder};

type EdgeCount = foldhash::HashMap<[u64; 4], i32>;

/// True when the edges of `parts` cancel to exactly the edges of `shape` (rings in either
/// sense), which proves that the parts cover the shape (see the module doc). False says
/// nothing either way.
pub(crate) fn tiles_exactly<'a>(
    parts: impl IntoIterator<Item = &'a Polygon<f64>>,
    shape: &MultiPolygon<f64>,
) -> bool {
    let mut count = EdgeCount::default();
    let added = parts.into_iter().all(|p| add_rings(&mut count, p, 1))
        && shape.0.iter().all(|p| add_rings(&mut count, p, -1));
    added && count.values().all(|&n| n == 0)
}

/// Adds a polygon's rings, each counted in the sense it should have; false when a ring has
/// no sense (degenerate), which the caller takes as "not shown".
fn add_rings(count: &mut EdgeCount, p: &Polygon<f64>, sign: i32) -> bool {
    let exterior = (p.exterior(), WindingOrder::CounterClockwise);
    let interiors = p.interiors().iter().map(|r| (r, WindingOrder::Clockwise));
    for (ring, wanted) in std::iter::once(exterior).chain(interiors) {
        let Some(order) = ring.winding_order() else {
            return false;
        };
        add_ring(count, ring, if order == wanted { sign } else { -sign });
    }
    true
}

/// Each edge a→b counts `sign` under the key of its end points in a fixed order, with the
/// sign flipped when that order is b→a: an edge and its reverse cancel.
fn add_ring(count: &mut EdgeCount, ring: &LineString<f64>, sign: i32) {
    for line in ring.lines() {
        let (a, b) = (key(line.start), key(line.end));
        if a == b {
            continue;
        }
        let (k, s) = if a < b {
            ([a[0], a[1], b[0], b[1]], sign)
        } else {
            ([b[0], b[1], a[0], a[1]], -sign)
        };
        *count.entry(k).or_insert(0) += s;
    }
}

/// Exact bits of a vertex (`+ 0.0` makes −0 and 0 one key).
fn key(c: Coord) -> [u64; 2] {
    [(c.x + 0.0).to_bits(), (c.y + 0.0).to_bits()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    /// A 2 × 2 square with vertices where the halves below meet its edges, as a village
    /// has where its parcels meet its boundary.
    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![
            wkt!(POLYGON((0. 0., 1. 0., 2. 0., 2. 2., 1. 2., 0. 2., 0. 0.))),
        ])
    }

    /// Two halves sharing an edge tile the square, whatever their rings' start and sense
    /// (the left one is drawn clockwise).
    #[test]
    fn halves_tile_the_square() {
        let left = wkt!(POLYGON((1. 2., 1. 0., 0. 0., 0. 2., 1. 2.)));
        let right = wkt!(POLYGON((1. 0., 2. 0., 2. 2., 1. 2., 1. 0.)));
        assert!(tiles_exactly([&left, &right], &square()));
        let corners_only = MultiPolygon(vec![wkt!(POLYGON((0. 0., 2. 0., 2. 2., 0. 2., 0. 0.)))]);
        assert!(
            !tiles_exactly([&left, &right], &corners_only),
            "a vertex on the parts' side of the boundary only is not shown"
        );
    }

    /// A missing piece, an overlap, a vertex on one side of the shared edge only, or a part
    /// outside the shape: not shown (the caller then computes the union).
    #[test]
    fn gaps_overlaps_and_t_junctions_are_not_shown() {
        let left = wkt!(POLYGON((0. 0., 1. 0., 1. 2., 0. 2., 0. 0.)));
        let right = wkt!(POLYGON((1. 0., 2. 0., 2. 2., 1. 2., 1. 0.)));
        assert!(!tiles_exactly([&left], &square()), "gap");
        assert!(
            !tiles_exactly([&left, &right, &right], &square()),
            "overlap"
        );
        let split = wkt!(POLYGON((1. 0., 2. 0., 2. 2., 1. 2., 1. 1., 1. 0.)));
        assert!(!tiles_exactly([&left, &split], &square()), "T-junction");
        let outside = wkt!(POLYGON((2. 0., 3. 0., 3. 1., 2. 0.)));
        assert!(
            !tiles_exactly([&left, &right, &outside], &square()),
            "outside"
        );
    }

    /// A shape with a hole is tiled by parts around the hole, not by parts filling it.
    #[test]
    fn holes_count() {
        let holed = MultiPolygon(vec![wkt!(POLYGON(
            (0. 0., 3. 0., 3. 3., 0. 3., 0. 0.),
            (1. 1., 2. 1., 2. 2., 1. 2., 1. 1.)
        ))]);
        let ring = wkt!(POLYGON(
            (0. 0., 3. 0., 3. 3., 0. 3., 0. 0.),
            (1. 1., 2. 1., 2. 2., 1. 2., 1. 1.)
        ));
        let plug = wkt!(POLYGON((1. 1., 2. 1., 2. 2., 1. 2., 1. 1.)));
        assert!(tiles_exactly([&ring], &holed));
        assert!(!tiles_exactly([&ring, &plug], &holed));
        let whole = MultiPolygon(vec![wkt!(POLYGON((0. 0., 3. 0., 3. 3., 0. 3., 0. 0.)))]);
        assert!(tiles_exactly([&ring, &plug], &whole));
    }
}
