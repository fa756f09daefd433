//! Seed points of the parcels: denser in valleys and around seats, banded along corridors.
//!
//! Parcels are the Voronoi cells of these seeds, so their density sets parcel size: small
//! fields and house plots in the valleys, large forest parcels on the ridges, as in a real
//! 三调 map.

use std::collections::HashMap;

use geo::{Coord, Point, Polygon, Rect};
use rand::RngExt;
use rand_pcg::Pcg64;

use super::corridors::{Corridor, SeedKind};
use super::terrain::{Terrain, distance_to_segment};

/// Point-in-county test in O(segments of one row band), fast enough for a million calls.
#[derive(Debug, Clone)]
pub struct CountyMask {
    y0: f64,
    row_height: f64,
    rows: Vec<Vec<(Coord, Coord)>>,
}

impl CountyMask {
    /// Buckets the outline's segments by horizontal row bands.
    pub fn new(county: &Polygon) -> Self {
        let rect = geo::BoundingRect::bounding_rect(county.exterior())
            .unwrap_or(Rect::new(Coord::zero(), Coord::zero()));
        let n = 512;
        let row_height = (rect.height() / n as f64).max(1.0);
        let mut rows = vec![Vec::new(); n];
        for l in county.exterior().lines() {
            let (lo, hi) = (l.start.y.min(l.end.y), l.start.y.max(l.end.y));
            let r0 = ((lo - rect.min().y) / row_height).floor().max(0.0) as usize;
            let r1 = ((hi - rect.min().y) / row_height).floor().max(0.0) as usize;
            for row in rows.iter_mut().take(r1.min(n - 1) + 1).skip(r0.min(n - 1)) {
                row.push((l.start, l.end));
            }
        }
        CountyMask {
            y0: rect.min().y,
            row_height,
            rows,
        }
    }

    /// True when `p` is inside the outline (even-odd rule).
    pub fn contains(&self, p: Coord) -> bool {
        let r = (p.y - self.y0) / self.row_height;
        if r < 0.0 || r >= self.rows.len() as f64 {
            return false;
        }
        let mut inside = false;
        for (a, b) in &self.rows[r as usize] {
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
                if x > p.x {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// A corridor segment and the distance land seeds keep from it.
type KeepOut = (Coord, Coord, f64);

/// Corridor segments bucketed on a coarse grid, to keep land seeds out of the bands.
struct BandGrid {
    cell: f64,
    buckets: HashMap<(i64, i64), Vec<KeepOut>>,
}

impl BandGrid {
    fn new(corridors: &[Corridor], cell_size: f64) -> Self {
        let cell = 1_000.0;
        let mut buckets: HashMap<(i64, i64), Vec<KeepOut>> = HashMap::new();
        for c in corridors {
            let keep_out = c.keep_out(cell_size);
            for l in c.line.lines() {
                let (x0, x1) = (l.start.x.min(l.end.x), l.start.x.max(l.end.x));
                let (y0, y1) = (l.start.y.min(l.end.y), l.start.y.max(l.end.y));
                let key = |v: f64| (v / cell).floor() as i64;
                for i in key(x0 - keep_out)..=key(x1 + keep_out) {
                    for j in key(y0 - keep_out)..=key(y1 + keep_out) {
                        buckets
                            .entry((i, j))
                            .or_default()
                            .push((l.start, l.end, keep_out));
                    }
                }
            }
        }
        BandGrid { cell, buckets }
    }

    fn blocks(&self, p: Coord) -> bool {
        let key = (
            (p.x / self.cell).floor() as i64,
            (p.y / self.cell).floor() as i64,
        );
        self.buckets.get(&key).is_some_and(|segs| {
            segs.iter()
                .any(|(a, b, r)| distance_to_segment(*a, *b, p) < *r)
        })
    }
}

/// Relative seed density at `p` (≥ 1): valleys and seats get smaller parcels.
fn density(terrain: &Terrain, county_seat: Coord, seats: &[Coord], p: Coord) -> f64 {
    let lowness = ((1_900.0 - terrain.elevation(p)) / 980.0).clamp(0.0, 1.0);
    let d2 = |c: Coord| {
        let d = p - c;
        d.x * d.x + d.y * d.y
    };
    let seat_pull: f64 = seats
        .iter()
        .map(|s| (-d2(*s) / (1_300.0f64).powi(2)).exp())
        .sum();
    1.0 + 2.5 * lowness + 5.0 * (-d2(county_seat) / (2_600.0f64).powi(2)).exp() + 2.0 * seat_pull
}

/// Upper bound of [`density`], for rejection sampling.
const DENSITY_MAX: f64 = 1.0 + 2.5 + 5.0 + 2.0 * 1.2;

/// All seeds: band seeds first, then land seeds until `inside_target` seeds fall inside the
/// county. Seeds outside (within `area`) shape the border cells, which are later clipped.
#[allow(clippy::too_many_arguments)]
pub fn seeds(
    area: Rect,
    mask: &CountyMask,
    terrain: &Terrain,
    corridors: &[Corridor],
    band: Vec<(Coord, SeedKind)>,
    county_seat: Coord,
    seats: &[Coord],
    cell_size: f64,
    inside_target: usize,
    rng: &mut Pcg64,
) -> Vec<(Coord, SeedKind)> {
    let grid = BandGrid::new(corridors, cell_size);
    let mut out: Vec<(Coord, SeedKind)> = Vec::with_capacity(inside_target * 3 / 2);
    // Band seeds from crossing corridors can land on top of each other: keep the first.
    let mut taken: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    let near_taken = |taken: &HashMap<(i64, i64), Vec<Coord>>, p: Coord| {
        let (i, j) = ((p.x / 8.0).floor() as i64, (p.y / 8.0).floor() as i64);
        (i - 1..=i + 1).any(|a| {
            (j - 1..=j + 1).any(|b| {
                taken
                    .get(&(a, b))
                    .is_some_and(|v| v.iter().any(|q| (*q - p).x.hypot((*q - p).y) < 4.0))
            })
        })
    };
    let mut inside = 0;
    for (p, kind) in band {
        if !geo::Contains::contains(&area, &Point(p)) || near_taken(&taken, p) {
            continue;
        }
        taken
            .entry(((p.x / 8.0).floor() as i64, (p.y / 8.0).floor() as i64))
            .or_default()
            .push(p);
        inside += usize::from(mask.contains(p));
        out.push((p, kind));
    }
    let (min, max) = (area.min(), area.max());
    while inside < inside_target {
        let p = Coord {
            x: rng.random_range(min.x..max.x),
            y: rng.random_range(min.y..max.y),
        };
        let u: f64 = rng.random();
        let is_inside = mask.contains(p);
        // Outside the county only a sparse fringe is needed.
        let rho = if is_inside {
            density(terrain, county_seat, seats, p)
        } else {
            0.7
        };
        if u * DENSITY_MAX >= rho || grid.blocks(p) {
            continue;
        }
        inside += usize::from(is_inside);
        out.push((p, SeedKind::Land));
    }
    out
}
