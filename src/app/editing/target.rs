//! The feature tools: the vertex tool (drag a vertex, double-click an edge to insert one,
//! right-click a vertex to delete it) and the move tool, both on a feature of the active
//! layer picked with a click. While a construction-type feature is reshaped this way, its
//! conflicts with farmland and red line follow the pointer, as when drawing.

use geo::{Coord, Geometry};
use rust_i18n::t;

use super::{Editor, Refusal, Tool, active_layer, apply, ground, refusal, snapped};
use crate::analysis::live_conflicts::{construction_conflicts, is_construction, type_field};
use crate::app::workspace::Workspace;
use crate::edit::Edit;

/// Vertex tolerance in screen points.
const VERTEX_POINTS: f64 = 8.0;

/// The geometry of feature `id` of the active layer.
pub(super) fn geometry_of(ws: &Workspace, editor: &Editor, id: i64) -> Option<Geometry<f64>> {
    let layer = active_layer(ws, editor)?;
    layer.features()[layer.position_of(id)?].geometry.clone()
}

/// The geometry of the picked feature.
pub(super) fn target_geometry(ws: &Workspace, editor: &Editor) -> Option<Geometry<f64>> {
    geometry_of(ws, editor, editor.target?)
}

/// The picked feature's geometry as it is being dragged (vertex moved, feature shifted).
pub(super) fn dragged_geometry(ws: &Workspace, editor: &Editor) -> Option<Geometry<f64>> {
    let g = target_geometry(ws, editor)?;
    if let Some((v, at)) = editor.dragging {
        return crate::edit::move_vertex(&g, v, at).or(Some(g));
    }
    if let Some((start, now)) = editor.moving {
        return Some(geo::Translate::translate(
            &g,
            now.x - start.x,
            now.y - start.y,
        ));
    }
    Some(g)
}

/// False while the pointer is on a vertex of the picked feature (vertex tool) or inside it
/// (move tool): a drag there edits instead of panning the map.
pub(super) fn map_pans(ws: &Workspace, editor: &Editor) -> bool {
    if editor.dragging.is_some() || editor.moving.is_some() {
        return false;
    }
    let hover = ws
        .map
        .hover_mercator
        .and_then(|m| super::working_from_mercator(ws, m));
    let (Some(g), Some(hover)) = (target_geometry(ws, editor), hover) else {
        return true;
    };
    match editor.tool {
        Tool::Move => !geo::Contains::contains(&g, &geo::Point::from(hover)),
        _ => crate::edit::nearest_vertex(&g, hover, ground(ws, VERTEX_POINTS)).is_none(),
    }
}

/// `geometry` clipped by the other features of the active layer when its avoid-overlaps
/// option is on (`editing`: the feature's own id). A problem refuses the edit.
pub(super) fn without_overlaps(
    ws: &Workspace,
    editor: &Editor,
    editing: Option<i64>,
    geometry: Geometry<f64>,
) -> Result<Geometry<f64>, Refusal> {
    let (Some(layer), Some(doc)) = (active_layer(ws, editor), ws.doc.as_ref()) else {
        return Ok(geometry);
    };
    let polygonal = matches!(geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_));
    if !polygonal || !crate::edit::avoids_overlaps(&doc.project().settings, &layer.id) {
        return Ok(geometry);
    }
    let position = editing.and_then(|id| layer.position_of(id));
    crate::edit::clip_to_neighbours(layer, position, &geometry).map_err(|e| refusal(e, None))
}

/// Commits a new geometry for feature `id` of the active layer as one undoable step
/// (clipped first when the layer avoids overlaps).
pub(super) fn commit(
    ws: &mut Workspace,
    editor: &Editor,
    id: i64,
    geometry: Geometry<f64>,
    label: &str,
) -> Result<(), Refusal> {
    let Some(layer) = active_layer(ws, editor) else {
        return Ok(());
    };
    let (layer_id, position) = (layer.id.clone(), layer.position_of(id));
    let Some(position) = position else {
        return Ok(());
    };
    let geometry = without_overlaps(ws, editor, Some(id), geometry)?;
    let edit = Edit::ReplaceGeometry {
        layer: layer_id,
        position,
        geometry: Some(geometry),
    };
    apply(ws, label, edit).map_err(|e| refusal(e, None))
}

/// Commits the picked feature's new geometry; the tool keeps its target either way.
fn commit_target(ws: &mut Workspace, editor: &mut Editor, geometry: Geometry<f64>, label: &str) {
    let Some(id) = editor.target else {
        return;
    };
    editor.refused = commit(ws, editor, id, geometry, label).err();
    editor.conflicts.clear();
}

/// Live conflicts of the dragged feature, when it is construction-type.
fn drag_conflicts(ws: &Workspace, editor: &mut Editor) {
    let construction = active_layer(ws, editor).is_some_and(|l| {
        let value = type_field(l.role)
            .zip(editor.target.and_then(|id| l.position_of(id)))
            .and_then(|(f, i)| l.value(i, f))
            .and_then(|v| v.as_text())
            .map(|v| v.into_owned())
            .unwrap_or_default();
        is_construction(l.role, &value)
    });
    let (Some(doc), Some(g), true) = (&ws.doc, dragged_geometry(ws, editor), construction) else {
        return;
    };
    editor.conflicts = crate::geometry::polygons_of(&g)
        .iter()
        .flat_map(|p| construction_conflicts(doc.project(), p))
        .collect();
}

/// The vertex tool: pick a feature, drag, insert and delete vertices.
pub(super) fn vertex_input(ws: &mut Workspace, editor: &mut Editor) -> bool {
    let feedback = editor.feedback.clone();
    let tolerance = ground(ws, VERTEX_POINTS);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| super::working_from_mercator(ws, m));
    let (started, dragged, double, secondary, clicked) = (
        to_working(feedback.drag_started_mercator),
        to_working(feedback.dragging_mercator),
        to_working(feedback.double_clicked_mercator),
        to_working(feedback.secondary_clicked_mercator),
        to_working(feedback.clicked_mercator),
    );
    let geometry = target_geometry(ws, editor);
    if let (Some(g), Some(start)) = (&geometry, started)
        && let Some(v) = crate::edit::nearest_vertex(g, start, tolerance)
    {
        editor.dragging = Some((v, start));
    }
    if let (Some((v, _)), Some(at)) = (editor.dragging, dragged) {
        let at = snapped(ws, editor, at).0;
        editor.dragging = Some((v, at));
        drag_conflicts(ws, editor);
    }
    if feedback.drag_stopped
        && let Some((v, at)) = editor.dragging.take()
        && let Some(moved) = geometry
            .as_ref()
            .and_then(|g| crate::edit::move_vertex(g, v, at))
    {
        commit_target(ws, editor, moved, &t!("edit.move_vertex"));
        return true;
    }
    if let (Some(g), Some(at)) = (&geometry, double)
        && let Some((after, foot)) = crate::edit::nearest_edge(g, at, tolerance)
        && let Some(inserted) = crate::edit::insert_vertex(g, after, foot)
    {
        commit_target(ws, editor, inserted, &t!("edit.insert_vertex"));
        return true;
    }
    if let (Some(g), Some(at)) = (&geometry, secondary)
        && let Some(v) = crate::edit::nearest_vertex(g, at, tolerance)
    {
        match crate::edit::remove_vertex(g, v) {
            Some(removed) => commit_target(ws, editor, removed, &t!("edit.remove_vertex")),
            None => ws.tell(t!("edit.too_few_vertices")),
        }
        return true;
    }
    // A click picks the feature of the active layer under the pointer.
    if let Some(at) = clicked {
        pick_target(ws, editor, at, tolerance);
        return true;
    }
    false
}

/// Makes the feature of the active layer at `at` (inside it, or on its outline) the target
/// of the vertex and move tools.
fn pick_target(ws: &Workspace, editor: &mut Editor, at: Coord<f64>, tolerance: f64) {
    let Some(layer) = active_layer(ws, editor) else {
        return;
    };
    let point = geo::Point::from(at);
    let min = [at.x - tolerance, at.y - tolerance];
    let max = [at.x + tolerance, at.y + tolerance];
    let picked = layer.index().query(min, max).find(|&i| {
        layer.features()[i].geometry.as_ref().is_some_and(|g| {
            geo::Contains::contains(g, &point)
                || crate::edit::nearest_edge(g, at, tolerance).is_some()
                || crate::edit::nearest_vertex(g, at, tolerance).is_some()
        })
    });
    editor.target = picked.map(|i| layer.features()[i].id);
}

/// The move tool: pick a feature, drag it; released, it is committed (validated, undoable).
pub(super) fn move_input(ws: &mut Workspace, editor: &mut Editor) -> bool {
    let feedback = editor.feedback.clone();
    let tolerance = ground(ws, VERTEX_POINTS);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| super::working_from_mercator(ws, m));
    let (started, dragged, clicked) = (
        to_working(feedback.drag_started_mercator),
        to_working(feedback.dragging_mercator),
        to_working(feedback.clicked_mercator),
    );
    let geometry = target_geometry(ws, editor);
    if let (Some(g), Some(start)) = (&geometry, started)
        && geo::Contains::contains(g, &geo::Point::from(start))
    {
        editor.moving = Some((start, start));
    }
    if let (Some((start, _)), Some(now)) = (editor.moving, dragged) {
        editor.moving = Some((start, now));
        drag_conflicts(ws, editor);
    }
    if feedback.drag_stopped
        && let Some((start, now)) = editor.moving.take()
        && let Some(g) = geometry
    {
        let moved = geo::Translate::translate(&g, now.x - start.x, now.y - start.y);
        commit_target(ws, editor, moved, &t!("edit.move_feature"));
        return true;
    }
    if let Some(at) = clicked {
        pick_target(ws, editor, at, tolerance);
        return true;
    }
    false
}
