//! 打开 (Ctrl+O): a project or any vector file by path, with the recent projects a click
//! away. Recent projects are kept in `recent.json` in the config directory (see
//! [`super::settings`]); a missing or unreadable list is simply empty.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};
use rust_i18n::t;

use super::VillagePlanApp;
use super::file_browser::{FileBrowser, Filter};
use crate::crs::WorkingCrs;

/// Ctrl+O.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// How many recent projects are remembered.
const RECENT_MAX: usize = 8;

/// The recent projects listed in `file`, most recent first.
pub fn recent_projects(file: Option<&Path>) -> Vec<PathBuf> {
    file.and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| serde_json::from_str::<Vec<PathBuf>>(&text).ok())
        .unwrap_or_default()
}

/// Puts `path` first in the recent list kept in `file`. Failing to write the list only
/// loses the list.
pub fn remember(file: Option<&Path>, path: &Path) {
    let Some(file) = file else { return };
    let mut list = recent_projects(Some(file));
    list.retain(|p| p != path);
    list.insert(0, path.to_path_buf());
    list.truncate(RECENT_MAX);
    if let (Some(dir), Ok(text)) = (file.parent(), serde_json::to_string_pretty(&list)) {
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(file, text);
    }
}

/// Starts loading `path`, replacing the open project.
pub fn open(app: &mut VillagePlanApp, ctx: &egui::Context, path: PathBuf) {
    app.load = Some(super::loader::start(path, ctx.clone()));
}

/// The shortcut and the 打开 dialog.
pub fn opening_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    if ctx.input_mut(|i| i.consume_shortcut(&OPEN)) {
        app.open_dialog = Some(String::new());
    }
    let Some(mut text) = app.open_dialog.take() else {
        return;
    };
    let mut keep = true;
    let mut chosen: Option<PathBuf> = None;
    egui::Modal::new(egui::Id::unique("open_dialog")).show(ctx, |ui| {
        if app.dirty {
            ui.colored_label(egui::Color32::from_rgb(200, 90, 0), t!("open.unsaved"));
        }
        let label = ui.label(t!("open.path"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("/path/to/project.gpkg")
                    .desired_width(380.0),
            )
            .labelled_by(label.id);
        let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let browser = app
            .browser
            .get_or_insert_with(|| FileBrowser::new(Path::new(text.trim()), Filter::Vector));
        if let Some(path) = browser.ui(ui, &mut text) {
            chosen = Some(path);
        }
        let recent = recent_projects(app.recent_file().as_deref());
        if !recent.is_empty() {
            ui.separator();
            ui.label(t!("menu.recent"));
            for p in recent {
                if ui.link(p.display().to_string()).clicked() {
                    chosen = Some(p);
                }
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            if (ui.button(t!("open.open")).clicked() || entered) && !text.trim().is_empty() {
                chosen = Some(PathBuf::from(text.trim()));
            }
            if ui.button(t!("save.cancel")).clicked() {
                keep = false;
            }
        });
    });
    if let Some(path) = chosen {
        open(app, ctx, path);
        keep = false;
    }
    if keep {
        app.open_dialog = Some(text);
    } else {
        app.browser = None;
    }
}

/// The 新建项目 dialog: a name and the working CRS (the CGCS2000 3° Gauss-Kruger zone the
/// plan's areas are measured in; 凤庆 lies in the zone of 99°E, EPSG:4542).
pub struct NewProject {
    pub name: String,
    pub crs: WorkingCrs,
}

impl NewProject {
    /// Defaults: the open project's zone, else 99°E.
    pub fn for_app(app: &VillagePlanApp) -> Self {
        let crs = app
            .project
            .as_ref()
            .map(|p| p.crs)
            .or_else(|| WorkingCrs::from_central_meridian(99).ok());
        NewProject {
            name: t!("new.default_name").into_owned(),
            crs: crs.expect("99°E is a CGCS2000 3° zone"),
        }
    }
}

/// Replaces the open project with an empty one.
pub fn create(app: &mut VillagePlanApp, name: &str, crs: WorkingCrs) {
    app.project = Some(crate::Project::new(name, crs));
    app.project_path = None;
    app.canvas.set_layers(Vec::new());
    app.labels.clear();
    app.legend.clear();
    app.identified.clear();
    app.highlight.clear();
    app.table = None;
    app.gk = super::map_view::gk_transformer(crs);
    app.editor = super::editing::Editor::default();
    app.dirty = false;
}

/// The 新建项目 dialog.
pub fn new_project_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some(mut state) = app.new_project.take() else {
        return;
    };
    let (mut create_it, mut cancel) = (false, false);
    egui::Modal::new(egui::Id::unique("new_project_dialog")).show(ctx, |ui| {
        ui.heading(t!("menu.new"));
        if app.dirty {
            ui.colored_label(egui::Color32::from_rgb(200, 90, 0), t!("open.unsaved"));
        }
        let label = ui.label(t!("new.name"));
        ui.add(egui::TextEdit::singleline(&mut state.name).desired_width(300.0))
            .labelled_by(label.id);
        let label = ui.label(t!("new.crs"));
        egui::ComboBox::from_id_salt("new_project_crs")
            .selected_text(state.crs.label())
            .width(300.0)
            .show_ui(ui, |ui| {
                for cm in (75..=135).step_by(3) {
                    if let Ok(crs) = WorkingCrs::from_central_meridian(cm) {
                        ui.selectable_value(&mut state.crs, crs, crs.label());
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.label(egui::RichText::new(t!("new.crs_hint")).small().weak());
        ui.separator();
        ui.horizontal(|ui| {
            create_it = ui
                .add_enabled(
                    !state.name.trim().is_empty(),
                    egui::Button::new(t!("new.create")),
                )
                .clicked();
            cancel = ui.button(t!("save.cancel")).clicked();
        });
    });
    if create_it {
        create(app, state.name.trim(), state.crs);
    } else if !cancel {
        app.new_project = Some(state);
    }
}
