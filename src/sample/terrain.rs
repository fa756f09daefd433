//! A synthetic terrain: smooth value noise shaped into ridges and river valleys.
//!
//! Land use, seed density and the red line all read the same elevation so that they agree
//! (paddies in the valleys, tea on mid slopes, bare rock on the ridges). A small hashed
//! value-noise keeps the dependency tree lean; it is deterministic for a seed and needs no
//! table.

use geo::{Coord, LineString};

/// Lowest and highest elevation of 凤庆县 (docs/domain.md §8), metres.
pub const ELEVATION_MIN: f64 = 919.0;
/// See [`ELEVATION_MIN`].
pub const ELEVATION_MAX: f64 = 3098.0;

/// SplitMix64 finaliser: a well-mixed 64-bit hash, used wherever a value must depend only
/// on its inputs (never on the order things were generated in).
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash mapped to [0, 1).
pub fn unit_hash(z: u64) -> f64 {
    (mix64(z) >> 11) as f64 / (1u64 << 53) as f64
}

/// Smooth value noise in [0, 1] with `octaves` octaves; `scale` is the largest feature size
/// in metres.
#[derive(Debug, Clone, Copy)]
pub struct ValueNoise {
    seed: u64,
    scale: f64,
    octaves: u32,
}

impl ValueNoise {
    /// Noise whose lattice values are a pure function of `seed`.
    pub fn new(seed: u64, scale: f64, octaves: u32) -> Self {
        ValueNoise {
            seed,
            scale,
            octaves,
        }
    }

    fn lattice(&self, octave: u32, i: i64, j: i64) -> f64 {
        let key = (i as u64).wrapping_mul(0x8DA6_B343)
            ^ (j as u64).wrapping_mul(0xD816_3841).rotate_left(17)
            ^ self.seed.wrapping_add(u64::from(octave) << 40);
        unit_hash(key)
    }

    fn octave(&self, octave: u32, x: f64, y: f64) -> f64 {
        let (fx, fy) = (x.floor(), y.floor());
        let (i, j) = (fx as i64, fy as i64);
        let smooth = |t: f64| t * t * (3.0 - 2.0 * t);
        let (u, v) = (smooth(x - fx), smooth(y - fy));
        let a = self.lattice(octave, i, j);
        let b = self.lattice(octave, i + 1, j);
        let c = self.lattice(octave, i, j + 1);
        let d = self.lattice(octave, i + 1, j + 1);
        let top = a + (b - a) * u;
        let bottom = c + (d - c) * u;
        top + (bottom - top) * v
    }

    /// The noise value at a point in the working CRS.
    pub fn at(&self, pos_in_gk: Coord) -> f64 {
        let (mut sum, mut norm, mut amp, mut freq) = (0.0, 0.0, 1.0, 1.0 / self.scale);
        for o in 0..self.octaves {
            sum += amp * self.octave(o, pos_in_gk.x * freq, pos_in_gk.y * freq);
            norm += amp;
            amp *= 0.5;
            freq *= 2.0;
        }
        sum / norm
    }
}

/// Distance from a point to a polyline, metres.
pub fn distance_to_line(line: &LineString, p: Coord) -> f64 {
    line.lines()
        .map(|l| distance_to_segment(l.start, l.end, p))
        .fold(f64::INFINITY, f64::min)
}

/// Distance from `p` to the segment `a`–`b`.
pub fn distance_to_segment(a: Coord, b: Coord, p: Coord) -> f64 {
    let ab = b - a;
    let len2 = ab.x * ab.x + ab.y * ab.y;
    let t = if len2 > 0.0 {
        (((p - a).x * ab.x + (p - a).y * ab.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let d = p - (a + ab * t);
    d.x.hypot(d.y)
}

/// Elevation model of the sample county.
#[derive(Debug, Clone)]
pub struct Terrain {
    relief: ValueNoise,
    detail: ValueNoise,
    gullies: ValueNoise,
    rivers: Vec<LineString>,
}

impl Terrain {
    /// A terrain whose valleys follow `rivers` (their lowest ground).
    pub fn new(seed: u64, rivers: Vec<LineString>) -> Self {
        Terrain {
            relief: ValueNoise::new(seed ^ 0x7E44, 28_000.0, 3),
            detail: ValueNoise::new(seed ^ 0xD37A, 4_000.0, 3),
            gullies: ValueNoise::new(seed ^ 0x6A11, 9_000.0, 3),
            rivers,
        }
    }

    /// Distance to the nearest river centre line.
    pub fn river_distance(&self, p: Coord) -> f64 {
        self.rivers
            .iter()
            .map(|r| distance_to_line(r, p))
            .fold(f64::INFINITY, f64::min)
    }

    /// Elevation in metres, within [`ELEVATION_MIN`, `ELEVATION_MAX`].
    pub fn elevation(&self, p: Coord) -> f64 {
        let d = self.river_distance(p);
        // Valley profile: 0 on the river, → 1 some 12 km away.
        let valley = 1.0 - (-(d / 7_000.0).powi(2)).exp();
        let ridge = 0.35 + 0.9 * self.relief.at(p).powf(1.3) + 0.25 * self.detail.at(p);
        // Tributary valleys: low where the gully noise crosses its median.
        let gully = (2.0 * (self.gullies.at(p) - 0.5).abs() / 0.25)
            .min(1.0)
            .powf(0.6);
        let f = (valley * ridge * (0.45 + 0.55 * gully)).clamp(0.0, 1.0);
        ELEVATION_MIN + (ELEVATION_MAX - ELEVATION_MIN) * f
    }

    /// Slope as elevation change per metre (central differences over 100 m).
    pub fn slope(&self, p: Coord) -> f64 {
        let h = 100.0;
        let dx =
            self.elevation(p + Coord { x: h, y: 0.0 }) - self.elevation(p - Coord { x: h, y: 0.0 });
        let dy =
            self.elevation(p + Coord { x: 0.0, y: h }) - self.elevation(p - Coord { x: 0.0, y: h });
        dx.hypot(dy) / (2.0 * h)
    }
}
