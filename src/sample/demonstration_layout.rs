//! The county plan's 一区一带三线 drawn on the sample (generated, deterministic, SYNTHETIC —
//! the seed names the units and seats; positions and widths are ours), and designations
//! that reach part of the 3 / 24 / 300 targets so the progress is visible and incomplete.
//!
//! - 一区: 凤山镇 and 洛党镇 whole, and 勐佑镇's 勐佑, 中和, 河东, 新林, 鱼塘, 习谦 村 (dissolved).
//! - 一带: 沿江示范带 along the 澜沧江 and 黑惠江 centre lines, 2 km wide.
//! - 三线: 锦秀线, 古墨线, 琼英线 along the roads through their townships' seats, 1 km wide
//!   (straight through the seats where the road route would cross itself — not on the
//!   committed sample; `sample_expectations.demonstration_layout.line_routes` says which).
//! - Designations: 2 of 3 示范乡镇 (凤山镇, 洛党镇); 精品示范村 among the villages the plan
//!   makes 集聚提升类 or 特色保护类 whose interior point lies in an area, up to
//!   [`SHOWCASE_VILLAGES`]; 美丽村庄 among the natural villages inside an area, at most two per
//!   administrative village, up to [`BEAUTIFUL_VILLAGES`].

use geo::{Contains, InteriorPoint, MultiLineString, MultiPolygon};
use serde_json::{Value, json};

use crate::analysis::demonstration::{Designation, designate};
use crate::edit::History;
use crate::edit::demonstration::{
    DemoLabel, add_corridor, add_zone, line_along_roads, line_through_seats,
    new_demonstration_layer, zone_geometry,
};
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::admin::AdminUnits;
use crate::model::demonstration::{CorridorLine, DemoKind, LineEnds, line_of};
use crate::model::settlements::NaturalVillages;
use crate::model::{LayerRole, Project};

/// 精品示范村 the sample designates (of the target 24).
pub const SHOWCASE_VILLAGES: usize = 15;
/// 美丽村庄 the sample designates (of the target 300).
pub const BEAUTIFUL_VILLAGES: usize = 180;

const NOTE: &str = "合成示例：按县规划“一区一带三线”生成的示意范围，非正式成果";

/// The 一区's whole townships (short names) and 勐佑镇's villages in it.
const ZONE_TOWNSHIPS: [&str; 2] = ["凤山", "洛党"];
const ZONE_TOWNSHIP_OF_VILLAGES: &str = "勐佑";
const ZONE_VILLAGES: [&str; 6] = ["勐佑", "中和", "河东", "新林", "鱼塘", "习谦"];

/// The three lines: name and seats in route order.
const LINES: [(&str, &[&str]); 3] = [
    ("锦秀线", &["腰街", "小湾", "大寺"]),
    ("古墨线", &["诗礼", "鲁史", "新华"]),
    ("琼英线", &["雪山", "三岔河", "郭大寨", "营盘", "勐佑"]),
];
const LINE_WIDTH_M: f64 = 1_000.0;
const BELT_WIDTH_M: f64 = 2_000.0;

/// Adds the layout and the designations to `project`; `candidates` are the codes of the
/// villages a 精品示范村 may be chosen among, in preference order. Returns what was drawn and
/// designated, for the sample's expectations.
pub fn add_layout(project: &mut Project, candidates: &[String]) -> Result<Value> {
    let mut layer = new_demonstration_layer(project);
    layer.name = "示范区带线（合成示意）".into();
    let id = layer.id.clone();
    project.add_layer(layer);
    let mut history = History::default();
    let label = |name: &str| DemoLabel {
        name: name.into(),
        theme: String::new(),
        note: NOTE.into(),
    };

    let (zone, towns) = zone_of_units(project)?;
    let edit = add_zone(project, &id, &label("一区"), zone.clone())?;
    history.apply(project, "一区", edit)?;

    let rivers = river_lines(project)?;
    let belt = CorridorLine {
        centre: rivers,
        width_m: BELT_WIDTH_M,
        ends: LineEnds::Round,
    };
    let edit = add_corridor(project, &id, &label("沿江示范带"), DemoKind::Belt, &belt)?;
    history.apply(project, "沿江示范带", edit)?;

    let mut routes = serde_json::Map::new();
    for (name, seats) in LINES {
        let along = |centre| CorridorLine {
            centre,
            width_m: LINE_WIDTH_M,
            ends: LineEnds::Round,
        };
        // Along the roads; where the generated roads make that route cross itself (other
        // seeds and parcel counts move seats and so the roads' ends), straight through the
        // seats instead, and said so in the expectations.
        let by_road = line_along_roads(project, seats).and_then(|centre| {
            add_corridor(project, &id, &label(name), DemoKind::Line, &along(centre))
        });
        let edit = match by_road {
            Ok(edit) => {
                routes.insert(name.into(), "along the roads".into());
                edit
            }
            Err(why) => {
                routes.insert(
                    name.into(),
                    format!("straight through the seats: {why}").into(),
                );
                let centre = line_through_seats(project, seats)?;
                add_corridor(project, &id, &label(name), DemoKind::Line, &along(centre))?
            }
        };
        history.apply(project, name, edit)?;
    }

    let areas: Vec<MultiPolygon<f64>> = project
        .layer(&id)
        .map(|l| l.features().iter())
        .into_iter()
        .flatten()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| MultiPolygon(polygons_of(g)))
        .collect();
    let inside = |p: geo::Point<f64>| areas.iter().any(|a| a.contains(&p));

    let villages = AdminUnits::villages(project)?;
    let showcase: Vec<String> = candidates
        .iter()
        .filter(|code| {
            villages
                .by_code(code)
                .and_then(|u| villages.geometry(u))
                .and_then(|g| g.interior_point())
                .is_some_and(inside)
        })
        .take(SHOWCASE_VILLAGES)
        .cloned()
        .collect();

    let naturals = NaturalVillages::read(project)?;
    let mut beautiful: Vec<String> = Vec::new();
    let mut per_village: Option<(String, usize)> = None;
    let mut in_order: Vec<_> = naturals.list.iter().collect();
    in_order.sort_by(|a, b| a.code.cmp(&b.code));
    for n in in_order {
        if beautiful.len() == BEAUTIFUL_VILLAGES {
            break;
        }
        let count = match &per_village {
            Some((v, c)) if *v == n.village_code => c + 1,
            _ => 1,
        };
        per_village = Some((n.village_code.clone(), count));
        if count <= 2 && inside(geo::Point(n.point)) {
            beautiful.push(n.code.clone());
        }
    }

    for (d, codes) in [
        (Designation::Township, &towns),
        (Designation::Village, &showcase),
        (Designation::NaturalVillage, &beautiful),
    ] {
        for code in codes {
            designate(project, d, code, false)?;
        }
    }
    Ok(json!({
        "areas": ["一区", "沿江示范带", "锦秀线", "古墨线", "琼英线"],
        "line_routes": routes,
        "乡村振兴示范乡镇": towns,
        "精品示范村": showcase,
        "美丽村庄": beautiful.len(),
    }))
}

/// The 一区: its two towns and 勐佑镇's six villages, dissolved; and the two towns' codes
/// (they are the sample's 示范乡镇).
fn zone_of_units(project: &Project) -> Result<(MultiPolygon<f64>, Vec<String>)> {
    let townships = AdminUnits::townships(project)?;
    let villages = AdminUnits::villages(project)?;
    let town_codes: Vec<String> = ZONE_TOWNSHIPS
        .iter()
        .map(|short| unit_code(&townships, short, None))
        .collect::<Result<_>>()?;
    let mengyou = unit_code(&townships, ZONE_TOWNSHIP_OF_VILLAGES, None)?;
    let village_codes: Vec<String> = ZONE_VILLAGES
        .iter()
        .map(|short| unit_code(&villages, short, Some(&mengyou)))
        .collect::<Result<_>>()?;
    let t: Vec<&str> = town_codes.iter().map(String::as_str).collect();
    let v: Vec<&str> = village_codes.iter().map(String::as_str).collect();
    Ok((zone_geometry(project, &t, &v, None)?, town_codes))
}

/// The code of the unit whose name starts with `short` (within the township `within`).
fn unit_code(units: &AdminUnits, short: &str, within: Option<&str>) -> Result<String> {
    units
        .list
        .iter()
        .find(|u| u.name.starts_with(short) && within.is_none_or(|t| u.code.starts_with(t)))
        .map(|u| u.code.clone())
        .ok_or_else(|| Error::Invalid(format!("sample: no unit named {short}…")))
}

/// Every line of the 河流中心线 layer, as one centre line.
fn river_lines(project: &Project) -> Result<MultiLineString<f64>> {
    let layer = project
        .layer_by_role(LayerRole::River)
        .ok_or_else(|| Error::Invalid("sample: no 河流中心线 layer".into()))?;
    Ok(MultiLineString(
        layer
            .features()
            .iter()
            .filter_map(|f| f.geometry.as_ref().and_then(line_of))
            .flat_map(|m| m.0)
            .collect(),
    ))
}
