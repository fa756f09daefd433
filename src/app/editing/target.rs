//! The feature tools: the vertex tool (drag a vertex, double-click an edge to insert one,
//! right-click a vertex to delete it) and the move tool, both on a feature of the active
//! layer picked with a click. While a construction-type feature is reshaped this way, its
//! conflicts with farmland and red line follow the pointer, as when drawing.

use geo::{Coord, Geometry};
use rust_i18n::t;

use super::{Tool, VillagePlanApp, active_layer, apply, ground, snapped};
use crate::analysis::live_conflicts::{construction_conflicts, is_construction, type_field};
use crate::edit::Edit;

/// Vertex tolerance in screen points.
const VERTEX_POINTS: f64 = 8.0;

/// The geometry of the feature at `position` of the active layer.
pub(super) fn geometry_at(app: &VillagePlanApp, position: usize) -> Option<Geometry<f64>> {
    active_layer(app)?
        .features()
        .get(position)?
        .geometry
        .clone()
}

/// The geometry of the picked feature.
pub(super) fn target_geometry(app: &VillagePlanApp) -> Option<Geometry<f64>> {
    geometry_at(app, app.editor.target?)
}

/// The picked feature's geometry as it is being dragged (vertex moved, feature shifted).
pub(super) fn dragged_geometry(app: &VillagePlanApp) -> Option<Geometry<f64>> {
    let g = target_geometry(app)?;
    if let Some((v, at)) = app.editor.dragging {
        return crate::edit::move_vertex(&g, v, at).or(Some(g));
    }
    if let Some((start, now)) = app.editor.moving {
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
pub(super) fn map_pans(app: &VillagePlanApp) -> bool {
    if app.editor.dragging.is_some() || app.editor.moving.is_some() {
        return false;
    }
    let hover = app
        .feedback
        .hover_mercator
        .and_then(|m| super::working_from_mercator(app, m));
    let (Some(g), Some(hover)) = (target_geometry(app), hover) else {
        return true;
    };
    match app.editor.tool {
        Tool::Move => !geo::Contains::contains(&g, &geo::Point::from(hover)),
        _ => crate::edit::nearest_vertex(&g, hover, ground(app, VERTEX_POINTS)).is_none(),
    }
}

/// `geometry` clipped by the other features of the active layer when its avoid-overlaps
/// option is on (`editing`: the feature's own position). A problem refuses the edit.
pub(super) fn without_overlaps(
    app: &VillagePlanApp,
    editing: Option<usize>,
    geometry: Geometry<f64>,
) -> Result<Geometry<f64>, (String, Option<Coord<f64>>)> {
    let (Some(layer), Some(project)) = (active_layer(app), app.project.as_ref()) else {
        return Ok(geometry);
    };
    let polygonal = matches!(geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_));
    if !polygonal || !crate::edit::avoids_overlaps(&project.settings, &layer.id) {
        return Ok(geometry);
    }
    crate::edit::clip_to_neighbours(layer, editing, &geometry).map_err(|e| (e.to_string(), None))
}

/// Commits a new geometry for the feature at `position` of the active layer as one
/// undoable step (clipped first when the layer avoids overlaps).
pub(super) fn commit(
    app: &mut VillagePlanApp,
    position: usize,
    geometry: Geometry<f64>,
    label: &str,
) -> Result<(), (String, Option<Coord<f64>>)> {
    let Some(layer) = app.editor.active.clone() else {
        return Ok(());
    };
    let geometry = without_overlaps(app, Some(position), geometry)?;
    let located = crate::edit::validate_geometry(&geometry)
        .err()
        .and_then(|l| l.at);
    let edit = Edit::ReplaceGeometry {
        layer,
        position,
        geometry: Some(geometry),
    };
    apply(app, label, edit).map_err(|e| (e, located))
}

/// Commits the picked feature's new geometry; the tool keeps its target either way.
fn commit_target(app: &mut VillagePlanApp, geometry: Geometry<f64>, label: &str) {
    let Some(position) = app.editor.target else {
        return;
    };
    app.editor.refused = commit(app, position, geometry, label).err();
    app.editor.conflicts.clear();
    // `apply` clears selections; the tool keeps its target.
    app.editor.target = Some(position);
}

/// Live conflicts of the dragged feature, when it is construction-type.
fn drag_conflicts(app: &mut VillagePlanApp) {
    let construction = active_layer(app).is_some_and(|l| {
        let value = type_field(l.role)
            .zip(app.editor.target)
            .and_then(|(f, i)| l.value(i, f))
            .and_then(|v| v.as_text())
            .map(|v| v.into_owned())
            .unwrap_or_default();
        is_construction(l.role, &value)
    });
    let (Some(project), Some(g), true) = (&app.project, dragged_geometry(app), construction) else {
        return;
    };
    app.editor.conflicts = crate::geometry::polygons_of(&g)
        .iter()
        .flat_map(|p| construction_conflicts(project, p))
        .collect();
}

/// The vertex tool: pick a feature, drag, insert and delete vertices.
pub(super) fn vertex_input(app: &mut VillagePlanApp) -> bool {
    let feedback = app.feedback.clone();
    let tolerance = ground(app, VERTEX_POINTS);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| super::working_from_mercator(app, m));
    let (started, dragged, double, secondary, clicked) = (
        to_working(feedback.drag_started_mercator),
        to_working(feedback.dragging_mercator),
        to_working(feedback.double_clicked_mercator),
        to_working(feedback.secondary_clicked_mercator),
        to_working(feedback.clicked_mercator),
    );
    let geometry = target_geometry(app);
    if let (Some(g), Some(start)) = (&geometry, started)
        && let Some(v) = crate::edit::nearest_vertex(g, start, tolerance)
    {
        app.editor.dragging = Some((v, start));
    }
    if let (Some((v, _)), Some(at)) = (app.editor.dragging, dragged) {
        let at = snapped(app, at).0;
        app.editor.dragging = Some((v, at));
        drag_conflicts(app);
    }
    if feedback.drag_stopped
        && let Some((v, at)) = app.editor.dragging.take()
        && let Some(moved) = geometry
            .as_ref()
            .and_then(|g| crate::edit::move_vertex(g, v, at))
    {
        commit_target(app, moved, &t!("edit.move_vertex"));
        return true;
    }
    if let (Some(g), Some(at)) = (&geometry, double)
        && let Some((after, foot)) = crate::edit::nearest_edge(g, at, tolerance)
        && let Some(inserted) = crate::edit::insert_vertex(g, after, foot)
    {
        commit_target(app, inserted, &t!("edit.insert_vertex"));
        return true;
    }
    if let (Some(g), Some(at)) = (&geometry, secondary)
        && let Some(v) = crate::edit::nearest_vertex(g, at, tolerance)
    {
        match crate::edit::remove_vertex(g, v) {
            Some(removed) => commit_target(app, removed, &t!("edit.remove_vertex")),
            None => app.message = Some(t!("edit.too_few_vertices").into_owned()),
        }
        return true;
    }
    // A click picks the feature of the active layer under the pointer.
    if let Some(at) = clicked {
        pick_target(app, at, tolerance);
        return true;
    }
    false
}

/// Makes the feature of the active layer at `at` (inside it, or on its outline) the target
/// of the vertex and move tools.
fn pick_target(app: &mut VillagePlanApp, at: Coord<f64>, tolerance: f64) {
    let Some(layer) = active_layer(app) else {
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
    app.editor.target = picked;
}

/// The move tool: pick a feature, drag it; released, it is committed (validated, undoable).
pub(super) fn move_input(app: &mut VillagePlanApp) -> bool {
    let feedback = app.feedback.clone();
    let tolerance = ground(app, VERTEX_POINTS);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| super::working_from_mercator(app, m));
    let (started, dragged, clicked) = (
        to_working(feedback.drag_started_mercator),
        to_working(feedback.dragging_mercator),
        to_working(feedback.clicked_mercator),
    );
    let geometry = target_geometry(app);
    if let (Some(g), Some(start)) = (&geometry, started)
        && geo::Contains::contains(g, &geo::Point::from(start))
    {
        app.editor.moving = Some((start, start));
    }
    if let (Some((start, _)), Some(now)) = (app.editor.moving, dragged) {
        app.editor.moving = Some((start, now));
        drag_conflicts(app);
    }
    if feedback.drag_stopped
        && let Some((start, now)) = app.editor.moving.take()
        && let Some(g) = geometry
    {
        let moved = geo::Translate::translate(&g, now.x - start.x, now.y - start.y);
        commit_target(app, moved, &t!("edit.move_feature"));
        return true;
    }
    if let Some(at) = clicked {
        pick_target(app, at, tolerance);
        return true;
    }
    false
}
