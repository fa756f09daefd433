//! The editing toolbar under the menu: the active layer, the tools, what to do with the
//! selection, undo/redo, snapping/tracing/avoid-overlaps switches, the new features' type,
//! and the live readout (hint, conflicts in 亩, a refused edit's reason).

use egui::{RichText, Ui};
use rust_i18n::t;

use super::{Editor, Tool, active_layer, is_editable, selection};
use crate::analysis::live_conflicts::type_field;
use crate::app::workspace::Workspace;
use crate::model::{GeometryKind, LayerRole};

/// What a toolbar click asks for, done after the toolbar is drawn.
enum Action {
    Tool(Tool),
    Delete,
    Merge,
    FromSelection,
    Undo,
    Redo,
    AvoidOverlaps(bool),
}

/// The label of the draw tool for the active layer's kind.
fn draw_label(ws: &Workspace, editor: &Editor) -> std::borrow::Cow<'static, str> {
    match active_layer(ws, editor).map(|l| l.geometry_kind) {
        Some(GeometryKind::Line) => t!("edit.draw_line"),
        Some(GeometryKind::Point) => t!("edit.draw_point"),
        _ => t!("edit.draw_polygon"),
    }
}

/// The toolbar, shown while editing.
pub fn toolbar(ui: &mut Ui, ws: &mut Workspace, editor: &mut Editor) {
    if !editor.open {
        return;
    }
    let Some(doc) = &ws.doc else { return };
    let editable: Vec<(String, String)> = doc
        .project()
        .layers
        .iter()
        .filter(|l| is_editable(l))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let mut action: Option<Action> = None;
    egui::Panel::top("edit_toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            layer_choice(ui, editor, &editable);
            tools(ui, ws, editor, &mut action);
            ui.separator();
            selection_actions(ui, &mut action);
            ui.separator();
            history_buttons(ui, ws, &mut action);
            ui.separator();
            switches(ui, ws, editor, &mut action);
            preset(ui, ws, editor);
            readout(ui, editor);
        });
    });
    match action {
        Some(Action::Tool(tool)) => {
            let next = if editor.tool == tool {
                Tool::Select
            } else {
                tool
            };
            editor.set_tool(next);
        }
        Some(Action::Delete) => selection::delete_selected(ws),
        Some(Action::Merge) => selection::open_merge(ws, editor),
        Some(Action::FromSelection) => selection::create_from_map_selection(ws, editor),
        Some(Action::Undo) => super::undo_redo(ws, false),
        Some(Action::Redo) => super::undo_redo(ws, true),
        Some(Action::AvoidOverlaps(on)) => {
            if let (Some(doc), Some(id)) = (&mut ws.doc, &editor.active) {
                let outcome = doc.change_settings(|settings| {
                    crate::edit::set_avoid_overlaps(settings, id, on);
                    Ok(())
                });
                if let Err(e) = outcome {
                    ws.fail(e);
                }
            }
        }
        None => {}
    }
}

fn layer_choice(ui: &mut Ui, editor: &mut Editor, editable: &[(String, String)]) {
    let label = ui.label(t!("edit.layer"));
    let current = editable
        .iter()
        .find(|(id, _)| Some(id) == editor.active.as_ref())
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| t!("edit.choose_layer").into_owned());
    let before = editor.active.clone();
    egui::ComboBox::from_id_salt("edit_layer")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (id, name) in editable {
                ui.selectable_value(&mut editor.active, Some(id.clone()), name);
            }
        })
        .response
        .labelled_by(label.id);
    if editor.active != before {
        let tool = editor.tool;
        editor.set_tool(tool);
        editor.preset.clear();
    }
}

fn tools(ui: &mut Ui, ws: &Workspace, editor: &Editor, action: &mut Option<Action>) {
    let has_layer = editor.active.is_some();
    let polygons =
        active_layer(ws, editor).is_some_and(|l| l.geometry_kind == GeometryKind::Polygon);
    let buttons = [
        (
            Tool::Draw,
            draw_label(ws, editor),
            t!("edit.draw_hint"),
            true,
        ),
        (
            Tool::Vertex,
            t!("edit.vertices"),
            t!("edit.vertices_hint"),
            true,
        ),
        (Tool::Move, t!("edit.move"), t!("edit.move_hint"), true),
        (
            Tool::Split,
            t!("edit.split"),
            t!("edit.split_hint"),
            polygons,
        ),
        (
            Tool::Reshape,
            t!("edit.reshape"),
            t!("edit.reshape_hint"),
            polygons,
        ),
        (
            Tool::AddHole,
            t!("edit.add_hole"),
            t!("edit.add_hole_hint"),
            polygons,
        ),
        (
            Tool::FillHole,
            t!("edit.fill_hole"),
            t!("edit.fill_hole_hint"),
            polygons,
        ),
    ];
    for (tool, label, hint, enabled) in buttons {
        if ui
            .add_enabled(
                has_layer && enabled,
                egui::Button::selectable(editor.tool == tool, label),
            )
            .on_hover_text(hint)
            .clicked()
        {
            *action = Some(Action::Tool(tool));
        }
    }
}

fn selection_actions(ui: &mut Ui, action: &mut Option<Action>) {
    for (key, hint, a) in [
        ("edit.delete_selected", "edit.delete_hint", Action::Delete),
        ("edit.merge_selected", "edit.merge_hint", Action::Merge),
        (
            "edit.from_map_selection",
            "edit.from_map_selection_hint",
            Action::FromSelection,
        ),
    ] {
        if ui.button(t!(key)).on_hover_text(t!(hint)).clicked() {
            *action = Some(a);
        }
    }
}

fn history_buttons(ui: &mut Ui, ws: &Workspace, action: &mut Option<Action>) {
    match super::history_buttons(ws, ui, false) {
        Some(true) => *action = Some(Action::Redo),
        Some(false) => *action = Some(Action::Undo),
        None => {}
    }
}

fn switches(ui: &mut Ui, ws: &Workspace, editor: &mut Editor, action: &mut Option<Action>) {
    let mut snapping = !editor.snapping_off;
    if ui
        .checkbox(&mut snapping, t!("edit.snap"))
        .on_hover_text(t!("edit.snap_hint"))
        .changed()
    {
        editor.snapping_off = !snapping;
    }
    let label = ui.label(t!("edit.snap_to"));
    let shown = |only: bool| {
        if only {
            t!("edit.snap_active")
        } else {
            t!("edit.snap_visible")
        }
    };
    egui::ComboBox::from_id_salt("edit_snap_to")
        .selected_text(shown(editor.snap_active_only))
        .show_ui(ui, |ui| {
            for only in [false, true] {
                ui.selectable_value(&mut editor.snap_active_only, only, shown(only));
            }
        })
        .response
        .labelled_by(label.id);
    let mut tracing = editor.tracing;
    if ui
        .add_enabled(
            snapping,
            egui::Checkbox::new(&mut tracing, t!("edit.trace")),
        )
        .on_hover_text(t!("edit.trace_hint"))
        .changed()
    {
        editor.tracing = tracing;
    }
    let polygons =
        active_layer(ws, editor).is_some_and(|l| l.geometry_kind == GeometryKind::Polygon);
    let mut avoid = match (&ws.doc, &editor.active) {
        (Some(d), Some(id)) => crate::edit::avoids_overlaps(&d.project().settings, id),
        _ => false,
    };
    if ui
        .add_enabled(
            polygons,
            egui::Checkbox::new(&mut avoid, t!("edit.avoid_overlaps")),
        )
        .on_hover_text(t!("edit.avoid_overlaps_hint"))
        .changed()
    {
        *action = Some(Action::AvoidOverlaps(avoid));
    }
}

/// The type new features get, for layers with a type field: a choice of the three spaces,
/// a code for planned land use and control zones.
fn preset(ui: &mut Ui, ws: &Workspace, editor: &mut Editor) {
    let Some(role) = active_layer(ws, editor).map(|l| l.role) else {
        return;
    };
    if type_field(role).is_none() {
        return;
    }
    let label = ui.label(t!("edit.preset"));
    if role == LayerRole::ThreeSpaces {
        let shown = if editor.preset.is_empty() {
            t!("edit.preset_none").into_owned()
        } else {
            editor.preset.clone()
        };
        egui::ComboBox::from_id_salt("edit_preset")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut editor.preset, String::new(), t!("edit.preset_none"));
                for space in ["生态空间", "生产空间", "生活空间"] {
                    ui.selectable_value(&mut editor.preset, space.to_string(), space);
                }
            })
            .response
            .labelled_by(label.id);
    } else {
        ui.add(
            egui::TextEdit::singleline(&mut editor.preset)
                .desired_width(60.0)
                .hint_text(t!("edit.preset_code")),
        )
        .labelled_by(label.id);
    }
}

fn readout(ui: &mut Ui, editor: &Editor) {
    if editor.tool.sketches() {
        ui.label(
            RichText::new(t!("edit.hint", count = editor.sketch.len()))
                .small()
                .weak(),
        );
    }
    for c in &editor.conflicts {
        ui.colored_label(
            egui::Color32::from_rgb(210, 50, 50),
            t!(
                "edit.conflict",
                role = c.role.name_zh(),
                mu = format!("{:.2}", crate::units::mu(c.area_m2))
            ),
        );
    }
    if let Some((reason, _)) = &editor.refused {
        ui.colored_label(egui::Color32::from_rgb(210, 50, 50), reason);
    }
}
