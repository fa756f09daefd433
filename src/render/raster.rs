//! The CPU rasteriser (tiny-skia): layers → RGBA image for a viewport.
//!
//! *Level of detail*: features smaller than a pixel are drawn as one pixel of their fill
//! colour (a county of 200 000 parcels is mostly that at full extent), outlines are left out
//! below a few pixels, and ring vertices closer than half a pixel to the previous kept one
//! are skipped. *Cancellation*: the map window starts a new render when the view changes;
//! the old one stops at the next check of `cancel`.

use std::sync::atomic::{AtomicBool, Ordering};

use geo::{BoundingRect, Geometry, LineString, Polygon};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash,
    Transform,
};

use super::{DisplayLayer, Viewport};
use crate::model::{LayerStyle, Rgba};

/// Below this size (pixels) a feature gets no outline.
const OUTLINE_MIN_PX: f32 = 3.0;
/// Radius of point symbols in pixels.
const POINT_RADIUS_PX: f32 = 4.0;

/// What a render did, for the status bar and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Features drawn as full shapes.
    pub shapes: usize,
    /// Features drawn as a single pixel (smaller than one).
    pub dots: usize,
    /// True when the render was cancelled before the end.
    pub cancelled: bool,
}

fn colour(c: Rgba, opacity: f32) -> Color {
    let [r, g, b, a] = c.0;
    Color::from_rgba8(
        r,
        g,
        b,
        ((a as f32) * opacity.clamp(0.0, 1.0)).round() as u8,
    )
}

fn paint(c: Rgba, opacity: f32) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(colour(c, opacity));
    p.anti_alias = true;
    p
}

/// Renders `layers` (bottom first) into a new image of the viewport's size.
pub fn render(
    layers: &[&DisplayLayer],
    viewport: &Viewport,
    background: Rgba,
    cancel: &AtomicBool,
) -> (Option<Pixmap>, RenderStats) {
    let mut stats = RenderStats::default();
    let Some(mut pixmap) = Pixmap::new(viewport.width.max(1), viewport.height.max(1)) else {
        return (None, stats);
    };
    pixmap.fill(colour(background, 1.0));
    let (min, max) = viewport.bounds();
    for layer in layers {
        if !layer.style.visible {
            continue;
        }
        for (n, i) in layer.query(min, max).enumerate() {
            if n % 1024 == 0 && cancel.load(Ordering::Relaxed) {
                stats.cancelled = true;
                return (Some(pixmap), stats);
            }
            let Some(g) = &layer.geometries[i] else {
                continue;
            };
            draw_feature(
                &mut pixmap,
                g,
                layer.fills[i],
                &layer.style,
                viewport,
                &mut stats,
            );
        }
    }
    (Some(pixmap), stats)
}

fn draw_feature(
    pixmap: &mut Pixmap,
    g: &Geometry<f64>,
    fill: Option<Rgba>,
    style: &LayerStyle,
    viewport: &Viewport,
    stats: &mut RenderStats,
) {
    let Some(bbox) = g.bounding_rect() else {
        return;
    };
    let a = viewport.screen_from_mercator([bbox.min().x, bbox.max().y]);
    let b = viewport.screen_from_mercator([bbox.max().x, bbox.min().y]);
    let (w, h) = (b[0] - a[0], b[1] - a[1]);
    let is_point = matches!(g, Geometry::Point(_) | Geometry::MultiPoint(_));
    if !is_point && w < 1.0 && h < 1.0 {
        // Sub-pixel: one pixel of the fill colour, or of the outline for unfilled layers.
        let c = fill.unwrap_or(style.stroke);
        if let Some(r) = Rect::from_xywh(a[0].floor(), a[1].floor(), 1.0, 1.0) {
            pixmap.fill_rect(r, &paint(c, style.opacity), Transform::identity(), None);
        }
        stats.dots += 1;
        return;
    }
    stats.shapes += 1;
    let outline = w.max(h) >= OUTLINE_MIN_PX;
    let mut stroke = Stroke {
        width: style.stroke_width.max(0.1),
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    if style.dashed {
        stroke.dash = StrokeDash::new(vec![8.0, 5.0], 0.0);
    }
    let stroke_paint = paint(style.stroke, style.opacity);
    match g {
        Geometry::Polygon(_)
        | Geometry::MultiPolygon(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_) => {
            let mut pb = PathBuilder::new();
            for_each_polygon(g, &mut |p| {
                add_ring(&mut pb, p.exterior(), viewport, true);
                for hole in p.interiors() {
                    add_ring(&mut pb, hole, viewport, true);
                }
            });
            let Some(path) = pb.finish() else { return };
            if let Some(c) = fill {
                pixmap.fill_path(
                    &path,
                    &paint(c, style.opacity),
                    FillRule::EvenOdd,
                    Transform::identity(),
                    None,
                );
            }
            if outline {
                pixmap.stroke_path(&path, &stroke_paint, &stroke, Transform::identity(), None);
            }
        }
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => {
            let mut pb = PathBuilder::new();
            let mut add = |l: &LineString<f64>| add_ring(&mut pb, l, viewport, false);
            match g {
                Geometry::LineString(l) => add(l),
                Geometry::MultiLineString(m) => m.0.iter().for_each(add),
                Geometry::Line(l) => add(&LineString::from(vec![l.start, l.end])),
                _ => {}
            }
            if let Some(path) = pb.finish() {
                pixmap.stroke_path(&path, &stroke_paint, &stroke, Transform::identity(), None);
            }
        }
        Geometry::Point(_) | Geometry::MultiPoint(_) => {
            let points: Vec<[f64; 2]> = match g {
                Geometry::Point(p) => vec![[p.x(), p.y()]],
                Geometry::MultiPoint(m) => m.0.iter().map(|p| [p.x(), p.y()]).collect(),
                _ => Vec::new(),
            };
            for p in points {
                let s = viewport.screen_from_mercator(p);
                if let Some(path) = PathBuilder::from_circle(s[0], s[1], POINT_RADIUS_PX) {
                    let c = fill.unwrap_or(style.stroke);
                    pixmap.fill_path(
                        &path,
                        &paint(c, style.opacity),
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                    let thin = Stroke {
                        width: 1.0,
                        ..Stroke::default()
                    };
                    pixmap.stroke_path(&path, &stroke_paint, &thin, Transform::identity(), None);
                }
            }
        }
        Geometry::GeometryCollection(c) => {
            for part in &c.0 {
                draw_feature(pixmap, part, fill, style, viewport, stats);
            }
        }
    }
}

fn for_each_polygon(g: &Geometry<f64>, f: &mut impl FnMut(&Polygon<f64>)) {
    match g {
        Geometry::Polygon(p) => f(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut *f),
        Geometry::Rect(r) => f(&r.to_polygon()),
        Geometry::Triangle(t) => f(&t.to_polygon()),
        _ => {}
    }
}

/// Adds a ring or line, skipping vertices within half a pixel of the last kept one.
fn add_ring(pb: &mut PathBuilder, line: &LineString<f64>, viewport: &Viewport, close: bool) {
    let mut last: Option<[f32; 2]> = None;
    for c in &line.0 {
        let s = viewport.screen_from_mercator([c.x, c.y]);
        match last {
            None => pb.move_to(s[0], s[1]),
            Some(l) if (s[0] - l[0]).abs() < 0.5 && (s[1] - l[1]).abs() < 0.5 => continue,
            Some(_) => pb.line_to(s[0], s[1]),
        }
        last = Some(s);
    }
    if close && last.is_some() {
        pb.close();
    }
}
