//! 自然村: the natural villages (SYNTHETIC), points at the settlement parcels of each
//! administrative village.
//!
//! The seed plan's 300 美丽村庄 are natural villages, more than the county's 190
//! administrative ones, so a designer needs them as units. A mountain village has several,
//! so each administrative village gets two to six, about one per 150 households, placed in
//! its 村庄 / 城镇 parcels (`CZCSXM` set: 0702 宅基地, or the seat's built-up land), the
//! larger settlement parcels taking more. Households (`HS`) and 户籍人口 (`HJRK`) are the
//! village's, split by settlement area so they sum to it exactly.
//!
//! Drawn from a random stream of its own (seeded from the sample seed), so adding the layer
//! left every other layer of the sample as it was.

use geo::{Coord, Geometry, Point};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use super::layers::{features, fields, text};
use super::villages::VillageAttrs;
use super::world::World;
use crate::model::{AttrValue, FieldKind, Layer, LayerRole};

/// Mixed into the sample seed for this layer's random stream.
const STREAM: u64 = 0x2C5F_17A9_0E3D_6B41;

/// Households per natural village the count aims at, and the bounds of the count.
const HOUSEHOLDS_PER_HAMLET: f64 = 150.0;
const FEWEST: usize = 2;
const MOST: usize = 6;

/// Common endings of Yunnan mountain place names, for the natural villages after the first.
const ENDINGS: [&str; 18] = [
    "大村",
    "小村",
    "上寨",
    "下寨",
    "新寨",
    "老寨",
    "中寨",
    "大寨",
    "小寨",
    "箐头",
    "河边",
    "坡头",
    "丫口",
    "田坝",
    "山脚",
    "大坪子",
    "松林",
    "梁子",
];

/// Names of a community's (社区) residents' groups.
const GROUPS: [&str; MOST] = ["一组", "二组", "三组", "四组", "五组", "六组"];

/// The 自然村 layer: ZRCDM (village code + 3-digit sequence), ZRCMC, XZQDM / XZQMC (the
/// administrative village), HS, HJRK.
pub fn natural_village_layer(world: &World, attrs: &[VillageAttrs], seed: u64) -> Layer {
    use FieldKind::{Integer, Text};
    let mut rng = Pcg64::seed_from_u64(seed ^ STREAM);
    let mut rows = Vec::new();
    for (v, rec) in world.inputs.villages.iter().enumerate() {
        let a = &attrs[v];
        let wanted = (a.hs as f64 / HOUSEHOLDS_PER_HAMLET * rng.random_range(0.7..1.3)).round();
        let hamlets = place(world, v, (wanted as usize).clamp(FEWEST, MOST), &mut rng);
        let households = split(a.hs, &hamlets.iter().map(|h| h.1).collect::<Vec<_>>());
        let people = split(a.hjrk, &hamlets.iter().map(|h| h.1).collect::<Vec<_>>());
        let names = names(&rec.name, hamlets.len(), &mut rng);
        for (k, (p, _)) in hamlets.iter().enumerate() {
            rows.push((
                Geometry::Point(Point(*p)),
                vec![
                    text(format!("{}{:03}", rec.code, k + 1)),
                    text(&names[k]),
                    text(&rec.code),
                    text(&rec.name),
                    AttrValue::Integer(households[k]),
                    AttrValue::Integer(people[k]),
                ],
            ));
        }
    }
    Layer::new(
        "natural_villages",
        "自然村（合成）",
        LayerRole::NaturalVillage,
        fields(&[
            ("ZRCDM", Text),
            ("ZRCMC", Text),
            ("XZQDM", Text),
            ("XZQMC", Text),
            ("HS", Integer),
            ("HJRK", Integer),
        ]),
        features(rows),
    )
}

/// `count` points in village `v`'s settlement parcels with a weight each: the village's
/// settlement nucleus first, then the larger parcels; each hosting parcel gets a point, the
/// extra ones go to the parcel with the most area per point.
fn place(world: &World, v: usize, count: usize, rng: &mut Pcg64) -> Vec<(Coord, f64)> {
    let nucleus = world.nucleus[v];
    let mut parcels: Vec<usize> = world
        .parcels_of_village(v)
        .into_iter()
        .filter(|&i| world.land_use[i].czcsxm.is_some())
        .collect();
    if parcels.is_empty() {
        parcels.push(nucleus);
    }
    parcels.sort_by(|&a, &b| {
        (b == nucleus)
            .cmp(&(a == nucleus))
            .then(world.area[b].total_cmp(&world.area[a]))
            .then(a.cmp(&b))
    });
    parcels.truncate(count);
    let mut points = vec![1usize; parcels.len()];
    for _ in parcels.len()..count {
        let share = |k: usize| world.area[parcels[k]] / (points[k] + 1) as f64;
        let best = (0..parcels.len())
            .max_by(|&a, &b| share(a).total_cmp(&share(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        points[best] += 1;
    }
    let mut out = Vec::with_capacity(count);
    for (k, &i) in parcels.iter().enumerate() {
        let weight = world.area[i] / points[k] as f64;
        let mut here = vec![world.pos[i]];
        while here.len() < points[k] {
            here.push(spread_point(world, i, &here, rng));
        }
        out.extend(here.into_iter().map(|p| (p, weight)));
    }
    // Hamlets differ in size; no weight below a quarter of the mean, so none is empty.
    let mean = out.iter().map(|h| h.1).sum::<f64>() / out.len() as f64;
    for h in &mut out {
        h.1 = (h.1 * rng.random_range(0.6..1.4)).max(0.25 * mean);
    }
    out
}

/// A random point inside parcel `i`, as far from the points already there as a few dozen
/// tries find.
fn spread_point(world: &World, i: usize, taken: &[Coord], rng: &mut Pcg64) -> Coord {
    let ring = &world.rings[i];
    let (mut lo, mut hi) = (ring[0], ring[0]);
    for c in ring {
        lo = Coord {
            x: lo.x.min(c.x),
            y: lo.y.min(c.y),
        };
        hi = Coord {
            x: hi.x.max(c.x),
            y: hi.y.max(c.y),
        };
    }
    let gap = |p: Coord| {
        taken
            .iter()
            .map(|q| (p - *q).x.hypot((p - *q).y))
            .fold(f64::INFINITY, f64::min)
    };
    let mut best = (world.pos[i], 0.0);
    for _ in 0..48 {
        let p = Coord {
            x: rng.random_range(lo.x..hi.x),
            y: rng.random_range(lo.y..hi.y),
        };
        if world.parcel_contains(i, p) && gap(p) > best.1 {
            best = (p, gap(p));
        }
    }
    best.0
}

/// `total` split over `weights` by largest remainder, so the parts sum to it exactly.
fn split(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let short = total - parts.iter().sum::<i64>();
    for &k in order.iter().cycle().take(short.max(0) as usize) {
        parts[k] += 1;
    }
    parts
}

/// Names for a village's natural villages: a village's first carries its own stem (an
/// administrative village is usually named after its main natural village), the others the
/// stem and a common ending; a community's are its residents' groups.
fn names(official: &str, count: usize, rng: &mut Pcg64) -> Vec<String> {
    let stem = official
        .trim_end_matches("村民委员会")
        .trim_end_matches("居民委员会");
    if let Some(community) = stem.strip_suffix("社区") {
        return GROUPS
            .iter()
            .take(count)
            .map(|g| format!("{community}{g}"))
            .collect();
    }
    let last = stem.chars().last();
    let mut endings: Vec<&str> = ENDINGS
        .iter()
        .copied()
        .filter(|e| e.chars().last() != last)
        .collect();
    let mut out = vec![stem.to_string()];
    while out.len() < count && !endings.is_empty() {
        let e = endings.remove(rng.random_range(0..endings.len()));
        out.push(format!("{stem}{e}"));
    }
    out
}
