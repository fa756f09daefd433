//! `villageplan deliver <project> --village CODE[,CODE…] [--format gdb|gpkg] [--crs EPSG]
//! --out PATH`: the delivery database (成果数据库) of docs/domain.md §9, with what was filled
//! from which layer and what is delivered empty.

use std::path::Path;

use anyhow::Context;
use villageplan::Progress;
use villageplan::analysis::areas::AreaBasis;
use villageplan::deliver::database::schema::DeliverySchema;
use villageplan::deliver::database::{DeliveryRequest, deliver};
use villageplan::io::{self, DatabaseFormat};

/// What `deliver` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    pub villages: &'a str,
    pub format: Option<&'a str>,
    pub crs: Option<&'a str>,
    pub schema: Option<&'a Path>,
    pub basis: AreaBasis,
    pub out: &'a Path,
}

/// Writes the database; the report, and whether it holds problems (invalid geometry).
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<(String, bool)> {
    let format = match request.format {
        Some(f) => {
            DatabaseFormat::parse(f).with_context(|| format!("--format '{f}': use gdb or gpkg"))?
        }
        None => match request.out.extension().and_then(|e| e.to_str()) {
            Some("gpkg") => DatabaseFormat::GeoPackage,
            _ => DatabaseFormat::FileGdb,
        },
    };
    let ext = request
        .out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    anyhow::ensure!(
        ext.eq_ignore_ascii_case(format.extension()),
        "{}: a {} database is written to a .{} path",
        request.out.display(),
        format.extension(),
        format.extension()
    );
    let epsg = request
        .crs
        .map(|c| {
            let digits = c
                .trim()
                .trim_start_matches("EPSG:")
                .trim_start_matches("epsg:");
            digits
                .parse::<u32>()
                .with_context(|| format!("--crs '{c}': give an EPSG code, e.g. EPSG:4521"))
        })
        .transpose()?;
    let schema = match request.schema {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            DeliverySchema::parse(&text, &path.display().to_string())?
        }
        None => DeliverySchema::bundled()?,
    };
    let villages: Vec<String> = request
        .villages
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let project = io::load_project(request.project, progress)?;
    let report = deliver(
        &project,
        &DeliveryRequest {
            villages: &villages,
            format,
            out: request.out,
            epsg,
            basis: request.basis,
            schema: &schema,
        },
        progress,
    )?;
    let problems = !report.problems().is_empty();
    Ok((report.describe(), problems))
}
