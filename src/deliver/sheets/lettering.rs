//! All text of one sheet goes through here, so every character the font lacks is caught
//! and reported with the text it belongs to — a reviewer must never receive a sheet with a
//! village name silently missing a character.

use std::collections::BTreeSet;

use tiny_skia::Pixmap;

use crate::model::Rgba;
use crate::render::{Anchor, Font};

/// The sheet's font and what it could not draw.
#[derive(Debug)]
pub struct Lettering {
    font: Font,
    /// Lines of the report: the text and the characters missing from it.
    missing: BTreeSet<String>,
}

impl Lettering {
    /// Lettering with the bundled font and nothing missing yet.
    pub fn new() -> Lettering {
        Lettering {
            font: Font::bundled(),
            missing: BTreeSet::new(),
        }
    }

    /// Width and height of `text` at `size` pixels.
    pub fn measure(&self, text: &str, size: f32) -> (f32, f32) {
        self.font.measure(text, size)
    }

    /// Draws `text` (see [`Font::draw`]), noting any character the font lacks.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        pixmap: &mut Pixmap,
        text: &str,
        at: (f32, f32),
        size: f32,
        colour: Rgba,
        anchor: Anchor,
        halo: Option<Rgba>,
    ) {
        let missing = self.font.missing(text);
        if !missing.is_empty() {
            let chars: String = missing.iter().collect();
            self.missing.insert(format!(
                "“{text}”: 字体缺少字符 glyphs missing from the font: {chars}"
            ));
        }
        self.font.draw(pixmap, text, at, size, colour, anchor, halo);
    }

    /// What could not be drawn, one line per text.
    pub fn into_problems(self) -> Vec<String> {
        self.missing.into_iter().collect()
    }
}
