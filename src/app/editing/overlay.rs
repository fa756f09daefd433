//! What the editor draws over the map, as Web Mercator shapes: the sketch, the conflicts
//! of a construction sketch or drag, the snap indicator, a refused geometry's marker, the
//! picked feature with its vertices, and a box selection being dragged.

use geo::{Coord, Geometry};

use super::{Editor, Tool};
use crate::app::map_frame::EditOverlay;
use crate::app::workspace::Workspace;
use crate::crs::Transformer;
use crate::model::GeometryKind;

fn to_mercator(transform: &Transformer, coords: &[Coord<f64>]) -> Vec<[f64; 2]> {
    coords
        .iter()
        .filter_map(|c| transform.transform_point(c.x, c.y).ok())
        .map(|(x, y)| [x, y])
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

/// The overlay of this frame, and whether the map should pan on a drag (`shift`: Shift is
/// held now).
pub fn overlay(ws: &Workspace, editor: &Editor, shift: bool) -> EditOverlay {
    let panning = super::map_pans(ws, editor, shift);
    let Some(transform) = ws.doc.as_ref().and_then(|d| d.mercator_from_gk()) else {
        return EditOverlay {
            panning,
            ..Default::default()
        };
    };
    let tool = editor.tool;
    let target = tool
        .picks()
        .then(|| super::target::dragged_geometry(ws, editor))
        .flatten();
    let line_sketch = matches!(tool, Tool::Split | Tool::Reshape)
        || super::sketch::active_kind(ws, editor) == GeometryKind::Line;
    let hover = ws.map.hover_mercator;
    let sketch = to_mercator(transform, &editor.sketch);
    let conflicts = editor
        .conflicts
        .iter()
        .flat_map(|c| c.overlap.0.iter())
        .map(|p| to_mercator(transform, &p.exterior().0))
        .collect();
    let target = target
        .map(|g| {
            outlines(&g)
                .iter()
                .map(|r| to_mercator(transform, r))
                .collect()
        })
        .unwrap_or_default();
    let snap_at: Vec<Coord<f64>> = editor
        .snapped
        .filter(|_| tool.sketches())
        .map(|s| s.at)
        .into_iter()
        .collect();
    let snap = to_mercator(transform, &snap_at).first().copied();
    let refused: Vec<Coord<f64>> = editor
        .refused
        .as_ref()
        .and_then(|(_, at)| *at)
        .into_iter()
        .collect();
    let marker = to_mercator(transform, &refused).first().copied();
    EditOverlay {
        target,
        sketch,
        closed: !line_sketch,
        conflicts,
        marker,
        hover: snap.or(hover).filter(|_| tool.sketches()),
        snap,
        selecting: editor.selecting,
        drawing: editor.drawing(),
        panning,
        centre: None,
    }
}
