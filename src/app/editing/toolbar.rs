//! The editing toolbar under the menu: the active layer, the tools, what to do with the
//! selection, undo/redo, snapping/tracing/avoid-overlaps switches, the new features' type,
//! and the live readout (hint, conflicts in 亩, a refused edit's reason).

use egui::{RichText, Ui};
use rust_i18n::t;

use super::{Tool, VillagePlanApp, active_layer, is_editable, selection};
use crate::analysis::live_conflicts::type_field;
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
fn draw_label(app: &VillagePlanApp) -> std::borrow::Cow<'static, str> {
    match active_layer(app).map(|l| l.geometry_kind) {
        Some(GeometryKind::Line) => t!("edit.draw_line"),
        Some(GeometryKind::Point) => t!("edit.draw_point"),
        _ => t!("edit.draw_polygon"),
    }
}

/// The toolbar, shown while editing.
pub fn toolbar(app: &mut VillagePlanApp, ui: &mut Ui) {
    if !app.editor.open {
        return;
    }
    let Some(project) = &app.project else { return };
    let editable: Vec<(String, String)> = project
        .layers
        .iter()
        .filter(|l| is_editable(l))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let mut action: Option<Action> = None;
    egui::Panel::top("edit_toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            layer_choice(app, ui, &editable);
            tools(app, ui, &mut action);
            ui.separator();
            selection_actions(ui, &mut action);
            ui.separator();
            history_buttons(app, ui, &mut action);
            ui.separator();
            switches(app, ui, &mut action);
            preset(app, ui);
            readout(app, ui);
        });
    });
    match action {
        Some(Action::Tool(tool)) => {
            let next = if app.editor.tool == tool {
                Tool::Select
            } else {
                tool
            };
            app.editor.set_tool(next);
        }
        Some(Action::Delete) => selection::delete_selected(app),
        Some(Action::Merge) => selection::open_merge(app),
        Some(Action::FromSelection) => selection::create_from_map_selection(app),
        Some(Action::Undo) => super::undo_redo(app, false),
        Some(Action::Redo) => super::undo_redo(app, true),
        Some(Action::AvoidOverlaps(on)) => {
            if let (Some(project), Some(id)) = (&mut app.project, &app.editor.active) {
                crate::edit::set_avoid_overlaps(&mut project.settings, id, on);
                app.dirty = true;
            }
        }
        None => {}
    }
}

fn layer_choice(app: &mut VillagePlanApp, ui: &mut Ui, editable: &[(String, String)]) {
    let label = ui.label(t!("edit.layer"));
    let current = editable
        .iter()
        .find(|(id, _)| Some(id) == app.editor.active.as_ref())
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| t!("edit.choose_layer").into_owned());
    let before = app.editor.active.clone();
    egui::ComboBox::from_id_salt("edit_layer")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (id, name) in editable {
                ui.selectable_value(&mut app.editor.active, Some(id.clone()), name);
            }
        })
        .response
        .labelled_by(label.id);
    if app.editor.active != before {
        let tool = app.editor.tool;
        app.editor.set_tool(tool);
        app.editor.preset.clear();
    }
}

fn tools(app: &VillagePlanApp, ui: &mut Ui, action: &mut Option<Action>) {
    let has_layer = app.editor.active.is_some();
    let polygons = active_layer(app).is_some_and(|l| l.geometry_kind == GeometryKind::Polygon);
    let buttons = [
        (Tool::Draw, draw_label(app), t!("edit.draw_hint"), true),
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
                egui::Button::selectable(app.editor.tool == tool, label),
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

fn history_buttons(app: &VillagePlanApp, ui: &mut Ui, action: &mut Option<Action>) {
    match super::history_buttons(app, ui, false) {
        Some(true) => *action = Some(Action::Redo),
        Some(false) => *action = Some(Action::Undo),
        None => {}
    }
}

fn switches(app: &mut VillagePlanApp, ui: &mut Ui, action: &mut Option<Action>) {
    let mut snapping = !app.editor.snapping_off;
    if ui
        .checkbox(&mut snapping, t!("edit.snap"))
        .on_hover_text(t!("edit.snap_hint"))
        .changed()
    {
        app.editor.snapping_off = !snapping;
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
        .selected_text(shown(app.editor.snap_active_only))
        .show_ui(ui, |ui| {
            for only in [false, true] {
                ui.selectable_value(&mut app.editor.snap_active_only, only, shown(only));
            }
        })
        .response
        .labelled_by(label.id);
    let mut tracing = app.editor.tracing;
    if ui
        .add_enabled(
            snapping,
            egui::Checkbox::new(&mut tracing, t!("edit.trace")),
        )
        .on_hover_text(t!("edit.trace_hint"))
        .changed()
    {
        app.editor.tracing = tracing;
    }
    let polygons = active_layer(app).is_some_and(|l| l.geometry_kind == GeometryKind::Polygon);
    let mut avoid = match (&app.project, &app.editor.active) {
        (Some(p), Some(id)) => crate::edit::avoids_overlaps(&p.settings, id),
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
fn preset(app: &mut VillagePlanApp, ui: &mut Ui) {
    let Some(role) = active_layer(app).map(|l| l.role) else {
        return;
    };
    if type_field(role).is_none() {
        return;
    }
    let label = ui.label(t!("edit.preset"));
    if role == LayerRole::ThreeSpaces {
        let shown = if app.editor.preset.is_empty() {
            t!("edit.preset_none").into_owned()
        } else {
            app.editor.preset.clone()
        };
        egui::ComboBox::from_id_salt("edit_preset")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut app.editor.preset,
                    String::new(),
                    t!("edit.preset_none"),
                );
                for space in ["生态空间", "生产空间", "生活空间"] {
                    ui.selectable_value(&mut app.editor.preset, space.to_string(), space);
                }
            })
            .response
            .labelled_by(label.id);
    } else {
        ui.add(
            egui::TextEdit::singleline(&mut app.editor.preset)
                .desired_width(60.0)
                .hint_text(t!("edit.preset_code")),
        )
        .labelled_by(label.id);
    }
}

fn readout(app: &VillagePlanApp, ui: &mut Ui) {
    if app.editor.tool.sketches() {
        ui.label(
            RichText::new(t!("edit.hint", count = app.editor.sketch.len()))
                .small()
                .weak(),
        );
    }
    for c in &app.editor.conflicts {
        ui.colored_label(
            egui::Color32::from_rgb(210, 50, 50),
            t!(
                "edit.conflict",
                role = c.role.name_zh(),
                mu = format!("{:.2}", crate::units::mu(c.area_m2))
            ),
        );
    }
    if let Some((reason, _)) = &app.editor.refused {
        ui.colored_label(egui::Color32::from_rgb(210, 50, 50), reason);
    }
}
