//! Rivers and roads: the linear features that must come out as continuous thin bands of
//! parcels.
//!
//! A band is made by seeding points on the centre line with a row of seeds on either side;
//! the Voronoi cells of the centre seeds then form a chain about one `width` wide.

use geo::{Coord, LineString};
use rand::RngExt;
use rand_pcg::Pcg64;

use super::inputs::Inputs;
use super::terrain::{ValueNoise, distance_to_segment};

/// What a seed point stands for; decides the land use of its parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SeedKind {
    /// Ordinary ground: land use comes from terrain and settlements.
    Land,
    /// Centre of 澜沧江 / 黑惠江 (1101 河流水面).
    River,
    /// Centre of the 小湾 reservoir stretch (1103 水库水面).
    Reservoir,
    /// Centre of an expressway or provincial road (1003 公路用地).
    Highway,
    /// Centre of a rural road (1006 农村道路).
    RuralRoad,
}

/// A linear feature to be turned into a band of parcels.
#[derive(Debug, Clone)]
pub struct Corridor {
    /// What the centre cells become.
    pub kind: SeedKind,
    /// Centre line in the working CRS.
    pub line: LineString,
    /// Band width in metres (the side seeds' offset).
    pub width: f64,
}

impl Corridor {
    /// Distance between centre seeds along the line.
    pub fn spacing(&self, cell_size: f64) -> f64 {
        (0.8 * cell_size).max(1.3 * self.width)
    }

    /// How far ordinary seeds must stay from the centre line. Every point of the line must
    /// be nearer to a centre seed (at most half a spacing away) than to any other seed, or
    /// the band breaks into beads.
    pub fn keep_out(&self, cell_size: f64) -> f64 {
        (1.5 * self.width).max(0.5 * self.spacing(cell_size) + 0.25 * cell_size)
    }
}

/// Road links between seats (township names as in the division table, by prefix): the first
/// group is the 天猴高速 / S311 / S228-like network (公路用地), the rest rural roads.
const HIGHWAYS: &[(&str, &str)] = &[
    ("洛党", "凤山"),
    ("凤山", "三岔河"),
    ("凤山", "小湾"),
    ("凤山", "勐佑"),
    ("勐佑", "营盘"),
];
const RURAL_ROADS: &[(&str, &str)] = &[
    ("凤山", "雪山"),
    ("雪山", "三岔河"),
    ("三岔河", "郭大寨"),
    ("郭大寨", "营盘"),
    ("小湾", "腰街"),
    ("小湾", "大寺"),
    ("大寺", "鲁史"),
    ("鲁史", "诗礼"),
    ("鲁史", "新华"),
];

/// Reservoir reach above the dam along 澜沧江 and 黑惠江, metres.
const RESERVOIR_REACH: [f64; 2] = [32_000.0, 18_000.0];

/// Splits a river at the dam into its free-flowing part and the reservoir reach above it.
fn river_corridors(line: &LineString, dam: Coord, reach: f64, out: &mut Vec<Corridor>) {
    let pts = densify(line, 250.0);
    let mut arc = vec![0.0];
    for w in pts.windows(2) {
        let d = w[1] - w[0];
        arc.push(arc[arc.len() - 1] + d.x.hypot(d.y));
    }
    let dam_at = pts
        .iter()
        .enumerate()
        .map(|(i, p)| (i, (*p - dam).x.hypot((*p - dam).y)))
        .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a })
        .0;
    let mut current: Option<(SeedKind, Vec<Coord>)> = None;
    for (i, p) in pts.iter().enumerate() {
        let kind = if i <= dam_at && arc[dam_at] - arc[i] < reach {
            SeedKind::Reservoir
        } else {
            SeedKind::River
        };
        match &mut current {
            Some((k, v)) if *k == kind => v.push(*p),
            _ => {
                if let Some((k, mut v)) = current.take() {
                    v.push(*p);
                    push_corridor(k, v, out);
                }
                current = Some((kind, vec![*p]));
            }
        }
    }
    if let Some((k, v)) = current {
        push_corridor(k, v, out);
    }
}

fn push_corridor(kind: SeedKind, pts: Vec<Coord>, out: &mut Vec<Corridor>) {
    if pts.len() < 2 {
        return;
    }
    let width = match kind {
        SeedKind::Reservoir => 650.0,
        SeedKind::River => 170.0,
        SeedKind::Highway => 30.0,
        _ => 12.0,
    };
    out.push(Corridor {
        kind,
        line: LineString::from(pts),
        width,
    });
}

/// Points along `line` at most `step` metres apart (keeps the original vertices).
pub fn densify(line: &LineString, step: f64) -> Vec<Coord> {
    let mut out = Vec::new();
    for l in line.lines() {
        let d = l.end - l.start;
        let n = (d.x.hypot(d.y) / step).ceil().max(1.0) as usize;
        for k in 0..n {
            out.push(l.start + d * (k as f64 / n as f64));
        }
    }
    if let Some(last) = line.0.last() {
        out.push(*last);
    }
    out
}

/// A meandering road from `a` to `b`: the straight line bent by smooth noise, tapering to
/// the seats at both ends.
fn road_line(a: Coord, b: Coord, noise: &ValueNoise) -> LineString {
    let d = b - a;
    let len = d.x.hypot(d.y);
    let normal = Coord {
        x: -d.y / len,
        y: d.x / len,
    };
    let n = (len / 400.0).ceil().max(2.0) as usize;
    let pts = (0..=n)
        .map(|k| {
            let t = k as f64 / n as f64;
            let p = a + d * t;
            // A broad swing plus hairpin-scale wiggles, both vanishing at the seats.
            let swing = (noise.at(p) - 0.5) * 0.6 * len;
            let wind = (noise.at(p * 4.0) - 0.5) * 2_400.0;
            let bend = (swing + wind) * (std::f64::consts::PI * t).sin();
            p + normal * bend
        })
        .collect::<Vec<_>>();
    LineString::from(pts)
}

/// A road of the sample: a link between two township seats.
#[derive(Debug, Clone)]
pub struct Road {
    /// Townships (positions in `inputs.townships`) at its start and end.
    pub ends: [usize; 2],
    /// Their short names as in the link tables (`凤山`, `郭大寨`).
    pub short_names: [&'static str; 2],
    /// [`SeedKind::Highway`] (公路用地) or [`SeedKind::RuralRoad`] (农村道路).
    pub kind: SeedKind,
    /// Centre line in the working CRS, from the first seat to the second.
    pub line: LineString,
}

/// The roads of [`HIGHWAYS`] and [`RURAL_ROADS`], in that order; a pure function of the
/// inputs and the seed, so the centre-line layer and the bands agree.
pub fn roads(inputs: &Inputs, seed: u64) -> Vec<Road> {
    let township = |prefix: &str| {
        inputs
            .townships
            .iter()
            .position(|t| t.name.starts_with(prefix))
    };
    let noise = ValueNoise::new(seed ^ 0x40AD, 9_000.0, 2);
    let mut out = Vec::new();
    for (links, kind) in [
        (HIGHWAYS, SeedKind::Highway),
        (RURAL_ROADS, SeedKind::RuralRoad),
    ] {
        for (from, to) in links {
            if let (Some(a), Some(b)) = (township(from), township(to)) {
                let (pa, pb) = (
                    inputs.townships[a].seat_in_gk,
                    inputs.townships[b].seat_in_gk,
                );
                out.push(Road {
                    ends: [a, b],
                    short_names: [*from, *to],
                    kind,
                    line: road_line(pa, pb, &noise),
                });
            }
        }
    }
    out
}

/// All corridors of the sample: rivers (with the reservoir reach) and roads.
pub fn corridors(inputs: &Inputs, seed: u64) -> Vec<Corridor> {
    let mut out = Vec::new();
    let rivers = [&inputs.lancang_in_gk, &inputs.heihui_in_gk];
    for (river, reach) in rivers.into_iter().zip(RESERVOIR_REACH) {
        river_corridors(river, inputs.dam_in_gk, reach, &mut out);
    }
    for road in roads(inputs, seed) {
        push_corridor(road.kind, road.line.0, &mut out);
    }
    out
}

/// Seeds for the bands: centre seeds every `spacing` metres with a side seed on each side.
///
/// Seeds are jittered a little (side seeds by different offsets) so that no four are
/// cocircular (that would give zero-length
/// Voronoi edges). Road seeds are left out where a road crosses a river (the river band
/// wins) and close to seats (the settlement takes over).
pub fn band_seeds(
    corridors: &[Corridor],
    cell_size: f64,
    seats: &[Coord],
    rng: &mut Pcg64,
) -> Vec<(Coord, SeedKind)> {
    let rivers: Vec<&Corridor> = corridors
        .iter()
        .filter(|c| matches!(c.kind, SeedKind::River | SeedKind::Reservoir))
        .collect();
    let near_river = |p: Coord| {
        rivers.iter().any(|r| {
            r.line
                .lines()
                .any(|l| distance_to_segment(l.start, l.end, p) < 2.0 * r.width + 60.0)
        })
    };
    let mut out = Vec::new();
    for c in corridors {
        let spacing = c.spacing(cell_size);
        for pts in densify(&c.line, spacing).windows(2) {
            let (a, b) = (pts[0], pts[1]);
            let d = b - a;
            let len = d.x.hypot(d.y);
            if len <= 0.0 {
                continue;
            }
            let normal = Coord {
                x: -d.y / len,
                y: d.x / len,
            };
            let centre = a + d * rng.random_range(0.45..0.55);
            let is_road = matches!(c.kind, SeedKind::Highway | SeedKind::RuralRoad);
            let near_seat = seats
                .iter()
                .any(|s| (*s - centre).x.hypot((*s - centre).y) < 0.6 * cell_size + 150.0);
            if is_road && (near_river(centre) || near_seat) {
                continue;
            }
            out.push((centre, c.kind));
            // Side seeds sit abreast of their centre seed: shifted along the line by more
            // than width²/spacing they would be nearer to the line than the centre seed
            // and cut the band.
            let tangent = d / len;
            let max_shift = 0.1 * c.width * c.width / spacing;
            for side in [-1.0, 1.0] {
                let shift = tangent * rng.random_range(-max_shift..max_shift);
                let off = c.width * rng.random_range(0.92..1.08) * side;
                out.push((centre + shift + normal * off, SeedKind::Land));
            }
        }
    }
    out
}
