//! The project file: one GeoPackage holding every layer (in the working CRS) and two
//! attribute tables of VillagePlan metadata, so that QGIS and `ogr2ogr` open it too.
//!
//! Saving is atomic: the project is written to a temporary file beside the target, synced,
//! and renamed over it. A crash or kill at any point leaves either the previous project or
//! the new one, never a mixture.

use std::fs;
use std::path::{Path, PathBuf};

use gdal::DriverManager;
use serde::{Deserialize, Serialize};

use super::read::{LoadOptions, read_layer};
use super::write::write_layer;
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::{
    AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, LayerSource, LayerStyle, LoadReport,
    Project, ProjectSettings,
};
use crate::progress::Progress;

/// Table with the project's key/value metadata.
pub const PROJECT_TABLE: &str = "villageplan_project";
/// Table with one row per layer: order, role, style, provenance.
pub const LAYERS_TABLE: &str = "villageplan_layers";
/// Increased when the file layout changes incompatibly.
const FORMAT_VERSION: i64 = 1;

/// Per-layer metadata stored as JSON in [`LAYERS_TABLE`].
#[derive(Debug, Serialize, Deserialize)]
struct LayerMeta {
    table: String,
    name: String,
    role: LayerRole,
    style: LayerStyle,
    source: Option<LayerSource>,
    load_report: LoadReport,
    fields: Vec<FieldDef>,
}

fn write_error(path: &Path, detail: impl Into<String>) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        detail: detail.into(),
    }
}

/// The temporary file a save writes before renaming it over `path`.
pub fn temporary_save_path(path: &Path) -> PathBuf {
    // The extension stays last: drivers pick their format (and warnings) by it.
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{stem}.saving-{}{ext}", std::process::id()))
}

/// Saves `project` to `path` atomically (see the module docs).
pub fn save_project(project: &Project, path: &Path, progress: &dyn Progress) -> Result<()> {
    let temp = temporary_save_path(path);
    let result = write_project(project, &temp, progress).and_then(|()| {
        fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| write_error(path, format!("cannot sync: {e}")))?;
        fs::rename(&temp, path).map_err(|e| write_error(path, format!("cannot replace: {e}")))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Persist the rename itself; failure here only weakens durability, not atomicity.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(|e| match e {
        Error::Write { detail, .. } => write_error(path, detail),
        other => other,
    })
}

fn write_project(project: &Project, temp: &Path, progress: &dyn Progress) -> Result<()> {
    if temp.exists() {
        fs::remove_file(temp).map_err(|e| Error::io(temp, e))?;
    }
    let driver = DriverManager::get_driver_by_name("GPKG")
        .map_err(|e| write_error(temp, format!("GeoPackage driver missing: {e}")))?;
    let mut ds = driver
        .create_vector_only(temp)
        .map_err(|e| write_error(temp, e.to_string()))?;
    let srs = project.crs.spatial_ref()?;
    let total = project
        .layers
        .iter()
        .map(|l| l.features().len() as u64)
        .sum();
    progress.begin("保存项目", total);
    let mut metas = Vec::with_capacity(project.layers.len());
    for layer in &project.layers {
        write_layer(
            &mut ds,
            temp,
            layer,
            &layer.id,
            &srs,
            &["SPATIAL_INDEX=YES"],
        )?;
        progress.advance(layer.features().len() as u64);
        metas.push(LayerMeta {
            table: layer.id.clone(),
            name: layer.name.clone(),
            role: layer.role,
            style: layer.style.clone(),
            source: layer.source.clone(),
            load_report: layer.load_report.clone(),
            fields: layer.fields().to_vec(),
        });
    }
    let settings = serde_json::to_string(&project.settings)
        .map_err(|e| write_error(temp, format!("settings: {e}")))?;
    let project_rows = [
        ("format_version", AttrValue::Integer(FORMAT_VERSION)),
        ("name", AttrValue::Text(project.name.clone())),
        ("crs_epsg", AttrValue::Integer(project.crs.epsg() as i64)),
        ("settings", AttrValue::Text(settings)),
    ];
    let kv = Layer::new(
        PROJECT_TABLE,
        PROJECT_TABLE,
        LayerRole::Other,
        vec![
            FieldDef::new("key", FieldKind::Text),
            FieldDef::new("value", FieldKind::Text),
        ],
        project_rows
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| Feature {
                id: i as i64 + 1,
                geometry: None,
                attributes: vec![
                    AttrValue::Text(k.into()),
                    AttrValue::Text(v.as_text().unwrap_or_default().into_owned()),
                ],
            })
            .collect(),
    );
    let mut layer_rows = Vec::with_capacity(metas.len());
    for (i, meta) in metas.iter().enumerate() {
        let json = serde_json::to_string(meta)
            .map_err(|e| write_error(temp, format!("layer '{}': {e}", meta.table)))?;
        layer_rows.push(Feature {
            id: i as i64 + 1,
            geometry: None,
            attributes: vec![AttrValue::Integer(i as i64), AttrValue::Text(json)],
        });
    }
    let layers_table = Layer::new(
        LAYERS_TABLE,
        LAYERS_TABLE,
        LayerRole::Other,
        vec![
            FieldDef::new("position", FieldKind::Integer),
            FieldDef::new("meta", FieldKind::Text),
        ],
        layer_rows,
    );
    for table in [&kv, &layers_table] {
        write_layer(&mut ds, temp, table, &table.id, &srs, &[])?;
    }
    ds.close()
        .map_err(|e| write_error(temp, format!("close: {e}")))?;
    progress.finish();
    Ok(())
}

/// Opens a project saved by [`save_project`].
pub fn load_project(path: &Path, progress: &dyn Progress) -> Result<Project> {
    let not_project = |detail: &str| Error::NotAProject {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let options = LoadOptions::default();
    let kv = read_layer(path, Some(PROJECT_TABLE), &options, progress).map_err(|e| match e {
        Error::NoSuchLayer { .. } => not_project("no villageplan_project table"),
        other => other,
    })?;
    let mut values = std::collections::HashMap::new();
    for f in kv.features() {
        if let [AttrValue::Text(k), AttrValue::Text(v)] = f.attributes.as_slice() {
            values.insert(k.clone(), v.clone());
        }
    }
    let version: i64 = values
        .get("format_version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| not_project("format_version missing"))?;
    if version > FORMAT_VERSION {
        return Err(not_project(&format!(
            "format version {version} is newer than this VillagePlan ({FORMAT_VERSION})"
        )));
    }
    let epsg: u32 = values
        .get("crs_epsg")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| not_project("crs_epsg missing"))?;
    let crs = WorkingCrs::from_epsg(epsg)?;
    let settings: ProjectSettings = match values.get("settings") {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| not_project(&format!("settings unreadable: {e}")))?,
        None => ProjectSettings::default(),
    };
    let name = values.get("name").cloned().unwrap_or_default();

    let meta_table = read_layer(path, Some(LAYERS_TABLE), &options, progress)?;
    let mut rows: Vec<(i64, LayerMeta)> = Vec::new();
    for f in meta_table.features() {
        let position = f
            .attributes
            .first()
            .and_then(AttrValue::as_f64)
            .unwrap_or(0.0) as i64;
        let json = f
            .attributes
            .get(1)
            .and_then(|v| v.as_text())
            .ok_or_else(|| not_project("layer row without metadata"))?;
        let meta: LayerMeta = serde_json::from_str(&json)
            .map_err(|e| not_project(&format!("layer metadata unreadable: {e}")))?;
        rows.push((position, meta));
    }
    rows.sort_by_key(|(p, _)| *p);

    let mut project = Project::new(name, crs);
    project.settings = settings;
    for (_, meta) in rows {
        let source = read_layer(path, Some(&meta.table), &options, progress)?;
        let mut layer = source.into_layer(meta.table.clone(), crs)?;
        layer.restore_field_kinds(&meta.fields);
        layer.name = meta.name;
        layer.role = meta.role;
        layer.style = meta.style;
        layer.source = meta.source;
        layer.load_report = meta.load_report;
        project.add_layer(layer);
    }
    Ok(project)
}
