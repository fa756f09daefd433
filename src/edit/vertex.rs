//! Vertex editing on polygons: find the vertex or edge under the pointer, move, insert or
//! delete a vertex. Pure functions returning a new geometry; the editor commits it as a
//! `ReplaceGeometry` edit (validated, undoable).

use geo::{
    Closest, ClosestPoint, Coord, Distance, Euclidean, Geometry, LineString, Point, Polygon,
};

/// A vertex of a (multi)polygon: polygon part, ring (0 = exterior), index in the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VertexId {
    pub part: usize,
    pub ring: usize,
    pub index: usize,
}

fn parts(g: &Geometry<f64>) -> Vec<&Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(m) => m.0.iter().collect(),
        _ => Vec::new(),
    }
}

fn rings(p: &Polygon<f64>) -> Vec<&LineString<f64>> {
    std::iter::once(p.exterior()).chain(p.interiors()).collect()
}

/// Rebuilds `g` with ring `(part, ring)` replaced by `f(old coordinates)`; the ring is kept
/// closed.
fn with_ring(
    g: &Geometry<f64>,
    part: usize,
    ring: usize,
    f: impl FnOnce(&mut Vec<Coord<f64>>),
) -> Option<Geometry<f64>> {
    let edit = |p: &Polygon<f64>| -> Polygon<f64> {
        let mut all: Vec<LineString<f64>> = rings(p).into_iter().cloned().collect();
        let mut coords = all[ring].0.clone();
        coords.pop(); // the closing point
        f(&mut coords);
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        all[ring] = LineString(coords);
        let exterior = all.remove(0);
        Polygon::new(exterior, all)
    };
    match g {
        Geometry::Polygon(p) if part == 0 && ring < rings(p).len() => {
            Some(Geometry::Polygon(edit(p)))
        }
        Geometry::MultiPolygon(m) if part < m.0.len() && ring < rings(&m.0[part]).len() => {
            let mut m = m.clone();
            m.0[part] = edit(&m.0[part]);
            Some(Geometry::MultiPolygon(m))
        }
        _ => None,
    }
}

/// The vertex nearest to `at` within `tolerance`.
pub fn nearest_vertex(g: &Geometry<f64>, at: Coord<f64>, tolerance: f64) -> Option<VertexId> {
    let mut best: Option<(f64, VertexId)> = None;
    for (part, p) in parts(g).into_iter().enumerate() {
        for (ring, r) in rings(p).into_iter().enumerate() {
            // The closing point repeats the first: skip it.
            for (index, c) in r.0.iter().take(r.0.len().saturating_sub(1)).enumerate() {
                let d = Euclidean.distance(Point::from(*c), Point::from(at));
                if d <= tolerance && best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, VertexId { part, ring, index }));
                }
            }
        }
    }
    best.map(|(_, v)| v)
}

/// The edge nearest to `at` within `tolerance`: the vertex it starts at and the foot point.
pub fn nearest_edge(
    g: &Geometry<f64>,
    at: Coord<f64>,
    tolerance: f64,
) -> Option<(VertexId, Coord<f64>)> {
    let mut best: Option<(f64, VertexId, Coord<f64>)> = None;
    let pt = Point::from(at);
    for (part, p) in parts(g).into_iter().enumerate() {
        for (ring, r) in rings(p).into_iter().enumerate() {
            for (index, line) in r.lines().enumerate() {
                let foot = match line.closest_point(&pt) {
                    Closest::Intersection(q) | Closest::SinglePoint(q) => q,
                    Closest::Indeterminate => continue,
                };
                let d = Euclidean.distance(foot, pt);
                if d <= tolerance && best.is_none_or(|(b, ..)| d < b) {
                    best = Some((d, VertexId { part, ring, index }, foot.0));
                }
            }
        }
    }
    best.map(|(_, v, c)| (v, c))
}

/// `g` with vertex `v` moved to `to`.
pub fn move_vertex(g: &Geometry<f64>, v: VertexId, to: Coord<f64>) -> Option<Geometry<f64>> {
    let mut ok = false;
    let out = with_ring(g, v.part, v.ring, |c| {
        if let Some(slot) = c.get_mut(v.index) {
            *slot = to;
            ok = true;
        }
    })?;
    ok.then_some(out)
}

/// `g` with a new vertex `at` after vertex `after` (on the edge that starts there).
pub fn insert_vertex(g: &Geometry<f64>, after: VertexId, at: Coord<f64>) -> Option<Geometry<f64>> {
    let mut ok = false;
    let out = with_ring(g, after.part, after.ring, |c| {
        if after.index < c.len() {
            c.insert(after.index + 1, at);
            ok = true;
        }
    })?;
    ok.then_some(out)
}

/// `g` without vertex `v`; refused (None) when the ring would keep fewer than 3 points.
pub fn remove_vertex(g: &Geometry<f64>, v: VertexId) -> Option<Geometry<f64>> {
    let mut ok = false;
    let out = with_ring(g, v.part, v.ring, |c| {
        if c.len() > 3 && v.index < c.len() {
            c.remove(v.index);
            ok = true;
        }
    })?;
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, wkt};

    fn square() -> Geometry<f64> {
        Geometry::Polygon(wkt!(POLYGON((0.0 0.0, 10.0 0.0, 10.0 10.0, 0.0 10.0, 0.0 0.0))))
    }

    #[test]
    fn move_insert_and_remove_keep_the_ring_closed() {
        let g = square();
        let v = nearest_vertex(&g, Coord { x: 10.4, y: 9.8 }, 1.0).unwrap();
        assert_eq!(
            v,
            VertexId {
                part: 0,
                ring: 0,
                index: 2
            }
        );
        let moved = move_vertex(&g, v, Coord { x: 20.0, y: 10.0 }).unwrap();
        assert_eq!(moved.unsigned_area(), 150.0);
        let (edge, foot) = nearest_edge(&g, Coord { x: 5.0, y: -0.5 }, 1.0).unwrap();
        assert_eq!(edge.index, 0);
        assert_eq!(foot, Coord { x: 5.0, y: 0.0 });
        let inserted = insert_vertex(&g, edge, Coord { x: 5.0, y: -5.0 }).unwrap();
        assert_eq!(inserted.unsigned_area(), 125.0);
        let back = remove_vertex(
            &inserted,
            VertexId {
                part: 0,
                ring: 0,
                index: 1,
            },
        )
        .unwrap();
        assert_eq!(back, g);
        // A triangle keeps its three vertices.
        let tri = remove_vertex(
            &g,
            VertexId {
                part: 0,
                ring: 0,
                index: 0,
            },
        )
        .unwrap();
        assert!(
            remove_vertex(
                &tri,
                VertexId {
                    part: 0,
                    ring: 0,
                    index: 0
                }
            )
            .is_none()
        );
        // Moving the first vertex moves the closing point with it.
        let first = move_vertex(
            &g,
            VertexId {
                part: 0,
                ring: 0,
                index: 0,
            },
            Coord { x: -1.0, y: -1.0 },
        )
        .unwrap();
        if let Geometry::Polygon(p) = first {
            assert_eq!(p.exterior().0.first(), p.exterior().0.last());
        }
        assert!(nearest_vertex(&g, Coord { x: 5.0, y: 5.0 }, 1.0).is_none());
    }
}
