//! The side panel: the 图例 (one section per drawn layer, its symbols drawn as the map
//! draws them) and, at the foot, the 比例尺, the coordinate-system note and the credits.

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform};

use super::layout::{Area, Layout};
use super::lettering::Lettering;
use crate::model::{GeometryKind, Rgba};
use crate::render::{Anchor, LegendItem, LegendSection};

const INK: Rgba = Rgba::rgb(0, 0, 0);
const GREY: Rgba = Rgba::rgb(70, 70, 70);

/// A legend section with the kind of geometry its symbols stand for.
#[derive(Debug, Clone)]
pub struct Section {
    /// Title and symbols.
    pub legend: LegendSection,
    /// Polygons get boxes, lines strokes, points dots.
    pub kind: GeometryKind,
    /// The layer's outline width on the map, in pixels.
    pub stroke_px: f32,
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    let [r, g, b, a] = c.0;
    p.set_color_rgba8(r, g, b, a);
    p.anti_alias = true;
    p
}

/// Draws the legend from the top of `area` downwards, flowing into a second column when
/// the first is full. Returns the entries that did not fit (0 normally).
pub fn legend(
    pixmap: &mut Pixmap,
    lettering: &mut Lettering,
    layout: &Layout,
    area: Area,
    sections: &[Section],
) -> usize {
    let heading = layout.mm(5.0);
    lettering.draw(
        pixmap,
        "图  例",
        (area.x + area.w / 2.0, area.y),
        heading,
        INK,
        Anchor::TopCenter,
        None,
    );
    let row = layout.mm(5.6);
    let text = layout.mm(3.2);
    let top = area.y + heading * 1.6;
    let columns = 2;
    let column_w = area.w / columns as f32;
    let rows_per_column = ((area.y + area.h - top) / row).floor().max(1.0) as usize;
    let mut lines: Vec<(Option<&Section>, Option<&LegendItem>, &str)> = Vec::new();
    for s in sections {
        match s.legend.items.as_slice() {
            // One symbol: it is the layer, so the layer's name is its label.
            [only] => lines.push((Some(s), Some(only), &s.legend.title)),
            items => {
                lines.push((Some(s), None, &s.legend.title));
                for item in items {
                    lines.push((Some(s), Some(item), &item.label));
                }
            }
        }
    }
    let capacity = rows_per_column * columns;
    for (i, (section, item, label)) in lines.iter().take(capacity).enumerate() {
        let x = area.x + column_w * (i / rows_per_column) as f32;
        let y = top + row * (i % rows_per_column) as f32;
        match (section, item) {
            (Some(section), Some(item)) => {
                let symbol = Area {
                    x: x + layout.mm(1.0),
                    y: y + layout.mm(0.6),
                    w: layout.mm(8.0),
                    h: layout.mm(4.2),
                };
                draw_symbol(pixmap, symbol, section, item);
                let label = fit(lettering, label, text, column_w - layout.mm(11.0));
                lettering.draw(
                    pixmap,
                    &label,
                    (x + layout.mm(10.5), y + layout.mm(0.9)),
                    text,
                    INK,
                    Anchor::TopLeft,
                    None,
                );
            }
            _ => {
                let title = fit(lettering, label, text, column_w - layout.mm(1.0));
                lettering.draw(
                    pixmap,
                    &title,
                    (x, y + layout.mm(0.9)),
                    text,
                    GREY,
                    Anchor::TopLeft,
                    None,
                );
            }
        }
    }
    lines.len().saturating_sub(capacity)
}

/// `text`, cut with … so it fits `width` pixels.
fn fit(lettering: &Lettering, text: &str, size: f32, width: f32) -> String {
    if lettering.measure(text, size).0 <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>() + "…";
        if lettering.measure(&cut, size).0 <= width {
            return cut;
        }
    }
    String::new()
}

fn draw_symbol(pixmap: &mut Pixmap, at: Area, section: &Section, item: &LegendItem) {
    let mut stroke = Stroke {
        width: section.stroke_px.max(1.0),
        ..Stroke::default()
    };
    if item.dashed {
        let dash = at.w / 5.0;
        stroke.dash = StrokeDash::new(vec![dash, dash * 0.6], 0.0);
    }
    let path = match section.kind {
        GeometryKind::Line => {
            let mut pb = PathBuilder::new();
            pb.move_to(at.x, at.y + at.h / 2.0);
            pb.line_to(at.x + at.w, at.y + at.h / 2.0);
            pb.finish()
        }
        GeometryKind::Point => {
            PathBuilder::from_circle(at.x + at.w / 2.0, at.y + at.h / 2.0, at.h * 0.3)
        }
        _ => Rect::from_xywh(at.x, at.y, at.w, at.h).map(PathBuilder::from_rect),
    };
    let Some(path) = path else { return };
    if let Some(fill) = item.fill
        && section.kind != GeometryKind::Line
    {
        pixmap.fill_path(
            &path,
            &paint(fill),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    pixmap.stroke_path(
        &path,
        &paint(item.stroke),
        &stroke,
        Transform::identity(),
        None,
    );
}

/// The lines at the foot of the panel, bottom-aligned in `area`; returns the top of the
/// first line.
pub fn notes(
    pixmap: &mut Pixmap,
    lettering: &mut Lettering,
    layout: &Layout,
    area: Area,
    lines: &[String],
) -> f32 {
    let size = layout.mm(3.0);
    let step = layout.mm(4.6);
    let top = area.y + area.h - step * lines.len() as f32;
    for (i, line) in lines.iter().enumerate() {
        let text = fit(lettering, line, size, area.w);
        lettering.draw(
            pixmap,
            &text,
            (area.x, top + step * i as f32),
            size,
            INK,
            Anchor::TopLeft,
            None,
        );
    }
    top
}
