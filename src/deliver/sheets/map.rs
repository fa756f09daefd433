//! The map image of a sheet: the layers through the shared renderer, everything outside
//! the place washed pale (a village plan is about its village; the neighbours stay as
//! context), the place's boundary drawn strong, and the names written with a halo.

use std::sync::atomic::AtomicBool;

use geo::{Contains, Geometry, InteriorPoint, LineString};
use tiny_skia::{FillRule, Paint, Path, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform};

use super::layout::Layout;
use super::lettering::Lettering;
use super::scene::Scene;
use crate::crs::{Transformer, epsg_srs};
use crate::error::{Error, Result};
use crate::model::{Layer, LayerRole, Rgba};
use crate::progress::Progress;
use crate::render::{Anchor, DisplayLayer, EPSG_WEB_MERCATOR, Viewport, render};

const WHITE: Rgba = Rgba::rgb(255, 255, 255);
/// Opacity of the wash outside the place.
const WASH_ALPHA: u8 = 150;

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    let [r, g, b, a] = c.0;
    p.set_color_rgba8(r, g, b, a);
    p.anti_alias = true;
    p
}

/// Draws the scene's map, `layout.map` in size.
pub fn draw(
    scene: &Scene,
    project_crs: crate::crs::WorkingCrs,
    layout: &Layout,
    label: (LayerRole, &str),
    lettering: &mut Lettering,
    progress: &dyn Progress,
) -> Result<Pixmap> {
    let viewport = Viewport {
        center: scene.centre_mercator,
        metres_per_pixel: scene.ground_metres_per_pixel * scene.mercator_factor,
        width: layout.map.w as u32,
        height: layout.map.h as u32,
    };
    let mut display = Vec::with_capacity(scene.layers.len());
    for layer in &scene.layers {
        display.push(DisplayLayer::prepare(layer, project_crs)?);
        progress.advance(1);
    }
    let refs: Vec<&DisplayLayer> = display.iter().collect();
    let (map, _) = render(&refs, &viewport, WHITE, &AtomicBool::new(false));
    let mut map = map.ok_or_else(|| {
        Error::Invalid(format!(
            "cannot make a {}×{} map image",
            viewport.width, viewport.height
        ))
    })?;
    let to_mercator = Transformer::new(&project_crs.spatial_ref()?, &epsg_srs(EPSG_WEB_MERCATOR)?)?;
    if let Some(focus) = &scene.focus {
        let mut projected = focus.clone();
        to_mercator.transform_geometry(&mut projected)?;
        if let Some(outline) = polygon_path(&projected, &viewport) {
            wash_outside(&mut map, &outline);
            let stroke = Stroke {
                width: layout.mm(0.7),
                ..Stroke::default()
            };
            map.stroke_path(
                &outline,
                &paint(Rgba::rgb(30, 30, 30)),
                &stroke,
                Transform::identity(),
                None,
            );
        }
    }
    let labels = scene.layers.iter().find(|l| l.role == label.0);
    if let Some(layer) = labels {
        write_names(
            &mut map,
            layer,
            label.1,
            scene.focus.as_ref(),
            &to_mercator,
            &viewport,
            layout,
            lettering,
        )?;
    }
    Ok(map)
}

/// A path of every ring of the (multi)polygon, in image pixels.
fn polygon_path(g: &Geometry<f64>, viewport: &Viewport) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let mut ring = |line: &LineString<f64>| {
        for (i, c) in line.0.iter().enumerate() {
            let [x, y] = viewport.screen_from_mercator([c.x, c.y]);
            if i == 0 {
                pb.move_to(x, y);
            } else {
                pb.line_to(x, y);
            }
        }
        pb.close();
    };
    match g {
        Geometry::Polygon(p) => {
            ring(p.exterior());
            p.interiors().iter().for_each(&mut ring);
        }
        Geometry::MultiPolygon(m) => {
            for p in &m.0 {
                ring(p.exterior());
                p.interiors().iter().for_each(&mut ring);
            }
        }
        _ => return None,
    }
    pb.finish()
}

/// Pales everything outside `outline`: a white wash with the place cut out of it.
fn wash_outside(map: &mut Pixmap, outline: &Path) {
    let (w, h) = (map.width() as f32, map.height() as f32);
    let mut wash = Pixmap::new(map.width(), map.height());
    let Some(wash) = wash.as_mut() else { return };
    if let Some(rect) = Rect::from_xywh(0.0, 0.0, w, h) {
        wash.fill_rect(
            rect,
            &paint(Rgba::with_alpha(255, 255, 255, WASH_ALPHA)),
            Transform::identity(),
            None,
        );
    }
    // Clear the place: drawing its shape with the Clear blend mode punches it out.
    let mut clear = paint(WHITE);
    clear.blend_mode = tiny_skia::BlendMode::Clear;
    wash.fill_path(
        outline,
        &clear,
        FillRule::EvenOdd,
        Transform::identity(),
        None,
    );
    map.draw_pixmap(
        0,
        0,
        wash.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
}

/// Writes the names of `layer`'s features (field `field`) that lie in the place, skipping
/// any that would overlap a name already written.
#[allow(clippy::too_many_arguments)]
fn write_names(
    map: &mut Pixmap,
    layer: &Layer,
    field: &str,
    focus: Option<&Geometry<f64>>,
    to_mercator: &Transformer,
    viewport: &Viewport,
    layout: &Layout,
    lettering: &mut Lettering,
) -> Result<()> {
    let size = if layer.role == LayerRole::Township {
        layout.mm(4.2)
    } else {
        layout.mm(2.8)
    };
    let Some(col) = layer.field_index(field) else {
        return Ok(());
    };
    let mut placed: Vec<[f32; 4]> = Vec::new();
    for f in layer.features() {
        let (Some(g), Some(name)) = (&f.geometry, f.attributes[col].as_text()) else {
            continue;
        };
        let Some(at) = g.interior_point() else {
            continue;
        };
        if focus.is_some_and(|focus| !focus.contains(&at)) {
            continue;
        }
        let (x, y) = to_mercator.transform_point(at.x(), at.y())?;
        let [sx, sy] = viewport.screen_from_mercator([x, y]);
        let is_point = matches!(g, Geometry::Point(_) | Geometry::MultiPoint(_));
        // Point names sit just above their dot; area names on their interior point.
        let (w, h) = lettering.measure(&name, size);
        let centre = if is_point {
            (sx, sy - h * 0.9)
        } else {
            (sx, sy)
        };
        let rect = [centre.0 - w / 2.0, centre.1 - h / 2.0, w, h];
        let inside = rect[0] >= 0.0
            && rect[1] >= 0.0
            && rect[0] + w <= viewport.width as f32
            && rect[1] + h <= viewport.height as f32;
        if !inside || placed.iter().any(|p| overlaps(p, &rect)) {
            continue;
        }
        placed.push(rect);
        lettering.draw(
            map,
            &name,
            centre,
            size,
            Rgba::rgb(20, 20, 20),
            Anchor::Center,
            Some(WHITE),
        );
    }
    Ok(())
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}
