//! The menu bar (文件, 编辑, 视图, 分析, 设置, 帮助) and the village/township search box.

use egui::{Key, RichText, Ui};
use rust_i18n::t;

use super::open::OPEN;
use super::save::SAVE;
use crate::app::selection::FeatureRef;
use crate::app::workspace::{Request, Workspace};
use crate::model::admin::AdminUnits;

/// The search box.
#[derive(Default)]
pub struct Search {
    /// What is typed.
    pub text: String,
    /// "Not found", when nothing matched.
    pub message: Option<String>,
}

/// Finds a township, else a village, by code, name, name prefix or short name (龙泉 for
/// 龙泉村民委员会), and shows it: the map zooms to it, it is selected and highlighted.
/// False when nothing matched.
pub fn find(ws: &mut Workspace, query: &str) -> bool {
    let query = query.trim();
    let Some(doc) = &mut ws.doc else { return false };
    if query.is_empty() {
        return false;
    }
    let found = [AdminUnits::townships, AdminUnits::villages]
        .into_iter()
        .filter_map(|units| units(doc.project()).ok())
        .find_map(|units| {
            units.find(query).map(|u| FeatureRef {
                layer: units.layer.id.clone(),
                feature: u.feature_id,
            })
        });
    match found {
        Some(item) => {
            doc.select(vec![item], false, true);
            true
        }
        None => false,
    }
}

/// The menu bar with the search box. `edit_menu` draws the 编辑 menu (the editing tools').
pub fn top_bar(
    ui: &mut Ui,
    ws: &mut Workspace,
    search: &mut Search,
    edit_menu: impl FnOnce(&mut Ui, &mut Workspace),
) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t!("menu.file"), |ui| file_menu(ui, ws));
            ui.menu_button(t!("menu.edit"), |ui| edit_menu(ui, ws));
            ui.menu_button(t!("menu.view"), |ui| {
                if ui.button(t!("menu.full_extent")).clicked() {
                    if let Some(doc) = &mut ws.doc {
                        doc.zoom_full();
                    }
                    ui.close();
                }
            });
            ui.menu_button(t!("menu.analysis"), |ui| {
                let has_project = ws.doc.is_some();
                for (key, request) in [
                    ("menu.checks", Request::Checks),
                    ("menu.classify", Request::Classification),
                    ("menu.tables", Request::Tables),
                    ("menu.demonstration", Request::Demonstration),
                ] {
                    if ui
                        .add_enabled(has_project, egui::Button::new(t!(key)))
                        .clicked()
                    {
                        ws.request(request);
                        ui.close();
                    }
                }
            });
            ui.menu_button(t!("menu.settings"), |ui| {
                if ui.button(t!("menu.preferences")).clicked() {
                    ws.request(Request::Preferences);
                    ui.close();
                }
                ui.menu_button(t!("menu.language"), |ui| {
                    for (code, name) in [("zh-CN", "中文"), ("en", "English")] {
                        if ui.button(name).clicked() {
                            let mut new = ws.settings.clone();
                            new.language = code.into();
                            ws.request(Request::ApplySettings(new));
                            ui.close();
                        }
                    }
                });
            });
            ui.menu_button(t!("menu.help"), |ui| {
                if ui.button(t!("menu.about")).clicked() {
                    ws.request(Request::About);
                    ui.close();
                }
            });
            ui.separator();
            let label = ui.label(t!("search.label"));
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut search.text)
                        .hint_text(t!("search.hint"))
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            if edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                search.message = (!find(ws, &search.text.clone())
                    && !search.text.trim().is_empty())
                .then(|| t!("search.none").into_owned());
            }
            if let Some(msg) = &search.message {
                ui.label(msg);
            }
            if ws
                .doc
                .as_ref()
                .is_some_and(|d| d.project().settings.synthetic)
            {
                ui.label(
                    RichText::new(t!("app.synthetic")).color(egui::Color32::from_rgb(180, 80, 0)),
                );
            }
        });
    });
}

fn file_menu(ui: &mut Ui, ws: &mut Workspace) {
    if ui.button(t!("menu.new")).clicked() {
        ws.request(Request::NewProject);
        ui.close();
    }
    let open = ui.ctx().format_shortcut(&OPEN);
    if ui
        .add(egui::Button::new(t!("menu.open")).shortcut_text(open))
        .clicked()
    {
        ws.request(Request::Open);
        ui.close();
    }
    let has_project = ws.doc.is_some();
    if ui
        .add_enabled(has_project, egui::Button::new(t!("menu.add_layer")))
        .clicked()
    {
        ws.request(Request::AddLayer);
        ui.close();
    }
    ui.separator();
    let save = ui.ctx().format_shortcut(&SAVE);
    if ui
        .add_enabled(
            has_project,
            egui::Button::new(t!("menu.save")).shortcut_text(save),
        )
        .clicked()
    {
        ws.save_here(&ui.ctx().clone(), false);
        ui.close();
    }
    if ui
        .add_enabled(has_project, egui::Button::new(t!("menu.save_as")))
        .clicked()
    {
        ws.request(Request::SaveAs);
        ui.close();
    }
    if ui
        .add_enabled(has_project, egui::Button::new(t!("export.menu")))
        .clicked()
    {
        ws.request(Request::Export);
        ui.close();
    }
    if ui
        .add_enabled(has_project, egui::Button::new(t!("menu.package")))
        .clicked()
    {
        ws.request(Request::Package);
        ui.close();
    }
    if ui
        .add_enabled(has_project, egui::Button::new(t!("sheets.menu")))
        .clicked()
    {
        ws.request(Request::Sheets);
        ui.close();
    }
    ui.separator();
    if ui.button(t!("menu.quit")).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        ui.close();
    }
}
