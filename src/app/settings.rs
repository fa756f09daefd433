//! 设置 and 关于: the user's preferences (language, basemap, 天地图 key), kept as JSON in
//! the config directory so they survive restarts, and the about box with the licences.
//! A missing or unreadable settings file gives the defaults: Chinese, no basemap (offline).

use std::path::{Path, PathBuf};

use rust_i18n::t;
use serde::{Deserialize, Serialize};

use super::VillagePlanApp;
use super::basemap::Basemap;

/// Preferences that outlive a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// `zh-CN` or `en`.
    pub language: String,
    /// Tiles drawn under the layers; `None` fetches nothing.
    pub basemap: Basemap,
    /// The user's own 天地图 key (tianditu.gov.cn issues them free of charge).
    pub tianditu_key: String,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            language: "zh-CN".into(),
            basemap: Basemap::None,
            tianditu_key: String::new(),
        }
    }
}

/// Where settings, the recent list and the tile cache live by default:
/// `$XDG_CONFIG_HOME/villageplan` or `~/.config/villageplan`.
pub fn default_config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("villageplan"))
}

/// The settings stored in `dir`, or the defaults.
pub fn load(dir: Option<&Path>) -> AppSettings {
    dir.and_then(|d| std::fs::read_to_string(d.join("settings.json")).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes `settings` to `dir` (through a temporary file, so a crash never leaves half a
/// file). Failing only loses the preference, which the message says.
pub fn store(dir: Option<&Path>, settings: &AppSettings) -> Result<(), String> {
    let Some(dir) = dir else { return Ok(()) };
    let text = serde_json::to_string_pretty(settings).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dir.join(".settings.json.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join("settings.json")).map_err(|e| format!("{}: {e}", dir.display()))
}

/// The open dialogs of this module.
#[derive(Default)]
pub struct SettingsDialogs {
    /// The settings being edited (applied on 确定).
    pub editing: Option<AppSettings>,
    /// The about box is open.
    pub about: bool,
}

/// Applies new settings: language, basemap, and stores them.
pub fn apply(app: &mut VillagePlanApp, ctx: &egui::Context, settings: AppSettings) {
    super::set_language(&settings.language);
    app.basemap.configure(
        ctx,
        settings.basemap,
        &settings.tianditu_key,
        app.config_dir.as_deref(),
    );
    if let Err(e) = store(app.config_dir.as_deref(), &settings) {
        app.message = Some(t!("settings.not_saved", error = e).into_owned());
    }
    app.settings = settings;
}

/// The 设置 and 关于 windows.
pub fn settings_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    if let Some(mut edit) = app.settings_dialogs.editing.take() {
        let mut outcome = None;
        egui::Modal::new(egui::Id::unique("settings_dialog")).show(ctx, |ui| {
            ui.heading(t!("menu.settings"));
            egui::Grid::new("settings_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    ui.label(t!("menu.language"));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut edit.language, "zh-CN".to_string(), "中文");
                        ui.radio_value(&mut edit.language, "en".to_string(), "English");
                    });
                    ui.end_row();
                    let label = ui.label(t!("settings.basemap"));
                    egui::ComboBox::from_id_salt("basemap_choice")
                        .selected_text(edit.basemap.name())
                        .width(220.0)
                        .show_ui(ui, |ui| {
                            for b in Basemap::ALL {
                                ui.selectable_value(&mut edit.basemap, b, b.name());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let key_label = ui.label(t!("settings.tianditu_key"));
                    ui.add(
                        egui::TextEdit::singleline(&mut edit.tianditu_key)
                            .desired_width(260.0)
                            .hint_text("tk"),
                    )
                    .labelled_by(key_label.id);
                    ui.end_row();
                });
            if edit.basemap.needs_tianditu_key() && edit.tianditu_key.trim().is_empty() {
                ui.colored_label(
                    egui::Color32::from_rgb(200, 90, 0),
                    t!("settings.key_needed"),
                );
            }
            ui.label(
                egui::RichText::new(t!("settings.offline_note"))
                    .small()
                    .weak(),
            );
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(t!("settings.ok")).clicked() {
                    outcome = Some(true);
                }
                if ui.button(t!("save.cancel")).clicked() {
                    outcome = Some(false);
                }
            });
        });
        match outcome {
            Some(true) => apply(app, ctx, edit),
            Some(false) => {}
            None => app.settings_dialogs.editing = Some(edit),
        }
    }
    if app.settings_dialogs.about {
        let response = egui::Modal::new(egui::Id::unique("about_dialog")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(t!("app.title"));
            ui.label(format!(
                "{} {}",
                t!("about.version"),
                env!("CARGO_PKG_VERSION")
            ));
            ui.label(t!("about.description"));
            ui.separator();
            ui.label(t!("about.licence"));
            ui.label(t!("about.font"));
            ui.label(t!("about.libraries"));
            ui.label(t!("about.sample"));
            ui.separator();
            ui.button(t!("about.close")).clicked()
        });
        if response.inner || response.should_close() {
            app.settings_dialogs.about = false;
        }
    }
}
