//! The sketch tools: draw (polygon, line or point by the active layer's kind), split,
//! reshape and add hole share clicking vertices with snapping and tracing; finishing hands
//! the sketch to the library call of the tool. Also the fill-hole click.

use geo::{Coord, Geometry, LineString, Polygon};
use rust_i18n::t;

use super::{
    Editor, Refusal, Tool, active_layer, apply, ground, refusal, snap_layers, snapped,
    working_from_mercator,
};
use crate::analysis::live_conflicts::{construction_conflicts, is_construction, type_field};
use crate::app::workspace::Workspace;
use crate::edit::Edit;
use crate::model::{AttrValue, Feature, GeometryKind};

/// Tracing tolerance (metres): a snapped point lies on the boundary it snapped to.
const ON_BOUNDARY: f64 = 0.01;

/// The sketch as a closed polygon, with `extra` as a last vertex (the pointer).
pub(super) fn sketch_polygon(
    sketch: &[Coord<f64>],
    extra: Option<Coord<f64>>,
) -> Option<Polygon<f64>> {
    let mut pts: Vec<Coord<f64>> = sketch.to_vec();
    pts.extend(extra);
    if pts.len() < 3 {
        return None;
    }
    pts.push(pts[0]);
    Some(Polygon::new(LineString(pts), vec![]))
}

/// The active layer's geometry kind (polygon unless it is a line or point layer).
pub(super) fn active_kind(ws: &Workspace, editor: &Editor) -> GeometryKind {
    match active_layer(ws, editor).map(|l| l.geometry_kind) {
        Some(k @ (GeometryKind::Line | GeometryKind::Point)) => k,
        _ => GeometryKind::Polygon,
    }
}

/// True when the sketch is a construction-type polygon (a 村庄建设边界, a 生活空间, planned
/// construction land …) and so gets live conflict feedback.
fn sketch_is_construction(ws: &Workspace, editor: &Editor) -> bool {
    editor.tool == Tool::Draw
        && active_layer(ws, editor).is_some_and(|l| {
            l.geometry_kind == GeometryKind::Polygon && is_construction(l.role, &editor.preset)
        })
}

/// Clicks add vertices (snapped, traced along a boundary between two snapped clicks); a
/// double click finishes. Returns true when the click was used.
pub(super) fn sketch_input(ws: &mut Workspace, editor: &mut Editor) -> bool {
    let feedback = editor.feedback.clone();
    if feedback.double_clicked_mercator.is_some() {
        finish(ws, editor);
        return true;
    }
    let clicked = feedback
        .clicked_mercator
        .and_then(|m| working_from_mercator(ws, m))
        .map(|c| snapped(ws, editor, c));
    let hover = feedback
        .hover_mercator
        .and_then(|m| working_from_mercator(ws, m))
        .map(|c| snapped(ws, editor, c));
    editor.snapped = hover.and_then(|(_, s)| s);
    let hover = hover.map(|(c, _)| c);
    if let Some((c, snap)) = clicked {
        if editor.tool == Tool::Draw && active_kind(ws, editor) == GeometryKind::Point {
            add_point(ws, editor, c);
            return true;
        }
        add_vertex(ws, editor, c, snap.is_some());
    }
    // Overlays only change when a vertex is added or the pointer moves: frames repainted
    // for other reasons reuse the last result.
    let changed = clicked.is_some() || hover != editor.conflicts_at;
    editor.conflicts_at = hover;
    if changed && sketch_is_construction(ws, editor) {
        editor.conflicts = match (&ws.doc, sketch_polygon(&editor.sketch, hover)) {
            (Some(doc), Some(polygon)) => construction_conflicts(doc.project(), &polygon),
            _ => Vec::new(),
        };
    }
    clicked.is_some()
}

/// Adds a clicked vertex; after a snapped vertex, a snapped click on the same boundary
/// adds the boundary's vertices in between (tracing).
fn add_vertex(ws: &Workspace, editor: &mut Editor, c: Coord<f64>, is_snapped: bool) {
    let traced = match (editor.sketch.last(), &ws.doc) {
        (Some(&last), Some(doc)) if is_snapped && editor.last_snapped && editor.tracing => {
            crate::edit::trace(&snap_layers(doc, editor), last, c, ON_BOUNDARY)
        }
        _ => None,
    };
    match traced {
        Some(path) => editor.sketch.extend(path.into_iter().skip(1)),
        None => editor.sketch.push(c),
    }
    editor.last_snapped = is_snapped;
    editor.refused = None;
}

/// A point layer: every click is a feature.
fn add_point(ws: &mut Workspace, editor: &mut Editor, c: Coord<f64>) {
    let Some(layer) = active_layer(ws, editor) else {
        return;
    };
    let feature = Feature {
        id: layer.next_feature_id(),
        geometry: Some(Geometry::Point(c.into())),
        attributes: Vec::new(),
    };
    let Some(edit) = add_edit(ws, editor, feature) else {
        return;
    };
    match apply(ws, &t!("edit.draw_point"), edit) {
        Ok(()) => super::form::open(ws, editor),
        Err(e) => editor.refused = Some(refusal(e, Some(c))),
    }
}

/// Adding `feature` to the active layer, with the preset type set, as one step.
fn add_edit(ws: &Workspace, editor: &Editor, feature: Feature) -> Option<Edit> {
    let l = active_layer(ws, editor)?;
    let add = Edit::AddFeature {
        layer: l.id.clone(),
        position: None,
        feature,
    };
    let field = type_field(l.role).filter(|_| !editor.preset.trim().is_empty());
    Some(match field {
        Some(field) => Edit::Batch(vec![
            add,
            Edit::SetAttribute {
                layer: l.id.clone(),
                position: l.features().len(),
                field: field.to_string(),
                value: AttrValue::text(editor.preset.trim()),
            },
        ]),
        None => add,
    })
}

/// Finishes the sketch with the current tool; a refused result keeps the sketch.
pub fn finish(ws: &mut Workspace, editor: &mut Editor) {
    let sketch = editor.sketch.clone();
    let outcome = match editor.tool {
        Tool::Draw => finish_draw(ws, editor, &sketch),
        Tool::Split => finish_split(ws, editor, &sketch),
        Tool::Reshape => finish_reshape(ws, editor, &sketch),
        Tool::AddHole => finish_hole(ws, editor, &sketch),
        _ => return,
    };
    match outcome {
        Ok(()) => {
            editor.sketch.clear();
            editor.conflicts.clear();
            editor.refused = None;
        }
        Err((e, at)) => editor.refused = Some((e, at.or(sketch.first().copied()))),
    }
}

fn finish_draw(
    ws: &mut Workspace,
    editor: &mut Editor,
    sketch: &[Coord<f64>],
) -> Result<(), Refusal> {
    let Some(layer) = active_layer(ws, editor) else {
        return Ok(());
    };
    let geometry = match active_kind(ws, editor) {
        GeometryKind::Line if sketch.len() >= 2 => {
            Geometry::LineString(LineString(sketch.to_vec()))
        }
        GeometryKind::Polygon => match sketch_polygon(sketch, None) {
            Some(p) => Geometry::Polygon(p),
            None => return Err((t!("edit.too_few_vertices").into_owned(), None)),
        },
        _ => return Err((t!("edit.too_few_vertices").into_owned(), None)),
    };
    let id = layer.next_feature_id();
    let geometry = super::target::without_overlaps(ws, editor, None, geometry)?;
    let feature = Feature {
        id,
        geometry: Some(geometry),
        attributes: Vec::new(),
    };
    let label = match active_kind(ws, editor) {
        GeometryKind::Line => t!("edit.draw_line"),
        _ => t!("edit.draw"),
    };
    let Some(edit) = add_edit(ws, editor, feature) else {
        return Ok(());
    };
    apply(ws, &label, edit).map_err(|e| refusal(e, None))?;
    super::form::open(ws, editor);
    Ok(())
}

fn finish_split(ws: &mut Workspace, editor: &Editor, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let edit = active_layer(ws, editor)
        .ok_or_else(|| (t!("edit.choose_layer").into_owned(), None))
        .and_then(|l| crate::edit::split_features(l, sketch).map_err(|e| refusal(e, None)))?;
    apply(ws, &t!("edit.split"), edit).map_err(|e| refusal(e, None))
}

/// The feature of the active layer whose outline passes nearest `at` (within the snapping
/// tolerance), else the one containing it: its id.
fn feature_near(ws: &Workspace, editor: &Editor, at: Coord<f64>) -> Option<i64> {
    let layer = active_layer(ws, editor)?;
    let tolerance = ground(ws, super::SNAP_POINTS);
    let min = [at.x - tolerance, at.y - tolerance];
    let max = [at.x + tolerance, at.y + tolerance];
    let candidates: Vec<usize> = layer.index().query(min, max).collect();
    let on_edge = candidates.iter().copied().find(|&i| {
        layer.features()[i]
            .geometry
            .as_ref()
            .is_some_and(|g| crate::edit::nearest_edge(g, at, tolerance).is_some())
    });
    on_edge
        .or_else(|| {
            candidates.into_iter().find(|&i| {
                layer.features()[i]
                    .geometry
                    .as_ref()
                    .is_some_and(|g| geo::Contains::contains(g, &geo::Point::from(at)))
            })
        })
        .map(|i| layer.features()[i].id)
}

fn finish_reshape(
    ws: &mut Workspace,
    editor: &Editor,
    sketch: &[Coord<f64>],
) -> Result<(), Refusal> {
    let start = *sketch
        .first()
        .ok_or_else(|| (t!("edit.too_few_vertices").into_owned(), None))?;
    let id = feature_near(ws, editor, start)
        .ok_or_else(|| (t!("edit.reshape_no_feature").into_owned(), Some(start)))?;
    let geometry = super::target::geometry_of(ws, editor, id)
        .ok_or_else(|| (t!("edit.reshape_no_feature").into_owned(), Some(start)))?;
    let reshaped =
        crate::edit::reshape_geometry(&geometry, sketch).map_err(|e| refusal(e, Some(start)))?;
    super::target::commit(ws, editor, id, reshaped, &t!("edit.reshape"))
}

fn finish_hole(ws: &mut Workspace, editor: &Editor, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let ring = sketch_polygon(sketch, None)
        .ok_or_else(|| (t!("edit.too_few_vertices").into_owned(), None))?;
    let id = feature_near(ws, editor, sketch[0])
        .ok_or_else(|| (t!("edit.hole_no_feature").into_owned(), Some(sketch[0])))?;
    let geometry = super::target::geometry_of(ws, editor, id)
        .ok_or_else(|| (t!("edit.hole_no_feature").into_owned(), Some(sketch[0])))?;
    let holed = crate::edit::add_hole(&geometry, &ring).map_err(|e| refusal(e, Some(sketch[0])))?;
    super::target::commit(ws, editor, id, holed, &t!("edit.add_hole"))
}

/// The fill-hole tool: a click inside a hole of a feature of the active layer fills it.
pub(super) fn fill_hole_input(ws: &mut Workspace, editor: &mut Editor) -> bool {
    let Some(at) = editor
        .feedback
        .clicked_mercator
        .and_then(|m| working_from_mercator(ws, m))
    else {
        return false;
    };
    let Some(layer) = active_layer(ws, editor) else {
        return false;
    };
    let filled = layer
        .index()
        .query([at.x, at.y], [at.x, at.y])
        .find_map(|i| {
            let f = &layer.features()[i];
            Some((f.id, crate::edit::remove_hole(f.geometry.as_ref()?, at)?))
        });
    match filled {
        Some((id, geometry)) => {
            if let Err(refused) =
                super::target::commit(ws, editor, id, geometry, &t!("edit.fill_hole"))
            {
                editor.refused = Some(refused);
            }
        }
        None => ws.tell(t!("edit.no_hole_here")),
    }
    true
}
