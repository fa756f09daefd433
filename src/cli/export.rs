//! `villageplan export <project> --layer ID --out FILE`: one layer of a project for another
//! tool or a reviewer. `.geojson` is RFC 7946 with areas on the stated basis
//! (`analysis::review`), or with `--gauss-kruger` the working CRS's metres (not RFC 7946,
//! named so in the file); `.gpkg` and `.shp` keep the working CRS (GDAL); a Shapefile is
//! GBK (`.cpg` 936) unless `--encoding utf-8`, with long field names mapped to short ones.
//! `--all` writes every layer: one GeoPackage with the delivery names and aliases
//! (`deliver::plan_geopackage`), or a folder of GeoJSON or Shapefiles named the same way.

use std::path::Path;

use anyhow::Context;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::review::layer_for_review;
use villageplan::deliver::plan_geopackage;
use villageplan::io::{self, ExportFormat, GeoJsonVariant, ShapefileEncoding};
use villageplan::{Progress, Project};

/// What `export` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    /// One layer (id or display name); `None` with `all`.
    pub layer: Option<&'a str>,
    /// Every layer.
    pub all: bool,
    /// geojson, gpkg or shp; `None`: by the extension of `out`.
    pub format: Option<&'a str>,
    pub out: &'a Path,
    pub basis: AreaBasis,
    pub gauss_kruger: bool,
    /// The Shapefile's text encoding.
    pub encoding: ShapefileEncoding,
}

/// Writes the layer (or all); the lines that say what was written and what was left out.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let format = match request.format {
        Some("gdb") => anyhow::bail!(
            "--format gdb: the FileGDB is the delivery database, written by `villageplan deliver`"
        ),
        Some(f) => ExportFormat::from_path(Path::new(&format!("x.{f}")))
            .with_context(|| format!("--format '{f}': use geojson, gpkg or shp"))?,
        None => ExportFormat::from_path(request.out).with_context(|| {
            format!(
                "{}: unknown output format (use .geojson, .gpkg or .shp, or --format)",
                request.out.display()
            )
        })?,
    };
    let project = io::load_project(request.project, progress)?;
    match (request.layer, request.all) {
        (Some(_), true) => anyhow::bail!("give --layer NAME or --all, not both"),
        (None, false) => anyhow::bail!("give --layer NAME (one layer) or --all (every layer)"),
        (Some(name), false) => {
            let layer = find_layer(&project, name)?;
            one_layer(&project, layer, request, request.out, format)
        }
        (None, true) if format == ExportFormat::GeoPackage => {
            let written = plan_geopackage::write_plan(&project, request.out, progress)?;
            let mut text = format!(
                "{} layers written to {} (working CRS EPSG:{}, field aliases in gpkg_data_columns)\n",
                written.len(),
                request.out.display(),
                project.crs.epsg()
            );
            for line in written {
                text += &format!("  {line}\n");
            }
            Ok(text)
        }
        (None, true) => all_into_folder(&project, request, format),
    }
}

/// Every layer as its own file in the folder `request.out` (new or empty), named as in the
/// plan GeoPackage.
fn all_into_folder(
    project: &Project,
    request: &Request,
    format: ExportFormat,
) -> anyhow::Result<String> {
    let dir = request.out;
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?;
        anyhow::ensure!(
            entries.next().is_none(),
            "{}: the folder is not empty; give a new or empty folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let ext = match format {
        ExportFormat::GeoJson => "geojson",
        ExportFormat::Shapefile => "shp",
        ExportFormat::GeoPackage => "gpkg",
    };
    let names = plan_geopackage::table_names(project.layers.iter().map(|l| l.as_ref()));
    let mut text = String::new();
    for (layer, name) in project.layers.iter().zip(names) {
        let path = dir.join(format!("{name}.{ext}"));
        text += &one_layer(project, layer, request, &path, format)?;
    }
    Ok(text)
}

/// One layer to `out`; the line that says what was written and what was left out.
fn one_layer(
    project: &Project,
    layer: &villageplan::Layer,
    request: &Request,
    out: &Path,
    format: ExportFormat,
) -> anyhow::Result<String> {
    let mut notes: Vec<String> = Vec::new();
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
        _ if request.gauss_kruger => anyhow::bail!(
            "--gauss-kruger is for .geojson only: {} keeps the working CRS anyway",
            out.display()
        ),
        ExportFormat::Shapefile => {
            let done = io::write_shapefile(layer, project.crs, out, request.encoding)?;
            notes = io::rename_notes(&done);
            Vec::new()
        }
        other => io::export_layer(layer, project.crs, out, other)?,
    };
    let mut text = format!(
        "{} features of layer '{}' written to {}",
        layer.features().len() - left_out.len(),
        layer.name,
        out.display()
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
