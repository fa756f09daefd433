//! 导出: one layer of a project, or every layer, for another tool or a reviewer — the one
//! call behind `villageplan export` and the window's 文件 → 导出….
//!
//! GeoJSON is RFC 7946 with areas on the stated basis ([`layer_for_review`]), or the working
//! CRS's metres for internal use ([`GeoJsonVariant::GaussKruger`], not RFC 7946, named so in
//! the file); GeoPackage and Shapefile keep the working CRS (GDAL); a Shapefile is GBK
//! (`.cpg` 936) or UTF-8, with long field names mapped to short ones. Every layer goes into
//! one GeoPackage with the delivery names, aliases and QGIS styles
//! ([`super::plan_geopackage`]), or into a new or empty folder of GeoJSON or Shapefiles
//! named the same way. A FileGDB ([`super::plan_filegdb`]) takes one layer or all, with
//! the same names and its own layer and field aliases.

use std::path::Path;

use crate::analysis::areas::AreaBasis;
use crate::analysis::review::layer_for_review;
use crate::error::{Error, Result};
use crate::io::{self, ExportFormat, GeoJsonVariant, ShapefileEncoding};
use crate::model::{Layer, Project};
use crate::progress::Progress;

use super::plan_geopackage;

/// The formats: GDAL's single-layer writers, and the FileGDB, a folder of tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Layer(ExportFormat),
    FileGdb,
}

impl Format {
    /// By the ending of `path` (`.geojson`, `.json`, `.gpkg`, `.shp`, `.gdb`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let is_gdb = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gdb"));
        if is_gdb {
            return Some(Format::FileGdb);
        }
        ExportFormat::from_path(path).map(Format::Layer)
    }
}

/// Which layers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// One layer, by id or display name.
    Layer(String),
    /// Every layer of the project.
    All,
}

/// What to export, and how.
#[derive(Debug, Clone)]
pub struct ExportRequest<'a> {
    pub which: Which,
    pub format: Format,
    /// The file (one layer, or all as GeoPackage) or the folder (all as GeoJSON/Shapefile).
    pub out: &'a Path,
    /// The basis of the areas in GeoJSON.
    pub basis: AreaBasis,
    /// GeoJSON in the working CRS instead of RFC 7946 lon/lat.
    pub gauss_kruger: bool,
    /// The Shapefile's text encoding.
    pub encoding: ShapefileEncoding,
}

/// What was written: one line per file (or per plan table), and the features left out
/// (invalid geometry) and the warnings (renamed fields), one line each.
#[derive(Debug, Default)]
pub struct Exported {
    pub lines: Vec<String>,
    pub left_out: Vec<String>,
    pub warnings: Vec<String>,
}

impl Exported {
    /// The report as the CLI prints it.
    pub fn describe(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text += &format!("{line}\n");
        }
        for line in &self.left_out {
            text += &format!("left out: {line}\n");
        }
        for line in &self.warnings {
            text += &format!("警告 warning: {line}\n");
        }
        text
    }
}

/// Writes what `request` asks for. Refuses a Gauss-Kruger GeoPackage or Shapefile (they
/// keep the working CRS anyway) and a folder that holds anything.
pub fn export(
    project: &Project,
    request: &ExportRequest,
    progress: &dyn Progress,
) -> Result<Exported> {
    if request.gauss_kruger && request.format != Format::Layer(ExportFormat::GeoJson) {
        return Err(Error::Invalid(format!(
            "the Gauss-Kruger variant is for GeoJSON only: {} keeps the working CRS anyway",
            request.out.display()
        )));
    }
    let format = match request.format {
        Format::Layer(format) => format,
        Format::FileGdb => {
            if Format::from_path(request.out) != Some(Format::FileGdb) {
                return Err(Error::Invalid(format!(
                    "{}: a FileGDB is a folder whose name ends in .gdb",
                    request.out.display()
                )));
            }
            let layers: Vec<&Layer> = match &request.which {
                Which::Layer(name) => vec![find_layer(project, name)?],
                Which::All => project.layers.iter().map(|l| l.as_ref()).collect(),
            };
            let written =
                super::plan_filegdb::write_plan_filegdb(project, &layers, request.out, progress)?;
            let mut lines = vec![format!(
                "{} layer(s) written to the FileGDB {} (working CRS EPSG:{}, layer and field \
                 aliases)",
                written.len(),
                request.out.display(),
                project.crs.epsg()
            )];
            lines.extend(written.into_iter().map(|l| format!("  {l}")));
            return Ok(Exported {
                lines,
                ..Exported::default()
            });
        }
    };
    match &request.which {
        Which::Layer(name) => {
            let layer = find_layer(project, name)?;
            let mut done = Exported::default();
            one_layer(project, layer, request, format, request.out, &mut done)?;
            Ok(done)
        }
        Which::All if format == ExportFormat::GeoPackage => {
            let written = plan_geopackage::write_plan(project, request.out, progress)?;
            let mut lines = vec![format!(
                "{} layers written to {} (working CRS EPSG:{}, field aliases in \
                 gpkg_data_columns, QGIS styles in layer_styles)",
                written.len(),
                request.out.display(),
                project.crs.epsg()
            )];
            lines.extend(written.into_iter().map(|l| format!("  {l}")));
            Ok(Exported {
                lines,
                ..Exported::default()
            })
        }
        Which::All => all_into_folder(project, request, format, progress),
    }
}

/// The layer by id or display name; the error lists the layers there are.
pub fn find_layer<'a>(project: &'a Project, wanted: &str) -> Result<&'a Layer> {
    project
        .layers
        .iter()
        .map(|l| l.as_ref())
        .find(|l| l.id == wanted || l.name == wanted)
        .ok_or_else(|| {
            let ids: Vec<String> = project
                .layers
                .iter()
                .map(|l| format!("{} ({})", l.id, l.name))
                .collect();
            Error::Invalid(format!(
                "project has no layer '{wanted}'; its layers: {}",
                ids.join(", ")
            ))
        })
}

/// Every layer as its own file in the folder `request.out` (new or empty), named as in the
/// plan GeoPackage.
fn all_into_folder(
    project: &Project,
    request: &ExportRequest,
    format: ExportFormat,
    progress: &dyn Progress,
) -> Result<Exported> {
    let dir = request.out;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::write(
                dir,
                "the folder is not empty; give a new or empty folder",
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let ext = match format {
        ExportFormat::GeoJson => "geojson",
        ExportFormat::Shapefile => "shp",
        ExportFormat::GeoPackage => "gpkg",
    };
    let names = plan_geopackage::table_names(project.layers.iter().map(|l| l.as_ref()));
    progress.begin("导出图层 exporting layers", project.layers.len() as u64);
    let mut done = Exported::default();
    for (layer, name) in project.layers.iter().zip(names) {
        let path = dir.join(format!("{name}.{ext}"));
        one_layer(project, layer, request, format, &path, &mut done)?;
        progress.advance(1);
    }
    progress.finish();
    Ok(done)
}

/// One layer to `out`, its line and what was left out or renamed added to `done`.
fn one_layer(
    project: &Project,
    layer: &Layer,
    request: &ExportRequest,
    format: ExportFormat,
    out: &Path,
    done: &mut Exported,
) -> Result<()> {
    let left_out = match format {
        ExportFormat::GeoJson => {
            let variant = if request.gauss_kruger {
                GeoJsonVariant::GaussKruger
            } else {
                GeoJsonVariant::Rfc7946
            };
            let output = layer_for_review(project, layer, request.basis, variant)?;
            io::write_geojson(out, &output.collection)?;
            output.left_out
        }
        ExportFormat::Shapefile => {
            let written = io::write_shapefile(layer, project.crs, out, request.encoding)?;
            done.warnings.extend(io::rename_notes(&written));
            Vec::new()
        }
        other => io::export_layer(layer, project.crs, out, other)?,
    };
    let mut line = format!(
        "{} features of layer '{}' written to {}",
        layer.features().len() - left_out.len(),
        layer.name,
        out.display()
    );
    match format {
        ExportFormat::GeoJson if !request.gauss_kruger => line += " (RFC 7946, lon/lat)",
        ExportFormat::Shapefile => line += &format!(" (.cpg {})", request.encoding.cpg_text()),
        _ => {}
    }
    done.lines.push(line);
    done.left_out.extend(left_out);
    Ok(())
}
