//! Snapping: a pointer within a few screen pixels of an existing vertex or edge lands
//! exactly on it, so new boundaries share the coordinates of the parcels, red lines and
//! village boundaries they follow. Vertices win over edges; only features whose envelope
//! meets the tolerance box are looked at (rstar).

use geo::{Closest, ClosestPoint, Coord, Distance, Euclidean, Geometry, Line, Point};

use crate::model::Layer;

/// What the pointer snapped to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SnapKind {
    /// An existing vertex.
    Vertex,
    /// A point on an existing edge.
    Segment,
}

/// A snapped position (working CRS).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// Where the point lands.
    pub at: Coord<f64>,
    /// Vertex or edge.
    pub kind: SnapKind,
    /// Distance from the pointer, metres.
    pub distance: f64,
}

fn for_each_line(g: &Geometry<f64>, f: &mut dyn FnMut(Line<f64>)) {
    let mut ring = |ls: &geo::LineString<f64>| ls.lines().for_each(&mut *f);
    match g {
        Geometry::Polygon(p) => {
            ring(p.exterior());
            p.interiors().iter().for_each(ring);
        }
        Geometry::MultiPolygon(m) => {
            for p in &m.0 {
                ring(p.exterior());
                p.interiors().iter().for_each(&mut ring);
            }
        }
        Geometry::LineString(l) => ring(l),
        Geometry::MultiLineString(m) => m.0.iter().for_each(ring),
        _ => {}
    }
}

/// The nearest vertex of `layers` within `tolerance` metres of `pointer`, else the nearest
/// point on an edge within it, else `None`.
pub fn snap(layers: &[&Layer], pointer: Coord<f64>, tolerance: f64) -> Option<Snap> {
    let p = Point::from(pointer);
    let min = [pointer.x - tolerance, pointer.y - tolerance];
    let max = [pointer.x + tolerance, pointer.y + tolerance];
    let mut vertex: Option<Snap> = None;
    let mut segment: Option<Snap> = None;
    for layer in layers {
        for i in layer.index().query(min, max) {
            let Some(g) = &layer.features()[i].geometry else {
                continue;
            };
            if let Geometry::Point(q) = g {
                let d = Euclidean.distance(&p, q);
                if d <= tolerance && vertex.is_none_or(|v| d < v.distance) {
                    vertex = Some(Snap {
                        at: q.0,
                        kind: SnapKind::Vertex,
                        distance: d,
                    });
                }
                continue;
            }
            for_each_line(g, &mut |line: Line<f64>| {
                let d = Euclidean.distance(&p, &Point::from(line.start));
                if d <= tolerance && vertex.is_none_or(|v| d < v.distance) {
                    vertex = Some(Snap {
                        at: line.start,
                        kind: SnapKind::Vertex,
                        distance: d,
                    });
                }
                let on = match line.closest_point(&p) {
                    Closest::Intersection(q) | Closest::SinglePoint(q) => q,
                    Closest::Indeterminate => return,
                };
                let d = Euclidean.distance(&p, &on);
                if d <= tolerance && segment.is_none_or(|s| d < s.distance) {
                    segment = Some(Snap {
                        at: on.0,
                        kind: SnapKind::Segment,
                        distance: d,
                    });
                }
            });
        }
    }
    vertex.or(segment)
}
