//! 编辑: the editing toolbar over the map. It holds no editing logic — every change is a
//! library [`Edit`] applied through the project's [`History`] — only the sketch being drawn,
//! the active layer and the live conflict readout.
//!
//! Drawing a polygon: click vertices, double-click or Enter to finish, Backspace removes the
//! last vertex, Esc cancels. An invalid polygon is refused with the reason and a marker at
//! the problem; the sketch stays so it can be fixed. While a 村庄建设边界 is drawn, its
//! overlap with 永久基本农田 and 生态保护红线 is shown (area in 亩) as the pointer moves.

use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};
use geo::{Coord, LineString, Polygon};
use rust_i18n::t;

use super::VillagePlanApp;
use crate::analysis::live_conflicts::{LiveConflict, construction_conflicts};
use crate::crs::{Transformer, epsg_srs};
use crate::edit::{DRAWN_ROLES, Edit, History, new_plan_layer};
use crate::model::{Feature, LayerRole};
use crate::render::{DisplayLayer, EPSG_WEB_MERCATOR};

/// Ctrl+Z.
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z.
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Y (the Windows habit).
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// The editor's state in the window.
#[derive(Default)]
pub struct Editor {
    /// Undo/redo of this session.
    pub history: History,
    /// The layer new features go into.
    pub active: Option<String>,
    /// True while the polygon tool is on.
    pub drawing: bool,
    /// True while the vertex tool is on: click a feature of the active layer, drag its
    /// vertices, double-click an edge to insert one, right-click a vertex to delete it.
    pub vertex_mode: bool,
    /// The feature whose vertices are edited (position in the active layer).
    pub target: Option<usize>,
    /// The vertex being dragged and where it is now (working CRS).
    pub dragging: Option<(crate::edit::VertexId, Coord<f64>)>,
    /// True while the move tool is on: click a feature, drag it.
    pub move_mode: bool,
    /// A feature drag: where it started and where the pointer is now (working CRS).
    pub moving: Option<(Coord<f64>, Coord<f64>)>,
    /// Vertices placed so far (working CRS).
    pub sketch: Vec<Coord<f64>>,
    /// Overlaps of the sketch (with the pointer as the next vertex) with protected areas.
    pub conflicts: Vec<LiveConflict>,
    /// The pointer position `conflicts` were computed for.
    conflicts_at: Option<Coord<f64>>,
    /// The last refused geometry: reason and where.
    pub refused: Option<(String, Option<Coord<f64>>)>,
    /// The toolbar is shown.
    pub open: bool,
    /// Snapping to vertices and edges of visible layers is off (it is on by default).
    pub snapping_off: bool,
    /// Where the pointer snaps now (working CRS), for the indicator.
    pub snapped: Option<crate::edit::Snap>,
    /// The attribute form of a feature just drawn.
    pub form: Option<AttributeForm>,
    /// 三生空间 being drafted on a worker: the target layer and the job.
    pub drafting: Option<(String, super::adding::Job<Vec<crate::edit::SpaceDraft>>)>,
    to_mercator: Option<Transformer>,
}

impl Editor {
    fn mercator(&mut self, app_crs: crate::crs::WorkingCrs, c: Coord<f64>) -> Option<[f64; 2]> {
        if self.to_mercator.is_none() {
            self.to_mercator = app_crs
                .spatial_ref()
                .and_then(|s| Transformer::new(&s, &epsg_srs(EPSG_WEB_MERCATOR)?))
                .ok();
        }
        let (x, y) = self.to_mercator.as_ref()?.transform_point(c.x, c.y).ok()?;
        Some([x, y])
    }
}

/// The attribute form of a feature just drawn: its layer id, its position, and
/// (field, label, value) rows.
pub type AttributeForm = (String, usize, Vec<(String, String, String)>);

/// Snapping tolerance in screen points.
const SNAP_POINTS: f64 = 10.0;

/// The pointer position after snapping to the visible layers (vertices first, then edges,
/// within 10 screen points).
fn snapped(app: &VillagePlanApp, c: Coord<f64>) -> (Coord<f64>, Option<crate::edit::Snap>) {
    if app.editor.snapping_off {
        return (c, None);
    }
    let Some(project) = &app.project else {
        return (c, None);
    };
    let layers: Vec<&crate::model::Layer> =
        project.layers.iter().filter(|l| l.style.visible).collect();
    let tolerance = SNAP_POINTS * app.feedback.ground_metres_per_point.max(0.01);
    match crate::edit::snap(&layers, c, tolerance) {
        Some(s) => (s.at, Some(s)),
        None => (c, None),
    }
}

/// Working-CRS coordinates of a Web Mercator point.
fn working_from_mercator(app: &VillagePlanApp, m: [f64; 2]) -> Option<Coord<f64>> {
    let (lon, lat) = super::map_view::lonlat_from_mercator(m);
    let (x, y) = app.gk.as_ref()?.transform_point(lon, lat).ok()?;
    Some(Coord { x, y })
}

/// The sketch as a closed polygon, with `extra` as a last vertex (the pointer).
fn sketch_polygon(sketch: &[Coord<f64>], extra: Option<Coord<f64>>) -> Option<Polygon<f64>> {
    let mut pts: Vec<Coord<f64>> = sketch.to_vec();
    pts.extend(extra);
    if pts.len() < 3 {
        return None;
    }
    pts.push(pts[0]);
    Some(Polygon::new(LineString(pts), vec![]))
}

/// Re-prepares the map layers an edit touched and refreshes what depends on them.
fn refresh_layers(app: &mut VillagePlanApp, ids: &[String]) {
    let Some(project) = &app.project else { return };
    for id in ids {
        let Some(i) = project.layers.iter().position(|l| &l.id == id) else {
            continue;
        };
        if let Ok(display) = DisplayLayer::prepare(&project.layers[i], project.crs)
            && let Some(slot) = app.canvas.layers_mut().get_mut(i)
        {
            *slot = Arc::new(display);
        }
    }
    app.labels = super::labels::build_labels(&project.layers, app.canvas.layers());
    app.legend = crate::render::legend(&project.layers);
    app.identified.clear();
    app.identified_rows = (Vec::new(), Vec::new());
    app.highlight.clear();
    app.table = None;
    app.canvas.invalidate();
    app.dirty = true;
}

/// Applies `edit` as one undoable step and redraws what it touched.
pub fn apply(app: &mut VillagePlanApp, label: &str, edit: Edit) -> Result<(), String> {
    let ids: Vec<String> = edit.layers().into_iter().map(str::to_string).collect();
    let Some(project) = &mut app.project else {
        return Err(t!("app.no_project").into_owned());
    };
    app.editor
        .history
        .apply(project, label, edit)
        .map_err(|e| e.to_string())?;
    refresh_layers(app, &ids);
    recheck(app);
    Ok(())
}

/// Re-checks the area the last edit changed, when the 质检 window shows a report.
fn recheck(app: &mut VillagePlanApp) {
    if let (Some(changed), Some(ctx)) = (app.editor.history.last_changed(), app.ctx.clone()) {
        super::checks_panel::recheck_after_edit(app, &ctx, changed);
    }
}

/// 撤销 / 重做.
pub fn undo_redo(app: &mut VillagePlanApp, redo: bool) {
    let Some(project) = &mut app.project else {
        return;
    };
    let history = &mut app.editor.history;
    let result = if redo {
        history.redo(project)
    } else {
        history.undo(project)
    };
    match result {
        Ok(Some(label)) => {
            let ids = app.editor.history.last_changed_layers().to_vec();
            refresh_layers(app, &ids);
            recheck(app);
            let key = if redo { "edit.redone" } else { "edit.undone" };
            app.message = Some(t!(key, what = label).into_owned());
        }
        Ok(None) => {}
        Err(e) => app.message = Some(e.to_string()),
    }
}

/// Adds an empty plan layer for `role` on top and makes it the active layer.
pub fn create_layer(app: &mut VillagePlanApp, role: LayerRole) {
    let Some(project) = &mut app.project else {
        return;
    };
    let layer = new_plan_layer(project, role);
    let id = layer.id.clone();
    let Ok(display) = DisplayLayer::prepare(&layer, project.crs) else {
        return;
    };
    project.layers.push(layer);
    app.canvas.layers_mut().push(Arc::new(display));
    app.legend = crate::render::legend(&project.layers);
    app.canvas.invalidate();
    app.dirty = true;
    app.editor.active = Some(id);
    app.editor.open = true;
}

/// Finishes the sketch into the active layer; a refused geometry keeps the sketch.
pub fn finish(app: &mut VillagePlanApp) {
    let (Some(layer), Some(polygon)) = (
        app.editor.active.clone(),
        sketch_polygon(&app.editor.sketch, None),
    ) else {
        return;
    };
    let Some(project) = &app.project else { return };
    let Some(l) = project.layers.iter().find(|l| l.id == layer) else {
        return;
    };
    let feature = Feature {
        id: l.next_feature_id(),
        geometry: Some(geo::Geometry::Polygon(polygon.clone())),
        attributes: Vec::new(),
    };
    // The location of a problem, for the marker, comes from the library's validator.
    let located = crate::edit::validate_geometry(&geo::Geometry::Polygon(polygon)).err();
    let layer_id = layer.clone();
    let edit = Edit::AddFeature {
        layer,
        position: None,
        feature,
    };
    match apply(app, &t!("edit.draw"), edit) {
        Ok(()) => {
            app.editor.sketch.clear();
            app.editor.conflicts.clear();
            app.editor.refused = None;
            open_form(app, &layer_id);
        }
        Err(e) => app.editor.refused = Some((e, located.and_then(|l| l.at))),
    }
}

/// Opens the attribute form for the last feature of `layer` with its role's fields.
fn open_form(app: &mut VillagePlanApp, layer: &str) {
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
    let values = crate::edit::role_fields(l.role)
        .into_iter()
        .map(|(name, _, label)| {
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

/// Removes the selected features of editable layers as one undoable step.
pub fn delete_selected(app: &mut VillagePlanApp) {
    let Some(project) = &app.project else { return };
    let mut picked: Vec<(String, usize)> = app
        .identified
        .iter()
        .filter_map(|p| {
            let l = project.layers.get(p.layer_index)?;
            DRAWN_ROLES
                .contains(&l.role)
                .then(|| (l.id.clone(), p.feature_index))
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

/// The attribute form of a feature just drawn; 确定 sets the values as one undoable step.
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
            let edits: Vec<Edit> = values
                .into_iter()
                .filter(|(_, _, v)| !v.trim().is_empty())
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

/// Keys of the editor: undo/redo always; Enter, Backspace and Esc while drawing.
pub fn keyboard(app: &mut VillagePlanApp, ctx: &egui::Context) {
    // Redo first: egui matches Ctrl+Z "logically", so it would also take Ctrl+Shift+Z.
    let (redo, undo) = ctx.input_mut(|i| {
        let redo = i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y);
        (redo, i.consume_shortcut(&UNDO))
    });
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    if redo {
        undo_redo(app, true);
    } else if undo {
        undo_redo(app, false);
    }
    if app.editor.open && !app.editor.drawing && ctx.input(|i| i.key_pressed(Key::Delete)) {
        delete_selected(app);
    }
    if !app.editor.drawing {
        return;
    }
    let (enter, backspace, escape) = ctx.input(|i| {
        (
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::Backspace),
            i.key_pressed(Key::Escape),
        )
    });
    if enter {
        finish(app);
    }
    if backspace {
        app.editor.sketch.pop();
        app.editor.conflicts_at = None;
        app.editor.refused = None;
    }
    if escape {
        app.editor.sketch.clear();
        app.editor.conflicts.clear();
        app.editor.refused = None;
        app.editor.drawing = false;
    }
}

/// Vertex tolerance in screen points.
const VERTEX_POINTS: f64 = 8.0;

/// The geometry of the vertex tool's target feature.
fn target_geometry(app: &VillagePlanApp) -> Option<geo::Geometry<f64>> {
    let layer = app.editor.active.as_ref()?;
    let l = app
        .project
        .as_ref()?
        .layers
        .iter()
        .find(|l| &l.id == layer)?;
    l.features().get(app.editor.target?)?.geometry.clone()
}

/// False while the pointer is on a vertex of the vertex tool's target: a drag there moves
/// the vertex instead of the map.
pub fn map_pans(app: &VillagePlanApp) -> bool {
    if app.editor.dragging.is_some() || app.editor.moving.is_some() {
        return false;
    }
    if app.editor.move_mode {
        // Inside the picked feature a drag moves it; elsewhere it pans the map.
        let hover = app
            .feedback
            .hover_mercator
            .and_then(|m| working_from_mercator(app, m));
        return !matches!((target_geometry(app), hover), (Some(g), Some(h)) if geo::Contains::contains(&g, &geo::Point::from(h)));
    }
    if !app.editor.vertex_mode {
        return true;
    }
    let (Some(g), Some(hover)) = (
        target_geometry(app),
        app.feedback
            .hover_mercator
            .and_then(|m| working_from_mercator(app, m)),
    ) else {
        return true;
    };
    let tolerance = VERTEX_POINTS * app.feedback.ground_metres_per_point.max(0.01);
    crate::edit::nearest_vertex(&g, hover, tolerance).is_none()
}

/// Commits a new geometry for the vertex tool's target as one undoable step.
fn commit_target(app: &mut VillagePlanApp, geometry: geo::Geometry<f64>, label: &str) {
    let (Some(layer), Some(position)) = (app.editor.active.clone(), app.editor.target) else {
        return;
    };
    let located = crate::edit::validate_geometry(&geometry).err();
    let edit = Edit::ReplaceGeometry {
        layer,
        position,
        geometry: Some(geometry),
    };
    match apply(app, label, edit) {
        Ok(()) => app.editor.refused = None,
        Err(e) => app.editor.refused = Some((e, located.and_then(|l| l.at))),
    }
    // `apply` clears selections; the tool keeps its target.
    app.editor.target = Some(position);
}

/// The vertex tool: pick a feature, drag, insert and delete vertices.
fn vertex_input(app: &mut VillagePlanApp) -> bool {
    let feedback = app.feedback.clone();
    let tolerance = VERTEX_POINTS * feedback.ground_metres_per_point.max(0.01);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| working_from_mercator(app, m));
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
    let Some(layer) = app.project.as_ref().and_then(|p| {
        p.layers
            .iter()
            .find(|l| Some(&l.id) == app.editor.active.as_ref())
    }) else {
        return;
    };
    let point = geo::Point::from(at);
    let min = [at.x - tolerance, at.y - tolerance];
    let max = [at.x + tolerance, at.y + tolerance];
    app.editor.target = layer.index().query(min, max).find(|&i| {
        layer.features()[i].geometry.as_ref().is_some_and(|g| {
            geo::Contains::contains(g, &point)
                || crate::edit::nearest_edge(g, at, tolerance).is_some()
        })
    });
}

/// The move tool: pick a feature, drag it; released, it is committed (validated, undoable).
fn move_input(app: &mut VillagePlanApp) -> bool {
    let feedback = app.feedback.clone();
    let tolerance = VERTEX_POINTS * feedback.ground_metres_per_point.max(0.01);
    let to_working = |m: Option<[f64; 2]>| m.and_then(|m| working_from_mercator(app, m));
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

/// What the map did this frame, seen by the polygon tool. Returns true when the tool used
/// the click (so it does not also identify features).
pub fn map_input(app: &mut VillagePlanApp) -> bool {
    if app.editor.vertex_mode && app.editor.active.is_some() {
        return vertex_input(app);
    }
    if app.editor.move_mode && app.editor.active.is_some() {
        return move_input(app);
    }
    if !app.editor.drawing || app.editor.active.is_none() {
        return false;
    }
    let feedback = app.feedback.clone();
    if feedback.double_clicked_mercator.is_some() {
        finish(app);
        return true;
    }
    let clicked = feedback
        .clicked_mercator
        .and_then(|m| working_from_mercator(app, m))
        .map(|c| snapped(app, c).0);
    let hover = feedback
        .hover_mercator
        .and_then(|m| working_from_mercator(app, m))
        .map(|c| snapped(app, c));
    app.editor.snapped = hover.and_then(|(_, s)| s);
    let hover = hover.map(|(c, _)| c);
    if let Some(c) = clicked {
        app.editor.sketch.push(c);
        app.editor.refused = None;
    }
    // Live feedback for construction boundaries, with the pointer as the next vertex.
    let is_construction = app
        .project
        .as_ref()
        .and_then(|p| {
            p.layers
                .iter()
                .find(|l| Some(&l.id) == app.editor.active.as_ref())
        })
        .is_some_and(|l| l.role == LayerRole::VillageConstructionBoundary);
    // Overlays only change when a vertex is added or the pointer moves: frames repainted
    // for other reasons reuse the last result.
    let changed = clicked.is_some() || hover != app.editor.conflicts_at;
    app.editor.conflicts_at = hover;
    if is_construction && changed {
        app.editor.conflicts = match (&app.project, sketch_polygon(&app.editor.sketch, hover)) {
            (Some(project), Some(polygon)) => construction_conflicts(project, &polygon),
            _ => Vec::new(),
        };
    }
    clicked.is_some()
}

/// The sketch, its conflicts and a refused geometry's marker, as Web Mercator shapes for
/// the map: (outlines, conflict polygons, marker).
pub fn overlay(app: &mut VillagePlanApp) -> super::map_view::EditOverlay {
    let Some(crs) = app.project.as_ref().map(|p| p.crs) else {
        return Default::default();
    };
    let editor = &mut app.editor;
    let sketch: Vec<[f64; 2]> = editor
        .sketch
        .clone()
        .into_iter()
        .filter_map(|c| editor.mercator(crs, c))
        .collect();
    let conflicts: Vec<Vec<[f64; 2]>> = editor
        .conflicts
        .clone()
        .iter()
        .flat_map(|c| c.overlap.0.clone())
        .map(|p| {
            p.exterior()
                .0
                .iter()
                .filter_map(|c| editor.mercator(crs, *c))
                .collect()
        })
        .collect();
    let snap = editor
        .snapped
        .filter(|_| editor.drawing)
        .and_then(|s| editor.mercator(crs, s.at));
    let marker = editor
        .refused
        .as_ref()
        .and_then(|(_, at)| *at)
        .and_then(|c| editor.mercator(crs, c));
    let mut target_geometry = target_geometry(app);
    if let (Some(g), Some((v, at))) = (&target_geometry, app.editor.dragging) {
        target_geometry = crate::edit::move_vertex(g, v, at).or(target_geometry.clone());
    }
    if let (Some(g), Some((start, now))) = (&target_geometry, app.editor.moving) {
        target_geometry = Some(geo::Translate::translate(
            g,
            now.x - start.x,
            now.y - start.y,
        ));
    }
    let showing = app.editor.vertex_mode || app.editor.move_mode;
    let target: Vec<Vec<[f64; 2]>> = match (target_geometry, showing) {
        (Some(g), true) => {
            let mut rings = Vec::new();
            let polygons: Vec<geo::Polygon<f64>> = match g {
                geo::Geometry::Polygon(p) => vec![p],
                geo::Geometry::MultiPolygon(m) => m.0,
                _ => Vec::new(),
            };
            for p in polygons {
                for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                    rings.push(
                        r.0.iter()
                            .filter_map(|c| app.editor.mercator(crs, *c))
                            .collect(),
                    );
                }
            }
            rings
        }
        _ => Vec::new(),
    };
    super::map_view::EditOverlay {
        target,
        sketch,
        conflicts,
        marker,
        hover: snap
            .or(app.feedback.hover_mercator)
            .filter(|_| app.editor.drawing),
        snap,
    }
}

/// The editing toolbar, shown under the menu while editing.
pub fn toolbar(app: &mut VillagePlanApp, ui: &mut Ui) {
    if !app.editor.open {
        return;
    }
    let Some(project) = &app.project else { return };
    let editable: Vec<(String, String)> = project
        .layers
        .iter()
        .filter(|l| DRAWN_ROLES.contains(&l.role))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let mut action: Option<&str> = None;
    egui::Panel::top("edit_toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!("edit.layer"));
            let current = editable
                .iter()
                .find(|(id, _)| Some(id) == app.editor.active.as_ref())
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| t!("edit.choose_layer").into_owned());
            egui::ComboBox::from_id_salt("edit_layer")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (id, name) in &editable {
                        ui.selectable_value(&mut app.editor.active, Some(id.clone()), name);
                    }
                })
                .response
                .labelled_by(label.id);
            let can_draw = app.editor.active.is_some();
            if ui
                .add_enabled(
                    can_draw,
                    egui::Button::selectable(app.editor.drawing, t!("edit.draw_polygon")),
                )
                .clicked()
            {
                action = Some("toggle_draw");
            }
            if ui
                .button(t!("edit.delete_selected"))
                .on_hover_text(t!("edit.delete_hint"))
                .clicked()
            {
                action = Some("delete");
            }
            let undo = ui.ctx().format_shortcut(&UNDO);
            if ui
                .add_enabled(
                    app.editor.history.undo_label().is_some(),
                    egui::Button::new(t!("edit.undo")).shortcut_text(undo),
                )
                .clicked()
            {
                action = Some("undo");
            }
            let redo = ui.ctx().format_shortcut(&REDO);
            if ui
                .add_enabled(
                    app.editor.history.redo_label().is_some(),
                    egui::Button::new(t!("edit.redo")).shortcut_text(redo),
                )
                .clicked()
            {
                action = Some("redo");
            }
            if ui
                .add_enabled(
                    can_draw,
                    egui::Button::selectable(app.editor.vertex_mode, t!("edit.vertices")),
                )
                .on_hover_text(t!("edit.vertices_hint"))
                .clicked()
            {
                action = Some("toggle_vertices");
            }
            if ui
                .add_enabled(
                    can_draw,
                    egui::Button::selectable(app.editor.move_mode, t!("edit.move")),
                )
                .on_hover_text(t!("edit.move_hint"))
                .clicked()
            {
                action = Some("toggle_move");
            }
            let mut snapping = !app.editor.snapping_off;
            if ui
                .checkbox(&mut snapping, t!("edit.snap"))
                .on_hover_text(t!("edit.snap_hint"))
                .changed()
            {
                app.editor.snapping_off = !snapping;
            }
            if app.editor.drawing {
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
        });
    });
    match action {
        Some("toggle_move") => {
            app.editor.move_mode = !app.editor.move_mode;
            app.editor.vertex_mode = false;
            app.editor.drawing = false;
            app.editor.moving = None;
        }
        Some("toggle_vertices") => {
            app.editor.vertex_mode = !app.editor.vertex_mode;
            app.editor.move_mode = false;
            app.editor.drawing = false;
            app.editor.target = None;
            app.editor.dragging = None;
        }
        Some("toggle_draw") => {
            app.editor.vertex_mode = false;
            app.editor.move_mode = false;
            app.editor.target = None;
            app.editor.drawing = !app.editor.drawing;
            app.editor.sketch.clear();
            app.editor.conflicts.clear();
        }
        Some("undo") => undo_redo(app, false),
        Some("delete") => delete_selected(app),
        Some("redo") => undo_redo(app, true),
        _ => {}
    }
}

/// Starts drafting the 三生空间 of the village at the map centre (`all`: every village) on
/// a worker, into the active 三生空间 layer or a new one.
pub fn generate_three_spaces(app: &mut VillagePlanApp, ctx: &egui::Context, all: bool) {
    let village = if all {
        None
    } else {
        match super::checks_panel::village_at_centre(app) {
            Some((code, _)) => Some(code),
            None => {
                app.message = Some(t!("checks.no_village").into_owned());
                return;
            }
        }
    };
    let Some(project) = &app.project else { return };
    let target = app
        .editor
        .active
        .clone()
        .filter(|id| {
            project
                .layers
                .iter()
                .any(|l| &l.id == id && l.role == LayerRole::ThreeSpaces)
        })
        .or_else(|| {
            project
                .layers
                .iter()
                .find(|l| l.role == LayerRole::ThreeSpaces)
                .map(|l| l.id.clone())
        });
    let target = match target {
        Some(t) => t,
        None => {
            create_layer(app, LayerRole::ThreeSpaces);
            match app.editor.active.clone() {
                Some(t) => t,
                None => return,
            }
        }
    };
    let Some(project) = &app.project else { return };
    let snapshot = Arc::new(project.clone());
    let job = super::adding::spawn(ctx, move |progress| {
        use crate::progress::Progress;
        progress.begin(&t!("edit.drafting"), 1);
        crate::edit::draft_three_spaces(&snapshot, village.as_deref()).map_err(|e| e.to_string())
    });
    app.editor.drafting = Some((target, job));
}

/// Applies finished 三生空间 drafts as one undoable step.
pub fn poll_drafting(app: &mut VillagePlanApp, ctx: &egui::Context) {
    let Some((_, job)) = &app.editor.drafting else {
        return;
    };
    let Ok(result) = job.result.try_recv() else {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        return;
    };
    let (target, _) = app.editor.drafting.take().expect("a drafting job");
    let drafts = match result {
        Ok(d) => d,
        Err(e) => {
            app.message = Some(e);
            return;
        }
    };
    let count = drafts.len();
    let Some(layer) = app
        .project
        .as_ref()
        .and_then(|p| p.layers.iter().find(|l| l.id == target))
    else {
        return;
    };
    let edit = crate::edit::three_spaces_edit(layer, drafts);
    match apply(app, &t!("edit.three_spaces"), edit) {
        Ok(()) => app.message = Some(t!("edit.drafted", count = count).into_owned()),
        Err(e) => app.message = Some(e),
    }
}

/// One feature of the active edit layer from the union of selected features of layer
/// `source`, as one undoable step.
pub fn create_from_selection(app: &mut VillagePlanApp, source: usize, positions: &[usize]) {
    let edit = {
        let Some(project) = &app.project else { return };
        let (Some(from), Some(target)) = (
            project.layers.get(source),
            project
                .layers
                .iter()
                .find(|l| Some(&l.id) == app.editor.active.as_ref()),
        ) else {
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

/// The 编辑 menu.
pub fn menu(app: &mut VillagePlanApp, ui: &mut Ui) {
    let has_project = app.project.is_some();
    let undo = ui.ctx().format_shortcut(&UNDO);
    let undo_text = match app.editor.history.undo_label() {
        Some(l) => format!("{} {l}", t!("edit.undo")),
        None => t!("edit.undo").into_owned(),
    };
    if ui
        .add_enabled(
            app.editor.history.undo_label().is_some(),
            egui::Button::new(undo_text).shortcut_text(undo),
        )
        .clicked()
    {
        undo_redo(app, false);
        ui.close();
    }
    let redo = ui.ctx().format_shortcut(&REDO);
    if ui
        .add_enabled(
            app.editor.history.redo_label().is_some(),
            egui::Button::new(t!("edit.redo")).shortcut_text(redo),
        )
        .clicked()
    {
        undo_redo(app, true);
        ui.close();
    }
    ui.separator();
    ui.add_enabled_ui(has_project, |ui| {
        ui.menu_button(t!("edit.new_layer"), |ui| {
            for role in DRAWN_ROLES {
                if ui.button(role.name_zh()).clicked() {
                    create_layer(app, role);
                    ui.close();
                }
            }
        });
        ui.separator();
        let busy = app.editor.drafting.is_some();
        if ui
            .add_enabled(!busy, egui::Button::new(t!("edit.three_spaces_village")))
            .clicked()
        {
            generate_three_spaces(app, &ui.ctx().clone(), false);
            ui.close();
        }
        if ui
            .add_enabled(!busy, egui::Button::new(t!("edit.three_spaces_all")))
            .clicked()
        {
            generate_three_spaces(app, &ui.ctx().clone(), true);
            ui.close();
        }
        ui.separator();
        if ui
            .checkbox(&mut app.editor.open, t!("edit.toolbar"))
            .clicked()
        {
            ui.close();
        }
    });
}
