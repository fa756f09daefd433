//! Exact union of parcels that share bit-identical edges, and their adjacency.
//!
//! Villages, townships, the county, the red line and the farmland are all unions of
//! parcels. Because neighbouring parcels share identical vertices (see `mesh`), the union is
//! the set of directed edges whose reverse is not in the group, chained into rings. This is
//! exact (the result's vertices are parcel vertices, so the partition checks hold to the
//! last bit) and linear in the number of edges, far faster than repeated boolean unions.

use std::collections::HashMap;

use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};

use super::mesh::ring_area;

type Key = (u64, u64);

fn key(c: Coord) -> Key {
    // `+ 0.0` folds -0.0 into 0.0 so equal coordinates have equal bits.
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// Union of the given counter-clockwise rings (parcels of one group).
///
/// At a vertex where the boundary touches itself, the sharpest left turn is taken, so the
/// rings touch at a point instead of crossing (OGC-valid).
pub fn dissolve<'a>(rings: impl IntoIterator<Item = &'a [Coord]>) -> MultiPolygon {
    let mut edges: Vec<(Coord, Coord)> = Vec::new();
    let mut present: HashMap<(Key, Key), usize> = HashMap::new();
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            *present.entry((key(a), key(b))).or_default() += 1;
            edges.push((a, b));
        }
    }
    let boundary: Vec<(Coord, Coord)> = edges
        .into_iter()
        .filter(|(a, b)| !present.contains_key(&(key(*b), key(*a))))
        .collect();
    let mut outgoing: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, (a, _)) in boundary.iter().enumerate() {
        outgoing.entry(key(*a)).or_default().push(i);
    }
    let mut used = vec![false; boundary.len()];
    let mut shells: Vec<Vec<Coord>> = Vec::new();
    let mut holes: Vec<Vec<Coord>> = Vec::new();
    for start in 0..boundary.len() {
        if used[start] {
            continue;
        }
        let mut ring = Vec::new();
        let mut e = start;
        loop {
            used[e] = true;
            let (a, b) = boundary[e];
            ring.push(a);
            let candidates = outgoing.get(&key(b)).map(Vec::as_slice).unwrap_or(&[]);
            let d_in = b - a;
            let next = candidates
                .iter()
                .copied()
                .filter(|c| !used[*c])
                .map(|c| {
                    let d_out = boundary[c].1 - boundary[c].0;
                    let turn = (d_in.x * d_out.y - d_in.y * d_out.x)
                        .atan2(d_in.x * d_out.x + d_in.y * d_out.y);
                    (c, turn)
                })
                .fold(None::<(usize, f64)>, |best, c| match best {
                    Some(bst) if bst.1 >= c.1 => Some(bst),
                    _ => Some(c),
                });
            match next {
                Some((c, _)) => e = c,
                None => break,
            }
        }
        if ring.len() < 3 {
            continue;
        }
        if ring_area(&ring) > 0.0 {
            shells.push(ring);
        } else {
            holes.push(ring);
        }
    }
    assemble(shells, holes)
}

/// Puts each hole into the smallest shell that contains it.
fn assemble(shells: Vec<Vec<Coord>>, holes: Vec<Vec<Coord>>) -> MultiPolygon {
    let mut polys: Vec<Polygon> = shells
        .into_iter()
        .map(|r| Polygon::new(LineString::from(r), vec![]))
        .collect();
    let areas: Vec<f64> = polys.iter().map(|p| ring_area(&p.exterior().0)).collect();
    for hole in holes {
        // The midpoint of an edge is never on the shell: shared edges cancelled.
        let probe = Point((hole[0] + hole[1]) * 0.5);
        let owner = polys
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains(&probe))
            .map(|(i, _)| i)
            .min_by(|a, b| areas[*a].total_cmp(&areas[*b]));
        if let Some(i) = owner {
            polys[i].interiors_push(LineString::from(hole));
        }
    }
    MultiPolygon(polys)
}

/// For each parcel, its neighbours (position, shared boundary length in metres), sorted by
/// position.
pub fn adjacency(rings: &[Vec<Coord>]) -> Vec<Vec<(usize, f64)>> {
    let mut owner: HashMap<(Key, Key), usize> = HashMap::new();
    for (p, ring) in rings.iter().enumerate() {
        let n = ring.len();
        for i in 0..n {
            owner.insert((key(ring[i]), key(ring[(i + 1) % n])), p);
        }
    }
    rings
        .iter()
        .enumerate()
        .map(|(p, ring)| {
            let n = ring.len();
            let mut shared: Vec<(usize, f64)> = Vec::new();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if let Some(&q) = owner.get(&(key(b), key(a)))
                    && q != p
                {
                    let len = (b - a).x.hypot((b - a).y);
                    match shared.iter_mut().find(|(x, _)| *x == q) {
                        Some(s) => s.1 += len,
                        None => shared.push((q, len)),
                    }
                }
            }
            shared.sort_by_key(|(q, _)| *q);
            shared
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use geo::{Area, Coord, MapCoords, Polygon, Validation, wkt};

    use super::*;

    fn ring(p: &Polygon) -> Vec<Coord> {
        let c = &p.exterior().0;
        c[..c.len() - 1].to_vec()
    }

    #[test]
    fn neighbours_merge_into_one_polygon() {
        let a = wkt!(POLYGON((0. 0.,4. 0.,4. 4.,0. 4.,0. 0.)));
        let b = wkt!(POLYGON((4. 0.,8. 0.,8. 4.,4. 4.,4. 0.)));
        let u = dissolve([ring(&a).as_slice(), ring(&b).as_slice()]);
        assert_eq!(u.0.len(), 1);
        assert_eq!(u.unsigned_area(), 32.0);
        assert!(u.is_valid());
    }

    #[test]
    fn corner_touch_gives_two_valid_polygons() {
        let a = wkt!(POLYGON((0. 0.,1. 0.,1. 1.,0. 1.,0. 0.)));
        let b = wkt!(POLYGON((1. 1.,2. 1.,2. 2.,1. 2.,1. 1.)));
        let u = dissolve([ring(&a).as_slice(), ring(&b).as_slice()]);
        assert_eq!(u.0.len(), 2);
        assert!(u.is_valid());
    }

    #[test]
    fn ring_of_parcels_leaves_a_hole() {
        let cells: Vec<Polygon> = (0..3)
            .flat_map(|i| (0..3).map(move |j| (i, j)))
            .filter(|&(i, j)| (i, j) != (1, 1))
            .map(|(i, j)| {
                let (x, y) = (i as f64, j as f64);
                wkt!(POLYGON((0. 0.,1. 0.,1. 1.,0. 1.,0. 0.))).map_coords(|c| Coord {
                    x: c.x + x,
                    y: c.y + y,
                })
            })
            .collect();
        let rings: Vec<Vec<Coord>> = cells.iter().map(ring).collect();
        let u = dissolve(rings.iter().map(Vec::as_slice));
        assert_eq!(u.0.len(), 1);
        assert_eq!(u.0[0].interiors().len(), 1);
        assert_eq!(u.unsigned_area(), 8.0);
        assert!(u.is_valid());
    }

    #[test]
    fn adjacency_reports_shared_length() {
        let a = wkt!(POLYGON((0. 0.,4. 0.,4. 4.,0. 4.,0. 0.)));
        let b = wkt!(POLYGON((4. 0.,8. 0.,8. 4.,4. 4.,4. 0.)));
        let adj = adjacency(&[ring(&a), ring(&b)]);
        assert_eq!(adj[0], vec![(1, 4.0)]);
        assert_eq!(adj[1], vec![(0, 4.0)]);
    }
}
