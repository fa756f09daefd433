//! The report for other programs: CSV (UTF-8 with a BOM, which Excel needs for Chinese),
//! an XLSX workbook (one sheet per table, numbers as numbers) and GeoJSON (one feature per
//! area with its summary's figures, RFC 7946 lon/lat through GDAL, as the layer export).

use std::path::Path;

use geo::Geometry;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use super::designations::Designation;
use super::report::DemoReport;
use super::sheets::{Cell, explanation, sheets};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::io::{ExportFormat, export_layer};
use crate::model::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole};
use crate::units::{hectares, mu};

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

/// The areas as a layer: polygon and figures (areas in 公顷 and 亩 on the report's basis,
/// counts, population inside).
fn areas_layer(report: &DemoReport) -> Layer {
    use FieldKind::{Integer, Real, Text};
    let fields: Vec<FieldDef> = [
        ("MC", Text),
        ("LX", Text),
        ("ZT", Text),
        ("KD", Real),
        ("MJGQ", Real),
        ("MJM", Real),
        ("XZ", Text),
        ("CS", Integer),
        ("HJRK_QN", Real),
        ("CZRK_QN", Real),
        ("TPRK_QN", Real),
        ("SFXZ", Integer),
        ("JPSFC", Integer),
        ("MLCZ", Integer),
        ("MJKJ", Text),
    ]
    .into_iter()
    .map(|(name, kind)| FieldDef::new(name, kind))
    .collect();
    let real = |v: Option<f64>| v.map_or(AttrValue::Null, AttrValue::Real);
    let features = report
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let s = &a.summary;
            let towns: Vec<&str> = s.townships.iter().map(|t| t.name.as_str()).collect();
            let mut attributes = vec![
                AttrValue::Text(a.name.clone()),
                AttrValue::Text(a.kind.clone()),
                AttrValue::Text(a.theme.clone()),
                real(a.width_m),
                AttrValue::Real(hectares(s.area_m2)),
                AttrValue::Real(mu(s.area_m2)),
                AttrValue::Text(towns.join("、")),
                AttrValue::Integer(s.villages.len() as i64),
                real(s.population_inside.registered),
                real(s.population_inside.resident),
                real(s.population_inside.poverty_alleviated),
            ];
            attributes.extend(Designation::ALL.map(|d| AttrValue::Integer(a.designated(d) as i64)));
            attributes.push(AttrValue::Text(s.basis.clone()));
            Feature {
                id: i as i64 + 1,
                geometry: Some(Geometry::MultiPolygon(a.geometry.clone())),
                attributes,
            }
        })
        .collect();
    Layer::new(
        "demonstration",
        "示范区带线",
        LayerRole::Demonstration,
        fields,
        features,
    )
}

/// Writes the areas with their figures as GeoJSON to `path`.
pub fn write_geojson(report: &DemoReport, crs: WorkingCrs, path: &Path) -> Result<()> {
    export_layer(&areas_layer(report), crs, path, ExportFormat::GeoJson)
}
