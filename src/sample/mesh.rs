//! Parcel geometry: Voronoi cells with natural, wiggled shared edges, clipped to the county.
//!
//! The hierarchy must tile exactly, so every shared edge has to be bit-identical in both
//! cells that use it. Three rules guarantee it:
//! - Voronoi vertices are shared by index; nearly coincident vertices (a tiny edge from
//!   nearly cocircular seeds) are merged first.
//! - An edge's wiggle is a pure function of its canonical (lower index first) endpoints and
//!   of its two seeds, so both cells compute the same points.
//! - Cells crossing the county outline are clipped with `geo`'s `BooleanOps`, which rounds
//!   coordinates to its internal grid; the result is snapped back onto the exact input
//!   vertices, and new crossing points are registered once and reused by the neighbour.

use std::collections::HashMap;

use geo::{BooleanOps, BoundingRect, Coord, LineString, Polygon, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use voronoice::{BoundingBox, ClipBehavior, Point, VoronoiBuilder};

use super::corridors::SeedKind;
use super::terrain::mix64;
use crate::error::{Error, Result};
use crate::progress::Progress;

/// Vertices closer than this are one vertex (metres).
const MERGE_EPS: f64 = 1e-3;
/// Clipped output within this distance of an exact vertex is snapped onto it (metres).
const SNAP_EPS: f64 = 1e-3;

/// One parcel's geometry before it gets attributes.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Exterior ring, counter-clockwise, not closed.
    pub ring: Vec<Coord>,
    /// The Voronoi seed (inside the ring unless the cell was clipped).
    pub site: Coord,
    /// What the seed stands for.
    pub kind: SeedKind,
    /// True when the cell was cut by the county outline.
    pub clipped: bool,
}

fn signed_area(ring: &[Coord]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum::<f64>()
        / 2.0
}

/// Area of a ring given counter-clockwise (positive) or clockwise (negative).
pub fn ring_area(ring: &[Coord]) -> f64 {
    signed_area(ring)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// True when `p` is strictly inside triangle `a b c` (either orientation).
fn in_triangle(p: Coord, a: Coord, b: Coord, c: Coord) -> bool {
    let cross = |o: Coord, u: Coord, v: Coord| (u - o).x * (v - o).y - (u - o).y * (v - o).x;
    let (d1, d2, d3) = (cross(a, b, p), cross(b, c, p), cross(c, a, p));
    (d1 > 0.0 && d2 > 0.0 && d3 > 0.0) || (d1 < 0.0 && d2 < 0.0 && d3 < 0.0)
}

/// The interior points of the wiggled edge `lo`→`hi` (canonical direction).
///
/// Edges shorter than 0.4 cell sizes stay straight: a bend there is invisible at map scale
/// and would only add vertices to the committed GeoPackage. Amplitude is 4–10 % of the
/// edge length, one point (two, S-shaped, on long edges), so both ends taper to zero.
///
/// Each point stays inside the half-size triangle between the edge and the seed on its side,
/// which lies inside that seed's cell; the fans of all cells tile the plane, so no wiggle
/// can cross another edge. Two-point (S-shaped) wiggles are used only where the seeds'
/// perpendicular foot is well inside the edge, which keeps the two triangles a convex kite.
fn wiggle(a: Coord, b: Coord, seeds: [Coord; 2], key: u64, cell_size: f64) -> Vec<Coord> {
    let d = b - a;
    let len = d.x.hypot(d.y);
    if len < 0.4 * cell_size {
        return Vec::new();
    }
    let normal = Coord {
        x: -d.y / len,
        y: d.x / len,
    };
    let foot = ((seeds[0] - a).x * d.x + (seeds[0] - a).y * d.y) / (len * len);
    let side_of = |p: Coord| ((p - a).x * normal.x + (p - a).y * normal.y).signum();
    let h = mix64(key);
    let unit = |bits: u64| (bits & 0xFFFF) as f64 / 65_535.0;
    let frac = |bits: u64| 0.04 + 0.06 * unit(bits);
    let sign = if h & (1 << 20) == 0 { 1.0 } else { -1.0 };
    let targets: Vec<(f64, f64)> = if len > 1.5 * cell_size && (0.2..0.8).contains(&foot) {
        vec![(0.33, sign * frac(h >> 24)), (0.67, -sign * frac(h >> 40))]
    } else {
        vec![(0.4 + 0.2 * unit(h >> 24), sign * frac(h >> 40))]
    };
    let mut out = Vec::new();
    for (t, f) in targets {
        let base = a + d * t;
        let mut off = f * len;
        let seed = if side_of(seeds[0]) == off.signum() {
            seeds[0]
        } else {
            seeds[1]
        };
        let mid = a + d * 0.5;
        let apex = mid + (seed - mid) * 0.5;
        let mut placed = None;
        for _ in 0..4 {
            let m = base + normal * off;
            if in_triangle(m, a, b, apex) {
                placed = Some(m);
                break;
            }
            off *= 0.5;
        }
        if let Some(m) = placed {
            out.push(m);
        }
    }
    out
}

fn to_coord(p: &Point) -> Coord {
    Coord { x: p.x, y: p.y }
}

/// Builds the parcels' geometry from seeds; every seed's cell (or its pieces inside the
/// county) becomes one [`Piece`], in seed order.
pub fn pieces(
    seeds: &[(Coord, SeedKind)],
    area: Rect,
    county: &Polygon,
    cell_size: f64,
    progress: &dyn Progress,
) -> Result<Vec<Piece>> {
    let centre = area.center();
    let sites: Vec<Point> = seeds
        .iter()
        .map(|(p, _)| Point { x: p.x, y: p.y })
        .collect();
    let voronoi = VoronoiBuilder::default()
        .set_sites(sites)
        .set_bounding_box(BoundingBox::new(
            Point {
                x: centre.x,
                y: centre.y,
            },
            area.width() * 1.02,
            area.height() * 1.02,
        ))
        .set_clip_behavior(ClipBehavior::Clip)
        .build()
        .ok_or_else(|| Error::Invalid("sample: seeds do not form a Voronoi diagram".into()))?;
    if voronoi.sites().len() != seeds.len() {
        return Err(Error::Invalid(
            "sample: a seed fell outside the diagram".into(),
        ));
    }
    let vertices: Vec<Coord> = voronoi.vertices().iter().map(to_coord).collect();
    let tri = voronoi.triangulation();
    let ntri = tri.triangles.len() / 3;

    // Merge nearly coincident circumcentres (the two ends of a tiny Voronoi edge).
    let mut parent: Vec<usize> = (0..vertices.len()).collect();
    let mut twin_sites: HashMap<(usize, usize), [usize; 2]> = HashMap::new();
    for e in 0..tri.halfedges.len() {
        let t = tri.halfedges[e];
        if t == usize::MAX || t < e {
            continue;
        }
        let (va, vb) = (e / 3, t / 3);
        let gap = vertices[va] - vertices[vb];
        if gap.x.hypot(gap.y) < MERGE_EPS {
            let (ra, rb) = (find(&mut parent, va), find(&mut parent, vb));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let rep: Vec<usize> = (0..vertices.len()).map(|i| find(&mut parent, i)).collect();
    for e in 0..tri.halfedges.len() {
        let t = tri.halfedges[e];
        if t == usize::MAX || t < e {
            continue;
        }
        let (ra, rb) = (rep[e / 3], rep[t / 3]);
        if ra != rb && ra < ntri && rb < ntri {
            let (s1, s2) = (tri.triangles[e], tri.triangles[t]);
            twin_sites.insert((ra.min(rb), ra.max(rb)), [s1.min(s2), s1.max(s2)]);
        }
    }

    let segments: Vec<GeomWithData<Rectangle<[f64; 2]>, ()>> = county
        .exterior()
        .lines()
        .map(|l| {
            GeomWithData::new(
                Rectangle::from_corners(
                    [l.start.x.min(l.end.x), l.start.y.min(l.end.y)],
                    [l.start.x.max(l.end.x), l.start.y.max(l.end.y)],
                ),
                (),
            )
        })
        .collect();
    let outline = RTree::bulk_load(segments);
    let mask = super::seeds::CountyMask::new(county);
    let mut crossings = CrossingRegistry::default();

    progress.begin("Building parcel geometry", seeds.len() as u64);
    let mut out = Vec::with_capacity(seeds.len());
    for (i, cell) in voronoi.cells().iter().enumerate() {
        if i % 4096 == 0 {
            progress.advance(4096.min(seeds.len() - i) as u64);
        }
        let (site, kind) = seeds[i];
        let mut ring = Vec::with_capacity(cell.len() * 2);
        for k in 0..cell.len() {
            let (a, b) = (rep[cell[k]], rep[cell[(k + 1) % cell.len()]]);
            if a == b {
                continue;
            }
            ring.push(vertices[a]);
            let (lo, hi) = (a.min(b), a.max(b));
            if let Some(s) = twin_sites.get(&(lo, hi)) {
                let key = (lo as u64).wrapping_mul(0x9E37_79B9) ^ (hi as u64).rotate_left(29);
                let seeds2 = [seeds[s[0]].0, seeds[s[1]].0];
                let mut w = wiggle(vertices[lo], vertices[hi], seeds2, key, cell_size);
                if a > b {
                    w.reverse();
                }
                ring.extend(w);
            }
        }
        if ring.len() < 3 {
            continue;
        }
        if signed_area(&ring) < 0.0 {
            ring.reverse();
        }
        let Some(bbox) = LineString::from(ring.clone()).bounding_rect() else {
            continue;
        };
        let env = AABB::from_corners([bbox.min().x, bbox.min().y], [bbox.max().x, bbox.max().y]);
        let crosses = outline
            .locate_in_envelope_intersecting(&env)
            .next()
            .is_some();
        if !crosses {
            if mask.contains(ring[0]) {
                out.push(Piece {
                    ring,
                    site,
                    kind,
                    clipped: false,
                });
            }
            continue;
        }
        let cell_poly = Polygon::new(LineString::from(ring.clone()), vec![]);
        for part in cell_poly.intersection(county) {
            let snapped = snap_ring(part.exterior(), &ring, county, &mut crossings);
            if snapped.len() >= 3 && signed_area(&snapped).abs() > 0.0 {
                let mut r = snapped;
                if signed_area(&r) < 0.0 {
                    r.reverse();
                }
                out.push(Piece {
                    ring: r,
                    site,
                    kind,
                    clipped: true,
                });
            }
        }
    }
    progress.finish();
    Ok(out)
}

/// Crossing points of cell edges with the outline, registered by the first cell that
/// computes them so that its neighbour reuses the identical coordinates.
#[derive(Default)]
struct CrossingRegistry {
    grid: HashMap<(i64, i64), Vec<Coord>>,
}

impl CrossingRegistry {
    fn canonical(&mut self, p: Coord) -> Coord {
        let cell = 0.01;
        let (i, j) = ((p.x / cell).floor() as i64, (p.y / cell).floor() as i64);
        for a in i - 1..=i + 1 {
            for b in j - 1..=j + 1 {
                if let Some(found) = self
                    .grid
                    .get(&(a, b))
                    .and_then(|v| v.iter().find(|q| (**q - p).x.hypot((**q - p).y) < SNAP_EPS))
                {
                    return *found;
                }
            }
        }
        self.grid.entry((i, j)).or_default().push(p);
        p
    }
}

/// Replaces each clipped coordinate by the exact vertex it came from: a cell vertex, an
/// outline vertex, or a registered crossing point.
fn snap_ring(
    clipped: &LineString,
    cell: &[Coord],
    county: &Polygon,
    crossings: &mut CrossingRegistry,
) -> Vec<Coord> {
    let nearest = |p: Coord, candidates: &mut dyn Iterator<Item = Coord>| {
        candidates
            .map(|q| (q, (q - p).x.hypot((q - p).y)))
            .filter(|(_, d)| *d < SNAP_EPS)
            .fold(None::<(Coord, f64)>, |best, c| match best {
                Some(b) if b.1 <= c.1 => Some(b),
                _ => Some(c),
            })
            .map(|(q, _)| q)
    };
    let mut out: Vec<Coord> = Vec::with_capacity(clipped.0.len());
    let n = clipped.0.len().saturating_sub(1);
    for &p in clipped.0.iter().take(n) {
        let q = nearest(p, &mut cell.iter().copied())
            .or_else(|| nearest(p, &mut county.exterior().0.iter().copied()))
            .unwrap_or_else(|| crossings.canonical(p));
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiggle_stays_between_the_two_seeds() {
        let (a, b) = (Coord { x: 0.0, y: 0.0 }, Coord { x: 100.0, y: 0.0 });
        let seeds = [Coord { x: 50.0, y: 40.0 }, Coord { x: 50.0, y: -40.0 }];
        for key in 0..200 {
            let w = wiggle(a, b, seeds, key, 60.0);
            assert!(!w.is_empty(), "key {key}: a long edge gets a wiggle");
            assert_eq!(w, wiggle(a, b, seeds, key, 60.0));
            for m in &w {
                let inside = seeds.iter().any(|s| in_triangle(*m, a, b, *s));
                assert!(inside, "key {key}: {m:?} leaves the seeds' triangles");
                assert!(
                    m.y.abs() <= 0.1 * 100.0 + 1e-9,
                    "amplitude ≤ 10 % of the edge"
                );
            }
        }
        assert!(
            wiggle(a, b, seeds, 1, 1_000.0).is_empty(),
            "short edges stay straight"
        );
    }
}
