//! Where a problem is: a representative point of a result, to find its village.

use geo::{BoundingRect, Coord, Geometry, InteriorPoint};

/// A point inside (polygons) or on a geometry, for locating its village.
pub(crate) fn representative_point(geometry: &Geometry<f64>) -> Option<Coord> {
    match geometry {
        Geometry::Point(p) => Some(p.0),
        Geometry::MultiPoint(mp) => mp.0.first().map(|p| p.0),
        g => g
            .interior_point()
            .map(|p| p.0)
            .or_else(|| g.bounding_rect().map(|r| r.center())),
    }
}
