//! Public facilities of the demonstration villages: the base year's (现状 `GGJCSSD`) at the
//! settlement, and the plan's (规划 `GHGGJCSSD`) on the public-service site and along the
//! new road. Codes and names are those of docs/domain.md §6.6.

use geo::{Contains, Geometry, InteriorPoint, MultiPolygon, Point};

use super::land_use::Change;
use super::parcels::{PlannedParcel, row, text};
use crate::edit::new_plan_layer;
use crate::model::{Feature, Layer, LayerRole, Project};
use crate::sample::world::World;

/// The facility codes of docs/domain.md §6.6.
pub const FACILITY_CODES: [(&str, &str); 29] = [
    ("01", "村委会"),
    ("02", "综合服务中心"),
    ("03", "基层综合性文化服务中心"),
    ("04", "文化活动场所"),
    ("05", "健身场地"),
    ("06", "运动场地"),
    ("07", "中学"),
    ("08", "小学"),
    ("09", "托儿所、幼儿园"),
    ("10", "幸福院"),
    ("11", "村卫生所"),
    ("12", "集贸市场"),
    ("13", "村邮站"),
    ("14", "公共厕所"),
    ("15", "供水设施"),
    ("16", "城乡公交停靠点"),
    ("17", "停车场"),
    ("18", "垃圾转运站"),
    ("19", "垃圾收集点"),
    ("20", "污水处理设施"),
    ("21", "农村避灾点"),
    ("22", "电力设施"),
    ("23", "古街古巷"),
    ("24", "古民居"),
    ("25", "宗祠、寺庙"),
    ("26", "古树"),
    ("27", "古井"),
    ("28", "古桥"),
    ("99", "其他"),
];

/// The name of a facility code.
pub fn facility_name(code: &str) -> &'static str {
    FACILITY_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他", |(_, n)| n)
}

/// Facilities every village has in the base year, and those of a township seat's town.
const VILLAGE_FACILITIES: &[&str] = &["01", "11", "04", "19", "15"];
const TOWN_FACILITIES: &[&str] = &["01", "07", "08", "12", "13", "16"];
/// What a plan adds beside the public-service site's own facility.
const PLANNED_VILLAGE: &[&str] = &["17", "21", "20"];
const PLANNED_TOWN: &[&str] = &["17", "14"];
/// 常住人口 from which a village keeps its own primary school.
const SCHOOL_POPULATION: i64 = 1_800;

/// Offsets (m) from a piece's interior point for successive points, so facilities do not
/// sit on each other.
const STEPS: [(f64, f64); 9] = [
    (0.0, 0.0),
    (30.0, 0.0),
    (-30.0, 0.0),
    (0.0, 30.0),
    (0.0, -30.0),
    (30.0, 30.0),
    (-30.0, -30.0),
    (30.0, -30.0),
    (-30.0, 30.0),
];

/// The `k`-th point inside `piece` along [`STEPS`] (the interior point when fewer fit).
fn spot(piece: &MultiPolygon, k: usize) -> Option<Point> {
    let start = piece.interior_point()?;
    STEPS
        .iter()
        .map(|&(x, y)| Point::new(start.x() + x, start.y() + y))
        .filter(|p| piece.contains(p))
        .nth(k)
        .or(Some(start))
}

/// Where a village's facilities stand: its largest remaining settlement (or town) piece,
/// else the piece holding its settlement nucleus.
fn anchor<'a>(world: &World, v: usize, parcels: &'a [PlannedParcel]) -> Option<&'a PlannedParcel> {
    let built = |p: &&PlannedParcel| {
        p.piece.change == Change::Kept
            && matches!(world.land_use[p.piece.base].dlbm, "0702" | "0701")
    };
    parcels
        .iter()
        .filter(built)
        .max_by(|a, b| a.planar.total_cmp(&b.planar))
        .or_else(|| {
            parcels
                .iter()
                .filter(|p| p.piece.base == world.nucleus[v])
                .max_by(|a, b| a.planar.total_cmp(&b.planar))
        })
}

/// One facility point.
struct Facility {
    village: String,
    code: &'static str,
    at: Point,
    note: &'static str,
}

fn points_layer(
    project: &Project,
    role: LayerRole,
    id: &str,
    name: &str,
    (code_field, name_field): (&str, &str),
    facilities: Vec<Facility>,
) -> Layer {
    let fields = new_plan_layer(project, role).fields().to_vec();
    let features = facilities
        .into_iter()
        .enumerate()
        .map(|(k, f)| Feature {
            id: k as i64 + 1,
            geometry: Some(Geometry::Point(f.at)),
            attributes: row(
                &fields,
                &[
                    (code_field, text(f.code)),
                    (name_field, text(facility_name(f.code))),
                    ("CZDM", text(&f.village)),
                    ("BZ", text(f.note)),
                ],
            ),
        })
        .collect();
    Layer::new(id, name, role, fields, features)
}

/// 现状公服设施点 of the villages (`czrk`: 常住人口 by village position).
pub fn current_layer(
    project: &Project,
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
    czrk: &[i64],
) -> Layer {
    let mut out = Vec::new();
    for (v, parcels) in villages {
        let Some(home) = anchor(world, *v, parcels) else {
            continue;
        };
        let town = home.piece.town;
        let mut codes: Vec<&'static str> = if town {
            TOWN_FACILITIES.to_vec()
        } else {
            VILLAGE_FACILITIES.to_vec()
        };
        if !town && czrk[*v] >= SCHOOL_POPULATION {
            codes.push("08");
        }
        for (k, code) in codes.into_iter().enumerate() {
            if let Some(at) = spot(&home.piece.geometry, k) {
                out.push(Facility {
                    village: world.inputs.villages[*v].code.clone(),
                    code,
                    at,
                    note: "现状（合成）",
                });
            }
        }
    }
    points_layer(
        project,
        LayerRole::PublicFacility,
        "ggjcssd",
        "现状公服设施点（合成）",
        ("SSLXDM", "SSLXMC"),
        out,
    )
}

/// 规划公服设施点: the facility of each public-service site, and what the plan adds at
/// the settlement or town. `service_facility` gives the facility code of a site code.
pub fn planned_layer(
    project: &Project,
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
    service_facility: &dyn Fn(&str) -> &'static str,
) -> Layer {
    let mut out = Vec::new();
    for (v, parcels) in villages {
        let code = &world.inputs.villages[*v].code;
        for site in parcels
            .iter()
            .filter(|p| p.piece.change == Change::PublicService)
        {
            if let Some(at) = spot(&site.piece.geometry, 0) {
                out.push(Facility {
                    village: code.clone(),
                    code: service_facility(&site.piece.code),
                    at,
                    note: "规划新建（合成）",
                });
            }
        }
        let Some(home) = anchor(world, *v, parcels) else {
            continue;
        };
        let added = if home.piece.town {
            PLANNED_TOWN
        } else {
            PLANNED_VILLAGE
        };
        // Past the base year's points at the same anchor, so none coincide.
        let taken = if home.piece.town {
            TOWN_FACILITIES.len()
        } else {
            VILLAGE_FACILITIES.len() + 1
        };
        for (k, &facility) in added.iter().enumerate() {
            if let Some(at) = spot(&home.piece.geometry, (taken + k) % STEPS.len()) {
                out.push(Facility {
                    village: code.clone(),
                    code: facility,
                    at,
                    note: "规划新建（合成）",
                });
            }
        }
    }
    points_layer(
        project,
        LayerRole::PlannedFacility,
        "ghggjcssd",
        "规划公服设施点（合成）",
        ("GHSSLXDM", "GHSSLXMC"),
        out,
    )
}
