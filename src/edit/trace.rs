//! Tracing: between two points snapped onto the same boundary, the new line follows that
//! boundary — every vertex of the parcel edge, village boundary or red line in between —
//! instead of cutting straight across. Shared edges then match exactly, with no slivers.

use geo::{Closest, ClosestPoint, Coord, Distance, Euclidean, Geometry, Length, LineString, Point};

use crate::geometry::polygons_of;
use crate::model::Layer;

/// Where a point lies on a line: the segment and the distance along the line.
#[derive(Clone, Copy)]
struct Position {
    segment: usize,
    along: f64,
}

fn locate(line: &LineString<f64>, at: Coord<f64>, tolerance: f64) -> Option<Position> {
    let p = Point::from(at);
    let mut along = 0.0;
    let mut best: Option<(f64, Position)> = None;
    for (segment, l) in line.lines().enumerate() {
        let q = match l.closest_point(&p) {
            Closest::Intersection(q) | Closest::SinglePoint(q) => q,
            Closest::Indeterminate => continue,
        };
        let d = Euclidean.distance(&p, &q);
        if d <= tolerance && best.is_none_or(|(b, _)| d < b) {
            let into = Euclidean.distance(&Point::from(l.start), &q);
            best = Some((
                d,
                Position {
                    segment,
                    along: along + into,
                },
            ));
        }
        along += Euclidean.length(&l);
    }
    best.map(|(_, p)| p)
}

/// The path from `from` to `to` along `line` in its own direction (wrapping round when it
/// is a closed ring), or `None` when an open line would have to be walked backwards.
fn walk(
    line: &LineString<f64>,
    from: Coord<f64>,
    to: Coord<f64>,
    tolerance: f64,
) -> Option<Vec<Coord<f64>>> {
    let (a, b) = (locate(line, from, tolerance)?, locate(line, to, tolerance)?);
    let closed = line.is_closed();
    let segments = line.0.len() - 1;
    let mut path = vec![from];
    if b.segment == a.segment && b.along >= a.along {
        path.push(to);
        return Some(path);
    }
    if !closed && b.along < a.along {
        return None;
    }
    let mut k = a.segment;
    loop {
        k = (k + 1) % segments;
        if !closed && k == 0 {
            return None;
        }
        path.push(line.0[k]);
        if k == b.segment {
            break;
        }
    }
    path.push(to);
    path.dedup();
    Some(path)
}

fn lines_of(g: &Geometry<f64>) -> Vec<LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l.clone()],
        Geometry::MultiLineString(m) => m.0.clone(),
        _ => super::faces::rings(&polygons_of(g)),
    }
}

/// The shortest path from `from` to `to` along one boundary of `layers` that passes within
/// `tolerance` metres of both, as coordinates from `from` to `to`; `None` when no single
/// boundary holds both points.
pub fn trace(
    layers: &[&Layer],
    from: Coord<f64>,
    to: Coord<f64>,
    tolerance: f64,
) -> Option<Vec<Coord<f64>>> {
    let min = [from.x.min(to.x) - tolerance, from.y.min(to.y) - tolerance];
    let max = [from.x.max(to.x) + tolerance, from.y.max(to.y) + tolerance];
    let mut best: Option<(f64, Vec<Coord<f64>>)> = None;
    for layer in layers {
        for i in layer.index().query(min, max) {
            let Some(g) = &layer.features()[i].geometry else {
                continue;
            };
            for line in lines_of(g) {
                if line.0.len() < 2 {
                    continue;
                }
                let mut reversed = line.clone();
                reversed.0.reverse();
                for candidate in [
                    walk(&line, from, to, tolerance),
                    walk(&reversed, from, to, tolerance),
                ] {
                    let Some(path) = candidate else { continue };
                    let length = Euclidean.length(&LineString(path.clone()));
                    if best.as_ref().is_none_or(|(l, _)| length < *l) {
                        best = Some((length, path));
                    }
                }
            }
        }
    }
    best.map(|(_, p)| p)
}
