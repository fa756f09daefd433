//! The sketch tools: draw (polygon, line or point by the active layer's kind), split,
//! reshape and add hole share clicking vertices with snapping and tracing; finishing hands
//! the sketch to the library call of the tool. Also the fill-hole click.

use geo::{Coord, Geometry, LineString, Polygon};
use rust_i18n::t;

use super::{Tool, VillagePlanApp, active_layer, apply, ground, snap_layers, snapped};
use crate::analysis::live_conflicts::{construction_conflicts, is_construction, type_field};
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
fn active_kind(app: &VillagePlanApp) -> GeometryKind {
    match active_layer(app).map(|l| l.geometry_kind) {
        Some(k @ (GeometryKind::Line | GeometryKind::Point)) => k,
        _ => GeometryKind::Polygon,
    }
}

/// True when the sketch is a construction-type polygon (a 村庄建设边界, a 生活空间, planned
/// construction land …) and so gets live conflict feedback.
fn sketch_is_construction(app: &VillagePlanApp) -> bool {
    app.editor.tool == Tool::Draw
        && active_layer(app).is_some_and(|l| {
            l.geometry_kind == GeometryKind::Polygon && is_construction(l.role, &app.editor.preset)
        })
}

/// Clicks add vertices (snapped, traced along a boundary between two snapped clicks); a
/// double click finishes. Returns true when the click was used.
pub(super) fn sketch_input(app: &mut VillagePlanApp) -> bool {
    let feedback = app.feedback.clone();
    if feedback.double_clicked_mercator.is_some() {
        finish(app);
        return true;
    }
    let clicked = feedback
        .clicked_mercator
        .and_then(|m| super::working_from_mercator(app, m))
        .map(|c| snapped(app, c));
    let hover = feedback
        .hover_mercator
        .and_then(|m| super::working_from_mercator(app, m))
        .map(|c| snapped(app, c));
    app.editor.snapped = hover.and_then(|(_, s)| s);
    let hover = hover.map(|(c, _)| c);
    if let Some((c, snap)) = clicked {
        if app.editor.tool == Tool::Draw && active_kind(app) == GeometryKind::Point {
            add_point(app, c);
            return true;
        }
        add_vertex(app, c, snap.is_some());
    }
    // Overlays only change when a vertex is added or the pointer moves: frames repainted
    // for other reasons reuse the last result.
    let changed = clicked.is_some() || hover != app.editor.conflicts_at;
    app.editor.conflicts_at = hover;
    if changed && sketch_is_construction(app) {
        app.editor.conflicts = match (&app.project, sketch_polygon(&app.editor.sketch, hover)) {
            (Some(project), Some(polygon)) => construction_conflicts(project, &polygon),
            _ => Vec::new(),
        };
    }
    clicked.is_some()
}

/// Adds a clicked vertex; after a snapped vertex, a snapped click on the same boundary
/// adds the boundary's vertices in between (tracing).
fn add_vertex(app: &mut VillagePlanApp, c: Coord<f64>, is_snapped: bool) {
    let traced = match app.editor.sketch.last() {
        Some(&last) if is_snapped && app.editor.last_snapped && app.editor.tracing => {
            crate::edit::trace(&snap_layers(app), last, c, ON_BOUNDARY)
        }
        _ => None,
    };
    match traced {
        Some(path) => app.editor.sketch.extend(path.into_iter().skip(1)),
        None => app.editor.sketch.push(c),
    }
    app.editor.last_snapped = is_snapped;
    app.editor.refused = None;
}

/// A point layer: every click is a feature.
fn add_point(app: &mut VillagePlanApp, c: Coord<f64>) {
    let Some(layer) = active_layer(app) else {
        return;
    };
    let (id, feature) = (
        layer.id.clone(),
        Feature {
            id: layer.next_feature_id(),
            geometry: Some(Geometry::Point(c.into())),
            attributes: Vec::new(),
        },
    );
    match apply(
        app,
        &t!("edit.draw_point"),
        add_edit(app, id.clone(), feature),
    ) {
        Ok(()) => super::form::open(app, &id),
        Err(e) => app.editor.refused = Some((e, Some(c))),
    }
}

/// Adding `feature` to `layer`, with the preset type set, as one step.
fn add_edit(app: &VillagePlanApp, layer: String, feature: Feature) -> Edit {
    let add = Edit::AddFeature {
        layer: layer.clone(),
        position: None,
        feature,
    };
    let Some(l) = active_layer(app) else {
        return add;
    };
    let field = type_field(l.role).filter(|_| !app.editor.preset.trim().is_empty());
    match field {
        Some(field) => Edit::Batch(vec![
            add,
            Edit::SetAttribute {
                layer,
                position: l.features().len(),
                field: field.to_string(),
                value: AttrValue::Text(app.editor.preset.trim().to_string()),
            },
        ]),
        None => add,
    }
}

/// Finishes the sketch with the current tool; a refused result keeps the sketch.
pub fn finish(app: &mut VillagePlanApp) {
    let sketch = app.editor.sketch.clone();
    let outcome = match app.editor.tool {
        Tool::Draw => finish_draw(app, &sketch),
        Tool::Split => finish_split(app, &sketch),
        Tool::Reshape => finish_reshape(app, &sketch),
        Tool::AddHole => finish_hole(app, &sketch),
        _ => return,
    };
    match outcome {
        Ok(()) => {
            app.editor.sketch.clear();
            app.editor.conflicts.clear();
            app.editor.refused = None;
        }
        Err((e, at)) => app.editor.refused = Some((e, at.or(sketch.first().copied()))),
    }
}

type Refusal = (String, Option<Coord<f64>>);

/// Where the library's validator locates the problem of `g`.
fn located(g: &Geometry<f64>) -> Option<Coord<f64>> {
    crate::edit::validate_geometry(g).err().and_then(|l| l.at)
}

fn finish_draw(app: &mut VillagePlanApp, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let Some(layer) = active_layer(app) else {
        return Ok(());
    };
    let geometry = match active_kind(app) {
        GeometryKind::Line if sketch.len() >= 2 => {
            Geometry::LineString(LineString(sketch.to_vec()))
        }
        GeometryKind::Polygon => match sketch_polygon(sketch, None) {
            Some(p) => Geometry::Polygon(p),
            None => return Err((t!("edit.too_few_vertices").into_owned(), None)),
        },
        _ => return Err((t!("edit.too_few_vertices").into_owned(), None)),
    };
    let geometry = super::target::without_overlaps(app, None, geometry)?;
    let (id, feature) = (
        layer.id.clone(),
        Feature {
            id: layer.next_feature_id(),
            geometry: Some(geometry.clone()),
            attributes: Vec::new(),
        },
    );
    let label = match active_kind(app) {
        GeometryKind::Line => t!("edit.draw_line"),
        _ => t!("edit.draw"),
    };
    apply(app, &label, add_edit(app, id.clone(), feature)).map_err(|e| (e, located(&geometry)))?;
    super::form::open(app, &id);
    Ok(())
}

fn finish_split(app: &mut VillagePlanApp, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let edit = active_layer(app)
        .ok_or_else(|| (t!("edit.choose_layer").into_owned(), None))
        .and_then(|l| crate::edit::split_features(l, sketch).map_err(|e| (e.to_string(), None)))?;
    apply(app, &t!("edit.split"), edit).map_err(|e| (e, None))
}

/// The feature of the active layer whose outline passes nearest `at` (within the snapping
/// tolerance), else the one containing it.
fn feature_near(app: &VillagePlanApp, at: Coord<f64>) -> Option<usize> {
    let layer = active_layer(app)?;
    let tolerance = ground(app, super::SNAP_POINTS);
    let min = [at.x - tolerance, at.y - tolerance];
    let max = [at.x + tolerance, at.y + tolerance];
    let candidates: Vec<usize> = layer.index().query(min, max).collect();
    let on_edge = candidates.iter().copied().find(|&i| {
        layer.features()[i]
            .geometry
            .as_ref()
            .is_some_and(|g| crate::edit::nearest_edge(g, at, tolerance).is_some())
    });
    on_edge.or_else(|| {
        candidates.into_iter().find(|&i| {
            layer.features()[i]
                .geometry
                .as_ref()
                .is_some_and(|g| geo::Contains::contains(g, &geo::Point::from(at)))
        })
    })
}

fn finish_reshape(app: &mut VillagePlanApp, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let start = *sketch
        .first()
        .ok_or_else(|| (t!("edit.too_few_vertices").into_owned(), None))?;
    let position = feature_near(app, start)
        .ok_or_else(|| (t!("edit.reshape_no_feature").into_owned(), Some(start)))?;
    let geometry = super::target::geometry_at(app, position)
        .ok_or_else(|| (t!("edit.reshape_no_feature").into_owned(), Some(start)))?;
    let reshaped = crate::edit::reshape_geometry(&geometry, sketch)
        .map_err(|e| (e.to_string(), Some(start)))?;
    super::target::commit(app, position, reshaped, &t!("edit.reshape"))
}

fn finish_hole(app: &mut VillagePlanApp, sketch: &[Coord<f64>]) -> Result<(), Refusal> {
    let ring = sketch_polygon(sketch, None)
        .ok_or_else(|| (t!("edit.too_few_vertices").into_owned(), None))?;
    let position = feature_near(app, sketch[0])
        .ok_or_else(|| (t!("edit.hole_no_feature").into_owned(), Some(sketch[0])))?;
    let geometry = super::target::geometry_at(app, position)
        .ok_or_else(|| (t!("edit.hole_no_feature").into_owned(), Some(sketch[0])))?;
    let holed =
        crate::edit::add_hole(&geometry, &ring).map_err(|e| (e.to_string(), Some(sketch[0])))?;
    super::target::commit(app, position, holed, &t!("edit.add_hole"))
}

/// The fill-hole tool: a click inside a hole of a feature of the active layer fills it.
pub(super) fn fill_hole_input(app: &mut VillagePlanApp) -> bool {
    let Some(at) = app
        .feedback
        .clicked_mercator
        .and_then(|m| super::working_from_mercator(app, m))
    else {
        return false;
    };
    let Some(layer) = active_layer(app) else {
        return false;
    };
    let filled = layer
        .index()
        .query([at.x, at.y], [at.x, at.y])
        .find_map(|i| {
            let g = layer.features()[i].geometry.as_ref()?;
            Some((i, crate::edit::remove_hole(g, at)?))
        });
    match filled {
        Some((position, geometry)) => {
            if let Err((e, at)) =
                super::target::commit(app, position, geometry, &t!("edit.fill_hole"))
            {
                app.editor.refused = Some((e, at));
            }
        }
        None => app.message = Some(t!("edit.no_hole_here").into_owned()),
    }
    true
}
