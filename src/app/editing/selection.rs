//! Selection on the map and what is done with it: a click identifies and selects, Shift+
//! click adds or removes a feature, Shift+drag selects every feature of one layer in a box.
//! Selected plan features can be deleted or merged (the planner picks whose attributes
//! survive); selected parcels can become a new feature of the active layer.

use rust_i18n::t;

use super::{VillagePlanApp, active_layer, apply, is_editable};
use crate::app::identify::{self, Identified};
use crate::edit::Edit;

/// The merge dialog: the active layer's selected positions and the one whose attributes
/// survive.
pub struct MergeDialog {
    layer: String,
    positions: Vec<usize>,
    keep: usize,
}

/// A click on the map in the select tool: `picks` are the features under it, topmost
/// first. Without Shift they replace the selection; with Shift the topmost is added, or
/// removed when it was already selected.
pub fn select_on_map(app: &mut VillagePlanApp, picks: Vec<Identified>, shift: bool) {
    if !shift {
        app.identified = picks;
        return;
    }
    let Some(first) = picks.into_iter().next() else {
        return;
    };
    match app.identified.iter().position(|p| *p == first) {
        Some(i) => {
            app.identified.remove(i);
        }
        None => app.identified.push(first),
    }
}

/// Shift+drag in the select tool: a box; released, every feature of the selection's layer
/// (or else of the topmost visible layer with any) that meets the box is added.
pub(super) fn box_input(app: &mut VillagePlanApp, shift: bool) -> bool {
    let feedback = app.feedback.clone();
    if let Some(start) = feedback.drag_started_mercator.filter(|_| shift) {
        app.editor.selecting = Some((start, start));
    }
    if let (Some((start, _)), Some(now)) = (app.editor.selecting, feedback.dragging_mercator) {
        app.editor.selecting = Some((start, now));
    }
    if !feedback.drag_stopped {
        return false;
    }
    let Some((a, b)) = app.editor.selecting.take() else {
        return false;
    };
    let min = [a[0].min(b[0]), a[1].min(b[1])];
    let max = [a[0].max(b[0]), a[1].max(b[1])];
    let layers = app.canvas.layers();
    let preferred = app.identified.first().map(|p| p.layer_index);
    let order: Vec<usize> = match preferred {
        Some(i) => vec![i],
        None => (0..layers.len()).rev().collect(),
    };
    for layer_index in order {
        let found = identify::pick_box(layers, layer_index, min, max);
        if found.is_empty() {
            continue;
        }
        for p in found {
            if !app.identified.contains(&p) {
                app.identified.push(p);
            }
        }
        break;
    }
    app.highlight = app
        .identified
        .iter()
        .filter_map(|p| {
            app.canvas.layers().get(p.layer_index)?.geometries[p.feature_index]
                .as_ref()
                .map(crate::app::panels::rings)
        })
        .collect();
    true
}

/// Positions of the selected features that belong to the active layer.
fn selected_in_active(app: &VillagePlanApp) -> Vec<usize> {
    let Some(project) = &app.project else {
        return Vec::new();
    };
    let Some(index) = project
        .layers
        .iter()
        .position(|l| Some(&l.id) == app.editor.active.as_ref())
    else {
        return Vec::new();
    };
    app.identified
        .iter()
        .filter(|p| p.layer_index == index)
        .map(|p| p.feature_index)
        .collect()
}

/// Removes the selected features of editable layers as one undoable step.
pub(super) fn delete_selected(app: &mut VillagePlanApp) {
    let Some(project) = &app.project else { return };
    let mut picked: Vec<(String, usize)> = app
        .identified
        .iter()
        .filter_map(|p| {
            let l = project.layers.get(p.layer_index)?;
            is_editable(l).then(|| (l.id.clone(), p.feature_index))
        })
        .collect();
    if picked.is_empty() {
        app.message = Some(t!("edit.nothing_to_delete").into_owned());
        return;
    }
    // Highest positions first, so the others do not shift.
    picked.sort_by_key(|p| std::cmp::Reverse(p.1));
    let edits = picked
        .into_iter()
        .map(|(layer, position)| Edit::RemoveFeature { layer, position })
        .collect();
    if let Err(e) = apply(app, &t!("edit.delete"), Edit::Batch(edits)) {
        app.message = Some(e);
    }
}

/// Opens the merge dialog for the selected features of the active layer.
pub(super) fn open_merge(app: &mut VillagePlanApp) {
    let positions = selected_in_active(app);
    match (active_layer(app), positions.len()) {
        (Some(layer), 2..) => {
            app.editor.merge = Some(MergeDialog {
                layer: layer.id.clone(),
                keep: positions[0],
                positions,
            })
        }
        _ => app.message = Some(t!("edit.merge_needs_two").into_owned()),
    }
}

/// A short description of a feature for the merge dialog: its first non-empty texts.
fn describe(layer: &crate::model::Layer, position: usize) -> String {
    let Some(f) = layer.features().get(position) else {
        return String::new();
    };
    let texts: Vec<String> = f
        .attributes
        .iter()
        .filter_map(|v| v.as_text().map(|t| t.into_owned()))
        .filter(|t| !t.trim().is_empty())
        .take(3)
        .collect();
    format!("#{} {}", f.id, texts.join(" · "))
}

/// The merge dialog: choose whose attributes survive, then merge as one undoable step.
pub fn merge_ui(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some(mut dialog) = app.editor.merge.take() else {
        return;
    };
    let Some(layer) = app
        .project
        .as_ref()
        .and_then(|p| p.layers.iter().find(|l| l.id == dialog.layer))
    else {
        return;
    };
    let rows: Vec<(usize, String)> = dialog
        .positions
        .iter()
        .map(|&i| (i, describe(layer, i)))
        .collect();
    let mut outcome = None;
    egui::Modal::new(egui::Id::unique("merge_dialog")).show(ctx, |ui| {
        ui.heading(t!("edit.merge_title", count = rows.len()));
        ui.label(t!("edit.merge_keep"));
        for (i, text) in &rows {
            ui.radio_value(&mut dialog.keep, *i, text.as_str());
        }
        ui.horizontal(|ui| {
            if ui.button(t!("edit.merge")).clicked() {
                outcome = Some(true);
            }
            if ui.button(t!("save.cancel")).clicked() {
                outcome = Some(false);
            }
        });
    });
    match outcome {
        Some(true) => {
            let result = crate::edit::merge_features(layer, &dialog.positions, dialog.keep)
                .map_err(|e| e.to_string())
                .and_then(|edit| apply(app, &t!("edit.merge"), edit));
            app.message = Some(match result {
                Ok(()) => t!("edit.merged", count = dialog.positions.len()).into_owned(),
                Err(e) => e,
            });
        }
        Some(false) => {}
        None => app.editor.merge = Some(dialog),
    }
}

/// One feature of the active edit layer from the union of selected features of layer
/// `source`, as one undoable step.
pub fn create_from_selection(app: &mut VillagePlanApp, source: usize, positions: &[usize]) {
    let edit = {
        let Some(project) = &app.project else { return };
        let (Some(from), Some(target)) = (project.layers.get(source), active_layer(app)) else {
            return;
        };
        crate::edit::create_from_selection(from, positions, target)
    };
    let result = edit
        .map_err(|e| e.to_string())
        .and_then(|edit| apply(app, &t!("edit.from_selection"), edit));
    app.message = Some(match result {
        Ok(()) => t!("edit.created_from", count = positions.len()).into_owned(),
        Err(e) => e,
    });
}

/// 用所选创建: the selected features of the first selected layer on the map, merged into a
/// new feature of the active layer.
pub(super) fn create_from_map_selection(app: &mut VillagePlanApp) {
    let Some(source) = app.identified.first().map(|p| p.layer_index) else {
        app.message = Some(t!("edit.nothing_selected").into_owned());
        return;
    };
    let positions: Vec<usize> = app
        .identified
        .iter()
        .filter(|p| p.layer_index == source)
        .map(|p| p.feature_index)
        .collect();
    create_from_selection(app, source, &positions);
}
