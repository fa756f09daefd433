//! 打开 (Ctrl+O): a project or any vector file by path, with a file browser and the recent
//! projects a click away; and 新建项目: a name and the working CRS.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};
use rust_i18n::t;

use crate::app::document::Document;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::crs::WorkingCrs;

/// Ctrl+O.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);

/// The 打开 dialog: the path being typed and its browser.
pub struct OpenDialog {
    text: String,
    browser: FileBrowser,
}

impl Default for OpenDialog {
    fn default() -> Self {
        OpenDialog {
            text: String::new(),
            browser: FileBrowser::new(Path::new(""), Filter::Vector),
        }
    }
}

fn unsaved_warning(ui: &mut egui::Ui, ws: &Workspace) {
    if ws.doc.as_ref().is_some_and(Document::dirty) {
        ui.colored_label(egui::Color32::from_rgb(200, 90, 0), t!("open.unsaved"));
    }
}

/// The 打开 dialog; false when it is done (opened or cancelled).
pub fn open_ui(ctx: &egui::Context, ws: &mut Workspace, dialog: &mut OpenDialog) -> bool {
    let mut keep = true;
    let mut chosen: Option<PathBuf> = None;
    let recent = ws.recent_projects();
    egui::Modal::new(egui::Id::unique("open_dialog")).show(ctx, |ui| {
        unsaved_warning(ui, ws);
        let label = ui.label(t!("open.path"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.text)
                    .hint_text("/path/to/project.gpkg")
                    .desired_width(380.0),
            )
            .labelled_by(label.id);
        let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if let Some(path) = dialog.browser.ui(ui, &mut dialog.text) {
            chosen = Some(path);
        }
        if !recent.is_empty() {
            ui.separator();
            ui.label(t!("menu.recent"));
            for p in &recent {
                if ui.link(p.display().to_string()).clicked() {
                    chosen = Some(p.clone());
                }
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            let text = dialog.text.trim();
            if (ui.button(t!("open.open")).clicked() || entered) && !text.is_empty() {
                chosen = Some(PathBuf::from(text));
            }
            if ui.button(t!("save.cancel")).clicked() {
                keep = false;
            }
        });
    });
    if let Some(path) = chosen {
        ws.open(ctx, path);
        keep = false;
    }
    keep
}

/// The 新建项目 dialog: a name and the working CRS (the CGCS2000 3° Gauss-Kruger zone the
/// plan's areas are measured in; 凤庆 lies in the zone of 99°E, EPSG:4542).
pub struct NewProject {
    name: String,
    crs: Option<WorkingCrs>,
}

impl NewProject {
    /// Defaults: the open project's zone, else 99°E.
    pub fn for_workspace(ws: &Workspace) -> Self {
        let crs = ws
            .doc
            .as_ref()
            .map(|d| d.project().crs)
            .or_else(|| WorkingCrs::from_central_meridian(99).ok());
        NewProject {
            name: t!("new.default_name").into_owned(),
            crs,
        }
    }
}

/// The 新建项目 dialog; false when it is done. Creating replaces the open document.
pub fn new_project_ui(ctx: &egui::Context, ws: &mut Workspace, state: &mut NewProject) -> bool {
    let (mut create, mut cancel) = (false, false);
    egui::Modal::new(egui::Id::unique("new_project_dialog")).show(ctx, |ui| {
        ui.heading(t!("menu.new"));
        unsaved_warning(ui, ws);
        let label = ui.label(t!("new.name"));
        ui.add(egui::TextEdit::singleline(&mut state.name).desired_width(300.0))
            .labelled_by(label.id);
        let label = ui.label(t!("new.crs"));
        egui::ComboBox::from_id_salt("new_project_crs")
            .selected_text(state.crs.map(|c| c.label()).unwrap_or_default())
            .width(300.0)
            .show_ui(ui, |ui| {
                for cm in (75..=135).step_by(3) {
                    if let Ok(crs) = WorkingCrs::from_central_meridian(cm) {
                        ui.selectable_value(&mut state.crs, Some(crs), crs.label());
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.label(egui::RichText::new(t!("new.crs_hint")).small().weak());
        ui.separator();
        ui.horizontal(|ui| {
            create = ui
                .add_enabled(
                    !state.name.trim().is_empty() && state.crs.is_some(),
                    egui::Button::new(t!("new.create")),
                )
                .clicked();
            cancel = ui.button(t!("save.cancel")).clicked();
        });
    });
    if create && let Some(crs) = state.crs {
        ws.doc = Some(Document::empty(state.name.trim(), crs));
        return false;
    }
    !cancel
}
