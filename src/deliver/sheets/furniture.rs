//! The map furniture every sheet carries: the 图廓, the 指北针 and the 比例尺 (the ratio,
//! rounded up to a value a planner would choose, and a bar in metres or kilometres).

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

use super::layout::{Area, Layout};
use super::lettering::Lettering;
use crate::model::Rgba;
use crate::render::Anchor;

const INK: Rgba = Rgba::rgb(0, 0, 0);
const PAPER: Rgba = Rgba::rgb(255, 255, 255);

/// The smallest "nice" scale denominator (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 7.5 × 10ⁿ) at
/// least `needed`, so the map fits and the ratio reads like one on a planning drawing
/// (1:2000, 1:5000, 1:10000, 1:25000 …) while the place still fills the sheet.
pub fn nice_scale(needed: f64) -> f64 {
    let needed = needed.max(1.0);
    let mut power = 10f64.powi(needed.log10().floor() as i32);
    loop {
        for step in [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5] {
            let candidate = step * power;
            // A hair of tolerance: 10 000 computed as 9999.999… stays 1:10000.
            if candidate >= needed * (1.0 - 1e-9) {
                return candidate;
            }
        }
        power *= 10.0;
    }
}

/// The longest bar length (1, 2 or 5 × 10ⁿ metres) not longer than `max_m`.
pub fn bar_length(max_m: f64) -> f64 {
    let max_m = max_m.max(1.0);
    let power = 10f64.powi(max_m.log10().floor() as i32);
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|s| s * power)
        .find(|&l| l <= max_m * (1.0 + 1e-9))
        .unwrap_or(power)
}

/// `1500` → `1500 米`, `2000` → `2 千米`.
fn distance_text(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} 千米", trim(m / 1000.0))
    } else {
        format!("{} 米", trim(m))
    }
}

fn trim(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    let [r, g, b, a] = c.0;
    p.set_color_rgba8(r, g, b, a);
    p.anti_alias = true;
    p
}

/// Outlines `area` with a line `width` pixels wide.
pub fn outline(pixmap: &mut Pixmap, area: Area, width: f32) {
    if let Some(rect) = Rect::from_xywh(area.x, area.y, area.w, area.h) {
        let path = PathBuilder::from_rect(rect);
        let stroke = Stroke {
            width,
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, &paint(INK), &stroke, Transform::identity(), None);
    }
}

fn fill_rect(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, c: Rgba) {
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        pixmap.fill_rect(rect, &paint(c), Transform::identity(), None);
    }
}

/// The 图廓: a thick outer line, a thin inner one, and the map's own neat line.
pub fn frame(pixmap: &mut Pixmap, layout: &Layout) {
    outline(pixmap, layout.outer, layout.mm(1.0).max(2.0));
    outline(pixmap, layout.inner, layout.mm(0.25).max(1.0));
    outline(pixmap, layout.map, layout.mm(0.3).max(1.0));
}

/// The 指北针 with its top at `(x, y)`, `size` pixels tall: a split arrowhead (black and
/// white halves) under the letter 北. The map is drawn north-up, so it points up.
pub fn north_arrow(pixmap: &mut Pixmap, lettering: &mut Lettering, (x, y): (f32, f32), size: f32) {
    let text = size * 0.28;
    lettering.draw(
        pixmap,
        "北",
        (x, y),
        text,
        INK,
        Anchor::TopCenter,
        Some(PAPER),
    );
    let top = y + text * 1.15;
    let bottom = y + size;
    let half = size * 0.18;
    let notch = bottom - size * 0.18;
    let triangle = |pts: [(f32, f32); 3]| {
        let mut pb = PathBuilder::new();
        pb.move_to(pts[0].0, pts[0].1);
        pb.line_to(pts[1].0, pts[1].1);
        pb.line_to(pts[2].0, pts[2].1);
        pb.close();
        pb.finish()
    };
    let stroke = Stroke {
        width: (size / 60.0).max(1.0),
        ..Stroke::default()
    };
    for (pts, fill) in [
        ([(x, top), (x - half, bottom), (x, notch)], PAPER),
        ([(x, top), (x + half, bottom), (x, notch)], INK),
    ] {
        if let Some(path) = triangle(pts) {
            pixmap.fill_path(
                &path,
                &paint(fill),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            pixmap.stroke_path(&path, &paint(INK), &stroke, Transform::identity(), None);
        }
    }
}

/// The 比例尺 in `area`: the ratio `1:denominator` and below it a bar of four alternating
/// segments labelled in metres or kilometres. Returns the height used.
pub fn scale_bar(
    pixmap: &mut Pixmap,
    lettering: &mut Lettering,
    layout: &Layout,
    area: Area,
    denominator: f64,
    ground_metres_per_pixel: f64,
) -> f32 {
    let text = layout.mm(3.6);
    lettering.draw(
        pixmap,
        &format!("比例尺 1:{denominator:.0}"),
        (area.x, area.y),
        text,
        INK,
        Anchor::TopLeft,
        None,
    );
    let length_m = bar_length(area.w as f64 * 0.8 * ground_metres_per_pixel);
    let bar_px = (length_m / ground_metres_per_pixel) as f32;
    let bar_y = area.y + text * 1.6;
    let bar_h = layout.mm(1.6);
    let segment = bar_px / 4.0;
    for i in 0..4 {
        let fill = if i % 2 == 0 { INK } else { PAPER };
        fill_rect(
            pixmap,
            area.x + segment * i as f32,
            bar_y,
            segment,
            bar_h,
            fill,
        );
    }
    outline(
        pixmap,
        Area {
            x: area.x,
            y: bar_y,
            w: bar_px,
            h: bar_h,
        },
        layout.mm(0.2).max(1.0),
    );
    let label = layout.mm(2.8);
    let label_y = bar_y + bar_h + layout.mm(0.8);
    for (at, text) in [
        (0.0, "0".to_string()),
        (bar_px / 2.0, trim(length_m / 2.0 / unit(length_m))),
        (bar_px, distance_text(length_m)),
    ] {
        lettering.draw(
            pixmap,
            &text,
            (area.x + at, label_y),
            label,
            INK,
            Anchor::TopCenter,
            None,
        );
    }
    label_y + label * 1.3 - area.y
}

/// The unit the bar's labels are in: kilometres from 1 km on.
fn unit(length_m: f64) -> f64 {
    if length_m >= 1000.0 { 1000.0 } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_and_bars_round_to_planning_values() {
        assert_eq!(nice_scale(7_300.0), 7_500.0);
        assert_eq!(nice_scale(8_000.0), 10_000.0);
        assert_eq!(nice_scale(10_000.0 - 1e-7), 10_000.0);
        assert_eq!(nice_scale(10_001.0), 15_000.0);
        assert_eq!(nice_scale(21_000.0), 25_000.0);
        assert_eq!(nice_scale(26_000.0), 30_000.0);
        assert_eq!(nice_scale(610_000.0), 750_000.0);
        assert_eq!(nice_scale(760_000.0), 1_000_000.0);
        assert_eq!(bar_length(740.0), 500.0);
        assert_eq!(bar_length(1_999.0), 1_000.0);
        assert_eq!(bar_length(2_000.0), 2_000.0);
        assert_eq!(distance_text(500.0), "500 米");
        assert_eq!(distance_text(2_500.0), "2.5 千米");
    }
}
