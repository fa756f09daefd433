//! What the tables need to know of each village besides its parcels: its name, township,
//! area, population (常住 `CZRK` and 规划 `GHRK`), the 生态保护红线 and 永久基本农田 inside
//! it, its heritage features and its 管控边界 zones.
//!
//! Overlays run in GEOS through GDAL, as the 管控边界 draft does (see
//! `edit/control_zones/overlay.rs` for why not geo's `BooleanOps` on traced boundaries).

use std::collections::BTreeMap;

use gdal::vector::ToGdal;
use geo::{BoundingRect, Contains, Geometry, InteriorPoint, MultiPolygon};
use serde::Serialize;

use super::accounting::VillageLocator;
use crate::analysis::areas::AreaMeasure;
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::admin::AdminUnits;
use crate::model::{Layer, LayerRole, Project};

/// Names accepted for the resident population (常住人口) column.
const RESIDENT_FIELDS: &[&str] = &["CZRK", "CZRKS", "常住人口"];
/// Names accepted for the planned population (规划人口) column.
const PLANNED_FIELDS: &[&str] = &["GHRK", "GHRKS", "规划人口"];

/// One village's facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageFacts {
    /// 12-digit code.
    pub code: String,
    /// Name from the village layer.
    pub name: String,
    /// The village polygon's area (m², on the tables' basis).
    pub area_m2: f64,
    /// 常住人口, when the village layer has it.
    pub resident_population: Option<f64>,
    /// 规划人口, when the village layer has it.
    pub planned_population: Option<f64>,
    /// 生态保护红线 inside the village (m²); `None` without a red-line layer.
    pub red_line_m2: Option<f64>,
    /// 永久基本农田 inside the village (m²); `None` without a farmland layer.
    pub farmland_m2: Option<f64>,
    /// Heritage features inside the village; `None` without a heritage layer.
    pub heritage: Option<usize>,
}

fn number(layer: &Layer, position: usize, names: &[&str]) -> Option<f64> {
    let col = names.iter().find_map(|n| layer.field_index(n))?;
    layer.features()[position].attributes.get(col)?.as_f64()
}

/// The area of `village ∩ layers` on the measure's basis (features of one layer are
/// assumed not to overlap each other, as the checks require).
fn inside_area(
    village: &MultiPolygon<f64>,
    village_code: &str,
    layers: &[&Layer],
    measure: &AreaMeasure,
) -> Result<f64> {
    let Some(bbox) = village.bounding_rect() else {
        return Ok(0.0);
    };
    let ogr_village = village
        .to_gdal()
        .map_err(|e| Error::geos(format!("take the polygon of village {village_code}"), e))?;
    let mut total = 0.0;
    for layer in layers {
        for i in layer.index().query(bbox.min().into(), bbox.max().into()) {
            let Some(geometry) = layer.features()[i].geometry.as_ref() else {
                continue;
            };
            let parts = polygons_of(geometry);
            if parts.is_empty() {
                continue;
            }
            let what = || {
                format!(
                    "intersect village {village_code} with layer '{}'",
                    layer.name
                )
            };
            let other = MultiPolygon(parts).to_gdal().map_err(|e| {
                Error::geos(what(), e).in_feature(&layer.name, layer.features()[i].id)
            })?;
            let Some(cut) = ogr_village.intersection(&other) else {
                return Err(Error::geos(what(), "").in_feature(&layer.name, layer.features()[i].id));
            };
            if cut.is_empty() {
                continue;
            }
            let cut = Geometry::<f64>::try_from(&cut).map_err(|e| {
                Error::geos(what(), e).in_feature(&layer.name, layer.features()[i].id)
            })?;
            total += measure.area(&cut)?;
        }
    }
    Ok(total)
}

/// Facts of the villages `codes` (those the village layer has).
pub fn village_facts(
    project: &Project,
    units: &AdminUnits,
    codes: &[String],
    measure: &AreaMeasure,
) -> Result<BTreeMap<String, VillageFacts>> {
    let red: Vec<&Layer> = project
        .layers_with_role(LayerRole::EcologicalRedLine)
        .collect();
    let farm: Vec<&Layer> = project
        .layers_with_role(LayerRole::PermanentFarmland)
        .collect();
    let heritage: Vec<&Layer> = project.layers_with_role(LayerRole::Heritage).collect();
    let mut out = BTreeMap::new();
    for code in codes {
        let Some(unit) = units.by_code(code) else {
            continue;
        };
        let polygon = units
            .geometry(unit)
            .map(polygons_of)
            .map(MultiPolygon)
            .unwrap_or_else(|| MultiPolygon(Vec::new()));
        let area_m2 = measure.area(&Geometry::MultiPolygon(polygon.clone()))?;
        let overlay = |layers: &[&Layer]| -> Result<Option<f64>> {
            if layers.is_empty() {
                return Ok(None);
            }
            inside_area(&polygon, code, layers, measure).map(Some)
        };
        let heritage_count = (!heritage.is_empty()).then(|| {
            heritage
                .iter()
                .flat_map(|l| l.features())
                .filter_map(|f| f.geometry.as_ref()?.interior_point())
                .filter(|p| polygon.contains(p))
                .count()
        });
        out.insert(
            code.clone(),
            VillageFacts {
                code: code.clone(),
                name: unit.name.clone(),
                area_m2,
                resident_population: number(units.layer, unit.position, RESIDENT_FIELDS),
                planned_population: number(units.layer, unit.position, PLANNED_FIELDS),
                red_line_m2: overlay(&red)?,
                farmland_m2: overlay(&farm)?,
                heritage: heritage_count,
            },
        );
    }
    Ok(out)
}

/// 管控边界 area per village and zone code (GKBJLXDM), m² on the measure's basis; `None`
/// when the project has no 管控边界 layer. Zones are placed like parcels: by `CZDM`, else by
/// their interior point.
pub fn control_zone_areas(
    project: &Project,
    locator: &VillageLocator,
    measure: &AreaMeasure,
) -> Result<Option<(String, BTreeMap<String, BTreeMap<String, f64>>)>> {
    let Some(layer) = project.layer_by_role(LayerRole::ControlZone) else {
        return Ok(None);
    };
    let code_col = layer.required_field("GKBJLXDM")?;
    let village_col = ["CZDM", "ZLDWDM"].iter().find_map(|n| layer.field_index(n));
    let areas = measure.layer_areas(layer)?;
    let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for (position, feature) in layer.features().iter().enumerate() {
        let code = feature.attributes[code_col]
            .as_text()
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        let village_code = village_col
            .and_then(|c| feature.attributes[c].as_text())
            .map(|t| t.into_owned());
        let place = locator.village_of(village_code.as_deref(), feature.geometry.as_ref());
        if let Some(village) = place.village() {
            *out.entry(village.to_string())
                .or_default()
                .entry(code)
                .or_default() += areas[position];
        }
    }
    Ok(Some((layer.name.clone(), out)))
}
