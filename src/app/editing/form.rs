//! The attribute form of a feature just drawn: its role's fields (red lines: name, source,
//! note; spaces: type; 村庄建设边界: village code …); 确定 sets them as one undoable step.

use rust_i18n::t;

use super::{Editor, active_layer, apply};
use crate::app::workspace::Workspace;
use crate::edit::Edit;

/// The form: layer id, feature id, and (field, label, value) rows.
pub type AttributeForm = (String, i64, Vec<(String, String, String)>);

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

/// Opens the form for the feature just added to the active layer (its last), filled with
/// its current values.
pub(super) fn open(ws: &Workspace, editor: &mut Editor) {
    let Some(l) = active_layer(ws, editor) else {
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
    editor.form = Some((l.id.clone(), l.features()[position].id, values));
}

/// The form window; 确定 sets the changed values as one undoable step.
pub fn form_ui(ctx: &egui::Context, ws: &mut Workspace, editor: &mut Editor) {
    let Some((layer, id, mut values)) = editor.form.take() else {
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
    let l = ws.doc.as_ref().and_then(|d| d.project().layer(&layer));
    let Some(position) = l.and_then(|l| l.position_of(id)) else {
        // The feature is gone (undone meanwhile): nothing to fill in.
        return;
    };
    match outcome {
        Some(true) => {
            let current = |field: &str| {
                l.and_then(|l| l.value(position, field))
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
                    value: crate::model::AttrValue::text(v.trim()),
                })
                .collect();
            if !edits.is_empty()
                && let Err(e) = apply(ws, &t!("edit.attributes"), Edit::Batch(edits))
            {
                ws.fail(e);
            }
        }
        Some(false) => {}
        None => editor.form = Some((layer, id, values)),
    }
}
