//! 编辑: the editing tools over the map. They hold no editing logic — every change is a
//! library [`Edit`] applied through the project's [`History`] — only the sketch being drawn,
//! the active layer, the chosen tool and the live conflict readout.
//!
//! Sketch tools (draw, split, reshape, hole) share one way of drawing: click vertices,
//! double-click or Enter to finish, Backspace removes the last vertex, Esc cancels; clicks
//! snap to visible layers and, between two snapped clicks on one boundary, trace it. A
//! refused geometry keeps the sketch and marks the problem. Feature tools (vertices, move,
//! fill hole) act on a picked feature of the active layer.

mod form;
mod generate;
mod overlay;
mod selection;
mod sketch;
mod target;
mod toolbar;

use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use geo::Coord;
use rust_i18n::t;

use super::VillagePlanApp;
use crate::analysis::live_conflicts::LiveConflict;
use crate::crs::{Transformer, epsg_srs};
use crate::edit::{DRAWN_ROLES, Edit, History, new_plan_layer};
use crate::model::{Layer, LayerRole};
use crate::render::{DisplayLayer, EPSG_WEB_MERCATOR};

pub use form::form_ui;
pub use generate::poll_drafting;
pub use overlay::overlay;
pub use selection::{create_from_selection, merge_ui, select_on_map};
pub use toolbar::toolbar;

/// Ctrl+Z.
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z.
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Y (the Windows habit).
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// The tool the map's clicks and drags go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    /// Clicks identify and select (Shift adds; Shift+drag selects by box).
    #[default]
    Select,
    /// Draw a polygon, line or point into the active layer (by its geometry kind).
    Draw,
    /// Drag, insert and delete vertices of a picked feature.
    Vertex,
    /// Drag a picked feature.
    Move,
    /// Draw a line across features of the active layer to split them.
    Split,
    /// Draw a line from a feature's outline out or in and back to reshape it.
    Reshape,
    /// Draw a polygon inside a feature to cut a hole.
    AddHole,
    /// Click inside a hole to fill it.
    FillHole,
}

impl Tool {
    /// True for the tools that collect a sketch of clicked vertices.
    pub fn sketches(self) -> bool {
        matches!(
            self,
            Tool::Draw | Tool::Split | Tool::Reshape | Tool::AddHole
        )
    }

    /// True for the tools that act on one picked feature (shown with its vertices).
    pub fn picks(self) -> bool {
        matches!(self, Tool::Vertex | Tool::Move)
    }
}

/// The editor's state in the window.
#[derive(Default)]
pub struct Editor {
    /// Undo/redo of this session.
    pub history: History,
    /// The layer new features go into and the tools act on.
    pub active: Option<String>,
    /// The current tool.
    pub tool: Tool,
    /// The feature the vertex and move tools work on (position in the active layer).
    pub target: Option<usize>,
    /// The vertex being dragged and where it is now (working CRS).
    pub dragging: Option<(crate::edit::VertexId, Coord<f64>)>,
    /// A feature drag: where it started and where the pointer is now (working CRS).
    pub moving: Option<(Coord<f64>, Coord<f64>)>,
    /// Vertices placed so far (working CRS).
    pub sketch: Vec<Coord<f64>>,
    /// Whether the last sketch vertex was snapped (a snapped click after it traces).
    last_snapped: bool,
    /// Overlaps of the sketch (or the dragged feature) with protected areas.
    pub conflicts: Vec<LiveConflict>,
    /// The pointer position `conflicts` were computed for.
    conflicts_at: Option<Coord<f64>>,
    /// The last refused geometry: reason and where.
    pub refused: Option<(String, Option<Coord<f64>>)>,
    /// The toolbar is shown.
    pub open: bool,
    /// Snapping to vertices and edges of visible layers is off (it is on by default).
    pub snapping_off: bool,
    /// Tracing between two snapped clicks (off by default, as in QGIS: in a dense parcel map
    /// almost every click snaps, and an unasked-for trace surprises; `T` toggles it).
    pub tracing: bool,
    /// Snap only to the active layer (default: to every visible layer).
    pub snap_active_only: bool,
    /// Where the pointer snaps now (working CRS), for the indicator.
    pub snapped: Option<crate::edit::Snap>,
    /// The type given to new features of layers with a type field (e.g. 生活空间), which
    /// also decides whether the sketch gets live conflict feedback.
    pub preset: String,
    /// The attribute form of a feature just drawn.
    pub form: Option<form::AttributeForm>,
    /// The merge dialog: the features to merge and whose attributes survive.
    pub merge: Option<selection::MergeDialog>,
    /// A box selection being dragged (Web Mercator corners).
    pub selecting: Option<([f64; 2], [f64; 2])>,
    /// A draft (三生空间, 管控边界) being computed on a worker.
    pub drafting: Option<generate::Drafting>,
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

    /// Switches to `tool`, dropping the sketch and the picked feature of the last one.
    pub fn set_tool(&mut self, tool: Tool) {
        self.tool = tool;
        self.sketch.clear();
        self.conflicts.clear();
        self.refused = None;
        self.target = None;
        self.dragging = None;
        self.moving = None;
    }
}

/// Snapping tolerance in screen points.
const SNAP_POINTS: f64 = 10.0;

/// Tolerance (metres) for `points` screen points at the current zoom.
fn ground(app: &VillagePlanApp, points: f64) -> f64 {
    points * app.feedback.ground_metres_per_point.max(0.01)
}

/// The layers snapping and tracing use: every visible one, or only the active layer.
fn snap_layers(app: &VillagePlanApp) -> Vec<&Layer> {
    let only = app
        .editor
        .active
        .as_ref()
        .filter(|_| app.editor.snap_active_only);
    app.project
        .as_ref()
        .map(|p| {
            p.layers
                .iter()
                .map(|l| l.as_ref())
                .filter(|l| l.style.visible && only.is_none_or(|id| &l.id == id))
                .collect()
        })
        .unwrap_or_default()
}

/// The pointer position after snapping to the visible layers (vertices first, then edges,
/// within 10 screen points).
fn snapped(app: &VillagePlanApp, c: Coord<f64>) -> (Coord<f64>, Option<crate::edit::Snap>) {
    if app.editor.snapping_off {
        return (c, None);
    }
    match crate::edit::snap(&snap_layers(app), c, ground(app, SNAP_POINTS)) {
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

/// The active layer.
fn active_layer(app: &VillagePlanApp) -> Option<&Layer> {
    let id = app.editor.active.as_ref()?;
    app.project.as_ref()?.layer(id)
}

/// True for layers the planner may edit: the plan layers of [`DRAWN_ROLES`] and their own
/// line and point layers; never the survey, the boundaries or imported control lines of
/// other roles.
pub fn is_editable(layer: &Layer) -> bool {
    DRAWN_ROLES.contains(&layer.role) || crate::edit::is_drawing_layer(layer)
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

/// Adds `layer` on top and makes it the active layer.
fn push_layer(app: &mut VillagePlanApp, layer: Layer) {
    let Some(project) = &mut app.project else {
        return;
    };
    let id = layer.id.clone();
    let Ok(display) = DisplayLayer::prepare(&layer, project.crs) else {
        return;
    };
    project.add_layer(layer);
    app.canvas.layers_mut().push(Arc::new(display));
    app.legend = crate::render::legend(&project.layers);
    app.canvas.invalidate();
    app.dirty = true;
    app.editor.active = Some(id);
    app.editor.set_tool(Tool::Select);
    app.editor.open = true;
}

/// Adds an empty plan layer for `role` on top and makes it the active layer.
pub fn create_layer(app: &mut VillagePlanApp, role: LayerRole) {
    if let Some(project) = &app.project {
        let layer = new_plan_layer(project, role);
        push_layer(app, layer);
    }
}

/// Keys of the editor: undo/redo always; Delete with the toolbar open; Enter, Backspace
/// and Esc while sketching (Esc also leaves a feature tool).
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
    let (enter, backspace, escape, delete) = ctx.input(|i| {
        (
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::Backspace),
            i.key_pressed(Key::Escape),
            i.key_pressed(Key::Delete),
        )
    });
    let tool = app.editor.tool;
    let sketching = tool.sketches() && !app.editor.sketch.is_empty();
    if app.editor.open && delete && !sketching {
        selection::delete_selected(app);
    }
    if escape && tool != Tool::Select {
        app.editor.set_tool(Tool::Select);
        return;
    }
    if !tool.sketches() {
        return;
    }
    if ctx.input(|i| i.key_pressed(Key::T)) {
        app.editor.tracing = !app.editor.tracing;
    }
    if enter {
        sketch::finish(app);
    }
    if backspace {
        app.editor.sketch.pop();
        app.editor.conflicts_at = None;
        app.editor.refused = None;
    }
}

/// False while a drag on the map belongs to the editor (a vertex under the pointer, inside
/// the feature being moved, or Shift held for a box selection), so the map does not pan.
pub fn map_pans(app: &VillagePlanApp, shift: bool) -> bool {
    match app.editor.tool {
        Tool::Select => !shift && app.editor.selecting.is_none(),
        Tool::Vertex | Tool::Move => target::map_pans(app),
        _ => true,
    }
}

/// What the map did this frame, seen by the current tool. Returns true when the tool used
/// the click (so it does not also identify features).
pub fn map_input(app: &mut VillagePlanApp, shift: bool) -> bool {
    if app.editor.active.is_none() && app.editor.tool != Tool::Select {
        return false;
    }
    match app.editor.tool {
        Tool::Select => selection::box_input(app, shift),
        Tool::Vertex => target::vertex_input(app),
        Tool::Move => target::move_input(app),
        Tool::FillHole => sketch::fill_hole_input(app),
        Tool::Draw | Tool::Split | Tool::Reshape | Tool::AddHole => sketch::sketch_input(app),
    }
}

/// The 编辑 menu.
pub fn menu(app: &mut VillagePlanApp, ui: &mut Ui) {
    let has_project = app.project.is_some();
    if let Some(redo) = history_buttons(app, ui, true) {
        undo_redo(app, redo);
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
            ui.separator();
            for (kind, key) in [
                (crate::model::GeometryKind::Line, "edit.line_layer"),
                (crate::model::GeometryKind::Point, "edit.point_layer"),
            ] {
                if ui.button(t!(key)).clicked() {
                    if let Some(project) = &app.project {
                        let layer = crate::edit::new_drawing_layer(project, kind, &t!(key));
                        push_layer(app, layer);
                    }
                    ui.close();
                }
            }
        });
        ui.separator();
        generate::menu_items(app, ui);
        ui.separator();
        if ui
            .checkbox(&mut app.editor.open, t!("edit.toolbar"))
            .clicked()
        {
            ui.close();
        }
    });
}

/// The 撤销 / 重做 buttons with their shortcuts (`labelled`: undo names the step, as in the
/// menu); `Some(redo)` when one was clicked.
fn history_buttons(app: &VillagePlanApp, ui: &mut Ui, labelled: bool) -> Option<bool> {
    let undo_label = app.editor.history.undo_label();
    let undo_text = match undo_label.filter(|_| labelled) {
        Some(l) => format!("{} {l}", t!("edit.undo")),
        None => t!("edit.undo").into_owned(),
    };
    let mut clicked = None;
    let undo = ui.ctx().format_shortcut(&UNDO);
    if ui
        .add_enabled(
            undo_label.is_some(),
            egui::Button::new(undo_text).shortcut_text(undo),
        )
        .clicked()
    {
        clicked = Some(false);
    }
    let redo = ui.ctx().format_shortcut(&REDO);
    if ui
        .add_enabled(
            app.editor.history.redo_label().is_some(),
            egui::Button::new(t!("edit.redo")).shortcut_text(redo),
        )
        .clicked()
    {
        clicked = Some(true);
    }
    clicked
}
