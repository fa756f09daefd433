//! Text drawn into an image without a window: map-sheet titles, legends and labels.
//!
//! The bundled Droid Sans Fallback subset (GB 2312 plus every 凤庆 place name, see
//! `assets/fonts/README.md`) is the one font, so a sheet looks the same on every machine
//! and needs no system font. A character the font lacks is never drawn as a box: it is
//! left out and [`Font::missing`] names it, so the caller can report it.
//!
//! The font is a CJK fallback: it has no Latin letters or digits of its own, only their
//! full-width forms (GB 2312 row 3). Printable ASCII is therefore drawn with the full-width
//! glyph squeezed to half its width, which reads as ordinary condensed Latin text in a
//! ratio like 1:10000 or an EPSG code.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, GlyphId, PxScale, ScaleFont, point};
use tiny_skia::{Pixmap, PremultipliedColorU8};

use crate::model::Rgba;

const BUNDLED: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback-GB2312.ttf");

/// Where a text's anchor point lies on its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The anchor is the box's top-left corner.
    TopLeft,
    /// The anchor is the middle of the box's top edge.
    TopCenter,
    /// The anchor is the box's centre.
    Center,
    /// The anchor is the box's top-right corner.
    TopRight,
}

/// Horizontal squeeze of a full-width form standing in for an ASCII character.
const HALF_WIDTH: f32 = 0.5;
/// Width of an ASCII space, as a fraction of the text height.
const SPACE: f32 = 0.3;

/// The bundled font.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    font: &'static FontRef<'static>,
}

impl Font {
    /// The bundled CJK font (parsed once).
    pub fn bundled() -> Font {
        static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
        Font {
            font: FONT.get_or_init(|| {
                FontRef::try_from_slice(BUNDLED).expect("the bundled font is a valid TrueType file")
            }),
        }
    }

    /// The characters of `text` the font has no glyph for (whitespace aside), each once.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if !c.is_whitespace() && self.glyph(c).is_none() && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The glyph that draws `c` and its horizontal squeeze (1 for the font's own glyphs);
    /// `None` when the font cannot draw it.
    fn glyph(&self, c: char) -> Option<(GlyphId, f32)> {
        let own = self.font.glyph_id(c);
        if own != GlyphId(0) {
            return Some((own, 1.0));
        }
        let full_width = match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0)?,
            _ => return None,
        };
        let id = self.font.glyph_id(full_width);
        (id != GlyphId(0)).then_some((id, HALF_WIDTH))
    }

    /// Width and height in pixels of `text` set `size` pixels high.
    pub fn measure(&self, text: &str, size: f32) -> (f32, f32) {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let width = text.chars().map(|c| self.advance(c, size)).sum();
        (width, scaled.height())
    }

    /// How far `c` moves the pen at `size` (a missing character keeps its space).
    fn advance(&self, c: char, size: f32) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(size));
        match (c, self.glyph(c)) {
            (' ', _) => size * SPACE,
            (_, Some((id, squeeze))) => scaled.h_advance(id) * squeeze,
            (_, None) => size * HALF_WIDTH,
        }
    }

    /// Draws `text` `size` pixels high in `colour` with its `anchor` at `(x, y)`. With a
    /// `halo`, a ring of that colour is drawn first so labels stay legible over any fill.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &self,
        pixmap: &mut Pixmap,
        text: &str,
        (x, y): (f32, f32),
        size: f32,
        colour: Rgba,
        anchor: Anchor,
        halo: Option<Rgba>,
    ) {
        let (w, h) = self.measure(text, size);
        let left = match anchor {
            Anchor::TopLeft => x,
            Anchor::TopCenter | Anchor::Center => x - w / 2.0,
            Anchor::TopRight => x - w,
        };
        let top = match anchor {
            Anchor::Center => y - h / 2.0,
            _ => y,
        };
        if let Some(halo) = halo {
            let r = (size / 10.0).max(1.0);
            for (dx, dy) in [
                (-r, 0.0),
                (r, 0.0),
                (0.0, -r),
                (0.0, r),
                (-r, -r),
                (r, r),
                (-r, r),
                (r, -r),
            ] {
                self.draw_run(pixmap, text, left + dx, top + dy, size, halo);
            }
        }
        self.draw_run(pixmap, text, left, top, size, colour);
    }

    fn draw_run(&self, pixmap: &mut Pixmap, text: &str, left: f32, top: f32, size: f32, c: Rgba) {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let baseline = top + scaled.ascent();
        let mut x = left;
        let (width, height) = (pixmap.width() as i32, pixmap.height() as i32);
        for ch in text.chars() {
            let advance = self.advance(ch, size);
            let Some((id, squeeze)) = self.glyph(ch).filter(|_| ch != ' ') else {
                // A space, or missing: leave the space, draw nothing (the caller reports it).
                x += advance;
                continue;
            };
            let scale = PxScale {
                x: size * squeeze,
                y: size,
            };
            let glyph = id.with_scale_and_position(scale, point(x, baseline));
            x += advance;
            let Some(outlined) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outlined.px_bounds();
            let pixels = pixmap.pixels_mut();
            outlined.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                if px < 0 || py < 0 || px >= width || py >= height {
                    return;
                }
                let i = (py * width + px) as usize;
                pixels[i] = blend(pixels[i], c, coverage);
            });
        }
    }
}

/// `colour` at `coverage` (0–1) over a premultiplied pixel.
fn blend(dst: PremultipliedColorU8, colour: Rgba, coverage: f32) -> PremultipliedColorU8 {
    let [r, g, b, a] = colour.0;
    let alpha = coverage.clamp(0.0, 1.0) * a as f32 / 255.0;
    let mix = |s: u8, d: u8| (s as f32 * alpha + d as f32 * (1.0 - alpha)).round() as u8;
    let out_a = mix(255, dst.alpha());
    // Source channels premultiplied by full alpha (the colour itself), destination as is;
    // the result stays premultiplied because every channel ≤ alpha.
    PremultipliedColorU8::from_rgba(
        mix(r, dst.red()).min(out_a),
        mix(g, dst.green()).min(out_a),
        mix(b, dst.blue()).min(out_a),
        out_a,
    )
    .unwrap_or(dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_drawn_and_unknown_characters_are_named() {
        let font = Font::bundled();
        assert!(
            font.missing("勐佑镇 凤庆县 1:10000 EPSG:4542 (CGCS2000)")
                .is_empty()
        );
        // A private-use character no font of ours has.
        assert_eq!(font.missing("村\u{E000}村\u{E000}"), vec!['\u{E000}']);
        let mut pixmap = Pixmap::new(120, 40).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        let black = Rgba::rgb(0, 0, 0);
        font.draw(
            &mut pixmap,
            "村庄",
            (60.0, 20.0),
            24.0,
            black,
            Anchor::Center,
            None,
        );
        let dark = pixmap.pixels().iter().filter(|p| p.red() < 100).count();
        assert!(dark > 50, "the glyphs cover pixels ({dark})");
        let (w, _) = font.measure("村庄", 24.0);
        assert!((40.0..56.0).contains(&w), "two full-width characters: {w}");
        let (digits, _) = font.measure("10", 24.0);
        assert!(
            (w / 2.0 - digits).abs() < 4.0,
            "two digits as wide as one 村: {digits}"
        );
    }
}
