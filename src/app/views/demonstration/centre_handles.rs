//! The selected corridor's centre line as vertex handles on the map: press a handle and
//! drag to move that vertex, as the editor's vertex tool moves a feature's. While it is
//! held nothing in the project changes: each new position rebuilds the corridor from the
//! moved line (`corridor_polygon`), the map outlines it and the width slider's worker
//! ([`super::live`], newest polygon only) summarises it, so the summary trails the pointer
//! by at most one. Releasing writes the move as one undoable step
//! (`move_centre_vertex`); Esc while holding cancels and shows the stored corridor again,
//! and an undo while holding lets go of the handle as well (its line is no longer stored).
//!
//! The pointer snaps as the editor's tools do (vertices, then edges of the visible layers,
//! within 10 screen points, unless snapping is off), except to demonstration layers: their
//! outlines lie half a width around the very line being moved and would catch it.
//!
//! Only moving: the library has no insertion or deletion of a centre-line vertex.

use egui::{Key, Modifiers};
use geo::Coord;
use rust_i18n::t;

use super::DemoView;
use crate::app::map_frame::{CentreHandles, EditOverlay, MapFeedback};
use crate::app::workspace::{MapInfo, Workspace};
use crate::edit::demonstration::{CentreVertex, corridor_polygon, move_centre_vertex};
use crate::model::demonstration::CorridorLine;
use crate::model::{Layer, LayerRole};

/// How near (screen points) the pointer must be to a handle to take it.
const HANDLE_POINTS: f64 = 8.0;
/// Snapping tolerance in screen points, the editor's.
const SNAP_POINTS: f64 = 10.0;

/// The handles' state between frames.
#[derive(Default)]
pub(super) struct Handles {
    /// The vertex held, until released.
    held: Option<Held>,
}

impl Handles {
    /// Lets go of the held vertex: the rest of its drag does nothing.
    pub(super) fn cancel(&mut self) {
        if let Some(h) = &mut self.held {
            h.cancelled = true;
        }
    }
}

/// A centre-line vertex held on the map.
#[derive(Clone, Copy)]
struct Held {
    vertex: CentreVertex,
    /// Where it stood (working CRS).
    from: Coord<f64>,
    /// Where it is now (working CRS), after snapping.
    at: Coord<f64>,
    /// Where the pointer snapped, for the indicator.
    snap: Option<Coord<f64>>,
    /// Let go of by Esc or by a change of the corridor: ignored until released.
    cancelled: bool,
}

/// The vertex of `line` nearest to `at` within `tolerance` metres, and where it is.
fn nearest(
    line: &CorridorLine,
    at: Coord<f64>,
    tolerance: f64,
) -> Option<(CentreVertex, Coord<f64>)> {
    line.centre
        .0
        .iter()
        .enumerate()
        .flat_map(|(part, l)| {
            l.0.iter()
                .enumerate()
                .map(move |(index, c)| (CentreVertex { part, index }, *c))
        })
        .map(|(v, c)| (v, c, (c.x - at.x).hypot(c.y - at.y)))
        .filter(|(_, _, d)| *d <= tolerance)
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(v, c, _)| (v, c))
}

fn to_working(ws: &Workspace, m: Option<[f64; 2]>) -> Option<Coord<f64>> {
    MapInfo::gk_from_mercator(ws.doc.as_ref()?, m?)
}

/// Metres for `points` screen points at the current zoom.
fn ground(ws: &Workspace, points: f64) -> f64 {
    points * ws.map.ground_metres_per_point.max(0.01)
}

/// `at` snapped to the visible layers other than the demonstration ones, if near one.
fn snapped(ws: &Workspace, at: Coord<f64>) -> Option<Coord<f64>> {
    let doc = ws.doc.as_ref()?;
    let layers: Vec<&Layer> = doc
        .project()
        .layers
        .iter()
        .filter(|l| l.style.visible && l.role != LayerRole::Demonstration)
        .map(|l| l.as_ref())
        .collect();
    crate::edit::snap(&layers, at, ground(ws, SNAP_POINTS)).map(|s| s.at)
}

impl DemoView {
    /// The centre line of the selected corridor, as stored.
    fn selected_line(&self) -> Option<&CorridorLine> {
        self.selected_row()?.area.corridor.as_ref()
    }

    /// The vertex held and not cancelled.
    fn holding(&self) -> Option<Held> {
        self.handles.held.filter(|h| !h.cancelled)
    }

    /// The handle under the pointer.
    fn hovered(&self, ws: &Workspace) -> Option<CentreVertex> {
        let at = to_working(ws, ws.map.hover_mercator)?;
        nearest(self.selected_line()?, at, ground(ws, HANDLE_POINTS)).map(|(v, _)| v)
    }

    /// The handle the primary button is held down on, and where it is. Egui reports a
    /// drag only once the pointer has moved a few points, and a slow frame may take the
    /// press and several moves at once, so the handle is the one at the press, not under
    /// the pointer when the drag is noticed.
    fn pressed(&self, ctx: &egui::Context, ws: &Workspace) -> Option<(CentreVertex, Coord<f64>)> {
        let origin = ctx.input(|i| {
            i.pointer
                .primary_down()
                .then(|| i.pointer.press_origin())
                .flatten()
        })?;
        let (rect, viewport) = (ws.map.rect?, ws.map.viewport?);
        let ppp = ctx.pixels_per_point();
        let m = viewport
            .mercator_from_screen([(origin.x - rect.min.x) * ppp, (origin.y - rect.min.y) * ppp]);
        let at = to_working(ws, Some(m))?;
        nearest(self.selected_line()?, at, ground(ws, HANDLE_POINTS))
    }

    /// Adds the selected corridor's centre line and handles to the map's overlay (with the
    /// snap indicator while one is held), and keeps the map from panning while a press
    /// would take a handle, was made on one, or one is held.
    pub fn show_handles(&self, ctx: &egui::Context, ws: &Workspace, overlay: &mut EditOverlay) {
        let Some(line) = self.selected_line() else {
            return;
        };
        let Some(transform) = ws.doc.as_ref().and_then(|d| d.mercator_from_gk()) else {
            return;
        };
        let holding = self.holding();
        let mercator = |c: Coord<f64>| {
            transform
                .transform_point(c.x, c.y)
                .ok()
                .map(|(x, y)| [x, y])
        };
        let parts: Option<Vec<Vec<[f64; 2]>>> = line
            .centre
            .0
            .iter()
            .enumerate()
            .map(|(part, l)| {
                l.0.iter()
                    .enumerate()
                    .map(|(index, c)| match holding {
                        Some(h) if h.vertex == (CentreVertex { part, index }) => mercator(h.at),
                        _ => mercator(*c),
                    })
                    .collect()
            })
            .collect();
        let Some(parts) = parts else { return };
        let hot = match self.handles.held {
            Some(_) => holding.map(|h| h.vertex),
            None => self.hovered(ws),
        };
        if let Some(s) = holding.and_then(|h| h.snap) {
            overlay.snap = mercator(s);
        }
        overlay.panning &=
            self.handles.held.is_none() && hot.is_none() && self.pressed(ctx, ws).is_none();
        overlay.centre = Some(CentreHandles {
            parts,
            hot: hot.map(|v| (v.part, v.index)),
            held: holding.is_some(),
        });
    }

    /// Esc while a handle is held cancels the move (taken before any other use of Esc).
    pub fn centre_keys(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        if self.holding().is_some()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.handles.cancel();
            self.show_stored(ws);
        }
    }

    /// The stored corridor outlined and summarised again, in place of a preview.
    fn show_stored(&mut self, ws: &mut Workspace) {
        if let (Some(doc), Some(item)) = (&mut ws.doc, self.selected.clone()) {
            doc.select(vec![item], true, false);
        }
        self.ask_selected();
    }

    /// What the map did this frame, seen by the handles: a drag pressed on a handle takes
    /// it, moves it (snapped) and previews the corridor, a release commits it. True when
    /// the map's input was theirs.
    pub fn centre_input(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        feedback: &MapFeedback,
        snap: bool,
    ) -> bool {
        if self.handles.held.is_none()
            && feedback.drag_started_mercator.is_some()
            && let Some((vertex, from)) = self.pressed(ctx, ws)
        {
            self.handles.held = Some(Held {
                vertex,
                from,
                at: from,
                snap: None,
                cancelled: false,
            });
        }
        let Some(mut held) = self.handles.held else {
            return false;
        };
        if feedback.drag_stopped {
            self.handles.held = None;
            if held.cancelled {
                return true;
            }
            if held.at == held.from {
                self.show_stored(ws);
            } else {
                self.commit(ws, held);
            }
            return true;
        }
        if held.cancelled {
            return true;
        }
        if let Some(now) = to_working(ws, feedback.dragging_mercator) {
            let snapped = snap.then(|| snapped(ws, now)).flatten();
            let at = snapped.unwrap_or(now);
            if at != held.at {
                held.at = at;
                held.snap = snapped;
                self.handles.held = Some(held);
                self.preview_held(ws, held);
            }
        }
        true
    }

    /// The corridor of the stored line with the held vertex moved, outlined and summarised.
    fn preview_held(&mut self, ws: &mut Workspace, held: Held) {
        let Some(mut line) = self.selected_line().cloned() else {
            return;
        };
        if let Some(slot) = line
            .centre
            .0
            .get_mut(held.vertex.part)
            .and_then(|p| p.0.get_mut(held.vertex.index))
        {
            *slot = held.at;
        }
        match corridor_polygon(&line) {
            Ok(polygon) => self.preview(ws, polygon),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Writes the move as one undoable step; a line the library refuses is said in the
    /// window and the stored corridor shown again.
    fn commit(&mut self, ws: &mut Workspace, held: Held) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (layer, position) = (row.area.layer_id.clone(), row.area.position);
        // Counted along the whole line: its parts are not shown apart.
        let before: usize = row.area.corridor.as_ref().map_or(0, |c| {
            c.centre
                .0
                .iter()
                .take(held.vertex.part)
                .map(|l| l.0.len())
                .sum()
        });
        let label = t!(
            "demo.step_vertex",
            name = row.area.name,
            vertex = before + held.vertex.index + 1
        )
        .into_owned();
        let Some(doc) = &mut ws.doc else { return };
        match move_centre_vertex(doc.project(), &layer, position, held.vertex, held.at)
            .and_then(|edit| doc.apply(&label, edit))
        {
            Ok(()) => {
                self.error = None;
                if let Some(item) = self.selected.clone() {
                    doc.select(vec![item], true, false);
                }
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.show_stored(ws);
            }
        }
    }
}
