//! Text drawn into an image without a window: map-sheet titles, legends and labels.
//!
//! The bundled Droid Sans Fallback subset (GB 2312 plus every 凤庆 place name, see
//! `assets/fonts/README.md`) is the one font, so a sheet looks the same on every machine
//! and needs no system font. A character the font lacks is never drawn as a box: it is
//! left out and [`Font::missing`] names it, so the caller can report it.
//!
//! The font is a CJK fallback: it has no Latin letters or digits of its own, only their
//! full-width forms (GB 2312 row 3). Printable ASCII is therefore drawn with the full-width
//! glyph narrowed and spaced by its ink, which reads as ordinary Latin text in a ratio like
//! 1:10000 or an EPSG code.

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
const NARROW: f32 = 0.8;
/// Space between substituted characters, as a fraction of the text height.
const GAP: f32 = 0.09;
/// Width of an ASCII space, as a fraction of the text height.
const SPACE: f32 = 0.3;
/// Width left for a character the font lacks, as a fraction of the text height.
const MISSING: f32 = 0.5;

/// One character as set: its glyph, the scale, where its drawing starts relative to the
/// pen, and how far the pen moves.
struct Placed {
    glyph: Option<GlyphId>,
    scale: PxScale,
    offset: f32,
    advance: f32,
}

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
            if !c.is_whitespace() && self.place(c, 1.0).glyph.is_none() && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// How `c` is set at `size`; `None` glyph for a space or a character the font lacks.
    fn place(&self, c: char, size: f32) -> Placed {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let blank = |advance: f32| Placed {
            glyph: None,
            scale: PxScale::from(size),
            offset: 0.0,
            advance,
        };
        if c == ' ' {
            return blank(size * SPACE);
        }
        let own = self.font.glyph_id(c);
        if own != GlyphId(0) {
            return Placed {
                glyph: Some(own),
                scale: PxScale::from(size),
                offset: 0.0,
                advance: scaled.h_advance(own),
            };
        }
        let substitute = match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0)
                .map(|fw| self.font.glyph_id(fw))
                .filter(|&id| id != GlyphId(0)),
            _ => None,
        };
        let Some(id) = substitute else {
            return blank(size * MISSING);
        };
        // The full-width form sits centred in a square cell: narrow it and space it by its
        // ink, so `1:10000` reads as Latin digits rather than a row of spaced boxes.
        let factor = scaled.h_scale_factor() * NARROW;
        let gap = size * GAP;
        let (ink_left, ink_width) = self
            .font
            .outline(id)
            .map(|o| (o.bounds.min.x * factor, o.bounds.width() * factor))
            .unwrap_or((0.0, size * NARROW / 2.0));
        Placed {
            glyph: Some(id),
            scale: PxScale {
                x: size * NARROW,
                y: size,
            },
            offset: gap / 2.0 - ink_left,
            advance: ink_width + gap,
        }
    }

    /// Width and height in pixels of `text` set `size` pixels high.
    pub fn measure(&self, text: &str, size: f32) -> (f32, f32) {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let width = text.chars().map(|c| self.place(c, size).advance).sum();
        (width, scaled.height())
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
            let placed = self.place(ch, size);
            let pen = x;
            x += placed.advance;
            // A space, or missing: the space is kept, nothing drawn (the caller reports it).
            let Some(id) = placed.glyph else { continue };
            let glyph =
                id.with_scale_and_position(placed.scale, point(pen + placed.offset, baseline));
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
        assert!((30.0..50.0).contains(&w), "two full-width characters: {w}");
        let (digits, _) = font.measure("10", 24.0);
        assert!(
            digits < w * 0.75,
            "two digits narrower than two 村: {digits} vs {w}"
        );
    }
}
