//! Map sheets (出图): the drawings a plan is reviewed on, rendered without a window by the
//! same CPU renderer as the map window, so the CLI, the window and a batch server make
//! identical sheets.
//!
//! Every sheet carries the 图名, 图例, 比例尺 (ratio and bar), 指北针, the coordinate-system
//! note, 编制单位 and 编制日期 ([`Credits`]) and a double 图廓. The map is drawn north-up in
//! the renderer's Web Mercator plane at a scale exact at the sheet's centre (the plane's
//! scale factor there is divided out; across a county sheet it drifts by well under 1 %,
//! invisible at print resolution); coordinates are stated in the project's CGCS2000
//! Gauss-Kruger zone, which is what the data is in.
//!
//! PNG only: no PDF crate the project already carries writes vector PDF from tiny-skia,
//! and a raster inside a PDF would add nothing a reviewer cannot get from the PNG.

mod credits;
mod furniture;
mod kinds;
mod layout;
mod lettering;
mod map;
mod panel;
mod scene;

use std::io::Write;
use std::path::Path;

use tiny_skia::{Pixmap, PixmapPaint, Transform};

pub use credits::{Credits, DATE_KEY, NO_ORGANISATION, ORGANISATION_KEY};
pub use furniture::nice_scale;
pub use kinds::SheetKind;
pub use layout::Paper;

use crate::error::{Error, Result};
use crate::model::{Fill, Layer, Project, Rgba};
use crate::progress::Progress;
use crate::render::{Anchor, LegendSection, legend};
use layout::{Area, Layout};
use lettering::Lettering;

/// Default resolution: print quality.
pub const DEFAULT_DPI: u32 = 300;
/// Resolutions accepted: below 20 dpi nothing is legible, above 600 an A3 sheet needs more
/// than a gigabyte of memory.
pub const DPI_RANGE: std::ops::RangeInclusive<u32> = 20..=600;

/// What sheet to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSpec {
    /// Which of the six sheets.
    pub kind: SheetKind,
    /// 12-digit village code, for the village sheets (and only for them).
    pub village: Option<String>,
    /// Paper, landscape.
    pub paper: Paper,
    /// Dots per inch.
    pub dpi: u32,
}

/// A rendered sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The image.
    pub pixmap: Pixmap,
    /// The 图名.
    pub title: String,
    /// The scale denominator printed (1:`scale`).
    pub scale: f64,
    /// What the reviewer must be told: a character the font lacks, an empty theme layer,
    /// a legend too long for the panel. Empty for a sound sheet.
    pub problems: Vec<String>,
}

/// Renders the sheet `spec` of `project`.
///
/// Errors (nothing drawn): a resolution outside [`DPI_RANGE`], a village sheet without a
/// village or a county sheet with one, a village code not in the 行政村界 layer, a project
/// without the sheet's theme layer.
pub fn render_sheet(project: &Project, spec: &SheetSpec, progress: &dyn Progress) -> Result<Sheet> {
    if !DPI_RANGE.contains(&spec.dpi) {
        return Err(Error::Invalid(format!(
            "--dpi {}: use {} to {}",
            spec.dpi,
            DPI_RANGE.start(),
            DPI_RANGE.end()
        )));
    }
    let layout = Layout::new(spec.paper, spec.dpi);
    let scene = scene::gather(project, spec.kind, spec.village.as_deref(), &layout)?;
    progress.begin(
        &format!("出图 {}", scene.title),
        scene.layers.len() as u64 + 2,
    );
    let mut lettering = Lettering::new();
    let map = map::draw(
        &scene,
        project.crs,
        &layout,
        spec.kind.labels(),
        &mut lettering,
        progress,
    )?;
    let mut sheet = Pixmap::new(layout.width, layout.height).ok_or_else(|| {
        Error::Invalid(format!(
            "cannot make a {}×{} image",
            layout.width, layout.height
        ))
    })?;
    sheet.fill(tiny_skia::Color::WHITE);
    sheet.draw_pixmap(
        layout.map.x as i32,
        layout.map.y as i32,
        map.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    progress.advance(1);
    furniture::frame(&mut sheet, &layout);
    lettering.draw(
        &mut sheet,
        &scene.title,
        (
            layout.title.x + layout.title.w / 2.0,
            layout.title.y + layout.title.h / 2.0,
        ),
        layout.mm(8.0),
        Rgba::rgb(0, 0, 0),
        Anchor::Center,
        None,
    );
    let arrow = layout.mm(18.0);
    furniture::north_arrow(
        &mut sheet,
        &mut lettering,
        (
            layout.map.x + layout.map.w - layout.mm(10.0),
            layout.map.y + layout.mm(4.0),
        ),
        arrow,
    );
    let mut problems = scene.problems.clone();
    let foot = panel_foot(&mut sheet, &mut lettering, &layout, &scene, project);
    let sections = legend_sections(&scene.layers);
    let legend_area = Area {
        h: foot - layout.panel.y - layout.mm(4.0),
        ..layout.panel
    };
    let left_out = panel::legend(&mut sheet, &mut lettering, &layout, legend_area, &sections);
    if left_out > 0 {
        problems.push(format!(
            "the legend has {left_out} more entries than the panel holds; they are not shown"
        ));
    }
    problems.extend(lettering.into_problems());
    progress.advance(1);
    progress.finish();
    Ok(Sheet {
        pixmap: sheet,
        title: scene.title,
        scale: scene.scale,
        problems,
    })
}

/// The foot of the panel, bottom up: credits, coordinate system, notes, then the 比例尺
/// above them. Returns the top of what was drawn.
fn panel_foot(
    sheet: &mut Pixmap,
    lettering: &mut Lettering,
    layout: &Layout,
    scene: &scene::Scene,
    project: &Project,
) -> f32 {
    let credits = Credits::of(project);
    let crs = project.crs;
    let mut lines = scene.notes.clone();
    if project.settings.synthetic {
        lines.push("注：合成示例数据，非真实调查成果".into());
    }
    lines.extend([
        "坐标系：2000国家大地坐标系（CGCS2000）".to_string(),
        format!(
            "投影：高斯-克吕格 3度带，中央经线东经{}度（EPSG:{}）",
            crs.central_meridian(),
            crs.epsg()
        ),
        format!("编制单位：{}", credits.organisation),
        format!("编制日期：{}", credits.date),
    ]);
    let notes_top = panel::notes(sheet, lettering, layout, layout.panel, &lines);
    let bar_h = layout.mm(14.0);
    let bar_top = notes_top - bar_h - layout.mm(3.0);
    furniture::scale_bar(
        sheet,
        lettering,
        layout,
        Area {
            x: layout.panel.x + layout.mm(2.0),
            y: bar_top,
            w: layout.panel.w - layout.mm(8.0),
            h: bar_h,
        },
        scene.scale,
        scene.ground_metres_per_pixel,
    );
    bar_top
}

/// The legend of the drawn layers that have features on the sheet, topmost first, with
/// coded values named: a `…DM` class field shows the name its layer keeps in the matching
/// `…MC` field (`0101 一般生态空间`).
fn legend_sections(layers: &[std::sync::Arc<Layer>]) -> Vec<panel::Section> {
    legend(layers)
        .into_iter()
        .zip(layers.iter().rev())
        .filter(|(section, layer)| !section.items.is_empty() && !layer.features().is_empty())
        .map(|(section, layer)| panel::Section {
            legend: named_codes(section, layer),
            kind: layer.geometry_kind,
            stroke_px: layer.style.stroke_width,
        })
        .collect()
}

fn named_codes(mut section: LegendSection, layer: &Layer) -> LegendSection {
    let Fill::ByValue { field, .. } = &layer.style.fill else {
        return section;
    };
    let Some(name_field) = field
        .strip_suffix("DM")
        .map(|stem| format!("{stem}MC"))
        .and_then(|f| layer.field_index(&f))
    else {
        return section;
    };
    let Some(code_field) = layer.field_index(field) else {
        return section;
    };
    for item in &mut section.items {
        let name = layer.features().iter().find_map(|f| {
            (f.attributes[code_field].as_text()?.as_ref() == item.label)
                .then(|| f.attributes[name_field].as_text())
                .flatten()
        });
        if let Some(name) = name {
            item.label = format!("{} {}", item.label, name);
        }
    }
    section
}

/// Writes the sheet as PNG, atomically: a temporary file beside `path` renamed over it once
/// complete, so a reviewer never opens half a sheet.
pub fn save_png(sheet: &Sheet, path: &Path) -> Result<()> {
    let bytes = sheet
        .pixmap
        .encode_png()
        .map_err(|e| Error::write(path, format!("PNG encoding failed: {e}")))?;
    let temp = crate::io::temporary_save_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&temp, e))?;
        std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
