//! `villageplan export <project> --layer ID --out FILE`: one layer of a project for another
//! tool or a reviewer. `.geojson` is RFC 7946 with areas on the stated basis
//! (`analysis::review`), or with `--gauss-kruger` the working CRS's metres (not RFC 7946,
//! named so in the file); `.gpkg` and `.shp` keep the working CRS (GDAL); a Shapefile is
//! GBK (`.cpg` 936) unless `--encoding utf-8`, with long field names mapped to short ones.

use std::path::Path;

use anyhow::Context;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::review::layer_for_review;
use villageplan::io::{self, ExportFormat, GeoJsonVariant, ShapefileEncoding};
use villageplan::{Progress, Project};

/// What `export` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    pub layer: &'a str,
    pub out: &'a Path,
    pub basis: AreaBasis,
    pub gauss_kruger: bool,
    /// The Shapefile's text encoding.
    pub encoding: ShapefileEncoding,
}

/// Writes the layer; the line that says what was written and what was left out.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let project = io::load_project(request.project, progress)?;
    let layer = find_layer(&project, request.layer)?;
    let format = ExportFormat::from_path(request.out).with_context(|| {
        format!(
            "{}: unknown output format (use .geojson, .gpkg or .shp)",
            request.out.display()
        )
    })?;
    let mut notes: Vec<String> = Vec::new();
    let left_out = match format {
        ExportFormat::GeoJson => {
            let variant = if request.gauss_kruger {
                GeoJsonVariant::GaussKruger
            } else {
                GeoJsonVariant::Rfc7946
            };
            let output = layer_for_review(&project, layer, request.basis, variant)?;
            io::write_geojson(request.out, &output.collection)?;
            output.left_out
        }
        _ if request.gauss_kruger => anyhow::bail!(
            "--gauss-kruger is for .geojson only: {} keeps the working CRS anyway",
            request.out.display()
        ),
        ExportFormat::Shapefile => {
            let done = io::write_shapefile(layer, project.crs, request.out, request.encoding)?;
            notes = io::rename_notes(&done);
            Vec::new()
        }
        other => io::export_layer(layer, project.crs, request.out, other)?,
    };
    let mut text = format!(
        "{} features of layer '{}' written to {}",
        layer.features().len() - left_out.len(),
        layer.name,
        request.out.display()
    );
    if format == ExportFormat::GeoJson && !request.gauss_kruger {
        text += " (RFC 7946, lon/lat)";
    }
    if format == ExportFormat::Shapefile {
        text += &format!(" (.cpg {})", request.encoding.cpg_text());
    }
    text.push('\n');
    for line in &left_out {
        text += &format!("left out: {line}\n");
    }
    for line in &notes {
        text += &format!("警告 warning: {line}\n");
    }
    Ok(text)
}

/// The layer by id or display name; the error lists the layers there are.
fn find_layer<'a>(project: &'a Project, wanted: &str) -> anyhow::Result<&'a villageplan::Layer> {
    project
        .layers
        .iter()
        .map(|l| l.as_ref())
        .find(|l| l.id == wanted || l.name == wanted)
        .with_context(|| {
            let ids: Vec<String> = project
                .layers
                .iter()
                .map(|l| format!("{} ({})", l.id, l.name))
                .collect();
            format!(
                "project has no layer '{wanted}'; its layers: {}",
                ids.join(", ")
            )
        })
}
