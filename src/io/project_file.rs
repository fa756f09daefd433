//! The project file: one GeoPackage holding every layer (in the working CRS) and two
//! attribute tables of VillagePlan metadata, so that QGIS and `ogr2ogr` open it too.
//!
//! Saving is atomic: the project is written to a temporary file beside the target
//! (`.NAME.saving-PID.gpkg`, see [`temporary_save_path`]), synced, and renamed over it. A
//! crash or kill at any point leaves either the previous project or the new one, never a
//! mixture.
//!
//! # Two saves never interleave
//!
//! A save holds an exclusive advisory lock ([`std::fs::File::lock`]) on a lock file beside
//! the project, `.NAME.gpkg.lock`, from before it writes the temporary file until the rename
//! is done. Every save of one path — from another process or another thread of this one —
//! therefore waits for the running one (the waiting save notes that it waits). Without it
//! two threads of one process would even write the same temporary file, whose name holds
//! the process id. The lock file is empty and stays: removing it while another save waits
//! on it would let a third save lock a new file of the same name and run alongside. The
//! operating system releases the lock when its process dies, so a killed save blocks
//! nobody.
//!
//! # Stale temporary files
//!
//! A killed save leaves its temporary file (and SQLite's `-journal` beside it). The next
//! save of the project, or its next load, removes those whose process is no longer running
//! — on Linux, when there is no `/proc/PID` — and says so through [`Progress::note`]. The
//! files of a running process, of this process, and every file on platforms without `/proc`
//! are kept: removing the file of a save in progress would make that save fail. A save
//! removes them under its lock; a load only when it can take the lock at once (otherwise a
//! save is running and will do it), so a save in progress on another computer sharing the
//! folder, whose process id means nothing here, is left alone where the lock is honoured.
//! A process id reused by a new process keeps its old file until that process ends.
//!
//! # A changed file is not overwritten
//!
//! [`load_project`] records in [`Project::file`] which file it read and a stamp of that file
//! (length, modification time to the nanosecond, device and inode on Unix) taken *before*
//! reading, so a save by someone else that lands during the read also counts as a change.
//! [`save_project`] returns the stamp of the file it wrote, for the caller to keep in
//! `project.file` when it goes on working with the project. When a save's target is the
//! project's own file (the same path as `project.file`, relative or through a linked folder
//! alike), it compares the stamp under the lock — before writing and again just before the
//! rename — and refuses with [`Error::ChangedOnDisk`] when the file changed, rather than
//! silently replacing another window's or command's save. Saving to any other path (save
//! as, the first save of a new project, a recovery copy) writes without comparing, as does
//! a save of a project whose `file` is `None`: that is how a caller overwrites the other
//! version on purpose. A project file deleted since it was read is written again.
//!
//! What this does not cover:
//! - Network file systems that do not honour advisory locks (some SMB/CIFS and NFS setups):
//!   saves from two computers may run at once. The stamp comparison still refuses most
//!   lost updates, but not a rename that lands between the last comparison and ours; and a
//!   temporary file of a save running on another computer whose process id is not running
//!   here may be removed, which makes that save fail (its previous project stays intact).
//!   Where locking is not supported at all, a save notes that and goes on without the lock.
//! - Programs that ignore the lock and edit the file in place (QGIS, `ogr2ogr -update`):
//!   a change within the same clock tick of a coarse file-system clock (FAT, some network
//!   shares) that keeps the length and the inode is not noticed, nor a change between the
//!   last comparison and the rename.
//! - Reads are not locked: a command that only reads (`check`, `stats`) while another saves
//!   may read layers of both versions; its own save would then be refused, as its stamp is
//!   the older one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use gdal::DriverManager;
use serde::{Deserialize, Serialize};

use super::read::{LoadOptions, read_layer, read_named_layers};
use super::save_guard::{
    SaveLock, ensure_unchanged, remove_stale_temporaries, temporary_name_parts, tidy_before_load,
};
use super::write::{Table, write_layer};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::{
    AttrValue, Feature, FieldDef, FieldKind, FileStamp, Layer, LayerRole, LayerSource, LayerStyle,
    LoadReport, Project, ProjectFile, ProjectSettings,
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

/// The temporary file a save writes before renaming it over `path`.
pub fn temporary_save_path(path: &Path) -> PathBuf {
    let (before, after) = temporary_name_parts(path);
    path.with_file_name(format!("{before}{}{after}", std::process::id()))
}

/// Saves `project` to `path` atomically, after any other save of `path` and only if `path`
/// is not the project's own file changed by someone else since (see the module docs).
/// Returns the file as written, for `project.file` when the caller keeps the project open.
pub fn save_project(
    project: &Project,
    path: &Path,
    progress: &dyn Progress,
) -> Result<ProjectFile> {
    let _lock = SaveLock::acquire(path, progress)?;
    remove_stale_temporaries(path, progress);
    ensure_unchanged(project, path)?;
    let temp = temporary_save_path(path);
    let result = write_project(project, &temp, progress).and_then(|()| {
        let written = fs::File::open(&temp)
            .and_then(|f| {
                f.sync_all()?;
                f.metadata()
            })
            .map_err(|e| Error::write(path, format!("cannot sync: {e}")))?;
        // Programs that ignore the lock may have written the file while we wrote ours.
        ensure_unchanged(project, path)?;
        fs::rename(&temp, path).map_err(|e| Error::write(path, format!("cannot replace: {e}")))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Persist the rename itself; failure here only weakens durability, not atomicity.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        // A rename keeps length, time and inode: the stamp of the temporary file is the
        // project's now.
        Ok(ProjectFile {
            path: path.to_path_buf(),
            stamp: FileStamp::of(&written),
        })
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(|e| match e {
        Error::Write { detail, .. } => Error::write(path, detail),
        other => other,
    })
}

fn write_project(project: &Project, temp: &Path, progress: &dyn Progress) -> Result<()> {
    if temp.exists() {
        fs::remove_file(temp).map_err(|e| Error::io(temp, e))?;
    }
    let driver = DriverManager::get_driver_by_name("GPKG")
        .map_err(|e| Error::write(temp, format!("GeoPackage driver missing: {e}")))?;
    let mut ds = driver
        .create_vector_only(temp)
        .map_err(|e| Error::write(temp, e.to_string()))?;
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
            Table::named(&layer.id),
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
        .map_err(|e| Error::write(temp, format!("settings: {e}")))?;
    let project_rows = [
        ("format_version", AttrValue::Integer(FORMAT_VERSION)),
        ("name", AttrValue::text(project.name.as_str())),
        ("crs_epsg", AttrValue::Integer(project.crs.epsg() as i64)),
        ("settings", AttrValue::text(settings)),
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
                    AttrValue::text(k),
                    AttrValue::text(v.as_text().unwrap_or_default()),
                ],
            })
            .collect(),
    );
    let mut layer_rows = Vec::with_capacity(metas.len());
    for (i, meta) in metas.iter().enumerate() {
        let json = serde_json::to_string(meta)
            .map_err(|e| Error::write(temp, format!("layer '{}': {e}", meta.table)))?;
        layer_rows.push(Feature {
            id: i as i64 + 1,
            geometry: None,
            attributes: vec![AttrValue::Integer(i as i64), AttrValue::text(json)],
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
        write_layer(&mut ds, temp, table, Table::named(&table.id), &srs, &[])?;
    }
    ds.close()
        .map_err(|e| Error::write(temp, format!("close: {e}")))?;
    progress.finish();
    Ok(())
}

/// Opens a project saved by [`save_project`], after removing what killed saves of it left
/// (see the module docs); `project.file` records the file as it was before reading.
pub fn load_project(path: &Path, progress: &dyn Progress) -> Result<Project> {
    tidy_before_load(path, progress);
    // Before reading: a save that lands while we read makes this stale, so our own save of
    // a project read half from each version is refused.
    let stamp = fs::metadata(path)
        .map(|meta| FileStamp::of(&meta))
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::NotFound {
                path: path.to_path_buf(),
            },
            _ => Error::io(path, e),
        })?;
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
            values.insert(k.as_str(), v.as_str());
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
    let name = values
        .get("name")
        .map(|v| v.to_string())
        .unwrap_or_default();

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
    let tables: Vec<&str> = rows.iter().map(|(_, meta)| meta.table.as_str()).collect();
    let sources = read_named_layers(path, &tables, &options, progress)?;
    for ((_, meta), source) in rows.into_iter().zip(sources) {
        let mut layer = source.into_layer(meta.table.clone(), crs)?;
        layer.restore_field_kinds(&meta.fields);
        layer.name = meta.name;
        layer.role = meta.role;
        layer.style = meta.style;
        layer.source = meta.source;
        layer.load_report = meta.load_report;
        project.add_layer(layer);
    }
    project.file = Some(ProjectFile {
        path: path.to_path_buf(),
        stamp,
    });
    Ok(project)
}
