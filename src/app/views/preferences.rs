//! 设置 → 首选项 (language, basemap, 天地图 key) and 帮助 → 关于 (version, licences, font,
//! data notes).

use rust_i18n::t;

use crate::app::basemap::Basemap;
use crate::app::settings::AppSettings;

/// The open dialogs of this module.
#[derive(Default)]
pub struct PreferencesDialogs {
    /// The settings being edited (applied on 确定).
    pub editing: Option<AppSettings>,
    /// The about box is open.
    pub about: bool,
}

/// The 设置 and 关于 windows; the new settings when 确定 was pressed (the window applies
/// them: language, basemap, and stores them).
pub fn preferences_ui(
    ctx: &egui::Context,
    dialogs: &mut PreferencesDialogs,
) -> Option<AppSettings> {
    let mut applied = None;
    if let Some(mut edit) = dialogs.editing.take() {
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
            Some(true) => applied = Some(edit),
            Some(false) => {}
            None => dialogs.editing = Some(edit),
        }
    }
    if dialogs.about {
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
            dialogs.about = false;
        }
    }
    applied
}
