//! The county's control lines and hazards, built from whole parcels.
//!
//! Real 三区三线 are drawn on the 三调 parcels, so a line built as a union of parcels is
//! both realistic and exact: a parcel is either inside a line or not, and the deliberate
//! conflicts (a house plot inside the red line, a road inside permanent farmland) are whole
//! parcels the checks must find.

use std::collections::BTreeSet;

use geo::Coord;

use super::world::World;

/// A zone made of parcels, with its name.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Display name (MC).
    pub name: String,
    /// Member parcels.
    pub parcels: Vec<usize>,
}

fn dist(a: Coord, b: Coord) -> f64 {
    (a - b).x.hypot((a - b).y)
}

/// Connected groups (over parcel adjacency) of the parcels for which `member` is true.
pub fn components(world: &World, member: &dyn Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let n = world.rings.len();
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for start in 0..n {
        if seen[start] || !member(start) {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut group = Vec::new();
        while let Some(i) = stack.pop() {
            group.push(i);
            for &(j, _) in &world.adjacency[i] {
                if !seen[j] && member(j) {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        group.sort_unstable();
        out.push(group);
    }
    out
}

/// 城镇开发边界: the county seat (first) and every other township seat.
pub fn urban_boundaries(world: &World) -> Vec<Zone> {
    let inputs = &world.inputs;
    let mut out = Vec::new();
    let mut around = |name: String, centre: Coord, radius: f64| {
        let mut parcels: Vec<usize> = (0..world.rings.len())
            .filter(|&i| dist(world.pos[i], centre) < radius)
            .collect();
        if parcels.is_empty() {
            let nearest = (0..world.rings.len())
                .min_by(|&a, &b| dist(world.pos[a], centre).total_cmp(&dist(world.pos[b], centre)));
            parcels.extend(nearest);
        }
        out.push(Zone { name, parcels });
    };
    around(
        "凤庆县城城镇开发边界（凤山镇）".into(),
        inputs.county_seat_in_gk,
        1_450.0,
    );
    for town in inputs
        .townships
        .iter()
        .filter(|t| !t.name.starts_with("凤山"))
    {
        around(
            format!("{}集镇城镇开发边界", town.name),
            town.seat_in_gk,
            520.0,
        );
    }
    out
}

/// Share of the county in ridge red-line candidates (before small patches are dropped).
const RIDGE_SHARE: f64 = 0.16;

/// 生态保护红线: high forested ridges and the river corridors. Returns the zones and the
/// house-plot parcels deliberately put inside (conflicts), taken from `allowed` villages.
pub fn red_line(world: &World, allowed: &BTreeSet<usize>) -> (Vec<Zone>, Vec<usize>) {
    let natural = |i: usize| {
        matches!(
            world.land_use[i].dlbm,
            "0301" | "0305" | "0307" | "0404" | "1207"
        )
    };
    let total: f64 = world.area.iter().sum();
    let min_area = 40.0 * total / world.area.len() as f64;
    // The ridge threshold is the elevation above which natural land covers RIDGE_SHARE.
    let mut high: Vec<usize> = (0..world.rings.len()).filter(|&i| natural(i)).collect();
    high.sort_by(|a, b| world.elevation[*b].total_cmp(&world.elevation[*a]));
    let mut covered = 0.0;
    let mut threshold = f64::INFINITY;
    for i in high {
        if covered >= RIDGE_SHARE * total {
            break;
        }
        covered += world.area[i];
        threshold = world.elevation[i];
    }
    let mut zones: Vec<Zone> =
        components(world, &|i| natural(i) && world.elevation[i] >= threshold)
            .into_iter()
            .filter(|g| g.iter().map(|&i| world.area[i]).sum::<f64>() > min_area)
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(k, parcels)| {
                let town = &world.inputs.townships[world.township_of(parcels[0])].name;
                Zone {
                    name: format!("{town}高山水源涵养生态保护红线{}", k + 1),
                    parcels,
                }
            })
            .collect();
    let water = components(world, &|i| {
        matches!(world.land_use[i].dlbm, "1101" | "1103")
    });
    for (k, parcels) in water.into_iter().enumerate() {
        zones.push(Zone {
            name: format!("澜沧江—黑惠江水域生态廊道{}", k + 1),
            parcels,
        });
    }

    // Conflicts: house plots next to a ridge zone, from villages with no other role.
    let mut conflicts = Vec::new();
    let in_zone: Vec<Option<usize>> = {
        let mut v = vec![None; world.rings.len()];
        for (z, zone) in zones.iter().enumerate() {
            for &i in &zone.parcels {
                v[i] = Some(z);
            }
        }
        v
    };
    let mut candidates: Vec<(usize, usize)> = (0..world.rings.len())
        .filter(|&i| world.land_use[i].dlbm == "0702" && allowed.contains(&world.village_of[i]))
        .filter_map(|i| {
            world.adjacency[i]
                .iter()
                .find_map(|&(j, _)| in_zone[j].filter(|&z| natural(j) && z < zones.len()))
                .map(|z| (i, z))
        })
        .collect();
    candidates.sort_by(|a, b| world.elevation[b.0].total_cmp(&world.elevation[a.0]));
    let mut used_villages = BTreeSet::new();
    for (i, z) in candidates {
        if conflicts.len() == 3 {
            break;
        }
        if used_villages.insert(world.village_of[i]) {
            zones[z].parcels.push(i);
            conflicts.push(i);
        }
    }
    // Fallback when no house plot touches a ridge (coarse samples): the highest house plots
    // get a small red-line patch of their own with their natural neighbours.
    if conflicts.len() < 3 {
        let mut high: Vec<usize> = (0..world.rings.len())
            .filter(|&i| {
                world.land_use[i].dlbm == "0702"
                    && allowed.contains(&world.village_of[i])
                    && in_zone[i].is_none()
                    && !used_villages.contains(&world.village_of[i])
            })
            .collect();
        high.sort_by(|a, b| world.elevation[*b].total_cmp(&world.elevation[*a]));
        for i in high {
            if conflicts.len() == 3 {
                break;
            }
            if !used_villages.insert(world.village_of[i]) {
                continue;
            }
            let mut parcels = vec![i];
            parcels.extend(
                world.adjacency[i]
                    .iter()
                    .map(|&(j, _)| j)
                    .filter(|&j| natural(j) && in_zone[j].is_none()),
            );
            conflicts.push(i);
            let town = &world.inputs.townships[world.township_of(i)].name;
            zones.push(Zone {
                name: format!("{town}水源涵养生态保护红线（补划）"),
                parcels,
            });
        }
    }
    (zones, conflicts)
}

/// 永久基本农田: connected 水田/旱地 clusters; returns the zones and the construction parcels
/// (house plots or roads) deliberately included (conflicts).
pub fn farmland(world: &World, excluded: &BTreeSet<usize>) -> (Vec<Zone>, Vec<usize>) {
    let crop = |i: usize| matches!(world.land_use[i].dlbm, "0101" | "0103");
    let mut zones: Vec<Vec<usize>> = components(world, &crop)
        .into_iter()
        .filter(|g| g.len() >= 2)
        .collect();
    let mut owner = vec![None; world.rings.len()];
    for (z, g) in zones.iter().enumerate() {
        for &i in g {
            owner[i] = Some(z);
        }
    }
    let mut conflicts = Vec::new();
    for want in ["0702", "1003", "0702"] {
        let pick = (0..world.rings.len()).find(|&i| {
            world.land_use[i].dlbm == want
                && !excluded.contains(&i)
                && !conflicts.contains(&i)
                && owner[i].is_none()
                && world.adjacency[i].iter().any(|&(j, _)| owner[j].is_some())
        });
        if let Some(i) = pick {
            let z = world.adjacency[i]
                .iter()
                .find_map(|&(j, _)| owner[j])
                .unwrap_or(0);
            zones[z].push(i);
            owner[i] = Some(z);
            conflicts.push(i);
        }
    }
    let zones = zones
        .into_iter()
        .enumerate()
        .map(|(k, parcels)| Zone {
            name: format!("YJJBNT{:05}", k + 1),
            parcels,
        })
        .collect();
    (zones, conflicts)
}

/// The 永久基本农田 of the demonstration villages: every 耕地 parcel there that no zone holds
/// yet, in connected patches (single parcels too), appended to `zones` with the next
/// numbers. The county rule above keeps only clusters of two or more fields, which leaves
/// the valley villages of the demonstration zone without any; a plan there has to deal with
/// farmland. Runs after the deliberate conflicts were chosen, so it changes none of them.
pub fn demonstration_farmland(world: &World, villages: &BTreeSet<usize>, zones: &mut Vec<Zone>) {
    let held: BTreeSet<usize> = zones.iter().flat_map(|z| z.parcels.clone()).collect();
    let patches = components(world, &|i| {
        villages.contains(&world.village_of[i])
            && super::deduction::is_cultivated(world.land_use[i].dlbm)
            && !held.contains(&i)
    });
    for parcels in patches {
        let name = format!("YJJBNT{:05}", zones.len() + 1);
        zones.push(Zone { name, parcels });
    }
}

/// A hazard zone over the settlement of `village` (its nucleus parcel and neighbours).
pub fn hazard_over_village(world: &World, village: usize) -> Vec<usize> {
    let centre = world.village_centre[village];
    let n = (0..world.rings.len())
        .filter(|&i| world.village_of[i] == village && world.land_use[i].dlbm == "0702")
        .min_by(|&a, &b| dist(world.pos[a], centre).total_cmp(&dist(world.pos[b], centre)))
        .unwrap_or(world.nucleus[village]);
    let mut parcels = vec![n];
    parcels.extend(
        world.adjacency[n]
            .iter()
            .map(|&(j, _)| j)
            .filter(|&j| world.village_of[j] == village)
            // Keep the zone away from other villages' houses: they must not gain evidence.
            .filter(|&j| {
                world.adjacency[j].iter().all(|&(k, _)| {
                    world.village_of[k] == village || world.land_use[k].czcsxm.is_none()
                })
            }),
    );
    parcels.sort_unstable();
    parcels
}

/// Hazard zones on steep ground far (> 600 m) from any house plot, so they are evidence
/// against nobody.
pub fn remote_hazards(world: &World, count: usize) -> Vec<Vec<usize>> {
    let cell = 600.0;
    let key = |p: Coord| ((p.x / cell).floor() as i64, (p.y / cell).floor() as i64);
    let mut homes: std::collections::HashMap<(i64, i64), Vec<Coord>> = Default::default();
    for i in (0..world.rings.len()).filter(|&i| world.land_use[i].czcsxm.is_some()) {
        homes
            .entry(key(world.pos[i]))
            .or_default()
            .push(world.pos[i]);
    }
    let far_from_homes = |p: Coord| {
        let (x, y) = key(p);
        (x - 1..=x + 1).all(|a| {
            (y - 1..=y + 1).all(|b| {
                homes
                    .get(&(a, b))
                    .is_none_or(|v| v.iter().all(|h| dist(*h, p) > cell))
            })
        })
    };
    let mut steep: Vec<usize> = (0..world.rings.len())
        .filter(|&i| world.land_use[i].dlbm.starts_with("03"))
        .collect();
    steep.sort_by(|a, b| world.slope[*b].total_cmp(&world.slope[*a]).then(a.cmp(b)));
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for i in steep {
        if out.len() == count {
            break;
        }
        let mut parcels = vec![i];
        parcels.extend(world.adjacency[i].iter().map(|&(j, _)| j));
        let clear = parcels.iter().all(|&p| {
            !used.contains(&p)
                && world.land_use[p].dlbm.starts_with("03")
                && far_from_homes(world.pos[p])
        }) && no_homes_within_rings(world, &parcels, 3);
        let far_from_others = out
            .iter()
            .all(|g| dist(world.pos[g[0]], world.pos[i]) > 8_000.0);
        if clear && far_from_others {
            used.extend(parcels.iter().copied());
            parcels.sort_unstable();
            out.push(parcels);
        }
    }
    out
}

/// True when no settlement parcel is within `rings` adjacency steps of `parcels` (centroid
/// distances alone miss large neighbours whose edge comes close).
fn no_homes_within_rings(world: &World, parcels: &[usize], rings: usize) -> bool {
    let mut frontier: Vec<usize> = parcels.to_vec();
    let mut seen: BTreeSet<usize> = parcels.iter().copied().collect();
    for _ in 0..rings {
        let mut next = Vec::new();
        for &i in &frontier {
            for &(j, _) in &world.adjacency[i] {
                if seen.insert(j) {
                    if world.land_use[j].czcsxm.is_some() {
                        return false;
                    }
                    next.push(j);
                }
            }
        }
        frontier = next;
    }
    true
}
