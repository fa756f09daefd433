//! Where things go on the paper: the 图廓 (a thick outer and a thin inner line), the 图名
//! band above the map, the map itself and the side panel (图例, 比例尺, notes) on the right.
//!
//! Everything is measured in millimetres of an A3 landscape sheet and scaled with the
//! paper, so an A4 sheet is the same drawing reduced (as a plotter would print it) rather
//! than a different arrangement to review.

use std::fmt;

/// Millimetres per inch, to turn paper sizes into pixels at a resolution.
const MM_PER_INCH: f64 = 25.4;
/// Width of the A3 sheet every measure here is given for.
const A3_WIDTH_MM: f64 = 420.0;

/// The paper of a sheet, landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// 420 × 297 mm, the usual size of a village plan's drawings.
    #[default]
    A3,
    /// 297 × 210 mm.
    A4,
}

impl Paper {
    /// `A3` or `A4` (any case).
    pub fn parse(text: &str) -> Option<Paper> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A3" => Some(Paper::A3),
            "A4" => Some(Paper::A4),
            _ => None,
        }
    }

    /// Width and height in millimetres, landscape.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A3 => (420.0, 297.0),
            Paper::A4 => (297.0, 210.0),
        }
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Paper::A3 => "A3",
            Paper::A4 => "A4",
        })
    }
}

/// A box on the sheet in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Area {
    /// The box `d` pixels smaller on every side.
    pub fn inset(self, d: f32) -> Area {
        Area {
            x: self.x + d,
            y: self.y + d,
            w: (self.w - 2.0 * d).max(0.0),
            h: (self.h - 2.0 * d).max(0.0),
        }
    }
}

/// The sheet's arrangement at one paper size and resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Dots per inch.
    pub dpi: u32,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Pixels per millimetre of the A3 drawing (paper scale included).
    px_per_mm: f64,
    /// The thick outer line of the 图廓.
    pub outer: Area,
    /// The thin inner line of the 图廓.
    pub inner: Area,
    /// The 图名 band at the top, inside the frame.
    pub title: Area,
    /// The map (whole pixels: it is rendered as its own image and pasted).
    pub map: Area,
    /// The side panel: 图例, 比例尺, notes.
    pub panel: Area,
}

impl Layout {
    /// The arrangement of `paper` at `dpi`.
    pub fn new(paper: Paper, dpi: u32) -> Layout {
        let (w_mm, h_mm) = paper.size_mm();
        let px_per_mm = dpi as f64 / MM_PER_INCH;
        let width = (w_mm * px_per_mm).round() as u32;
        let height = (h_mm * px_per_mm).round() as u32;
        let px_per_mm = px_per_mm * w_mm / A3_WIDTH_MM;
        let mm = |v: f64| (v * px_per_mm) as f32;
        let page = Area {
            x: 0.0,
            y: 0.0,
            w: width as f32,
            h: height as f32,
        };
        let outer = page.inset(mm(10.0));
        let inner = outer.inset(mm(2.5));
        let content = inner.inset(mm(4.0));
        let title = Area {
            h: mm(16.0),
            ..content
        };
        let body_top = title.y + title.h + mm(2.0);
        let body_h = content.y + content.h - body_top;
        let panel_w = mm(86.0);
        let gap = mm(4.0);
        let map = Area {
            x: content.x.round(),
            y: body_top.round(),
            w: (content.w - panel_w - gap).floor(),
            h: body_h.floor(),
        };
        let panel = Area {
            x: map.x + map.w + gap,
            y: body_top,
            w: panel_w,
            h: body_h,
        };
        Layout {
            dpi,
            width,
            height,
            px_per_mm,
            outer,
            inner,
            title,
            map,
            panel,
        }
    }

    /// `v` millimetres of the A3 drawing in pixels.
    pub fn mm(&self, v: f64) -> f32 {
        (v * self.px_per_mm) as f32
    }

    /// Ground metres one pixel of the image covers at the scale 1:`denominator` (on the
    /// paper actually printed, not the A3 drawing).
    pub fn ground_metres_per_pixel(&self, denominator: f64) -> f64 {
        denominator * MM_PER_INCH / 1000.0 / self.dpi as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a3_at_300_dpi_and_the_parts_inside_the_frame() {
        let l = Layout::new(Paper::A3, 300);
        assert_eq!((l.width, l.height), (4961, 3508));
        let inside = |a: Area| {
            a.x >= l.inner.x
                && a.y >= l.inner.y
                && a.x + a.w <= l.inner.x + l.inner.w
                && a.y + a.h <= l.inner.y + l.inner.h
        };
        assert!(inside(l.title) && inside(l.map) && inside(l.panel));
        assert!(
            l.map.x + l.map.w < l.panel.x,
            "map and panel do not overlap"
        );
        // 1:10 000 at 300 dpi: 0.0847 mm per pixel on paper, 0.847 m on the ground.
        assert!((l.ground_metres_per_pixel(10_000.0) - 0.8467).abs() < 1e-3);
        let a4 = Layout::new(Paper::A4, 300);
        assert_eq!((a4.width, a4.height), (3508, 2480));
        assert!((a4.mm(10.0) / l.mm(10.0) - 297.0 / 420.0).abs() < 1e-4);
    }
}
