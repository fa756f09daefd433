//! Chinese text must render: the bundled GB2312 subset of Droid Sans Fallback is installed
//! as a fallback of egui's fonts, and a system CJK font (when present) after it for rarer
//! characters.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const BUNDLED_CJK: &[u8] = include_bytes!("../../../assets/fonts/DroidSansFallback-GB2312.ttf");

/// System fonts tried for characters outside the bundled subset.
const SYSTEM_CJK: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
];

/// Adds the CJK fonts to `ctx`.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "cjk-bundled".into(),
        Arc::new(FontData::from_static(BUNDLED_CJK)),
    );
    let mut names = vec!["cjk-bundled".to_string()];
    if let Some(bytes) = SYSTEM_CJK.iter().find_map(|p| std::fs::read(p).ok()) {
        fonts
            .font_data
            .insert("cjk-system".into(), Arc::new(FontData::from_owned(bytes)));
        names.push("cjk-system".into());
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        list.extend(names.iter().cloned());
    }
    ctx.set_fonts(fonts);
}
