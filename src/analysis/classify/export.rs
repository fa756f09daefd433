//! The classification as files for reviewers: CSV (every village with its type, the
//! deciding rule, the reason and the indicators) and RFC 7946 GeoJSON (the villages'
//! polygons with their results and ellipsoidal areas). Shared by `villageplan classify` and
//! the review package.

use geojson::{JsonObject, JsonValue};

use super::{Classification, Indicator, VillageResult};
use crate::analysis::areas::{AreaBasis, AreaMeasure};
use crate::analysis::review;
use crate::error::{Error, Result};
use crate::io::{self, GeoJsonOutput, GeoJsonVariant, OutFeature};
use crate::model::{LayerRole, Project};

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("classification as CSV: {e}"))
}

/// Every village of `result` as CSV text.
pub fn csv_text(result: &Classification) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "村代码",
        "村名称",
        "乡镇",
        "类型",
        "规则计算类型",
        "决定规则",
        "理由",
        "reason_en",
        "覆盖类型",
        "覆盖理由",
        "冲突",
    ]
    .map(String::from)
    .to_vec();
    header.extend(Indicator::ALL.iter().map(|i| i.key().to_string()));
    w.write_record(&header).map_err(csv_error)?;
    for v in &result.villages {
        let mut row = vec![
            v.code.clone(),
            v.name.clone(),
            v.township.clone(),
            v.final_type().to_string(),
            v.computed_type.to_string(),
            v.rule.clone().unwrap_or_default(),
            v.reason_zh.clone(),
            v.reason_en.clone(),
            v.override_
                .as_ref()
                .map(|o| o.village_type.to_string())
                .unwrap_or_default(),
            v.override_
                .as_ref()
                .map(|o| o.reason.clone())
                .unwrap_or_default(),
            conflicts(v),
        ];
        row.extend(Indicator::ALL.iter().map(|i| {
            v.indicators
                .get(i)
                .map(|x| format!("{x}"))
                .unwrap_or_default()
        }));
        w.write_record(&row).map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(csv_error)?;
    String::from_utf8(bytes).map_err(csv_error)
}

fn conflicts(v: &VillageResult) -> String {
    v.conflicts
        .iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The villages of `result` as RFC 7946 GeoJSON (lon/lat): code, name, township, type,
/// rule, reason and the village's ellipsoidal area (m², 公顷, 亩); villages whose polygon
/// cannot be written are in `left_out`.
pub fn classification_geojson(project: &Project, result: &Classification) -> Result<GeoJsonOutput> {
    let villages = project.required_layer(LayerRole::Village)?;
    let basis = AreaBasis::Ellipsoidal;
    let areas = AreaMeasure::new(basis, project.crs).layer_areas(villages)?;
    let basis_text = basis.describe_zh(project.crs);
    let features = result.villages.iter().map(|v| {
        let mut properties = JsonObject::new();
        let mut put = |key: &str, value: JsonValue| {
            properties.insert(key.to_string(), value);
        };
        put("code", v.code.clone().into());
        put("name", v.name.clone().into());
        put("township", v.township.clone().into());
        put("type", v.final_type().name_zh().into());
        put("computed_type", v.computed_type.name_zh().into());
        put(
            "rule",
            v.rule.clone().map_or(JsonValue::Null, JsonValue::from),
        );
        put("reason_zh", v.reason_zh.clone().into());
        put("reason_en", v.reason_en.clone().into());
        put(
            "override_type",
            v.override_
                .as_ref()
                .map_or(JsonValue::Null, |o| o.village_type.name_zh().into()),
        );
        put(
            "override_reason",
            v.override_
                .as_ref()
                .map_or(JsonValue::Null, |o| o.reason.clone().into()),
        );
        put("conflicts", conflicts(v).into());
        if let Some(area) = areas.get(v.feature_index) {
            review::add_area(&mut properties, *area, &basis_text);
        }
        OutFeature {
            id: v.feature_id,
            geometry: villages
                .features()
                .get(v.feature_index)
                .and_then(|f| f.geometry.clone()),
            properties,
        }
    });
    io::feature_collection("村庄分类", features, project.crs, GeoJsonVariant::Rfc7946)
}
