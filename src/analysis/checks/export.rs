//! The check results as files for reviewers: CSV (one row per result, the problem's centre
//! in the working CRS) and RFC 7946 GeoJSON (the problem's own geometry). Shared by
//! `villageplan check` and the review package, so both give the reviewer the same columns.

use serde_json::{Value, json};

use super::{CheckReport, CheckResult};
use crate::error::{Error, Result};
use crate::io::{self, GeoJsonOutput};
use crate::model::Project;

fn village_text(r: &CheckResult) -> (String, String) {
    r.village
        .as_ref()
        .map(|v| (v.code.clone(), v.name.clone()))
        .unwrap_or_default()
}

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("check results as CSV: {e}"))
}

/// The results as CSV text.
pub fn csv_text(report: &CheckReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "severity",
        "rule_id",
        "rule_name",
        "village_code",
        "village_name",
        "layer_id",
        "feature_ids",
        "bsm",
        "area_m2",
        "area_mu",
        "x",
        "y",
        "message_zh",
        "message_en",
        "exception",
        "key",
    ])
    .map_err(csv_error)?;
    for r in &report.results {
        let (code, name) = village_text(r);
        let centre = r.bbox().map(|b| b.center());
        w.write_record([
            r.severity.key().to_string(),
            r.rule_id.clone(),
            r.rule_name_zh.clone(),
            code,
            name,
            r.layer_id.clone(),
            r.feature_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            r.bsms.join(","),
            r.area_m2.map(|a| format!("{a:.2}")).unwrap_or_default(),
            r.area_mu().map(|a| format!("{a:.4}")).unwrap_or_default(),
            centre.map(|c| format!("{:.3}", c.x)).unwrap_or_default(),
            centre.map(|c| format!("{:.3}", c.y)).unwrap_or_default(),
            r.message_zh.clone(),
            r.message_en.clone(),
            r.exception.clone().unwrap_or_default(),
            r.key.clone(),
        ])
        .map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(csv_error)?;
    String::from_utf8(bytes).map_err(csv_error)
}

/// One result's properties (everything but its geometry).
pub fn result_properties(r: &CheckResult) -> Value {
    json!({
        "rule_id": r.rule_id,
        "rule_name": r.rule_name_zh,
        "severity": r.severity.key(),
        "village_code": r.village.as_ref().map(|v| v.code.clone()),
        "village_name": r.village.as_ref().map(|v| v.name.clone()),
        "layer_id": r.layer_id,
        "feature_ids": r.feature_ids,
        "bsm": r.bsms,
        "area_m2": r.area_m2,
        "area_mu": r.area_mu(),
        "message_zh": r.message_zh,
        "message_en": r.message_en,
        "exception": r.exception,
        "key": r.key,
    })
}

/// RFC 7946 GeoJSON (see [`io::feature_collection`]): one feature per result, numbered
/// from 1; results whose geometry cannot be written are in `left_out`.
pub fn results_geojson(project: &Project, report: &CheckReport) -> Result<GeoJsonOutput> {
    let features = report
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| io::OutFeature {
            id: i as i64 + 1,
            geometry: r.geometry.clone(),
            properties: match result_properties(r) {
                Value::Object(map) => map,
                _ => serde_json::Map::new(),
            },
        });
    io::feature_collection(
        "质检结果",
        features,
        project.crs,
        io::GeoJsonVariant::Rfc7946,
    )
}
