//! 编辑: the editing tools over the map. They hold no editing logic — every change is a
//! library [`Edit`] applied through the [`Document`] — only the sketch being drawn, the
//! active layer, the chosen tool and the live conflict readout.
//!
//! Sketch tools (draw, split, reshape, hole) share one way of drawing: click vertices,
//! double-click or Enter to finish, Backspace removes the last vertex, Esc cancels; clicks
//! snap to visible layers and, between two snapped clicks on one boundary, trace it. A
//! refused geometry keeps the sketch and marks the problem where the library located it.
//! Feature tools (vertices, move, fill hole) act on a picked feature of the active layer.

mod form;
mod generate;
mod overlay;
mod selection;
mod sketch;
mod target;
mod toolbar;

use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use geo::Coord;
use rust_i18n::t;

use crate::analysis::live_conflicts::LiveConflict;
use crate::app::document::Document;
use crate::app::map_frame::MapFeedback;
use crate::app::workspace::{MapInfo, Workspace};
use crate::edit::{DRAWN_ROLES, Edit, new_plan_layer, new_plan_layer_of};
use crate::model::{GeometryKind, Layer, LayerRole};
use crate::{Error, Result};

pub use form::form_ui;
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

/// A refused edit: why, and where (working CRS) when the library located it.
pub type Refusal = (String, Option<Coord<f64>>);

/// The refusal of a library error: the location of an invalid geometry comes with it.
fn refusal(error: Error, fallback: Option<Coord<f64>>) -> Refusal {
    let at = match &error {
        Error::InvalidGeometry { at, .. } => at.or(fallback),
        _ => fallback,
    };
    (error.to_string(), at)
}

/// The editor's state in the window.
#[derive(Default)]
pub struct Editor {
    /// The layer new features go into and the tools act on (its id).
    pub active: Option<String>,
    /// The current tool.
    pub tool: Tool,
    /// The feature the vertex and move tools work on (its id in the active layer).
    pub target: Option<i64>,
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
    pub refused: Option<Refusal>,
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
    /// What the map did this frame.
    feedback: MapFeedback,
}

impl Editor {
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

    /// A new document was opened: nothing of the last one's layers applies.
    pub fn reset(&mut self) {
        *self = Editor {
            open: self.open,
            snapping_off: self.snapping_off,
            tracing: self.tracing,
            snap_active_only: self.snap_active_only,
            ..Editor::default()
        };
    }

    /// The tool draws a sketch (double clicks finish it instead of zooming the map).
    pub fn drawing(&self) -> bool {
        self.tool != Tool::Select
    }
}

/// Snapping tolerance in screen points.
const SNAP_POINTS: f64 = 10.0;

/// Tolerance (metres) for `points` screen points at the current zoom.
fn ground(ws: &Workspace, points: f64) -> f64 {
    points * ws.map.ground_metres_per_point.max(0.01)
}

/// The layers snapping and tracing use: every visible one, or only the active layer.
fn snap_layers<'a>(doc: &'a Document, editor: &Editor) -> Vec<&'a Layer> {
    let only = editor.active.as_ref().filter(|_| editor.snap_active_only);
    doc.project()
        .layers
        .iter()
        .filter(|l| l.style.visible && only.is_none_or(|id| &l.id == id))
        .map(|l| l.as_ref())
        .collect()
}

/// The pointer position after snapping to the visible layers (vertices first, then edges,
/// within 10 screen points).
fn snapped(
    ws: &Workspace,
    editor: &Editor,
    c: Coord<f64>,
) -> (Coord<f64>, Option<crate::edit::Snap>) {
    let Some(doc) = ws.doc.as_ref().filter(|_| !editor.snapping_off) else {
        return (c, None);
    };
    match crate::edit::snap(&snap_layers(doc, editor), c, ground(ws, SNAP_POINTS)) {
        Some(s) => (s.at, Some(s)),
        None => (c, None),
    }
}

/// Working-CRS coordinates of a Web Mercator point.
fn working_from_mercator(ws: &Workspace, m: [f64; 2]) -> Option<Coord<f64>> {
    MapInfo::gk_from_mercator(ws.doc.as_ref()?, m)
}

/// The active layer.
fn active_layer<'a>(ws: &'a Workspace, editor: &Editor) -> Option<&'a Layer> {
    ws.doc.as_ref()?.project().layer(editor.active.as_ref()?)
}

/// True for layers the planner may edit: the plan layers of [`DRAWN_ROLES`] and their own
/// line and point layers; never the survey, the boundaries or imported control lines of
/// other roles.
pub fn is_editable(layer: &Layer) -> bool {
    DRAWN_ROLES.contains(&layer.role) || crate::edit::is_drawing_layer(layer)
}

/// Applies `edit` as one undoable step of the document.
fn apply(ws: &mut Workspace, label: &str, edit: Edit) -> Result<()> {
    let doc = ws
        .doc
        .as_mut()
        .ok_or_else(|| Error::Invalid(t!("app.no_project").into_owned()))?;
    doc.apply(label, edit)
}

/// 撤销 / 重做.
pub fn undo_redo(ws: &mut Workspace, redo: bool) {
    let Some(doc) = &mut ws.doc else { return };
    let result = if redo { doc.redo() } else { doc.undo() };
    match result {
        Ok(Some(label)) => {
            let key = if redo { "edit.redone" } else { "edit.undone" };
            ws.tell(t!(key, what = label));
        }
        Ok(None) => {}
        Err(e) => ws.fail(e),
    }
}

/// Adds `layer` on top and makes it the active layer.
fn push_layer(ws: &mut Workspace, editor: &mut Editor, layer: Layer) {
    let Some(doc) = &mut ws.doc else { return };
    match doc.add_layer(layer) {
        Ok(id) => {
            editor.active = Some(id);
            editor.set_tool(Tool::Select);
            editor.open = true;
        }
        Err(e) => ws.fail(e),
    }
}

/// Adds an empty plan layer for `role` on top and makes it the active layer.
pub fn create_layer(ws: &mut Workspace, editor: &mut Editor, role: LayerRole) {
    if let Some(doc) = &ws.doc {
        let layer = new_plan_layer(doc.project(), role);
        push_layer(ws, editor, layer);
    }
}

/// Keys of the editor: undo/redo always; Delete with the toolbar open; Enter, Backspace
/// and Esc while sketching (Esc also leaves a feature tool).
pub fn keyboard(ctx: &egui::Context, ws: &mut Workspace, editor: &mut Editor) {
    // Redo first: egui matches Ctrl+Z "logically", so it would also take Ctrl+Shift+Z.
    let (redo, undo) = ctx.input_mut(|i| {
        let redo = i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y);
        (redo, i.consume_shortcut(&UNDO))
    });
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    if redo {
        undo_redo(ws, true);
    } else if undo {
        undo_redo(ws, false);
    }
    let (enter, backspace, escape, delete) = ctx.input(|i| {
        (
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::Backspace),
            i.key_pressed(Key::Escape),
            i.key_pressed(Key::Delete),
        )
    });
    let tool = editor.tool;
    let sketching = tool.sketches() && !editor.sketch.is_empty();
    if editor.open && delete && !sketching {
        selection::delete_selected(ws);
    }
    if escape && tool != Tool::Select {
        editor.set_tool(Tool::Select);
        return;
    }
    if !tool.sketches() {
        return;
    }
    if ctx.input(|i| i.key_pressed(Key::T)) {
        editor.tracing = !editor.tracing;
    }
    if enter {
        sketch::finish(ws, editor);
    }
    if backspace {
        editor.sketch.pop();
        editor.conflicts_at = None;
        editor.refused = None;
    }
}

/// False while a drag on the map belongs to the editor (a vertex under the pointer, inside
/// the feature being moved, or Shift held for a box selection), so the map does not pan.
pub fn map_pans(ws: &Workspace, editor: &Editor, shift: bool) -> bool {
    match editor.tool {
        Tool::Select => !shift && editor.selecting.is_none(),
        Tool::Vertex | Tool::Move => target::map_pans(ws, editor),
        _ => true,
    }
}

/// What the map did this frame, seen by the current tool. Returns true when the tool used
/// the click (so it does not also identify features).
pub fn map_input(ws: &mut Workspace, editor: &mut Editor, feedback: MapFeedback) -> bool {
    editor.feedback = feedback;
    if editor.active.is_none() && editor.tool != Tool::Select {
        return false;
    }
    match editor.tool {
        Tool::Select => selection::box_input(ws, editor),
        Tool::Vertex => target::vertex_input(ws, editor),
        Tool::Move => target::move_input(ws, editor),
        Tool::FillHole => sketch::fill_hole_input(ws, editor),
        Tool::Draw | Tool::Split | Tool::Reshape | Tool::AddHole => {
            sketch::sketch_input(ws, editor)
        }
    }
}

/// The 编辑 menu.
pub fn menu(ui: &mut Ui, ws: &mut Workspace, editor: &mut Editor) {
    let has_project = ws.doc.is_some();
    if let Some(redo) = history_buttons(ws, ui, true) {
        undo_redo(ws, redo);
        ui.close();
    }
    ui.separator();
    ui.add_enabled_ui(has_project, |ui| {
        ui.menu_button(t!("edit.new_layer"), |ui| {
            for role in DRAWN_ROLES {
                if ui.button(role.name_zh()).clicked() {
                    create_layer(ws, editor, role);
                    ui.close();
                }
                // A project may be a site (polygon) or a spot on a line or at a house (point).
                if role == LayerRole::ConstructionProject
                    && ui.button(t!("edit.project_points")).clicked()
                {
                    if let Some(doc) = &ws.doc {
                        let layer = new_plan_layer_of(doc.project(), role, GeometryKind::Point);
                        push_layer(ws, editor, layer);
                    }
                    ui.close();
                }
            }
            ui.separator();
            for (kind, key) in [
                (GeometryKind::Line, "edit.line_layer"),
                (GeometryKind::Point, "edit.point_layer"),
            ] {
                if ui.button(t!(key)).clicked() {
                    if let Some(doc) = &ws.doc {
                        let layer = crate::edit::new_drawing_layer(doc.project(), kind, &t!(key));
                        push_layer(ws, editor, layer);
                    }
                    ui.close();
                }
            }
        });
        ui.separator();
        generate::menu_items(ui, ws, editor);
        ui.separator();
        if ui.checkbox(&mut editor.open, t!("edit.toolbar")).clicked() {
            ui.close();
        }
    });
}

/// The 撤销 / 重做 buttons with their shortcuts (`labelled`: undo names the step, as in the
/// menu); `Some(redo)` when one was clicked.
fn history_buttons(ws: &Workspace, ui: &mut Ui, labelled: bool) -> Option<bool> {
    let history = ws.doc.as_ref().map(Document::history);
    let undo_label = history.and_then(|h| h.undo_label());
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
            history.and_then(|h| h.redo_label()).is_some(),
            egui::Button::new(t!("edit.redo")).shortcut_text(redo),
        )
        .clicked()
    {
        clicked = Some(true);
    }
    clicked
}
