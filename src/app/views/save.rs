//! Saving from the window: Ctrl+S and 另存为 write the project atomically on a worker
//! thread; closing the window with unsaved changes asks first; a save refused because
//! another program or window changed the file since it was opened offers 另存为 or
//! reopening the file, so neither save is lost silently.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers, ViewportCommand};
use rust_i18n::t;

use crate::app::document::Document;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::{Request, Workspace};

/// Ctrl+S.
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);

/// The 另存为 dialog: the path being typed and its browser.
pub struct SaveAs {
    text: String,
    browser: FileBrowser,
}

impl SaveAs {
    /// Starts at the project's own path, if it has one.
    pub fn new(ws: &Workspace) -> Self {
        let text = ws
            .doc
            .as_ref()
            .and_then(Document::path)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        SaveAs {
            browser: FileBrowser::new(Path::new(text.trim()), Filter::Project),
            text,
        }
    }
}

/// The save dialogs' state.
#[derive(Default)]
pub struct SaveDialogs {
    /// 另存为, while open.
    pub save_as: Option<SaveAs>,
    /// The window was asked to close with unsaved changes.
    confirm_close: bool,
    /// The user chose to close without saving.
    discard: bool,
}

/// Ctrl+S, the close request, and the dialogs.
pub fn saving_ui(ctx: &egui::Context, ws: &mut Workspace, dialogs: &mut SaveDialogs) {
    if ctx.input_mut(|i| i.consume_shortcut(&SAVE)) && ws.doc.is_some() {
        ws.save_here(ctx, false);
    }
    if std::mem::take(&mut ws.close_now) {
        dialogs.discard = true;
        ctx.send_viewport_cmd(ViewportCommand::Close);
    }
    let dirty = ws.doc.as_ref().is_some_and(Document::dirty);
    if ctx.input(|i| i.viewport().close_requested()) && dirty && !dialogs.discard {
        ctx.send_viewport_cmd(ViewportCommand::CancelClose);
        dialogs.confirm_close = true;
    }
    if dialogs.confirm_close {
        egui::Modal::new(egui::Id::unique("confirm_close")).show(ctx, |ui| {
            ui.label(t!("save.unsaved"));
            ui.horizontal(|ui| {
                if ui.button(t!("save.save")).clicked() {
                    dialogs.confirm_close = false;
                    ws.save_here(ctx, true);
                }
                if ui.button(t!("save.discard")).clicked() {
                    dialogs.confirm_close = false;
                    dialogs.discard = true;
                    ws.remove_recovery();
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
                if ui.button(t!("save.cancel")).clicked() {
                    dialogs.confirm_close = false;
                }
            });
        });
    }
    conflict_ui(ctx, ws);
    if let Some(mut dialog) = dialogs.save_as.take() {
        let mut keep = true;
        egui::Modal::new(egui::Id::unique("save_as")).show(ctx, |ui| {
            let label = ui.label(t!("save.path"));
            ui.add(
                egui::TextEdit::singleline(&mut dialog.text)
                    .hint_text("/path/to/project.gpkg")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            dialog.browser.ui(ui, &mut dialog.text);
            ui.horizontal(|ui| {
                let valid = dialog.text.trim().ends_with(".gpkg");
                if ui
                    .add_enabled(valid, egui::Button::new(t!("save.save")))
                    .clicked()
                {
                    ws.save(ctx, PathBuf::from(dialog.text.trim()), false);
                    keep = false;
                }
                if ui.button(t!("save.cancel")).clicked() {
                    keep = false;
                }
            });
        });
        if keep {
            dialogs.save_as = Some(dialog);
        }
    }
}

/// The project file changed on disk since it was opened, so the save was refused: save
/// elsewhere, or reopen the file (losing this window's unsaved changes, which it says).
fn conflict_ui(ctx: &egui::Context, ws: &mut Workspace) {
    let Some(path) = ws.save_conflict.clone() else {
        return;
    };
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("save_conflict")).show(ctx, |ui| {
        ui.heading(t!("save.conflict_title"));
        ui.label(t!("save.conflict_text", path = path.display().to_string()));
        ui.horizontal(|ui| {
            if ui.button(t!("menu.save_as")).clicked() {
                choice = Some(true);
            }
            if ui.button(t!("save.reload")).clicked() {
                choice = Some(false);
            }
            if ui.button(t!("save.cancel")).clicked() {
                ws.save_conflict = None;
            }
        });
    });
    match choice {
        Some(true) => {
            ws.save_conflict = None;
            ws.request(Request::SaveAs);
        }
        Some(false) => {
            ws.save_conflict = None;
            ws.open(ctx, path);
        }
        None => {}
    }
}
