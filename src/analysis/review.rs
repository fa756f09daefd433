//! What a reviewer receives of a layer as GeoJSON: its attributes, and its area in m²,
//! 公顷 and 亩 on the stated basis (the basis in every feature, so a file read on its own
//! still says what its numbers are). The geometry rules (RFC 7946) are
//! [`crate::io::feature_collection`]'s.

use geojson::{JsonObject, JsonValue};

use crate::analysis::areas::{AreaBasis, AreaMeasure};
use crate::error::Result;
use crate::geometry::is_polygonal;
use crate::io::{self, GeoJsonOutput, GeoJsonVariant, OutFeature};
use crate::model::{Layer, Project};
use crate::units::{hectares, mu};

/// Property names of the areas (ASCII, as GIS tools expect of keys).
pub const AREA_M2: &str = "area_m2";
/// 公顷.
pub const AREA_HA: &str = "area_ha";
/// 亩.
pub const AREA_MU: &str = "area_mu";
/// The basis of the three, e.g. 椭球面积（CGCS2000 椭球）.
pub const AREA_BASIS: &str = "area_basis";

fn number(value: f64, decimals: i32) -> JsonValue {
    let f = 10f64.powi(decimals);
    serde_json::Number::from_f64((value * f).round() / f).map_or(JsonValue::Null, JsonValue::Number)
}

/// Adds the area of one feature to its properties (m² to 0.01, 公顷 and 亩 to 4 decimals),
/// replacing properties of the same names.
pub fn add_area(properties: &mut JsonObject, area_m2: f64, basis: &str) {
    properties.insert(AREA_M2.into(), number(area_m2, 2));
    properties.insert(AREA_HA.into(), number(hectares(area_m2), 4));
    properties.insert(AREA_MU.into(), number(mu(area_m2), 4));
    properties.insert(AREA_BASIS.into(), basis.into());
}

/// `layer` of `project` as a feature collection for reviewers: attributes, and for
/// polygonal features the area on `basis`.
pub fn layer_for_review(
    project: &Project,
    layer: &Layer,
    basis: AreaBasis,
    variant: GeoJsonVariant,
) -> Result<GeoJsonOutput> {
    let all: Vec<usize> = (0..layer.features().len()).collect();
    features_for_review(project, layer, &all, basis, variant)
}

/// As [`layer_for_review`], for the features at `positions` of the layer only (one
/// village's part of a county layer).
pub fn features_for_review(
    project: &Project,
    layer: &Layer,
    positions: &[usize],
    basis: AreaBasis,
    variant: GeoJsonVariant,
) -> Result<GeoJsonOutput> {
    let areas = AreaMeasure::new(basis, project.crs).layer_areas(layer)?;
    let basis_text = basis.describe_zh(project.crs);
    let features = positions.iter().filter_map(|&i| {
        let f = layer.features().get(i)?;
        let mut properties = io::attribute_properties(layer, i);
        if f.geometry.as_ref().is_some_and(is_polygonal) {
            add_area(&mut properties, areas[i], &basis_text);
        }
        Some(OutFeature {
            id: f.id,
            geometry: f.geometry.clone(),
            properties,
        })
    });
    io::feature_collection(&layer.name, features, project.crs, variant)
}
