//! The report for other programs: CSV (UTF-8 with a BOM, which Excel needs for Chinese),
//! an XLSX workbook (one sheet per table, numbers as numbers) and GeoJSON (one feature per
//! area with its summary's figures, RFC 7946 lon/lat through the reviewers' writer, [`crate::io::feature_collection`]).

use std::path::Path;

use geo::Geometry;
use geojson::{JsonObject, JsonValue};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use super::designations::Designation;
use super::report::DemoReport;
use super::sheets::{Cell, explanation, sheets};
use crate::analysis::review;
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::io::{self, GeoJsonVariant, OutFeature, feature_collection};

/// CSV of every sheet: its title line, header and rows, then a blank line; the 说明 last.
pub fn csv_text(report: &DemoReport) -> Result<String> {
    let fail = |e: csv::Error| Error::Invalid(format!("cannot write CSV: {e}"));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for sheet in sheets(report) {
        w.write_record([sheet.title.as_str()]).map_err(fail)?;
        w.write_record(&sheet.header).map_err(fail)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(Cell::text)).map_err(fail)?;
        }
        w.write_record([""]).map_err(fail)?;
    }
    w.write_record(["说明"]).map_err(fail)?;
    for (key, value) in explanation(report) {
        w.write_record([key, value]).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Invalid(format!("cannot write CSV: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| Error::Invalid(format!("cannot write CSV: {e}")))?;
    Ok(format!("\u{feff}{text}"))
}

fn workbook_bytes(report: &DemoReport) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let header = cell.clone().set_bold().set_text_wrap();
    let text = cell.clone().set_num_format("@");
    let number = |decimals: usize| {
        let pattern = if decimals == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(decimals))
        };
        cell.clone().set_num_format(pattern)
    };
    for sheet in sheets(report) {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.title)?;
        ws.write_string_with_format(0, 0, &sheet.title, &Format::new().set_bold())?;
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, h, &header)?;
            ws.set_column_width(c as u16, 14)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    Cell::Text(s) => ws.write_string_with_format(r, c, s, &text)?,
                    Cell::Number { value, decimals } => {
                        ws.write_number_with_format(r, c, *value, &number(*decimals))?
                    }
                    Cell::Empty => ws.write_blank(r, c, &cell)?,
                };
            }
        }
    }
    let ws = book.add_worksheet();
    ws.set_name("说明")?;
    ws.set_column_width(1, 80)?;
    for (r, (key, value)) in explanation(report).iter().enumerate() {
        ws.write_string(r as u32, 0, key)?;
        ws.write_string(r as u32, 1, value)?;
    }
    book.save_to_buffer()
}

/// Writes the workbook to `path` atomically (a temporary file beside it, renamed over it).
pub fn write_workbook(report: &DemoReport, path: &Path) -> Result<()> {
    let bytes = workbook_bytes(report).map_err(|e| Error::write(path, e.to_string()))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.writing-{}", std::process::id()));
    std::fs::write(&temp, &bytes).map_err(|e| Error::write(path, e.to_string()))?;
    std::fs::rename(&temp, path).map_err(|e| {
        std::fs::remove_file(&temp).ok();
        Error::write(path, e.to_string())
    })
}

/// One feature per area for reviewers: name, kind, theme, width, its area in m², 公顷 and 亩
/// on the report's basis ([`review::add_area`]), the townships, the number of villages, the
/// population inside (pro rata) and the designations within it.
fn area_features(report: &DemoReport) -> impl Iterator<Item = OutFeature> + '_ {
    report.areas.iter().enumerate().map(|(i, a)| {
        let s = &a.summary;
        let towns: Vec<&str> = s.townships.iter().map(|t| t.name.as_str()).collect();
        let number = |v: Option<f64>| {
            v.and_then(serde_json::Number::from_f64)
                .map_or(JsonValue::Null, JsonValue::Number)
        };
        let mut properties = JsonObject::new();
        properties.insert("MC".into(), a.name.clone().into());
        properties.insert("LX".into(), a.kind.clone().into());
        properties.insert("ZT".into(), a.theme.clone().into());
        properties.insert("KD".into(), number(a.width_m));
        review::add_area(&mut properties, s.area_m2, &s.basis);
        properties.insert("XZ".into(), towns.join("、").into());
        properties.insert("CS".into(), s.villages.len().into());
        properties.insert("HJRK_QN".into(), number(s.population_inside.registered));
        properties.insert("CZRK_QN".into(), number(s.population_inside.resident));
        properties.insert(
            "TPRK_QN".into(),
            number(s.population_inside.poverty_alleviated),
        );
        for (key, d) in ["SFXZ", "JPSFC", "MLCZ"].into_iter().zip(Designation::ALL) {
            properties.insert(key.into(), a.designated(d).into());
        }
        OutFeature {
            id: i as i64 + 1,
            geometry: Some(Geometry::MultiPolygon(a.geometry.clone())),
            properties,
        }
    })
}

/// Writes the areas with their figures as RFC 7946 GeoJSON to `path` (atomically); returns
/// the areas left out (invalid geometry), one line each.
pub fn write_geojson(report: &DemoReport, crs: WorkingCrs, path: &Path) -> Result<Vec<String>> {
    let output = feature_collection(
        "示范区带线",
        area_features(report),
        crs,
        GeoJsonVariant::Rfc7946,
    )?;
    io::write_geojson(path, &output.collection)?;
    Ok(output.left_out)
}
