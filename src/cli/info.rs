//! `villageplan info <path>`: what is in a file, how it will be read, and why.

use std::fmt::Write as _;
use std::path::Path;

use villageplan::io::{self, LoadOptions};
use villageplan::{AttrValue, Progress};

/// Describes every layer of `path`; for a VillagePlan project also the project itself.
pub fn run(path: &Path, options: &LoadOptions, progress: &dyn Progress) -> anyhow::Result<String> {
    let layers = io::read_all_layers(path, options, progress)?;
    let mut out = String::new();
    writeln!(out, "文件 File: {}", path.display())?;
    if let Some(first) = layers.first() {
        writeln!(out, "驱动 Driver: {}", first.description.driver)?;
    }
    let is_project = layers
        .iter()
        .any(|l| l.description.name == io::PROJECT_TABLE);
    if is_project {
        let project = io::load_project(path, progress)?;
        writeln!(out, "VillagePlan 项目 project: {}", project.name)?;
        writeln!(out, "  工作坐标系 Working CRS: {}", project.crs.label())?;
        if project.settings.synthetic {
            writeln!(
                out,
                "  合成数据 SYNTHETIC data: {}",
                project.settings.description
            )?;
        }
        for layer in &project.layers {
            writeln!(
                out,
                "  - {} [{} / {}]: {} features",
                layer.name,
                layer.role.name_zh(),
                layer.role.name_en(),
                layer.features().len()
            )?;
        }
    }
    for (i, layer) in layers.iter().enumerate() {
        let d = &layer.description;
        if is_project && (d.name == io::PROJECT_TABLE || d.name == io::LAYERS_TABLE) {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "图层 Layer {}: {}", i + 1, d.name)?;
        writeln!(
            out,
            "  几何 Geometry: {}, {} features",
            d.geometry_type, d.feature_count
        )?;
        match &d.crs {
            Some(crs) => writeln!(out, "  坐标系 CRS: {crs}")?,
            None if d.extent.is_none() => writeln!(out, "  坐标系 CRS: — (no geometry)")?,
            None => writeln!(
                out,
                "  坐标系 CRS: none declared (.prj missing); loading needs --assume-crs"
            )?,
        }
        if let Some(note) = &d.crs_note {
            writeln!(out, "    note: {note}")?;
        }
        if let Some([x0, y0, x1, y1]) = d.extent {
            writeln!(out, "  范围 Extent: {x0:.6}, {y0:.6} – {x1:.6}, {y1:.6}")?;
        }
        writeln!(out, "  文本编码 Text encoding: {}", d.encoding.describe())?;
        writeln!(
            out,
            "  角色 Role: {} / {} ({})",
            d.role.role.name_zh(),
            d.role.role.name_en(),
            d.role.reason
        )?;
        let fields: Vec<String> = d
            .fields
            .iter()
            .map(|f| format!("{} ({:?})", f.name, f.kind))
            .collect();
        writeln!(
            out,
            "  字段 Fields ({}): {}",
            fields.len(),
            fields.join(", ")
        )?;
        if let Some(first) = layer.features().first() {
            let values: Vec<String> = d
                .fields
                .iter()
                .zip(&first.attributes)
                .map(|(f, v)| match v {
                    AttrValue::Null => format!("{}=NULL", f.name),
                    v => format!("{}={}", f.name, v.as_text().unwrap_or_default()),
                })
                .collect();
            writeln!(
                out,
                "  首要素 First feature (id {}): {}",
                first.id,
                values.join(", ")
            )?;
        }
        for line in layer.report().lines() {
            writeln!(out, "  注意 Note: {line}")?;
        }
    }
    Ok(out)
}
