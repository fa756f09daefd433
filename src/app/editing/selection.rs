//! Selection on the map and what is done with it: a click identifies and selects, Shift+
//! click adds or removes a feature, Shift+drag selects every feature of one layer in a box.
//! Selected plan features can be deleted or merged (the planner picks whose attributes
//! survive); selected parcels can become a new feature of the active layer.

use rust_i18n::t;

use super::{Editor, active_layer, apply, is_editable};
use crate::app::picking;
use crate::app::selection::FeatureRef;
use crate::app::workspace::Workspace;
use crate::edit::Edit;

/// The merge dialog: the active layer's selected features (ids) and the one whose
/// attributes survive.
pub struct MergeDialog {
    layer: String,
    features: Vec<i64>,
    keep: i64,
}

/// A click on the map in the select tool: `picks` are the features under it, topmost
/// first. Without Shift they replace the selection (the topmost is outlined); with Shift
/// the topmost is added, or removed when it was already selected.
pub fn select_on_map(ws: &mut Workspace, picks: Vec<FeatureRef>, shift: bool) {
    let Some(doc) = &mut ws.doc else { return };
    if !shift {
        doc.select(picks, false, false);
        return;
    }
    if let Some(first) = picks.into_iter().next() {
        doc.toggle(first);
    }
}

/// Shift+drag in the select tool: a box; released, every feature of the selection's layer
/// (or else of the topmost visible layer with any) that meets the box is added.
pub(super) fn box_input(ws: &mut Workspace, editor: &mut Editor) -> bool {
    let feedback = &editor.feedback;
    if let Some(start) = feedback.drag_started_mercator.filter(|_| feedback.shift) {
        editor.selecting = Some((start, start));
    }
    if let (Some((start, _)), Some(now)) = (editor.selecting, feedback.dragging_mercator) {
        editor.selecting = Some((start, now));
    }
    if !editor.feedback.drag_stopped {
        return false;
    }
    let Some((a, b)) = editor.selecting.take() else {
        return false;
    };
    let Some(doc) = &mut ws.doc else { return true };
    let min = [a[0].min(b[0]), a[1].min(b[1])];
    let max = [a[0].max(b[0]), a[1].max(b[1])];
    let preferred = doc
        .selection()
        .items()
        .first()
        .and_then(|i| doc.project().layer_position(&i.layer));
    let order: Vec<usize> = match preferred {
        Some(i) => vec![i],
        None => (0..doc.display().len()).rev().collect(),
    };
    let found = order
        .into_iter()
        .map(|layer_index| picking::pick_box(doc, layer_index, min, max))
        .find(|found| !found.is_empty());
    if let Some(found) = found {
        doc.extend_selection(found);
    }
    true
}

/// The selected features that belong to the active layer (their ids).
fn selected_in_active(ws: &Workspace, editor: &Editor) -> Vec<i64> {
    let (Some(doc), Some(active)) = (&ws.doc, &editor.active) else {
        return Vec::new();
    };
    doc.selection()
        .items()
        .iter()
        .filter(|i| &i.layer == active)
        .map(|i| i.feature)
        .collect()
}

/// Removes the selected features of editable layers as one undoable step.
pub(super) fn delete_selected(ws: &mut Workspace) {
    let Some(doc) = &ws.doc else { return };
    let project = doc.project();
    let mut picked: Vec<(String, usize)> = doc
        .selection()
        .items()
        .iter()
        .filter_map(|item| {
            let layer = project.layer(&item.layer).filter(|l| is_editable(l))?;
            Some((layer.id.clone(), layer.position_of(item.feature)?))
        })
        .collect();
    if picked.is_empty() {
        ws.tell(t!("edit.nothing_to_delete"));
        return;
    }
    // Highest positions first, so the others do not shift.
    picked.sort_by_key(|p| std::cmp::Reverse(p.1));
    let edits = picked
        .into_iter()
        .map(|(layer, position)| Edit::RemoveFeature { layer, position })
        .collect();
    if let Err(e) = apply(ws, &t!("edit.delete"), Edit::Batch(edits)) {
        ws.fail(e);
    }
}

/// Opens the merge dialog for the selected features of the active layer.
pub(super) fn open_merge(ws: &mut Workspace, editor: &mut Editor) {
    let features = selected_in_active(ws, editor);
    match (active_layer(ws, editor), features.len()) {
        (Some(layer), 2..) => {
            editor.merge = Some(MergeDialog {
                layer: layer.id.clone(),
                keep: features[0],
                features,
            })
        }
        _ => ws.tell(t!("edit.merge_needs_two")),
    }
}

/// A short description of a feature for the merge dialog: its first non-empty texts.
fn describe(layer: &crate::model::Layer, id: i64) -> String {
    let Some(f) = layer.position_of(id).map(|i| &layer.features()[i]) else {
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
pub fn merge_ui(ctx: &egui::Context, ws: &mut Workspace, editor: &mut Editor) {
    let Some(mut dialog) = editor.merge.take() else {
        return;
    };
    let Some(layer) = ws
        .doc
        .as_ref()
        .and_then(|d| d.project().layer(&dialog.layer))
    else {
        return;
    };
    let rows: Vec<(i64, String)> = dialog
        .features
        .iter()
        .map(|&id| (id, describe(layer, id)))
        .collect();
    let mut outcome = None;
    egui::Modal::new(egui::Id::unique("merge_dialog")).show(ctx, |ui| {
        ui.heading(t!("edit.merge_title", count = rows.len()));
        ui.label(t!("edit.merge_keep"));
        for (id, text) in &rows {
            ui.radio_value(&mut dialog.keep, *id, text.as_str());
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
            let positions: Vec<usize> = dialog
                .features
                .iter()
                .filter_map(|&id| layer.position_of(id))
                .collect();
            let Some(keep) = layer
                .position_of(dialog.keep)
                .or(positions.first().copied())
            else {
                return;
            };
            let result = crate::edit::merge_features(layer, &positions, keep)
                .and_then(|edit| apply(ws, &t!("edit.merge"), edit));
            match result {
                Ok(()) => ws.tell(t!("edit.merged", count = dialog.features.len())),
                Err(e) => ws.fail(e),
            }
        }
        Some(false) => {}
        None => editor.merge = Some(dialog),
    }
}

/// One feature of the active edit layer from the union of features `positions` of layer
/// `source` (its id), as one undoable step.
pub fn create_from_selection(
    ws: &mut Workspace,
    editor: &Editor,
    source: &str,
    positions: &[usize],
) {
    let edit = {
        let Some(doc) = &ws.doc else { return };
        let (Some(from), Some(target)) = (doc.project().layer(source), active_layer(ws, editor))
        else {
            return;
        };
        crate::edit::create_from_selection(from, positions, target)
    };
    match edit.and_then(|edit| apply(ws, &t!("edit.from_selection"), edit)) {
        Ok(()) => ws.tell(t!("edit.created_from", count = positions.len())),
        Err(e) => ws.fail(e),
    }
}

/// 用所选创建: the selected features of the first selected layer on the map, merged into a
/// new feature of the active layer.
pub(super) fn create_from_map_selection(ws: &mut Workspace, editor: &Editor) {
    let Some(doc) = &ws.doc else { return };
    let Some(source) = doc.selection().items().first().map(|i| i.layer.clone()) else {
        ws.tell(t!("edit.nothing_selected"));
        return;
    };
    let positions = doc.selection().positions_in(doc.project(), &source);
    create_from_selection(ws, editor, &source, &positions);
}
