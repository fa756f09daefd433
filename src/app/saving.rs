//! Saving from the window: Ctrl+S and 另存为 write the project atomically on a worker
//! thread; closing the window with unsaved changes asks first.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::{Key, KeyboardShortcut, Modifiers, ViewportCommand};
use rust_i18n::t;

use super::VillagePlanApp;
use super::file_browser::{FileBrowser, Filter};
use crate::Silent;

/// Ctrl+S.
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);

/// A save running on a worker thread.
pub struct SaveJob {
    pub path: PathBuf,
    pub result: Receiver<Result<crate::model::ProjectFile, String>>,
    /// Close the window once the save succeeded.
    pub then_close: bool,
}

/// What the 另存为 / unsaved-changes dialogs show.
#[derive(Default)]
pub struct SaveDialogs {
    /// 另存为: the path being typed.
    pub save_as: Option<String>,
    /// The window was asked to close with unsaved changes.
    pub confirm_close: bool,
    /// The user chose to close without saving.
    pub discard: bool,
}

/// Starts saving the open project to `path`.
pub fn start_save(app: &mut VillagePlanApp, path: PathBuf, then_close: bool) {
    let Some(project) = app.project.clone() else {
        return;
    };
    let (tx, rx) = channel();
    let target = path.clone();
    std::thread::spawn(move || {
        let result = crate::io::save_project(&project, &target, &Silent).map_err(|e| e.to_string());
        let _ = tx.send(result);
    });
    app.saving = Some(SaveJob {
        path,
        result: rx,
        then_close,
    });
}

/// Saves to the project's file, or asks for a path when it has none.
pub fn save(app: &mut VillagePlanApp, then_close: bool) {
    match app.project_path.clone() {
        Some(path) => start_save(app, path, then_close),
        None => app.dialogs.save_as = Some(String::new()),
    }
}

/// Shortcuts, the running save, the close request and the dialogs.
pub fn saving_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    if ctx.input_mut(|i| i.consume_shortcut(&SAVE)) && app.project.is_some() {
        save(app, false);
    }
    if let Some(job) = &app.saving {
        match job.result.try_recv() {
            Ok(Ok(file)) => {
                // The work is safe in the project now: the recovery copy has done its job.
                super::recovery::remove(app);
                // The next save compares against the file as written now, or it would take
                // this save for someone else's and refuse. The window keeps it in its
                // document (pending rewrite).
                if let Some(project) = app.project.as_mut() {
                    project.file = Some(file);
                }
                let job = app.saving.as_ref().expect("a save job");
                app.project_path = Some(job.path.clone());
                app.dirty = false;
                app.message =
                    Some(t!("save.saved", path = job.path.display().to_string()).into_owned());
                if job.then_close {
                    app.dialogs.discard = true;
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
                app.saving = None;
            }
            Ok(Err(e)) => {
                app.error = Some(e);
                app.saving = None;
            }
            Err(_) => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
        }
    }
    if ctx.input(|i| i.viewport().close_requested()) && app.dirty && !app.dialogs.discard {
        ctx.send_viewport_cmd(ViewportCommand::CancelClose);
        app.dialogs.confirm_close = true;
    }
    if app.dialogs.confirm_close {
        egui::Modal::new(egui::Id::unique("confirm_close")).show(ctx, |ui| {
            ui.label(t!("save.unsaved"));
            ui.horizontal(|ui| {
                if ui.button(t!("save.save")).clicked() {
                    app.dialogs.confirm_close = false;
                    save(app, true);
                }
                if ui.button(t!("save.discard")).clicked() {
                    app.dialogs.confirm_close = false;
                    app.dialogs.discard = true;
                    super::recovery::remove(app);
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
                if ui.button(t!("save.cancel")).clicked() {
                    app.dialogs.confirm_close = false;
                }
            });
        });
    }
    if let Some(mut text) = app.dialogs.save_as.take() {
        let mut keep = true;
        egui::Modal::new(egui::Id::unique("save_as")).show(ctx, |ui| {
            let label = ui.label(t!("save.path"));
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("/path/to/project.gpkg")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let browser = app.browser.get_or_insert_with(|| {
                FileBrowser::new(std::path::Path::new(text.trim()), Filter::Project)
            });
            browser.ui(ui, &mut text);
            ui.horizontal(|ui| {
                let valid = text.trim().ends_with(".gpkg");
                if ui
                    .add_enabled(valid, egui::Button::new(t!("save.save")))
                    .clicked()
                {
                    start_save(app, PathBuf::from(text.trim()), false);
                    keep = false;
                }
                if ui.button(t!("save.cancel")).clicked() {
                    keep = false;
                }
            });
        });
        if keep {
            app.dialogs.save_as = Some(text);
        } else {
            app.browser = None;
        }
    }
}
