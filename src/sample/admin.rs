//! Assigning parcels to townships and villages so the hierarchy tiles exactly.
//!
//! Every parcel gets one township (nearest seat in a domain-warped space, so borders wander
//! like real ones) and then one village of that township (warped nearest village centre,
//! centres spread by a few Lloyd steps). Pieces cut off from their unit are handed to the
//! neighbour they share most boundary with, so every unit is one connected polygon.

use geo::Coord;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::inputs::Inputs;
use super::terrain::ValueNoise;

/// A smooth displacement field that bends straight Voronoi borders into natural ones.
#[derive(Debug, Clone, Copy)]
pub struct Warp {
    nx: ValueNoise,
    ny: ValueNoise,
    amplitude: f64,
}

impl Warp {
    /// A warp of up to ±`amplitude`/2 metres with features of about `scale` metres.
    pub fn new(seed: u64, scale: f64, amplitude: f64) -> Self {
        Warp {
            nx: ValueNoise::new(seed ^ 0x51, scale, 2),
            ny: ValueNoise::new(seed ^ 0xA7, scale, 2),
            amplitude,
        }
    }

    /// The displaced position.
    pub fn apply(&self, p: Coord) -> Coord {
        Coord {
            x: p.x + self.amplitude * (self.nx.at(p) - 0.5),
            y: p.y + self.amplitude * (self.ny.at(p) - 0.5),
        }
    }
}

fn dist(a: Coord, b: Coord) -> f64 {
    (a - b).x.hypot((a - b).y)
}

/// Township of every parcel (position in `inputs.townships`).
pub fn townships(inputs: &Inputs, centres: &[Coord], seed: u64) -> Vec<usize> {
    let warp = Warp::new(seed ^ 0x7055, 16_000.0, 24_000.0);
    let counts: Vec<usize> = (0..inputs.townships.len())
        .map(|t| inputs.villages.iter().filter(|v| v.township == t).count())
        .collect();
    let mean = counts.iter().sum::<usize>() as f64 / counts.len().max(1) as f64;
    // Townships with more villages reach further (a multiplicatively weighted diagram).
    let reach: Vec<f64> = counts
        .iter()
        .map(|&n| 0.7 + 0.3 * (n as f64 / mean).sqrt())
        .collect();
    centres
        .iter()
        .map(|&p| {
            let w = warp.apply(p);
            let mut best = (0, f64::INFINITY);
            for (t, town) in inputs.townships.iter().enumerate() {
                let d = dist(w, town.seat_in_gk) / reach[t];
                if d < best.1 {
                    best = (t, d);
                }
            }
            best.0
        })
        .collect()
}

/// Village of every parcel (position in `inputs.villages`), within its township.
///
/// The first village of each township (lowest code) sits at the seat; 社区 (urban
/// communities) ring the seat closely; the others are spread over the township by Lloyd
/// relaxation on parcel area.
pub fn villages(
    inputs: &Inputs,
    centres: &[Coord],
    areas: &[f64],
    township_of: &[usize],
    rng: &mut Pcg64,
) -> (Vec<usize>, Vec<Coord>) {
    let warp = Warp::new(rng.random(), 5_000.0, 4_000.0);
    let warped: Vec<Coord> = centres.iter().map(|&p| warp.apply(p)).collect();
    let mut village_of = vec![usize::MAX; centres.len()];
    let mut village_centre = vec![Coord::zero(); inputs.villages.len()];
    for (t, town) in inputs.townships.iter().enumerate() {
        let members: Vec<usize> = (0..centres.len())
            .filter(|&i| township_of[i] == t)
            .collect();
        let vills: Vec<usize> = (0..inputs.villages.len())
            .filter(|&v| inputs.villages[v].township == t)
            .collect();
        if members.is_empty() || vills.is_empty() {
            continue;
        }
        let mut fixed = vec![false; vills.len()];
        let mut pos = vec![town.seat_in_gk; vills.len()];
        fixed[0] = true;
        let communities = vills
            .iter()
            .filter(|&&v| inputs.villages[v].name.contains("社区"))
            .count()
            .max(1);
        let mut k = 0;
        for (j, &v) in vills.iter().enumerate().skip(1) {
            if inputs.villages[v].name.contains("社区") {
                let angle = std::f64::consts::TAU * k as f64 / communities as f64;
                k += 1;
                pos[j] = town.seat_in_gk
                    + Coord {
                        x: 1_300.0 * angle.cos(),
                        y: 1_300.0 * angle.sin(),
                    };
                fixed[j] = true;
            } else {
                let pick = members[rng.random_range(0..members.len())];
                pos[j] = centres[pick];
            }
        }
        let assign = |pos: &[Coord]| -> Vec<usize> {
            members
                .iter()
                .map(|&i| {
                    (0..pos.len())
                        .map(|j| (j, dist(warped[i], pos[j])))
                        .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a })
                        .0
                })
                .collect()
        };
        for _ in 0..8 {
            let owner = assign(&pos);
            let mut sum = vec![(Coord::zero(), 0.0); pos.len()];
            for (m, &i) in members.iter().enumerate() {
                let s = &mut sum[owner[m]];
                s.0 = s.0 + centres[i] * areas[i];
                s.1 += areas[i];
            }
            for j in 0..pos.len() {
                if !fixed[j] && sum[j].1 > 0.0 {
                    pos[j] = sum[j].0 / sum[j].1;
                }
            }
        }
        let owner = assign(&pos);
        for (m, &i) in members.iter().enumerate() {
            village_of[i] = vills[owner[m]];
        }
        // A village whose centre won no parcel takes the nearest parcel of a village that
        // can spare one.
        let mut count = vec![0usize; inputs.villages.len()];
        for &i in &members {
            count[village_of[i]] += 1;
        }
        for (j, &v) in vills.iter().enumerate() {
            village_centre[v] = pos[j];
            if count[v] == 0 {
                let nearest = members
                    .iter()
                    .copied()
                    .filter(|&i| count[village_of[i]] > 1)
                    .map(|i| (i, dist(centres[i], pos[j])))
                    .fold(None::<(usize, f64)>, |a, b| match a {
                        Some(a) if a.1 <= b.1 => Some(a),
                        _ => Some(b),
                    });
                if let Some((i, _)) = nearest {
                    count[village_of[i]] -= 1;
                    village_of[i] = v;
                    count[v] = 1;
                }
            }
        }
    }
    (village_of, village_centre)
}

/// Makes every label's parcels one connected region: smaller components join the
/// neighbouring label (allowed by `may_join`) they share the longest boundary with.
/// Returns how many parcels were moved.
pub fn make_connected(
    labels: &mut [usize],
    adjacency: &[Vec<(usize, f64)>],
    areas: &[f64],
    may_join: &dyn Fn(usize, usize) -> bool,
) -> usize {
    let mut moved = 0;
    for _round in 0..6 {
        let mut component = vec![usize::MAX; labels.len()];
        let mut comps: Vec<(usize, f64, Vec<usize>)> = Vec::new();
        for start in 0..labels.len() {
            if component[start] != usize::MAX {
                continue;
            }
            let id = comps.len();
            let mut stack = vec![start];
            let mut members = Vec::new();
            let mut area = 0.0;
            component[start] = id;
            while let Some(i) = stack.pop() {
                members.push(i);
                area += areas[i];
                for &(j, _) in &adjacency[i] {
                    if component[j] == usize::MAX && labels[j] == labels[i] {
                        component[j] = id;
                        stack.push(j);
                    }
                }
            }
            comps.push((labels[start], area, members));
        }
        let mut largest: std::collections::BTreeMap<usize, (usize, f64)> = Default::default();
        for (c, (label, area, _)) in comps.iter().enumerate() {
            let e = largest.entry(*label).or_insert((c, *area));
            if *area > e.1 {
                *e = (c, *area);
            }
        }
        let mut changed = 0;
        for (c, (label, _, members)) in comps.iter().enumerate() {
            if largest.get(label).map(|l| l.0) == Some(c) {
                continue;
            }
            let mut border: std::collections::BTreeMap<usize, f64> = Default::default();
            for &i in members {
                for &(j, len) in &adjacency[i] {
                    if labels[j] != *label && may_join(*label, labels[j]) {
                        *border.entry(labels[j]).or_default() += len;
                    }
                }
            }
            let target = border
                .iter()
                .fold(None::<(usize, f64)>, |best, (&l, &len)| match best {
                    Some(b) if b.1 >= len => Some(b),
                    _ => Some((l, len)),
                });
            if let Some((to, _)) = target {
                for &i in members {
                    labels[i] = to;
                }
                changed += members.len();
            }
        }
        moved += changed;
        if changed == 0 {
            break;
        }
    }
    moved
}
