//! Autosave and recovery: while the project has unsaved changes, a copy is written (on a
//! worker thread, atomically, like every save) to `recovery/` in the config directory at
//! most a minute after the last one, so a crash loses at most the last minute of work. A
//! successful save or an explicit discard removes the copy; when a project is opened and a
//! newer copy of it exists, the window offers to recover it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use rust_i18n::t;

use super::VillagePlanApp;
use crate::Silent;

/// How often unsaved work is copied.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Autosave state.
#[derive(Default)]
pub struct Recovery {
    last: Option<Instant>,
    job: Option<Receiver<Result<(), String>>>,
    /// A recovery copy found for the project just opened, offered to the user.
    pub offer: Option<PathBuf>,
}

/// The recovery copy of a project: `<config>/recovery/<stem>-<hash of the path>.gpkg`, so two
/// projects with the same name in different folders do not share one. An unsaved new
/// project uses its name.
pub fn recovery_path(config_dir: &Path, project: Option<&Path>, name: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let stem = match project {
        Some(p) => {
            p.hash(&mut h);
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        None => {
            name.hash(&mut h);
            format!("unsaved-{name}")
        }
    };
    config_dir
        .join("recovery")
        .join(format!("{stem}-{:016x}.gpkg", h.finish()))
}

fn current_path(app: &VillagePlanApp) -> Option<PathBuf> {
    let dir = app.config_dir.as_deref()?;
    let project = app.project.as_ref()?;
    Some(recovery_path(
        dir,
        app.project_path.as_deref(),
        &project.name,
    ))
}

/// Writes the recovery copy now (on a worker), whatever the interval.
pub fn autosave_now(app: &mut VillagePlanApp) {
    let (Some(path), Some(project)) = (current_path(app), app.project.clone()) else {
        return;
    };
    if app.recovery.job.is_some() {
        return;
    }
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                // A recovery copy: the project keeps the stamp of its own file.
                crate::io::save_project(&project, &path, &Silent)
                    .map(|_copy| ())
                    .map_err(|e| e.to_string())
            });
        let _ = tx.send(result);
    });
    app.recovery.job = Some(rx);
    app.recovery.last = Some(Instant::now());
}

/// True while a recovery copy is being written.
pub fn writing(app: &VillagePlanApp) -> bool {
    app.recovery.job.is_some()
}

/// Removes the recovery copy (after a save, or when the user discards the changes).
pub fn remove(app: &VillagePlanApp) {
    if let Some(path) = current_path(app) {
        let _ = std::fs::remove_file(path);
    }
}

/// After a project was opened: offer a recovery copy newer than the project file.
pub fn check_after_open(app: &mut VillagePlanApp) {
    let Some(copy) = current_path(app) else {
        return;
    };
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let newer = match (
        modified(&copy),
        app.project_path.as_deref().and_then(modified),
    ) {
        (Some(c), Some(p)) => c > p,
        (Some(_), None) => true,
        _ => false,
    };
    app.recovery.offer = newer.then_some(copy);
}

/// Every frame: autosave when due, collect the worker, and the recovery offer dialog.
pub fn recovery_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    if let Some(job) = &app.recovery.job
        && let Ok(result) = job.try_recv()
    {
        app.recovery.job = None;
        if let Err(e) = result {
            app.message = Some(t!("recovery.failed", error = e).into_owned());
        }
    }
    let due = app.recovery.last.is_none_or(|t| t.elapsed() >= INTERVAL);
    if app.dirty && due && app.saving.is_none() {
        autosave_now(app);
    }
    if app.dirty {
        ctx.request_repaint_after(INTERVAL);
    }
    let Some(copy) = app.recovery.offer.clone() else {
        return;
    };
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("recovery_offer")).show(ctx, |ui| {
        ui.heading(t!("recovery.title"));
        ui.label(t!("recovery.text"));
        ui.label(
            egui::RichText::new(copy.display().to_string())
                .small()
                .weak(),
        );
        ui.horizontal(|ui| {
            if ui.button(t!("recovery.recover")).clicked() {
                choice = Some(true);
            }
            if ui.button(t!("recovery.discard")).clicked() {
                choice = Some(false);
            }
        });
    });
    match choice {
        Some(true) => {
            app.recovery.offer = None;
            match crate::io::load_project(&copy, &Silent) {
                Ok(mut project) => {
                    // The work belongs to the project's file, not to the copy, and which
                    // version of that file it started from is not known: its next save
                    // replaces it as before (pending rewrite).
                    project.file = None;
                    let path = app.project_path.clone();
                    super::replace_project(app, project, path);
                    // The recovered work is not in the project file yet.
                    app.dirty = true;
                }
                Err(e) => app.message = Some(t!("recovery.failed", error = e).into_owned()),
            }
        }
        Some(false) => {
            app.recovery.offer = None;
            let _ = std::fs::remove_file(&copy);
        }
        None => {}
    }
}
