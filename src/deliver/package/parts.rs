//! The payload of a review package, part by part: each [`Part`] writes its files into the
//! bag's `data/` folder. The package is this list, so an output that joins the package
//! later is one more entry.
//!
//! Every area is on the ellipsoidal basis (CGCS2000, as 三调 TBMJ), stated in the files.

use std::path::Path;

use super::scope::Village;
use crate::analysis::areas::AreaBasis;
use crate::analysis::checks::{self, CheckReport};
use crate::analysis::classify::{self, Classification};
use crate::analysis::demonstration::{self, DemoReport};
use crate::analysis::review::features_for_review;
use crate::analysis::tables::xlsx::write_workbook;
use crate::analysis::tables::{AreaUnit, Scope, TableBook};
use crate::deliver::database::schema::DeliverySchema;
use crate::deliver::database::{DeliveryRequest, deliver};
use crate::deliver::plan_geopackage;
use crate::deliver::sheets::{DEFAULT_DPI, Paper, SheetKind, SheetSpec, render_sheet, save_png};
use crate::error::{Error, Result};
use crate::io::{self, DatabaseFormat, GeoJsonOutput, GeoJsonVariant};
use crate::model::Project;
use crate::model::admin::AdminUnits;
use crate::progress::Silent;

/// The basis of every area in the package.
pub const BASIS: AreaBasis = AreaBasis::Ellipsoidal;

/// What the parts are made from, computed once for all of them.
pub struct Inputs<'a> {
    pub project: &'a Project,
    /// The village the package is restricted to, if any.
    pub village: Option<&'a Village>,
    /// The checks, within the package's scope.
    pub checks: CheckReport,
    /// The classification (the village's only, for a village package) and where it came
    /// from; `None` with the reason when the project cannot be classified.
    pub classification: std::result::Result<(Classification, String), String>,
}

/// One part of the payload: its name (shown while it is written) and the function writing
/// its files into `data/`, returning one line per thing it had to leave out.
pub struct Part {
    pub name: &'static str,
    pub write: fn(&Inputs, &Path) -> Result<Vec<String>>,
}

/// The payload, in the order it is written.
pub const PARTS: &[Part] = &[
    Part {
        name: "规划图层 plan layers (GeoJSON)",
        write: layers,
    },
    Part {
        name: "规划数据库 plan layers (GeoPackage)",
        write: plan_geopackage,
    },
    Part {
        name: "成果数据库 delivery database (FileGDB)",
        write: delivery_database,
    },
    Part {
        name: "质检结果 check results (GeoJSON, CSV)",
        write: check_results,
    },
    Part {
        name: "村庄分类 classification (GeoJSON, CSV)",
        write: classification,
    },
    Part {
        name: "规划表格 standard tables (XLSX)",
        write: tables,
    },
    Part {
        name: "示范区带线 demonstration summaries (CSV, XLSX, GeoJSON)",
        write: demonstration,
    },
    Part {
        name: "图件 map sheets (PNG, A3, 300 dpi)",
        write: map_sheets,
    },
];

/// `sheets/<图名>.png`: a village's 现状图, 规划图, 三生空间图 and 管控图, or the county's
/// 村庄分类图 and 示范区布局图, A3 at 300 dpi. A sheet that cannot be drawn, and what a drawn
/// sheet must tell (a missing glyph, an empty theme), is listed as left out; the others are
/// still written.
fn map_sheets(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let dir = folder(data, "sheets")?;
    let village = inputs.village.map(|v| v.code.clone());
    let mut left_out = Vec::new();
    for kind in SheetKind::ALL {
        if kind.is_village() != village.is_some() {
            continue;
        }
        let spec = SheetSpec {
            kind,
            village: village.clone(),
            paper: Paper::A3,
            dpi: DEFAULT_DPI,
        };
        match render_sheet(inputs.project, &spec, &Silent) {
            Ok(sheet) => {
                save_png(&sheet, &dir.join(format!("{}.png", kind.cli_name())))?;
                left_out.extend(
                    sheet
                        .problems
                        .iter()
                        .map(|p| format!("{}: {p}", sheet.title)),
                );
            }
            Err(e) => left_out.push(format!("{}: not drawn: {e}", kind.cli_name())),
        }
    }
    Ok(left_out)
}

fn folder(data: &Path, name: &str) -> Result<std::path::PathBuf> {
    let dir = data.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(dir)
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn write_collection(path: &Path, output: GeoJsonOutput) -> Result<Vec<String>> {
    io::write_geojson(path, &output.collection)?;
    Ok(output.left_out)
}

/// A layer id as a file name: letters, digits, `-` and `_` kept, anything else `_`.
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `layers/<id>.geojson`: every layer of the project (a village package: the village's
/// features) as RFC 7946 GeoJSON with areas.
fn layers(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let dir = folder(data, "layers")?;
    let mut left_out = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for layer in &inputs.project.layers {
        let positions = match inputs.village {
            Some(village) => village.positions(layer),
            None => (0..layer.features().len()).collect(),
        };
        let mut stem = file_stem(&layer.id);
        while !used.insert(stem.clone()) {
            stem.push('_');
        }
        let output = features_for_review(
            inputs.project,
            layer,
            &positions,
            BASIS,
            GeoJsonVariant::Rfc7946,
        )?;
        left_out.extend(write_collection(
            &dir.join(format!("{stem}.geojson")),
            output,
        )?);
    }
    Ok(left_out)
}

/// `layers/plan.gpkg`: the same layers in one GeoPackage, named as the delivery names them,
/// with Chinese identifiers and field aliases ([`crate::deliver::plan_geopackage`]).
fn plan_geopackage(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let path = folder(data, "layers")?.join("plan.gpkg");
    match inputs.village {
        Some(village) => {
            let keep = |layer: &crate::model::Layer| village.positions(layer);
            plan_geopackage::write_plan_part(inputs.project, &keep, &path, &Silent)?
        }
        None => plan_geopackage::write_plan(inputs.project, &path, &Silent)?,
    };
    Ok(Vec::new())
}

/// `delivery/成果数据库.gdb`: the delivery database of the village (or of every village) in
/// the working CRS, and `delivery/成果数据库说明.txt` saying what each layer was filled from
/// and what is delivered empty; only invalid geometry counts as left out.
fn delivery_database(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let villages: Vec<String> = match inputs.village {
        Some(v) => vec![v.code.clone()],
        None => AdminUnits::villages(inputs.project)?
            .list
            .iter()
            .map(|u| u.code.clone())
            .collect(),
    };
    let schema = DeliverySchema::bundled()?;
    let path = folder(data, "delivery")?.join("成果数据库.gdb");
    let report = deliver(
        inputs.project,
        &DeliveryRequest {
            villages: &villages,
            format: DatabaseFormat::FileGdb,
            out: &path,
            epsg: None,
            basis: BASIS,
            schema: &schema,
        },
        &Silent,
    )?;
    let note = path.with_file_name("成果数据库说明.txt");
    let text = report
        .describe()
        .replace(&path.display().to_string(), "成果数据库.gdb");
    write_text(&note, &text)?;
    Ok(report
        .problems()
        .iter()
        .map(|p| format!("成果数据库: {p}"))
        .collect())
}

/// `checks/check_results.{geojson,csv}`: the 质检 results as `villageplan check` gives them.
fn check_results(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let dir = folder(data, "checks")?;
    write_text(
        &dir.join("check_results.csv"),
        &checks::csv_text(&inputs.checks)?,
    )?;
    let output = checks::results_geojson(inputs.project, &inputs.checks)?;
    write_collection(&dir.join("check_results.geojson"), output)
}

/// `classification/classification.{geojson,csv}`: the five village types with rule and
/// reason; left out (and said so) when the project cannot be classified.
fn classification(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let (result, _) = match &inputs.classification {
        Ok(c) => c,
        Err(why) => return Ok(vec![format!("村庄分类 classification left out: {why}")]),
    };
    let dir = folder(data, "classification")?;
    write_text(
        &dir.join("classification.csv"),
        &classify::csv_text(result)?,
    )?;
    let output = classify::classification_geojson(inputs.project, result)?;
    write_collection(&dir.join("classification.geojson"), output)
}

/// `tables/tables_ha.xlsx` and `tables_mu.xlsx`: the standard tables of the village or the
/// county, in 公顷 and in 亩.
fn tables(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let dir = folder(data, "tables")?;
    let book = TableBook::new(inputs.project, BASIS)?;
    let scope = match inputs.village {
        Some(v) => Scope::Village(v.code.clone()),
        None => Scope::County,
    };
    let tables = book.tables(&scope)?;
    write_workbook(
        &tables,
        None,
        AreaUnit::Hectare,
        &dir.join("tables_ha.xlsx"),
    )?;
    write_workbook(&tables, None, AreaUnit::Mu, &dir.join("tables_mu.xlsx"))?;
    Ok(Vec::new())
}

/// `demonstration/demonstration.{csv,xlsx,geojson}`: the demonstration areas with what they
/// cover and the designations against the county's targets; a village package keeps the
/// areas touching the village and the designations in it (the targets stay the county's).
fn demonstration(inputs: &Inputs, data: &Path) -> Result<Vec<String>> {
    let dir = folder(data, "demonstration")?;
    let classification = inputs
        .classification
        .as_ref()
        .ok()
        .map(|(c, source)| (c, source.as_str()));
    let mut report = demonstration::demo_report(
        inputs.project,
        BASIS,
        None,
        classification,
        Some(&inputs.checks),
    )?;
    if let Some(village) = inputs.village {
        keep_village(&mut report, &village.code);
    }
    write_text(
        &dir.join("demonstration.csv"),
        &demonstration::csv_text(&report)?,
    )?;
    demonstration::write_workbook(&report, &dir.join("demonstration.xlsx"))?;
    demonstration::write_geojson(
        &report,
        inputs.project.crs,
        &dir.join("demonstration.geojson"),
    )
}

/// Keeps the areas touching village `code` and the designated units that are the village,
/// its township or one of its natural villages.
fn keep_village(report: &mut DemoReport, code: &str) {
    report
        .areas
        .retain(|a| a.summary.villages.iter().any(|v| v.unit.code == code));
    report
        .review
        .units
        .retain(|u| u.code.starts_with(code) || code.starts_with(&u.code));
}
