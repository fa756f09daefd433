//! The 近期建设项目 of the demonstration villages (docs/domain.md §6.5): a handful of
//! polygons of the seed plan's five kinds — 特色产业, 稳岗就业, 基础设施, 公共服务, 综合保障 —
//! each on the land the plan gives it (a road, a service site, the town's workshop site, the
//! new housing), except the deliberate one: an agricultural processing and cold-store
//! building drawn on 永久基本农田 while the planned land use there stays 耕地.
//!
//! Investments are illustrative: land area × a rate per kind (roads about 350 元/m² of
//! hardened surface, buildings more), rounded to 0.1 万元.

use geo::{Area, Geometry, MultiPolygon};

use super::land_use::Change;
use super::parcels::{PlannedParcel, finish, row, text};
use crate::analysis::areas::ellipsoidal_area;
use crate::crs::Transformer;
use crate::edit::new_plan_layer;
use crate::error::Result;
use crate::model::{AttrValue, Feature, Layer, LayerRole, Project};
use crate::sample::layers::polygonal;
use crate::sample::world::World;

/// Most projects a sample plan lists.
const MAX_PROJECTS: usize = 8;
/// Roads and service sites listed as projects (the first villages that have them).
const PER_KIND: usize = 2;

/// One project before it becomes a feature.
#[derive(Debug, Clone)]
pub struct PlannedProject {
    /// `XMLX`.
    pub kind: &'static str,
    /// `XMMC`.
    pub name: String,
    /// 12-digit village code.
    pub village: String,
    /// Its land.
    pub geometry: MultiPolygon,
    /// `GDCS`.
    pub floors: &'static str,
    /// `FMGK`.
    pub style: &'static str,
    /// `JSNX`.
    pub years: &'static str,
    /// 万元 per m² of land.
    pub rate: f64,
    /// `JYZJLY`.
    pub funding: &'static str,
}

const BUILDING_STYLE: &str = "坡屋顶、青瓦白墙，檐口高度不超过 10 m，与村庄传统风貌协调";

/// A village's name without 村民委员会, with 村.
fn short(world: &World, v: usize) -> String {
    let name = world.inputs.villages[v].name.trim_end_matches("村民委员会");
    format!("{}村", name.trim_end_matches('村'))
}

fn pieces_of(parcels: &[PlannedParcel], change: Change, town: bool) -> Option<MultiPolygon> {
    let polygons: Vec<geo::Polygon> = parcels
        .iter()
        .filter(|p| p.piece.change == change && p.piece.town == town)
        .flat_map(|p| p.piece.geometry.0.clone())
        .collect();
    (!polygons.is_empty()).then_some(MultiPolygon(polygons))
}

/// The projects of the plan. `service` names the facility of a site code (幸福院 …);
/// `farmland_site` is the deliberate project's village and land, when the zone has
/// farmland.
pub fn projects(
    world: &World,
    villages: &[(usize, Vec<PlannedParcel>)],
    growth: Option<usize>,
    farmland_site: Option<(usize, MultiPolygon)>,
    service: &dyn Fn(&str) -> &'static str,
) -> Vec<PlannedProject> {
    let mut out = Vec::new();
    let code = |v: usize| world.inputs.villages[v].code.clone();
    if let Some((v, geometry)) = farmland_site {
        out.push(PlannedProject {
            kind: "特色产业",
            name: format!(
                "{}现代农业产业园农产品初加工及冷链仓储用房",
                short(world, v)
            ),
            village: code(v),
            geometry,
            floors: "1层",
            style: BUILDING_STYLE,
            years: "2024—2025",
            rate: 0.05,
            funding: "企业投资、村集体经济入股",
        });
    }
    for (v, parcels) in villages {
        if let Some(geometry) = pieces_of(parcels, Change::Workshop, true) {
            out.push(PlannedProject {
                kind: "稳岗就业",
                name: format!("{}集镇就业帮扶车间", short(world, *v)),
                village: code(*v),
                geometry,
                floors: "1层",
                style: BUILDING_STYLE,
                years: "2023—2024",
                rate: 0.06,
                funding: "沪滇协作资金、村集体经济",
            });
        }
    }
    for (v, parcels) in villages.iter().filter(|(v, _)| Some(*v) == growth) {
        if let Some(geometry) = pieces_of(parcels, Change::NewHousing, false) {
            out.push(PlannedProject {
                kind: "综合保障",
                name: format!("{}农房建设集中安置点（统规自建）", short(world, *v)),
                village: code(*v),
                geometry,
                floors: "3层及以下",
                style: BUILDING_STYLE,
                years: "2023—2025",
                rate: 0.015,
                funding: "农户自筹、农村危房改造补助资金",
            });
        }
    }
    let roads = villages
        .iter()
        .filter_map(|(v, parcels)| Some((*v, pieces_of(parcels, Change::Road, false)?)))
        .take(PER_KIND);
    for (v, geometry) in roads {
        out.push(PlannedProject {
            kind: "基础设施",
            name: format!("{}村内主干道硬化工程", short(world, v)),
            village: code(v),
            geometry,
            floors: "—",
            style: "水泥混凝土路面，路侧种植乡土树种",
            years: "2023—2024",
            rate: 0.035,
            funding: "中央财政衔接推进乡村振兴补助资金、县级财政配套",
        });
    }
    let services = villages
        .iter()
        .filter_map(|(v, parcels)| {
            let site = parcels
                .iter()
                .find(|p| p.piece.change == Change::PublicService)?;
            Some((*v, site.piece.code.clone(), site.piece.geometry.clone()))
        })
        .take(PER_KIND);
    for (v, site_code, geometry) in services {
        out.push(PlannedProject {
            kind: "公共服务",
            name: format!(
                "{}{}建设项目",
                short(world, v),
                super::facilities::facility_name(service(&site_code))
            ),
            village: code(v),
            geometry,
            floors: "2层",
            style: BUILDING_STYLE,
            years: "2024—2025",
            rate: 0.045,
            funding: "衔接推进乡村振兴补助资金、沪滇协作资金",
        });
    }
    out.truncate(MAX_PROJECTS);
    out
}

/// The 近期建设项目 layer. `YDMJ` is the ellipsoidal land area in 公顷 (4 decimals).
pub fn layer(
    project: &Project,
    projects: &[PlannedProject],
    lonlat: &Transformer,
) -> Result<Layer> {
    let fields = new_plan_layer(project, LayerRole::ConstructionProject)
        .fields()
        .to_vec();
    let mut features = Vec::new();
    for p in projects {
        let geometry = polygonal(p.geometry.clone());
        let m2 = ellipsoidal_area(&Geometry::MultiPolygon(p.geometry.clone()), lonlat)?;
        let tze = (p.geometry.unsigned_area() * p.rate * 10.0).round() / 10.0;
        let values = [
            ("XMLX", text(p.kind)),
            ("XMMC", text(&p.name)),
            ("YDMJ", AttrValue::Real(m2.round() / 10_000.0)),
            ("GDCS", text(p.floors)),
            ("FMGK", text(p.style)),
            ("JSNX", text(p.years)),
            ("TZE", AttrValue::Real(tze)),
            ("JYZJLY", text(p.funding)),
            ("CZDM", text(&p.village)),
            (
                "BZ",
                text("合成示例；用地面积 YDMJ 为椭球面积（公顷），投资额为示意值"),
            ),
        ];
        features.push(Feature {
            id: features.len() as i64 + 1,
            geometry: Some(geometry),
            attributes: row(&fields, &values),
        });
    }
    finish(Layer::new(
        "jqjsxm",
        "近期建设项目（合成）",
        LayerRole::ConstructionProject,
        fields,
        features,
    ))
}
