//! `villageplan export <project> --layer ID --out FILE` or `--all`: one layer, or every
//! layer, of a project for another tool or a reviewer (`deliver::export`, the window's
//! 文件 → 导出… makes the same call). The format comes from `--format` or the extension.

use std::path::Path;

use anyhow::Context;
use villageplan::Progress;
use villageplan::analysis::areas::AreaBasis;
use villageplan::deliver::export::{ExportRequest, Format, Which, export};
use villageplan::io::{self, ShapefileEncoding};

/// What `export` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    /// One layer (id or display name); `None` with `all`.
    pub layer: Option<&'a str>,
    /// Every layer.
    pub all: bool,
    /// geojson, gpkg, shp or gdb; `None`: by the extension of `out`.
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
        Some(f) => Format::from_path(Path::new(&format!("x.{f}")))
            .with_context(|| format!("--format '{f}': use geojson, gpkg, shp or gdb"))?,
        None => Format::from_path(request.out).with_context(|| {
            format!(
                "{}: unknown output format (use .geojson, .gpkg, .shp or .gdb, or --format)",
                request.out.display()
            )
        })?,
    };
    let which = match (request.layer, request.all) {
        (Some(_), true) => anyhow::bail!("give --layer NAME or --all, not both"),
        (None, false) => anyhow::bail!("give --layer NAME (one layer) or --all (every layer)"),
        (Some(name), false) => Which::Layer(name.to_string()),
        (None, true) => Which::All,
    };
    let project = io::load_project(request.project, progress)?;
    let done = export(
        &project,
        &ExportRequest {
            which,
            format,
            out: request.out,
            basis: request.basis,
            gauss_kruger: request.gauss_kruger,
            encoding: request.encoding,
        },
        progress,
    )?;
    Ok(done.describe())
}
