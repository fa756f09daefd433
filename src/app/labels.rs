//! Village and township names on the map, placed without overlaps.

use crate::model::admin::short_name;
use crate::render::DisplayLayer;
use crate::{Layer, LayerRole};
use egui::{Align2, Color32, FontId, Pos2, Rect};
use geo::InteriorPoint;

/// A name anchored at a point inside its feature (Web Mercator).
#[derive(Debug, Clone)]
pub struct Label {
    pub text: String,
    pub anchor: [f64; 2],
    /// Lower is placed first (townships before villages).
    pub priority: u8,
    /// Feature size in Web Mercator metres: small features get their label only when
    /// zoomed in enough to see them.
    pub size: f64,
}

/// Labels for the layers that have a label field, from their display geometry.
pub fn build_labels(
    layers: &[std::sync::Arc<Layer>],
    display: &[std::sync::Arc<DisplayLayer>],
) -> Vec<Label> {
    let mut out = Vec::new();
    for (layer, shown) in layers.iter().zip(display) {
        let Some(field) = layer.style.label_field.as_deref() else {
            continue;
        };
        let Some(col) = layer.field_index(field) else {
            continue;
        };
        let priority = match layer.role {
            LayerRole::Township => 0,
            LayerRole::Village => 1,
            _ => 2,
        };
        for (i, f) in layer.features().iter().enumerate() {
            let (Some(text), Some(g)) = (f.attributes[col].as_text(), &shown.geometries[i]) else {
                continue;
            };
            let Some(p) = g.interior_point() else {
                continue;
            };
            let size = geo::BoundingRect::bounding_rect(g)
                .map(|r| r.width().max(r.height()))
                .unwrap_or(0.0);
            out.push(Label {
                text: short_name(&text),
                anchor: [p.x(), p.y()],
                priority,
                size,
            });
        }
    }
    out.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.size.total_cmp(&a.size)));
    out
}

/// Draws the labels that fit: a label is shown when its feature is at least ~60 points
/// across and its text does not overlap a label already placed.
pub fn place_labels(
    painter: &egui::Painter,
    labels: &[Label],
    metres_per_point: f64,
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
) {
    let clip = painter.clip_rect();
    let mut placed: Vec<Rect> = Vec::new();
    for label in labels {
        if label.size / metres_per_point < 60.0 {
            continue;
        }
        let pos = to_screen(label.anchor);
        if !clip.contains(pos) {
            continue;
        }
        let size = if label.priority == 0 { 15.0 } else { 12.0 };
        let galley = painter.layout_no_wrap(
            label.text.clone(),
            FontId::proportional(size),
            Color32::BLACK,
        );
        let rect = Align2::CENTER_CENTER
            .anchor_size(pos, galley.size())
            .expand(2.0);
        if placed.iter().any(|r| r.intersects(rect)) {
            continue;
        }
        placed.push(rect);
        let colour = if label.priority == 0 {
            Color32::from_rgb(60, 20, 20)
        } else {
            Color32::from_gray(20)
        };
        // A light halo keeps names readable over any fill.
        for (dx, dy) in [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)] {
            painter.text(
                pos + egui::vec2(dx, dy),
                Align2::CENTER_CENTER,
                &label.text,
                FontId::proportional(size),
                Color32::from_white_alpha(200),
            );
        }
        painter.text(
            pos,
            Align2::CENTER_CENTER,
            &label.text,
            FontId::proportional(size),
            colour,
        );
    }
}
