//! A complete SYNTHETIC plan for the six villages of the seed plan's demonstration zone in
//! 勐佑镇 (docs/domain.md §8.2: 勐佑, 中和, 河东, 新林, 鱼塘, 习谦): 规划地类图斑 derived from
//! the base year ([`land_use`]), the 村庄建设边界 around the planned village construction
//! land, the 管控边界 and 三生空间 through the editor's own drafts (so they follow the data
//! as a planner's would), 规划人口 `GHRK`, current and planned public facilities and a
//! handful of 近期建设项目.
//!
//! Two problems are built in on purpose and recorded in `sample_expectations` for the
//! checks to find: one village's construction land grows, and one project stands on
//! 永久基本农田. Everything is deterministic for the seed and draws no random numbers (the
//! few varied values hash the seed), so the rest of the sample is as it was.

mod facilities;
mod land_use;
mod parcels;
mod projects;
mod sites;

use serde_json::{Map, Value, json};

use self::land_use::{Brief, Change, plan_village, planned_code};
use self::parcels::{PlannedParcel, is_construction_land, number};
use super::terrain::unit_hash;
use super::world::World;
use crate::crs::Transformer;
use crate::edit::{
    control_zones_edit, draft_control_zones, draft_three_spaces, new_plan_layer, three_spaces_edit,
};
use crate::error::Result;
use crate::landuse::CodeBook;
use crate::model::{AttrValue, FieldDef, FieldKind, Layer, LayerRole, Project};

pub use self::land_use::Constraints;

/// Township (name prefix) and villages (name prefixes) of the demonstration zone.
pub const TOWNSHIP: &str = "勐佑";
/// See [`TOWNSHIP`].
pub const VILLAGES: [&str; 6] = ["勐佑", "中和", "河东", "新林", "鱼塘", "习谦"];

/// Which village's construction land grows (the first of these that can take new
/// housing): a village away from the township seat, whose houses spread along the road.
const GROWTH_PREFERENCE: [&str; 6] = ["河东", "鱼塘", "中和", "新林", "习谦", "勐佑"];

/// Public-service sites, village by village in turn (`GHDLBM`), with the facility each
/// holds (docs/domain.md §6.6): 幸福院, 文化活动场所, 幼儿园, 村卫生所.
const SERVICE_SITES: [(&str, &str); 4] = [
    ("080701", "10"),
    ("080302", "04"),
    ("080404", "09"),
    ("080602", "11"),
];

/// Radius (m) of the deliberate project on 永久基本农田 (≈ 0.5 ha).
const FARMLAND_PROJECT_RADIUS: f64 = 40.0;

fn service_facility(site: &str) -> &'static str {
    SERVICE_SITES
        .iter()
        .find(|(code, _)| *code == site)
        .map_or("99", |(_, f)| f)
}

/// Positions (in the village list) of the demonstration villages found, in [`VILLAGES`]
/// order.
pub fn demonstration_villages(world: &World) -> Vec<usize> {
    VILLAGES
        .iter()
        .filter_map(|name| {
            world.inputs.villages.iter().position(|v| {
                world.inputs.townships[v.township]
                    .name
                    .starts_with(TOWNSHIP)
                    && v.name.starts_with(name)
            })
        })
        .collect()
}

/// What the plans read besides the parcels.
#[derive(Debug, Clone, Copy)]
pub struct PlanInputs<'a> {
    /// The lines and hazards, by parcel.
    pub constraints: &'a Constraints,
    /// 常住人口 by village position.
    pub czrk: &'a [i64],
    /// 乡镇驻地 by village position.
    pub seat: &'a [bool],
    /// The sample's seed.
    pub seed: u64,
}

/// Base-year and planned 村域建设用地 of a village, ellipsoidal and planar m².
fn construction(
    world: &World,
    v: usize,
    parcels: &[PlannedParcel],
    book: &CodeBook,
    lonlat: &Transformer,
) -> Result<Value> {
    let (mut base_e, mut base_p) = (0.0, 0.0);
    for i in world.parcels_of_village(v) {
        let (code, _) = planned_code(world.land_use[i].dlbm, i, book)?;
        if is_construction_land(&code, book) {
            let ring = geo::Polygon::new(geo::LineString::from(world.rings[i].clone()), vec![]);
            let g = geo::Geometry::Polygon(ring);
            base_e +=
                super::deduction::round_m2(crate::analysis::areas::ellipsoidal_area(&g, lonlat)?);
            base_p += world.area[i];
        }
    }
    let planned = parcels
        .iter()
        .filter(|p| is_construction_land(&p.piece.code, book));
    let (plan_e, plan_p) = planned.fold((0.0, 0.0), |(e, p), x| (e + x.ghdlmj, p + x.planar));
    Ok(json!({
        "base": {"ellipsoidal": round(base_e), "planar": round(base_p)},
        "planned": {"ellipsoidal": round(plan_e), "planar": round(plan_p)},
    }))
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Adds the plan layers of the demonstration villages `demo` to `project` (after the base
/// layers) and `GHRK` to its villages; returns the records for `sample_expectations`.
pub fn add_plans(
    world: &World,
    project: &mut Project,
    demo: &[usize],
    inputs: PlanInputs,
) -> Result<Map<String, Value>> {
    let book = CodeBook::bundled();
    let lonlat = Transformer::lonlat_from_gk(project.crs)?;
    let brief = |k: usize, grows: bool| Brief {
        grows,
        service_code: SERVICE_SITES[k % SERVICE_SITES.len()].0,
    };
    let mut plans = Vec::new();
    for (k, &v) in demo.iter().enumerate() {
        plans.push(plan_village(
            world,
            v,
            inputs.constraints,
            book,
            brief(k, false),
        )?);
    }
    // The village that grows: the first preferred one whose plan can take new housing.
    let growth = GROWTH_PREFERENCE.iter().find_map(|name| {
        let k = demo
            .iter()
            .position(|&v| world.inputs.villages[v].name.starts_with(name))?;
        plans[k]
            .iter()
            .any(|p| p.change == Change::NewHousing)
            .then_some(k)
    });
    if let Some(k) = growth {
        plans[k] = plan_village(world, demo[k], inputs.constraints, book, brief(k, true))?;
    }
    let mut villages: Vec<(usize, Vec<PlannedParcel>)> = Vec::new();
    for (&v, pieces) in demo.iter().zip(plans) {
        let code = &world.inputs.villages[v].code;
        villages.push((v, number(pieces, code, &lonlat)?));
    }

    let ghdltb = parcels::ghdltb_layer(project, world, &villages, book)?;
    project.add_layer(ghdltb);
    let boundary = parcels::boundary_layer(project, world, &villages)?;
    project.add_layer(boundary);
    add_drafts(project, world, demo)?;

    let farmland_site = farmland_site(world, demo, inputs.constraints)?;
    let growth_village = growth.map(|k| demo[k]);
    let list = projects::projects(
        world,
        &villages,
        growth_village,
        farmland_site.clone().map(|(v, _, g)| (v, g)),
        &service_facility,
    );
    let project_layer = projects::layer(project, &list, &lonlat)?;
    project.add_layer(project_layer);
    let current = facilities::current_layer(project, world, &villages, inputs.czrk);
    project.add_layer(current);
    let planned = facilities::planned_layer(project, world, &villages, &service_facility);
    project.add_layer(planned);
    let ghrk = planned_population(world, demo, inputs, growth_village);
    set_population(project, &ghrk)?;

    records(
        world,
        &villages,
        book,
        &lonlat,
        growth_village,
        &ghrk,
        inputs,
        farmland_site,
        &list,
    )
}

/// 管控边界 and 三生空间 of the villages, through the editor's drafts, each as a layer added
/// with one edit (hidden at first: they cover the planned land use on the map).
fn add_drafts(project: &mut Project, world: &World, demo: &[usize]) -> Result<()> {
    let codes: Vec<&str> = demo
        .iter()
        .map(|&v| world.inputs.villages[v].code.as_str())
        .collect();
    let mut zones = Vec::new();
    for code in &codes {
        zones.extend(draft_control_zones(project, Some(code))?);
    }
    let layer = hidden(
        new_plan_layer(project, LayerRole::ControlZone),
        "gkbj",
        "管控边界（合成）",
    );
    let edit = control_zones_edit(&layer, zones);
    project.add_layer(layer);
    edit.apply(project)?;
    let mut spaces = Vec::new();
    for code in &codes {
        spaces.extend(draft_three_spaces(project, Some(code))?);
    }
    let layer = hidden(
        new_plan_layer(project, LayerRole::ThreeSpaces),
        "sskj",
        "三生空间（合成）",
    );
    let edit = three_spaces_edit(&layer, spaces);
    project.add_layer(layer);
    edit.apply(project)?;
    Ok(())
}

fn hidden(mut layer: Layer, id: &str, name: &str) -> Layer {
    layer.id = id.into();
    layer.name = name.into();
    layer.style.visible = false;
    layer
}

/// The deliberate project's site: a disc in the largest 永久基本农田 耕地 parcel of the
/// demonstration village with most of it — (village, parcel, land).
fn farmland_site(
    world: &World,
    demo: &[usize],
    constraints: &Constraints,
) -> Result<Option<(usize, usize, geo::MultiPolygon)>> {
    let farmland = |v: usize| -> Vec<usize> {
        world
            .parcels_of_village(v)
            .into_iter()
            .filter(|&i| {
                constraints.farmland.contains(&i)
                    && super::deduction::is_cultivated(world.land_use[i].dlbm)
            })
            .collect()
    };
    let total = |v: usize| farmland(v).iter().map(|&i| world.area[i]).sum::<f64>();
    let Some(v) = demo
        .iter()
        .copied()
        .filter(|&v| total(v) > 0.0)
        .max_by(|&a, &b| total(a).total_cmp(&total(b)).then(b.cmp(&a)))
    else {
        return Ok(None);
    };
    let Some(i) = farmland(v)
        .into_iter()
        .max_by(|&a, &b| world.area[a].total_cmp(&world.area[b]).then(b.cmp(&a)))
    else {
        return Ok(None);
    };
    let parcel = geo::MultiPolygon(vec![geo::Polygon::new(
        geo::LineString::from(world.rings[i].clone()),
        vec![],
    )]);
    let centre = geo::InteriorPoint::interior_point(&parcel).map_or(world.pos[i], |p| p.0);
    let (site, _) = sites::cut(
        &parcel,
        &sites::disc(centre, FARMLAND_PROJECT_RADIUS),
        "the project site on farmland",
    )?;
    Ok((!site.0.is_empty()).then_some((v, i, site)))
}

/// 规划人口: 常住人口 grown a little in the seat and the village that grows, steady
/// (±4 %) elsewhere.
fn planned_population(
    world: &World,
    demo: &[usize],
    inputs: PlanInputs,
    growth: Option<usize>,
) -> Vec<(usize, i64)> {
    demo.iter()
        .map(|&v| {
            let factor = if Some(v) == growth {
                1.12
            } else if inputs.seat[v] {
                1.06
            } else {
                let code: u64 = world.inputs.villages[v].code.parse().unwrap_or(0);
                0.96 + 0.08 * unit_hash(inputs.seed ^ code)
            };
            (v, (inputs.czrk[v] as f64 * factor).round() as i64)
        })
        .collect()
}

/// Writes `GHRK` on the village layer (NULL outside the demonstration zone).
fn set_population(project: &mut Project, ghrk: &[(usize, i64)]) -> Result<()> {
    let Some(villages) = project.layer_mut("villages") else {
        return Ok(());
    };
    let col = villages.ensure_field(FieldDef::new("GHRK", FieldKind::Integer));
    for &(v, n) in ghrk {
        villages.set_value(v, col, AttrValue::Integer(n))?;
    }
    Ok(())
}

/// The records for `sample_expectations`: each planned village with its construction land
/// and changes, the village whose construction land grows, the project on farmland.
#[allow(clippy::too_many_arguments)]
fn records(
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
    book: &CodeBook,
    lonlat: &Transformer,
    growth: Option<usize>,
    ghrk: &[(usize, i64)],
    inputs: PlanInputs,
    farmland_site: Option<(usize, usize, geo::MultiPolygon)>,
    projects: &[projects::PlannedProject],
) -> Result<Map<String, Value>> {
    let mut planned = Vec::new();
    let mut growth_record = Vec::new();
    for (v, parcels) in villages {
        let rec = &world.inputs.villages[*v];
        let land = construction(world, *v, parcels, book, lonlat)?;
        let changes: Vec<Value> = parcels
            .iter()
            .filter(|p| p.piece.change != Change::Kept)
            .map(|p| {
                json!({"change": p.piece.change.key(), "BSM": p.bsm, "GHDLBM": p.piece.code,
                       "GHDLMJ": p.ghdlmj})
            })
            .collect();
        let refined: Vec<Value> = parcels
            .iter()
            .filter(|p| p.piece.note.contains("待细分"))
            .map(|p| {
                json!({"BSM": p.bsm, "DLBM": world.land_use[p.piece.base].dlbm,
                            "GHDLBM": p.piece.code})
            })
            .collect();
        let population = ghrk.iter().find(|(x, _)| x == v).map(|(_, n)| *n);
        if Some(*v) == growth {
            let (base, plan) = (
                land["base"]["ellipsoidal"].as_f64().unwrap_or(0.0),
                land["planned"]["ellipsoidal"].as_f64().unwrap_or(0.0),
            );
            let housing: Vec<&str> = parcels
                .iter()
                .filter(|p| p.piece.change == Change::NewHousing)
                .map(|p| p.bsm.as_str())
                .collect();
            growth_record.push(json!({
                "XZQDM": rec.code, "XZQMC": rec.name, "basis": "ellipsoidal",
                "base_m2": base, "planned_m2": plan, "growth_m2": round(plan - base),
                "new_housing_BSM": housing,
            }));
        }
        planned.push(json!({
            "XZQDM": rec.code, "XZQMC": rec.name, "CZRK": inputs.czrk[*v], "GHRK": population,
            "parcels": parcels.len(), "construction_land_m2": land,
            "changes": changes, "refined": refined,
        }));
    }
    let mut farmland_conflicts = Vec::new();
    if let Some((v, i, site)) = farmland_site {
        let code = &world.inputs.villages[v].code;
        if let Some((k, p)) = projects
            .iter()
            .enumerate()
            .find(|(_, p)| p.village == *code && p.kind == "特色产业")
        {
            farmland_conflicts.push(json!({
                "feature_id": k + 1, "XMMC": p.name, "XMLX": p.kind, "XZQDM": code,
                "parcel_BSM": world.bsm[i], "area_m2": round(geo::Area::unsigned_area(&site)),
                "basis": "planar",
            }));
        }
    }
    let mut out = Map::new();
    out.insert(
        "construction_land_definition".into(),
        json!("用地用海 07–16 及 2301 空闲地（村域建设用地，docs/domain.md §6.1；06 农业设施建设用地不计）"),
    );
    out.insert("planned_villages".into(), Value::Array(planned));
    out.insert(
        "planned_construction_growth".into(),
        Value::Array(growth_record),
    );
    out.insert(
        "project_farmland_conflicts".into(),
        Value::Array(farmland_conflicts),
    );
    Ok(out)
}
