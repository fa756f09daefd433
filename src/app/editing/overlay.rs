//! What the editor draws over the map, as Web Mercator shapes: the sketch, the conflicts
//! of a construction sketch or drag, the snap indicator, a refused geometry's marker, the
//! picked feature with its vertices, and a box selection being dragged.

use geo::{Coord, Geometry};

use super::{Editor, Tool, VillagePlanApp};
use crate::app::map_view::EditOverlay;
use crate::crs::WorkingCrs;
use crate::model::GeometryKind;

fn to_mercator(editor: &mut Editor, crs: WorkingCrs, coords: &[Coord<f64>]) -> Vec<[f64; 2]> {
    coords
        .iter()
        .filter_map(|c| editor.mercator(crs, *c))
        .collect()
}

/// The rings (or lines) of a geometry, to outline it.
fn outlines(g: &Geometry<f64>) -> Vec<Vec<Coord<f64>>> {
    match g {
        Geometry::LineString(l) => vec![l.0.clone()],
        Geometry::MultiLineString(m) => m.0.iter().map(|l| l.0.clone()).collect(),
        Geometry::Point(p) => vec![vec![p.0]],
        _ => crate::geometry::polygons_of(g)
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.clone())
            .collect(),
    }
}

/// The overlay of this frame.
pub fn overlay(app: &mut VillagePlanApp) -> EditOverlay {
    let Some(crs) = app.project.as_ref().map(|p| p.crs) else {
        return Default::default();
    };
    let tool = app.editor.tool;
    let target = tool
        .picks()
        .then(|| super::target::dragged_geometry(app))
        .flatten();
    let line_sketch = matches!(tool, Tool::Split | Tool::Reshape)
        || super::active_layer(app).is_some_and(|l| l.geometry_kind == GeometryKind::Line);
    let hover = app.feedback.hover_mercator;
    let editor = &mut app.editor;
    let sketch_points = editor.sketch.clone();
    let sketch = to_mercator(editor, crs, &sketch_points);
    let overlaps: Vec<Vec<Coord<f64>>> = editor
        .conflicts
        .iter()
        .flat_map(|c| c.overlap.0.iter().map(|p| p.exterior().0.clone()))
        .collect();
    let conflicts = overlaps
        .iter()
        .map(|r| to_mercator(editor, crs, r))
        .collect();
    let target = target
        .map(|g| {
            outlines(&g)
                .iter()
                .map(|r| to_mercator(editor, crs, r))
                .collect()
        })
        .unwrap_or_default();
    let snap_at: Vec<Coord<f64>> = editor
        .snapped
        .filter(|_| tool.sketches())
        .map(|s| s.at)
        .into_iter()
        .collect();
    let snap = to_mercator(editor, crs, &snap_at).first().copied();
    let refused: Vec<Coord<f64>> = editor
        .refused
        .as_ref()
        .and_then(|(_, at)| *at)
        .into_iter()
        .collect();
    let marker = to_mercator(editor, crs, &refused).first().copied();
    EditOverlay {
        target,
        sketch,
        closed: !line_sketch,
        conflicts,
        marker,
        hover: snap.or(hover).filter(|_| tool.sketches()),
        snap,
        selecting: editor.selecting,
    }
}
