//! The delivery database (成果数据库) of one or more villages, as a FileGDB or a GeoPackage
//! (docs/domain.md §9): the layers, fields, aliases, YSDM codes and BSM numbering of a
//! structure file ([`schema`]), filled from the project's layers by role ([`fill`]).
//!
//! After the layers come the attribute tables of §9.2 ([`tables`]), from each village's
//! standard planning tables.
//!
//! Layers the project does not have, and fields no project field fills, are written empty
//! and listed in the report, so a reviewer sees the whole structure and knows what is
//! missing. Geometries stay in the working CRS unless a zone-prefixed (or any) EPSG code
//! is asked for; areas are computed before any reprojection, on the stated basis.

mod bsm;
pub mod fill;
pub mod schema;
pub mod tables;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::analysis::areas::{AreaBasis, AreaMeasure};
use crate::analysis::tables::accounting::VillageLocator;
use crate::analysis::tables::{Scope, TableBook};
use crate::crs::{Transformer, WorkingCrs, epsg_srs};
use crate::error::{Error, Result};
use crate::io::{DatabaseFormat, TypedTable, write_database};
use crate::model::Project;
use crate::model::admin::AdminUnits;
use crate::progress::Progress;
use fill::{Context, Filled, empty_table, fill_layer};
use schema::DeliverySchema;
use tables::attribute_tables;

/// What to deliver.
pub struct DeliveryRequest<'a> {
    /// The 12-digit codes of the villages delivered.
    pub villages: &'a [String],
    pub format: DatabaseFormat,
    pub out: &'a Path,
    /// The delivery's CRS; `None`: the working CRS.
    pub epsg: Option<u32>,
    /// The basis of the computed areas.
    pub basis: AreaBasis,
    pub schema: &'a DeliverySchema,
}

/// How one delivered layer was filled.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerOutcome {
    pub name: String,
    pub alias: String,
    /// The project layer it was filled from; `None`: delivered empty, `empty_because` says why.
    pub source: Option<String>,
    pub empty_because: Option<String>,
    pub features: usize,
    pub filled: Filled,
}

/// What was delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryReport {
    pub path: PathBuf,
    pub schema: String,
    /// The delivered villages' codes.
    pub villages: Vec<String>,
    /// The EPSG code of the delivered geometries.
    pub epsg: u32,
    pub basis: AreaBasis,
    /// The project's working CRS (the planar basis's plane).
    pub working_crs: WorkingCrs,
    pub layers: Vec<LayerOutcome>,
}

impl DeliveryReport {
    /// Problems a reviewer must know of (invalid geometry written): exit code 1.
    pub fn problems(&self) -> Vec<&str> {
        let invalid = self.layers.iter().flat_map(|l| &l.filled.invalid);
        invalid.map(String::as_str).collect()
    }

    /// What was written, layer by layer, and what is empty and why: the terminal's report
    /// and the review package's note beside the database.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "成果数据库 {} written: {} village(s) {}, EPSG:{}, areas {} ({})\n",
            self.path.display(),
            self.villages.len(),
            self.villages.join(","),
            self.epsg,
            self.basis.describe_en(self.working_crs),
            self.schema,
        );
        for l in &self.layers {
            let from = match (&l.source, &l.empty_because) {
                (Some(source), _) => format!("from '{source}'"),
                (None, Some(why)) => format!("empty: {why}"),
                (None, None) => "empty".into(),
            };
            text += &format!("  {} {}: {} features, {from}", l.name, l.alias, l.features);
            if l.filled.renumbered > 0 {
                text += &format!(", {} BSM given anew", l.filled.renumbered);
            }
            text.push('\n');
            if !l.filled.empty_fields.is_empty() && l.source.is_some() {
                text += &format!(
                    "    fields no project field fills (written empty): {}\n",
                    l.filled.empty_fields.join(", ")
                );
            }
        }
        for p in self.problems() {
            text += &format!("problem: {p}\n");
        }
        text
    }
}

/// The §9.2 tables of `villages`, each with why it is empty when the project cannot give
/// the planning tables (no 三调 layer, …).
fn attribute_tables_of(
    project: &Project,
    basis: AreaBasis,
    villages: &BTreeSet<String>,
) -> Vec<(TypedTable, Option<String>)> {
    let planned = TableBook::new(project, basis).and_then(|book| {
        villages
            .iter()
            .map(|v| book.tables(&Scope::Village(v.clone())))
            .collect::<Result<Vec<_>>>()
    });
    match planned {
        Ok(per_village) => attribute_tables(&per_village)
            .into_iter()
            .map(|t| (t, None))
            .collect(),
        Err(e) => attribute_tables(&[])
            .into_iter()
            .map(|t| (t, Some(format!("the planning tables cannot be made: {e}"))))
            .collect(),
    }
}

/// Writes the delivery database of `request.villages` to `request.out`.
pub fn deliver(
    project: &Project,
    request: &DeliveryRequest,
    progress: &dyn Progress,
) -> Result<DeliveryReport> {
    let units = AdminUnits::villages(project)?;
    let mut villages = BTreeSet::new();
    for code in request.villages {
        let code = code.trim();
        if units.by_code(code).is_none() {
            return Err(Error::NoVillage {
                layer: units.layer.name.clone(),
                code: code.to_string(),
            });
        }
        villages.insert(code.to_string());
    }
    if villages.is_empty() {
        return Err(Error::Refused {
            layer: None,
            feature: None,
            reason: "no village to deliver: give at least one village code".into(),
        });
    }
    let working = project.crs.spatial_ref()?;
    let (srs, to_crs) = match request.epsg {
        Some(epsg) if epsg != project.crs.epsg() => {
            let srs = epsg_srs(epsg)?;
            let t = Transformer::new(&working, &srs)?;
            (srs, Some(t))
        }
        _ => (working, None),
    };
    let locator = VillageLocator::new(project);
    let cx = Context {
        villages: &villages,
        locator: &locator,
        measure: AreaMeasure::new(request.basis, project.crs),
        to_crs: to_crs.as_ref(),
    };
    let mut tables = Vec::new();
    let mut layers = Vec::new();
    for spec in &request.schema.layers {
        let source = spec.role.and_then(|r| project.layer_by_role(r));
        let empty_because = match (spec.role, source) {
            (None, _) => Some("the project draws no such layer".to_string()),
            (Some(role), None) => Some(format!("the project has no {} layer", role.name_zh())),
            (Some(_), Some(layer)) if layer.geometry_kind != spec.geometry.kind() => Some(format!(
                "layer '{}' holds {:?} geometry, the delivered layer {:?}",
                layer.name,
                layer.geometry_kind,
                spec.geometry.kind()
            )),
            _ => None,
        };
        let (table, filled) = match (&empty_because, source) {
            (None, Some(layer)) => fill_layer(spec, layer, &cx)?,
            _ => (empty_table(spec), Filled::default()),
        };
        layers.push(LayerOutcome {
            name: spec.name.clone(),
            alias: spec.alias.clone(),
            source: source
                .filter(|_| empty_because.is_none())
                .map(|l| l.name.clone()),
            empty_because,
            features: table.rows.len(),
            filled,
        });
        tables.push(table);
    }
    for table in attribute_tables_of(project, request.basis, &villages) {
        let (table, empty_because) = table;
        layers.push(LayerOutcome {
            name: table.name.clone(),
            alias: table.alias.clone(),
            source: empty_because
                .is_none()
                .then(|| "规划表格 (the village's standard tables)".to_string()),
            empty_because,
            features: table.rows.len(),
            filled: Filled::default(),
        });
        tables.push(table);
    }
    write_database(request.out, request.format, &srs, &tables, progress)?;
    Ok(DeliveryReport {
        path: request.out.to_path_buf(),
        schema: request.schema.name.clone(),
        villages: villages.iter().cloned().collect(),
        epsg: request.epsg.unwrap_or(project.crs.epsg()),
        basis: request.basis,
        working_crs: project.crs,
        layers,
    })
}
