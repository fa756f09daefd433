//! What a reviewer receives: a delivery database (FileGDB or GeoPackage, docs/domain.md §9),
//! the whole-plan GeoPackage, a folder of Shapefiles written by `export --all` — or a
//! VillagePlan project. [`open`] reads any of them as a project that `check`, `tables`,
//! `classify` and `stats` can work on, and says which layer it took for which role and
//! which roles it could not find, so a reviewer knows what a result rests on.
//!
//! A layer's role comes from its delivered name first (the delivery structure file's layer
//! names and the whole-plan GeoPackage's, [`table_name`]), compared without case and
//! ignoring a `_2` suffix; other layers keep the role guessed from their names and fields
//! as any import does. The delivery database holds the three lines only as 管控边界 zones,
//! so where no layer of its own carries one, it is taken from `GKBJ` by `GKBJLXDM`
//! ([`FROM_CONTROL_ZONES`], docs/domain.md §9.3: the 村庄建设边界 is 0301 + 0302). Delivered
//! fields the analyses know by their 三调 names are read under those (`JQDLBM` as `DLBM`,
//! the villages' `ZLDWDM` — 19 digits, the village code and seven zeros — as `XZQDM`).
//! The structure has no 城镇村属性码 `CZCSXM`, so the 现状 table cannot tell 城镇 from 村庄
//! land and lists those parcels as 未归类.
//! Attribute tables (GHZBB …) and second layers of one role are listed, not used.

use std::path::Path;

use crate::deliver::database::schema::DeliverySchema;
use crate::deliver::plan_geopackage::table_name;
use crate::error::{Error, Result};
use crate::io::{self, LoadOptions, SourceLayer};
use crate::model::{Layer, LayerRole, Project, RoleGuess};
use crate::progress::Progress;

/// The roles taken from the 管控边界 layer when no layer carries them, by `GKBJLXDM`.
pub const FROM_CONTROL_ZONES: &[(LayerRole, &[&str])] = &[
    (LayerRole::EcologicalRedLine, &["0102"]),
    (LayerRole::PermanentFarmland, &["0202"]),
    (LayerRole::VillageConstructionBoundary, &["0301", "0302"]),
    (LayerRole::UrbanDevelopmentBoundary, &["0400"]),
];

/// Delivered field names read under the name the analyses look for, per role, where the
/// layer does not have the latter already.
const FIELD_NAMES: &[(LayerRole, &str, &str)] = &[
    (LayerRole::Village, "ZLDWDM", "XZQDM"),
    (LayerRole::Village, "ZLDWMC", "XZQMC"),
    (LayerRole::CurrentLandUse, "JQDLBM", "DLBM"),
    (LayerRole::CurrentLandUse, "JQDLMC", "DLMC"),
];

/// The roles a plan's review rests on: reported as not found when no layer has them.
const PLAN_ROLES: &[LayerRole] = &[
    LayerRole::Township,
    LayerRole::Village,
    LayerRole::CurrentLandUse,
    LayerRole::PlannedLandUse,
    LayerRole::EcologicalRedLine,
    LayerRole::PermanentFarmland,
    LayerRole::UrbanDevelopmentBoundary,
    LayerRole::VillageConstructionBoundary,
    LayerRole::ControlZone,
    LayerRole::ThreeSpaces,
];

/// A source opened for review.
#[derive(Debug)]
pub struct Received {
    /// The layers as a project (in memory; nothing is written back to a delivered source).
    pub project: Project,
    /// How it was read; `None` for a VillagePlan project, whose roles are its own.
    pub reading: Option<Reading>,
}

/// How a source that is not a VillagePlan project was read.
#[derive(Debug, Default)]
pub struct Reading {
    /// The layers taken, in the source's order (derived layers after their source).
    pub taken: Vec<TakenLayer>,
    /// Layers and tables not used, each with the reason.
    pub unused: Vec<String>,
    /// Roles of [`PLAN_ROLES`] no layer has.
    pub missing: Vec<LayerRole>,
}

/// One layer of the project and where it came from.
#[derive(Debug)]
pub struct TakenLayer {
    /// The layer's name in the source (for a derived layer: `GKBJ[0102]`).
    pub source: String,
    /// The role it plays.
    pub role: LayerRole,
    /// Why: "delivered name", the import's guess, or the codes it was taken by.
    pub reason: String,
    /// Features.
    pub features: usize,
    /// Fields read under another name.
    pub renamed: Vec<(String, String)>,
}

impl Received {
    /// Lines telling a reviewer what was read as what (empty for a VillagePlan project).
    pub fn describe(&self, path: &Path) -> String {
        let Some(reading) = &self.reading else {
            return String::new();
        };
        let mut out = format!(
            "读取 reading {} (not a VillagePlan project; working CRS {}):\n",
            path.display(),
            self.project.crs.label()
        );
        for t in &reading.taken {
            out.push_str(&format!(
                "  {} → {} ({}), {} features; {}",
                t.source,
                t.role.name_zh(),
                t.role.name_en(),
                t.features,
                t.reason
            ));
            for (from, to) in &t.renamed {
                out.push_str(&format!("; field {from} read as {to}"));
            }
            out.push('\n');
        }
        for u in &reading.unused {
            out.push_str(&format!("  {u}\n"));
        }
        if !reading.missing.is_empty() {
            let names: Vec<&str> = reading.missing.iter().map(|r| r.name_zh()).collect();
            out.push_str(&format!(
                "  未找到 not found: {} (rules and tables that need them are skipped)\n",
                names.join("、")
            ));
        }
        out
    }
}

/// Opens `path` for review: a VillagePlan project as it is, any other vector source as
/// described in the module docs. Errors name the file; a source with no layer of geometry
/// is [`Error::Invalid`].
pub fn open(path: &Path, progress: &dyn Progress) -> Result<Received> {
    match io::load_project(path, progress) {
        Ok(project) => {
            return Ok(Received {
                project,
                reading: None,
            });
        }
        Err(Error::NotAProject { .. }) => {}
        Err(e) => return Err(e),
    }
    let sources = io::read_all_layers(path, &LoadOptions::default(), progress)?;
    let names = delivered_names()?;
    let mut reading = Reading::default();
    let mut kept: Vec<SourceLayer> = Vec::new();
    let mut reasons = Vec::new();
    for mut source in sources {
        let name = source.description.name.clone();
        if source
            .description
            .geometry_type
            .eq_ignore_ascii_case("none")
        {
            reading
                .unused
                .push(format!("{name}: attribute table, not used"));
            continue;
        }
        if let Some(role) = delivered_role(&names, &name) {
            source.description.role = RoleGuess {
                role,
                reason: "delivered name".into(),
            };
        }
        reasons.push(source.description.role.reason.clone());
        kept.push(source);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut project = io::project_from_layers(&stem, kept, None)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    for (layer, reason) in project.layers.iter_mut().zip(reasons) {
        let layer = std::sync::Arc::make_mut(layer);
        let renamed = rename_fields(layer);
        reading.taken.push(TakenLayer {
            source: layer.name.clone(),
            role: layer.role,
            reason,
            features: layer.features().len(),
            renamed,
        });
    }
    set_aside_second_layers(&mut project, &mut reading);
    derive_from_control_zones(&mut project, &mut reading);
    reading.missing = PLAN_ROLES
        .iter()
        .copied()
        .filter(|&r| project.layer_by_role(r).is_none())
        .collect();
    Ok(Received {
        project,
        reading: Some(reading),
    })
}

/// Layer names of the delivery structure and the whole-plan GeoPackage, with their roles.
fn delivered_names() -> Result<Vec<(String, Option<LayerRole>)>> {
    let schema = DeliverySchema::bundled()?;
    let mut names: Vec<(String, Option<LayerRole>)> = schema
        .layers
        .into_iter()
        .map(|l| (l.name, l.role))
        .collect();
    names.extend(
        LayerRole::ALL
            .iter()
            .filter_map(|&r| table_name(r).map(|n| (n.to_string(), Some(r)))),
    );
    Ok(names)
}

/// The role of a layer named as delivered (`CJDCQJX`, named but of no role, is `Other`).
fn delivered_role(names: &[(String, Option<LayerRole>)], layer: &str) -> Option<LayerRole> {
    let base = match layer.rsplit_once('_') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => layer,
    };
    names
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(base))
        .map(|(_, role)| role.unwrap_or(LayerRole::Other))
}

fn rename_fields(layer: &mut Layer) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    for &(role, from, to) in FIELD_NAMES {
        if layer.role != role || layer.field_index(to).is_some() {
            continue;
        }
        if let Some(i) = layer.field_index(from) {
            layer.rename_field(i, to);
            renamed.push((from.to_string(), to.to_string()));
        }
    }
    renamed
}

/// A second layer of a role would be ignored by every analysis (they take the first):
/// made `Other` and listed, so the reviewer sees it.
fn set_aside_second_layers(project: &mut Project, reading: &mut Reading) {
    let mut seen = std::collections::HashSet::new();
    for (layer, taken) in project.layers.iter_mut().zip(&mut reading.taken) {
        if layer.role == LayerRole::Other || seen.insert(layer.role) {
            continue;
        }
        reading.unused.push(format!(
            "{}: a second {} layer, not used (the first is)",
            layer.name,
            layer.role.name_zh()
        ));
        taken.reason = format!("second {} layer, set aside", layer.role.name_en());
        taken.role = LayerRole::Other;
        std::sync::Arc::make_mut(layer).role = LayerRole::Other;
    }
}

fn derive_from_control_zones(project: &mut Project, reading: &mut Reading) {
    let Some(zones) = project.layer_by_role(LayerRole::ControlZone) else {
        return;
    };
    let Some(code_col) = zones.field_index("GKBJLXDM") else {
        return;
    };
    let mut derived = Vec::new();
    for &(role, codes) in FROM_CONTROL_ZONES {
        if project.layer_by_role(role).is_some() {
            continue;
        }
        let features: Vec<_> = zones
            .features()
            .iter()
            .filter(|f| {
                f.attributes
                    .get(code_col)
                    .and_then(|v| v.as_text())
                    .is_some_and(|c| codes.contains(&c.trim()))
            })
            .cloned()
            .collect();
        if features.is_empty() {
            continue;
        }
        let source = format!("{}[GKBJLXDM {}]", zones.name, codes.join("+"));
        reading.taken.push(TakenLayer {
            source: source.clone(),
            role,
            reason: format!("taken from the 管控边界 zones {}", codes.join(", ")),
            features: features.len(),
            renamed: Vec::new(),
        });
        let id = project.unique_layer_id(table_name(role).unwrap_or("derived"));
        let mut layer = Layer::new(
            id,
            format!("{}（{source}）", role.name_zh()),
            role,
            zones.fields().to_vec(),
            features,
        );
        layer.geometry_kind = zones.geometry_kind;
        derived.push(layer);
    }
    for layer in derived {
        project.add_layer(layer);
    }
}
