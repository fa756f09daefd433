//! 打开 (Ctrl+O): a project or any vector file by path, with the recent projects a click
//! away. Recent projects are kept in `$XDG_CONFIG_HOME/villageplan/recent.json`
//! (or `~/.config/…`); a missing or unreadable list is simply empty.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};
use rust_i18n::t;

use super::VillagePlanApp;

/// Ctrl+O.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// How many recent projects are remembered.
const RECENT_MAX: usize = 8;

/// Where the recent list lives by default.
pub fn default_recent_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("villageplan").join("recent.json"))
}

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
        let recent = recent_projects(app.recent_file.as_deref());
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
    }
}
