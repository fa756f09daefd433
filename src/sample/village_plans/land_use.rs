//! The 规划地类 of one demonstration village: every base-year parcel carried into the plan
//! with its 三调 code converted to 用地用海 2023 (待细分 resolved by [`REFINED`]), then the
//! changes a village plan typically makes, cut out of whole parcels:
//!
//! - a 6 m village road (1207) along the main settlement and a public-service site (08xx)
//!   beside it — construction land stays construction land;
//! - new housing (0703) on orchard, forest or grass next to the settlement (never on 耕地,
//!   the lines or a hazard zone);
//! - idle homestead land at the settlement's far edge returned to 耕地 (0103), at least
//!   [`RECLAIM_OVER_HOUSING`] times the new housing, so construction land does not grow
//!   (建设用地总规模不增加, docs/domain.md §2.5) — except in the one village chosen to grow;
//! - in the township seat's town: the road and a small workshop site (1001), still town
//!   land (`SSBJLX = Z`);
//! - existing construction land inside the 生态保护红线 returned to forest (0301), inside
//!   永久基本农田 to 耕地 (the plan resolves the base year's conflicts).
//!
//! Every piece remembers its base parcel, so the town flag and the 田坎 deduction follow the
//! base year.

use std::collections::{BTreeSet, HashSet};

use geo::{Area, Contains, Coord, InteriorPoint, MultiPolygon, Polygon};

use super::sites::{cut, disc, main_axis, strip};
use crate::error::{Error, Result};
use crate::landuse::{CodeBook, Standard};
use crate::sample::world::World;

/// 三调 classes whose 用地用海 conversion is 待细分, and the sub-classes the sample picks
/// (cycled over the parcels). A planner decides these from field evidence; the sample's
/// choice is only plausible: shops in a town are 商业, 科教文卫 a school or a clinic, a rural
/// road a 村道.
pub const REFINED: &[(&str, &[&str])] = &[
    ("05H1", &["0901"]),
    ("08H2", &["0804", "0806"]),
    ("0809", &["1301"]),
    ("09", &["1501"]),
    ("1005", &["1208"]),
    ("1006", &["060101"]),
    ("1202", &["060201"]),
];

/// 三调 classes new housing may take (园地, 林地, 草地): never 耕地, water or construction.
const HOUSING_HOSTS: &[&str] = &["0201", "0202", "0204", "0301", "0305", "0307", "0404"];

/// Reclaimed homestead land per m² of new housing in a village whose construction land
/// must not grow.
pub const RECLAIM_OVER_HOUSING: f64 = 1.3;

/// Road width, m (a 村内主干道).
const ROAD_WIDTH: f64 = 6.0;
/// Radii of the sites, m: new housing (a half-disc on the settlement's edge: ≈ 0.7 ha, and
/// ≈ 1.8 ha in the village that grows), the public-service site (≈ 0.4 ha), the workshop.
const HOUSING_RADIUS: f64 = 70.0;
const GROWING_HOUSING_RADIUS: f64 = 110.0;
const SERVICE_RADIUS: f64 = 36.0;
const WORKSHOP_RADIUS: f64 = 28.0;
/// Parts of a cut below this (m²) stay with the largest part of their piece.
const TINY_PART_M2: f64 = 1.0;

/// What the plan did to a piece of land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Carried over from the base year (code converted).
    Kept,
    /// A new village road (1207).
    Road,
    /// A public-service site (08xx).
    PublicService,
    /// A workshop site in the town (1001).
    Workshop,
    /// New rural housing (0703).
    NewHousing,
    /// Construction land returned to 耕地 (homestead reclamation, or on 永久基本农田).
    Reclaimed,
    /// Construction land inside the red line returned to forest.
    Rewilded,
}

impl Change {
    /// Key in the sample's expectations.
    pub fn key(self) -> &'static str {
        match self {
            Change::Kept => "kept",
            Change::Road => "road",
            Change::PublicService => "public_service",
            Change::Workshop => "workshop",
            Change::NewHousing => "new_housing",
            Change::Reclaimed => "reclaimed",
            Change::Rewilded => "rewilded",
        }
    }

    /// `BZ` of the piece.
    fn note(self) -> &'static str {
        match self {
            Change::Kept => "",
            Change::Road => "规划村庄道路（宽 6 m）",
            Change::PublicService => "规划公共服务设施用地",
            Change::Workshop => "规划就业帮扶车间用地（镇区）",
            Change::NewHousing => "规划新增农村宅基地",
            Change::Reclaimed => "现状建设用地复垦为耕地",
            Change::Rewilded => "生态保护红线内现状建设用地退出、复绿",
        }
    }
}

/// One planned parcel.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Working-CRS geometry.
    pub geometry: MultiPolygon,
    /// `GHDLBM` (用地用海 2023).
    pub code: String,
    /// The base-year parcel it comes from (position in the world).
    pub base: usize,
    /// Inside a town (base `CZCSXM` 201/202): `SSBJLX = Z`.
    pub town: bool,
    /// What the plan did.
    pub change: Change,
    /// `BZ`: the change, or how a 待细分 code was resolved.
    pub note: String,
}

/// Parcels under the lines and hazard zones (positions in the world).
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// 生态保护红线.
    pub red_line: BTreeSet<usize>,
    /// 永久基本农田.
    pub farmland: BTreeSet<usize>,
    /// 地质灾害隐患区.
    pub hazard: BTreeSet<usize>,
}

impl Constraints {
    fn free(&self, i: usize) -> bool {
        !self.red_line.contains(&i) && !self.farmland.contains(&i) && !self.hazard.contains(&i)
    }
}

/// How one village's plan is made.
#[derive(Debug, Clone, Copy)]
pub struct Brief {
    /// This village's construction land is meant to grow (a deliberate problem).
    pub grows: bool,
    /// `GHDLBM` of its public-service site.
    pub service_code: &'static str,
}

/// The 用地用海 2023 code of a 三调 code and, for 待细分, how it was resolved.
pub fn planned_code(dlbm: &str, parcel: usize, book: &CodeBook) -> Result<(String, String)> {
    let conversion = book.sandiao_to_ydyh2023(dlbm).ok_or_else(|| {
        Error::Invalid(format!(
            "sample plan: 三调 code {dlbm} has no 用地用海 2023 conversion"
        ))
    })?;
    if !conversion.needs_refinement {
        return Ok((conversion.ydyh2023.clone(), String::new()));
    }
    match REFINED.iter().find(|(code, _)| *code == dlbm) {
        Some((_, picks)) => {
            let pick = picks[parcel % picks.len()];
            let note = format!(
                "三调 {dlbm} 转换为 {}（待细分），示例取 {pick}",
                conversion.ydyh2023
            );
            Ok((pick.to_string(), note))
        }
        None => Ok((
            conversion.ydyh2023.clone(),
            format!(
                "三调 {dlbm} 转换为 {}（待细分，未细分）",
                conversion.ydyh2023
            ),
        )),
    }
}

fn area(m: &MultiPolygon) -> f64 {
    m.unsigned_area()
}

fn ring_polygon(world: &World, i: usize) -> MultiPolygon {
    MultiPolygon(vec![Polygon::new(
        geo::LineString::from(world.rings[i].clone()),
        vec![],
    )])
}

/// The plan of village `v` as pieces in base-parcel order.
pub fn plan_village(
    world: &World,
    v: usize,
    constraints: &Constraints,
    book: &CodeBook,
    brief: Brief,
) -> Result<Vec<Piece>> {
    let parcels = world.parcels_of_village(v);
    let mut pieces = Vec::with_capacity(parcels.len() + 8);
    for &i in &parcels {
        let lu = world.land_use[i];
        let town = matches!(lu.czcsxm, Some("201" | "202"));
        let construction = book
            .lookup(Standard::Sandiao, lu.dlbm)
            .is_some_and(|c| c.is_construction());
        let (code, note, change) = if construction && constraints.red_line.contains(&i) {
            ("0301".to_string(), String::new(), Change::Rewilded)
        } else if construction && constraints.farmland.contains(&i) {
            ("0103".to_string(), String::new(), Change::Reclaimed)
        } else {
            let (code, note) = planned_code(lu.dlbm, i, book)?;
            (code, note, Change::Kept)
        };
        pieces.push(Piece {
            geometry: ring_polygon(world, i),
            code,
            base: i,
            town,
            change,
            note,
        });
    }
    let settlement = parcels
        .iter()
        .copied()
        .filter(|&i| world.land_use[i].dlbm == "0702" && constraints.free(i))
        .max_by(|&a, &b| world.area[a].total_cmp(&world.area[b]).then(b.cmp(&a)));
    if let Some(s) = settlement {
        settle(world, s, constraints, brief, &mut pieces)?;
    }
    let town = parcels
        .iter()
        .copied()
        .filter(|&i| world.land_use[i].dlbm == "0701" && constraints.free(i))
        .max_by(|&a, &b| world.area[a].total_cmp(&world.area[b]).then(b.cmp(&a)));
    if let Some(t) = town {
        develop_town(world, t, &mut pieces)?;
    }
    Ok(split_parts(pieces))
}

/// Position of the (only, uncut) piece of base parcel `i`.
fn piece_of(pieces: &[Piece], i: usize) -> Option<usize> {
    pieces
        .iter()
        .position(|p| p.base == i && p.change == Change::Kept)
}

fn carved(from: &Piece, geometry: MultiPolygon, code: &str, change: Change) -> Piece {
    Piece {
        geometry,
        code: code.to_string(),
        base: from.base,
        town: from.town,
        change,
        note: change.note().to_string(),
    }
}

/// Road, public-service site, new housing and reclamation around settlement parcel `s`.
fn settle(
    world: &World,
    s: usize,
    constraints: &Constraints,
    brief: Brief,
    pieces: &mut Vec<Piece>,
) -> Result<()> {
    let Some(at) = piece_of(pieces, s) else {
        return Ok(());
    };
    let settlement = pieces.remove(at);
    let ring = &world.rings[s];
    let axis = main_axis(ring);
    let centre = settlement
        .geometry
        .interior_point()
        .map_or(world.pos[s], |p| p.0);
    let reach = ring
        .iter()
        .map(|c| (*c - centre).x.hypot((*c - centre).y))
        .fold(0.0, f64::max)
        + 10.0;
    let (road, rest) = cut(
        &settlement.geometry,
        &strip(centre, axis, reach, ROAD_WIDTH),
        "a village road",
    )?;
    if area(&road) > 0.0 {
        pieces.push(carved(&settlement, road, "1207", Change::Road));
    }
    let mut parts: Vec<MultiPolygon> = rest.0.into_iter().map(|p| MultiPolygon(vec![p])).collect();
    parts.sort_by(|a, b| area(b).total_cmp(&area(a)));

    // The public-service site beside the road, in the largest part.
    let across = Coord {
        x: -axis.y,
        y: axis.x,
    };
    if let Some(largest) = parts.first().cloned() {
        let offset = SERVICE_RADIUS + ROAD_WIDTH;
        let site = [1.0, -1.0]
            .into_iter()
            .map(|side| disc(centre + across * (side * offset), SERVICE_RADIUS))
            .find(|d| largest.contains(d));
        if let Some(site) = site {
            let (taken, left) = cut(&largest, &site, "a public-service site")?;
            pieces.push(carved(
                &settlement,
                taken,
                brief.service_code,
                Change::PublicService,
            ));
            parts[0] = left;
        }
    }

    // New housing on the neighbour sharing most boundary, then enough reclamation.
    let host = world.adjacency[s]
        .iter()
        .filter(|&&(j, _)| {
            world.village_of[j] == world.village_of[s]
                && HOUSING_HOSTS.contains(&world.land_use[j].dlbm)
                && world.land_use[j].czcsxm.is_none()
                && constraints.free(j)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|&(j, _)| j);
    let edge = host.and_then(|j| shared_edge_midpoint(world, s, j));
    let radius = if brief.grows {
        GROWING_HOUSING_RADIUS
    } else {
        HOUSING_RADIUS
    };
    let housing = match (host.and_then(|j| piece_of(pieces, j)), edge) {
        (Some(h), Some(mid)) => Some((
            h,
            cut(&pieces[h].geometry, &disc(mid, radius), "new housing")?,
            mid,
        )),
        _ => None,
    };
    let wanted = housing
        .as_ref()
        .map_or(0.0, |(_, (taken, _), _)| area(taken));
    let reclaimed = if brief.grows {
        0.0
    } else {
        reclaim(
            &mut parts,
            &settlement,
            centre,
            axis,
            RECLAIM_OVER_HOUSING * wanted.max(2_000.0),
            pieces,
        )?
    };
    if let Some((h, (mut taken, mut left), mid)) = housing {
        // Shrink the site until the reclaimed land covers it, or drop it.
        let mut r = radius;
        let mut tries = 0;
        while !brief.grows && RECLAIM_OVER_HOUSING * area(&taken) > reclaimed && tries < 4 {
            r *= (reclaimed / (RECLAIM_OVER_HOUSING * area(&taken))).sqrt() * 0.95;
            (taken, left) = cut(&pieces[h].geometry, &disc(mid, r), "new housing")?;
            tries += 1;
        }
        if brief.grows || RECLAIM_OVER_HOUSING * area(&taken) <= reclaimed {
            let host_piece = pieces.remove(h);
            pieces.push(carved(&host_piece, taken, "0703", Change::NewHousing));
            pieces.push(Piece {
                geometry: left,
                ..host_piece
            });
        }
    }
    for part in parts {
        pieces.push(Piece {
            geometry: part,
            ..settlement.clone()
        });
    }
    Ok(())
}

/// Returns idle homestead land at the far edge of the settlement to 耕地: a disc around the
/// part's vertex farthest from the road, grown until it takes `target` m² (at most 60 % of
/// the part). Returns the area taken.
fn reclaim(
    parts: &mut [MultiPolygon],
    settlement: &Piece,
    centre: Coord,
    axis: Coord,
    target: f64,
    pieces: &mut Vec<Piece>,
) -> Result<f64> {
    // The part reaching farthest from the road (the service site is already cut out).
    let Some(k) = (0..parts.len()).max_by(|&a, &b| {
        let far = |m: &MultiPolygon| farthest_vertex(m, centre, axis).1;
        far(&parts[a]).total_cmp(&far(&parts[b])).then(b.cmp(&a))
    }) else {
        return Ok(0.0);
    };
    let (corner, _) = farthest_vertex(&parts[k], centre, axis);
    let limit = 0.6 * area(&parts[k]);
    let mut r: f64 = 40.0;
    let mut best = None;
    for _ in 0..16 {
        let (taken, left) = cut(&parts[k], &disc(corner, r), "reclaimed homestead land")?;
        let a = area(&taken);
        if a > limit {
            break;
        }
        best = Some((taken, left));
        if a >= target {
            break;
        }
        r *= 1.25;
    }
    let Some((taken, left)) = best else {
        return Ok(0.0);
    };
    let a = area(&taken);
    parts[k] = left;
    pieces.push(carved(settlement, taken, "0103", Change::Reclaimed));
    Ok(a)
}

/// The exterior vertex of `m` farthest from the line through `centre` along `axis`, and
/// that distance.
fn farthest_vertex(m: &MultiPolygon, centre: Coord, axis: Coord) -> (Coord, f64) {
    m.0.iter()
        .flat_map(|p| p.exterior().0.iter().copied())
        .map(|c| {
            let d = c - centre;
            (c, (d.x * axis.y - d.y * axis.x).abs())
        })
        .fold((centre, f64::NEG_INFINITY), |best, c| {
            if c.1 > best.1 { c } else { best }
        })
}

/// The midpoint of the longest edge parcels `a` and `b` share (their rings hold it with the
/// same bits, in opposite directions).
fn shared_edge_midpoint(world: &World, a: usize, b: usize) -> Option<Coord> {
    let key = |c: Coord| ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits());
    let edges = |ring: &[Coord]| -> Vec<(Coord, Coord)> {
        (0..ring.len())
            .map(|k| (ring[k], ring[(k + 1) % ring.len()]))
            .collect()
    };
    let theirs: HashSet<_> = edges(&world.rings[b])
        .into_iter()
        .map(|(p, q)| (key(q), key(p)))
        .collect();
    edges(&world.rings[a])
        .into_iter()
        .filter(|(p, q)| theirs.contains(&(key(*p), key(*q))))
        .max_by(|x, y| {
            let len = |e: &(Coord, Coord)| (e.1 - e.0).x.hypot((e.1 - e.0).y);
            len(x).total_cmp(&len(y))
        })
        .map(|(p, q)| (p + q) * 0.5)
}

/// A road and a workshop site in the town parcel `t` (both stay town land).
fn develop_town(world: &World, t: usize, pieces: &mut Vec<Piece>) -> Result<()> {
    let Some(at) = piece_of(pieces, t) else {
        return Ok(());
    };
    let town = pieces.remove(at);
    let axis = main_axis(&world.rings[t]);
    let centre = town.geometry.interior_point().map_or(world.pos[t], |p| p.0);
    let reach = world.rings[t]
        .iter()
        .map(|c| (*c - centre).x.hypot((*c - centre).y))
        .fold(0.0, f64::max)
        + 10.0;
    let (road, rest) = cut(
        &town.geometry,
        &strip(centre, axis, reach, ROAD_WIDTH),
        "a town road",
    )?;
    if area(&road) > 0.0 {
        pieces.push(carved(&town, road, "1207", Change::Road));
    }
    let mut parts: Vec<MultiPolygon> = rest.0.into_iter().map(|p| MultiPolygon(vec![p])).collect();
    parts.sort_by(|a, b| area(b).total_cmp(&area(a)));
    let across = Coord {
        x: -axis.y,
        y: axis.x,
    };
    if let Some(largest) = parts.first().cloned() {
        let offset = WORKSHOP_RADIUS + ROAD_WIDTH;
        let site = [1.0, -1.0]
            .into_iter()
            .map(|side| disc(centre + across * (side * offset), WORKSHOP_RADIUS))
            .find(|d| largest.contains(d));
        if let Some(site) = site {
            let (taken, left) = cut(&largest, &site, "a workshop site")?;
            pieces.push(carved(&town, taken, "1001", Change::Workshop));
            parts[0] = left;
        }
    }
    for part in parts {
        pieces.push(Piece {
            geometry: part,
            ..town.clone()
        });
    }
    Ok(())
}

/// One piece per polygon (parts under [`TINY_PART_M2`] stay with the largest part), in
/// base-parcel order, carved pieces after what is left of their parcel.
fn split_parts(mut pieces: Vec<Piece>) -> Vec<Piece> {
    pieces.sort_by_key(|p| (p.base, p.change));
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let mut parts = piece.geometry.0.clone();
        parts.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
        let (big, tiny): (Vec<Polygon>, Vec<Polygon>) = parts
            .into_iter()
            .partition(|p| p.unsigned_area() >= TINY_PART_M2);
        let mut groups: Vec<Vec<Polygon>> = big.into_iter().map(|p| vec![p]).collect();
        match groups.first_mut() {
            Some(first) => first.extend(tiny),
            None if !tiny.is_empty() => groups.push(tiny),
            None => {}
        }
        for g in groups {
            out.push(Piece {
                geometry: MultiPolygon(g),
                ..piece.clone()
            });
        }
    }
    out
}
