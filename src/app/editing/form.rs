//! The attribute form of a feature just drawn: its role's fields (red lines: name, source,
//! note; spaces: type; 村庄建设边界: village code …); 确定 sets them as one undoable step.

use rust_i18n::t;

use super::{VillagePlanApp, apply};
use crate::edit::Edit;

/// The form: layer id, feature position, and (field, label, value) rows.
pub type AttributeForm = (String, usize, Vec<(String, String, String)>);

/// The fields the form asks for in `layer`.
fn form_fields(layer: &crate::model::Layer) -> Vec<(&'static str, &'static str)> {
    if crate::edit::is_drawing_layer(layer) {
        return vec![("MC", "名称"), ("LX", "类型"), ("BZ", "备注")];
    }
    crate::edit::role_fields(layer.role)
        .into_iter()
        .map(|(name, _, label)| (name, label))
        .collect()
}

/// Opens the form for the last feature of `layer`, filled with its current values.
pub(super) fn open(app: &mut VillagePlanApp, layer: &str) {
    let Some(l) = app
        .project
        .as_ref()
        .and_then(|p| p.layers.iter().find(|l| l.id == layer))
    else {
        return;
    };
    let Some(position) = l.features().len().checked_sub(1) else {
        return;
    };
    let values = form_fields(l)
        .into_iter()
        .map(|(name, label)| {
            let current = l
                .value(position, name)
                .and_then(|v| v.as_text())
                .map(|v| v.into_owned())
                .unwrap_or_default();
            (name.to_string(), label.to_string(), current)
        })
        .collect();
    app.editor.form = Some((layer.to_string(), position, values));
}

/// The form window; 确定 sets the changed values as one undoable step.
pub fn form_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some((layer, position, mut values)) = app.editor.form.take() else {
        return;
    };
    let mut outcome = None;
    egui::Window::new(t!("edit.form_title"))
        .id(egui::Id::unique("edit_form"))
        .collapsible(false)
        .resizable(false)
        .default_pos([340.0, 120.0])
        .show(ctx, |ui| {
            egui::Grid::new("edit_form_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    for (_, label, value) in &mut values {
                        let l = ui.label(label.as_str());
                        ui.add(egui::TextEdit::singleline(value).desired_width(220.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                if ui.button(t!("settings.ok")).clicked() {
                    outcome = Some(true);
                }
                if ui.button(t!("edit.skip")).clicked() {
                    outcome = Some(false);
                }
            });
        });
    match outcome {
        Some(true) => {
            let current = |field: &str| {
                app.project
                    .as_ref()
                    .and_then(|p| p.layers.iter().find(|l| l.id == layer))
                    .and_then(|l| l.value(position, field))
                    .and_then(|v| v.as_text())
                    .map(|v| v.into_owned())
                    .unwrap_or_default()
            };
            let edits: Vec<Edit> = values
                .into_iter()
                .filter(|(field, _, v)| !v.trim().is_empty() && v.trim() != current(field))
                .map(|(field, _, v)| Edit::SetAttribute {
                    layer: layer.clone(),
                    position,
                    field,
                    value: crate::model::AttrValue::Text(v.trim().to_string()),
                })
                .collect();
            if !edits.is_empty()
                && let Err(e) = apply(app, &t!("edit.attributes"), Edit::Batch(edits))
            {
                app.message = Some(e);
            }
        }
        Some(false) => {}
        None => app.editor.form = Some((layer, position, values)),
    }
}
