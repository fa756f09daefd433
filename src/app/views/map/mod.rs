//! The map: a `walkers` slippy map (offline by default: no tiles, nothing fetched; an
//! optional basemap from [`crate::app::basemap`]) with the cached image of the document's
//! layers, the highlight, the editor's overlay, labels, scale bar and north arrow drawn by a
//! plugin.

mod canvas;

use crate::app::basemap::BasemapTiles;
use crate::app::document::Outlines;
use crate::app::labels::{Label, place_labels};
use crate::app::map_frame::{CentreHandles, EditOverlay, MapFeedback};
use crate::app::workspace::{MapInfo, Workspace, lonlat_from_mercator};
use crate::render::Viewport;
use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Stroke, Ui, Vec2, pos2, vec2};
use walkers::{MapMemory, Plugin, Projector, lon_lat};

pub use canvas::MapCanvas;

/// Radius of the Web Mercator sphere (EPSG:3857), metres.
const MERCATOR_RADIUS: f64 = 6_378_137.0;
/// Size of a walkers tile at zoom 0 in points.
const TILE_POINTS: f64 = 256.0;

/// Web Mercator metres of a lon/lat position (the spherical formula EPSG:3857 defines).
pub fn mercator_from_lonlat(lon: f64, lat: f64) -> [f64; 2] {
    let x = MERCATOR_RADIUS * lon.to_radians();
    let y = MERCATOR_RADIUS
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    [x, y]
}

/// The walkers zoom level that shows `metres_per_point` Web Mercator metres per point.
pub fn zoom_for(metres_per_point: f64) -> f64 {
    (2.0 * std::f64::consts::PI * MERCATOR_RADIUS / (TILE_POINTS * metres_per_point)).log2()
}

struct OverlayPlugin<'a> {
    canvas: &'a mut MapCanvas,
    labels: &'a [Label],
    highlight: &'a Outlines,
    attribution: Option<&'static str>,
    edit: &'a EditOverlay,
    feedback: &'a mut MapFeedback,
}

fn draw_edit_overlay(
    painter: &egui::Painter,
    edit: &EditOverlay,
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
) {
    let red = Color32::from_rgb(220, 40, 40);
    for ring in &edit.conflicts {
        let pts: Vec<Pos2> = ring.iter().map(|m| to_screen(*m)).collect();
        if pts.len() >= 3 {
            // Overlaps may be concave: fill by fan-free outline plus translucent mesh via
            // egui's path tessellation of a closed polygon.
            painter.add(egui::Shape::Path(egui::epaint::PathShape::closed_line(
                pts,
                Stroke::new(2.0, red),
            )));
        }
    }
    if !edit.sketch.is_empty() {
        let mut pts: Vec<Pos2> = edit.sketch.iter().map(|m| to_screen(*m)).collect();
        if let Some(h) = edit.hover {
            pts.push(to_screen(h));
        }
        if pts.len() >= 3 && edit.closed {
            pts.push(pts[0]);
        }
        let stroke = Stroke::new(2.0, Color32::from_rgb(255, 120, 0));
        painter.add(egui::Shape::line(pts.clone(), stroke));
        for p in pts.iter().take(edit.sketch.len()) {
            painter.circle_filled(*p, 3.5, Color32::from_rgb(255, 120, 0));
        }
    }
    if let Some(centre) = &edit.centre {
        draw_centre_handles(painter, centre, to_screen);
    }
    let magenta = Color32::from_rgb(255, 0, 200);
    for ring in &edit.target {
        let pts: Vec<Pos2> = ring.iter().map(|m| to_screen(*m)).collect();
        painter.add(egui::Shape::line(pts.clone(), Stroke::new(2.0, magenta)));
        for p in pts.iter().skip(1) {
            painter.rect_filled(Rect::from_center_size(*p, vec2(7.0, 7.0)), 0.0, magenta);
        }
    }
    if let Some(m) = edit.snap {
        let at = to_screen(m);
        painter.rect_stroke(
            Rect::from_center_size(at, vec2(11.0, 11.0)),
            0.0,
            Stroke::new(2.0, Color32::from_rgb(255, 0, 200)),
            egui::StrokeKind::Middle,
        );
    }
    if let Some((a, b)) = edit.selecting {
        let rect = Rect::from_two_pos(to_screen(a), to_screen(b));
        let blue = Color32::from_rgb(30, 110, 230);
        painter.rect_filled(rect, 0.0, blue.gamma_multiply(0.15));
        painter.rect_stroke(rect, 0.0, Stroke::new(1.5, blue), egui::StrokeKind::Middle);
    }
    if let Some(m) = edit.marker {
        let at = to_screen(m);
        painter.circle_stroke(at, 9.0, Stroke::new(2.5, red));
        painter.line_segment(
            [at - vec2(6.0, 6.0), at + vec2(6.0, 6.0)],
            Stroke::new(2.0, red),
        );
        painter.line_segment(
            [at - vec2(6.0, -6.0), at + vec2(6.0, -6.0)],
            Stroke::new(2.0, red),
        );
    }
}

/// A corridor's centre line with a square handle on each vertex, as vertex editors show
/// them: white squares with a dark rim on a dark line, the hot one larger and filled, so
/// the one a press would take is clear before it is pressed.
fn draw_centre_handles(
    painter: &egui::Painter,
    centre: &CentreHandles,
    to_screen: &dyn Fn([f64; 2]) -> Pos2,
) {
    let dark = Color32::from_rgb(40, 40, 90);
    let hot = Color32::from_rgb(255, 120, 0);
    for (p, part) in centre.parts.iter().enumerate() {
        let pts: Vec<Pos2> = part.iter().map(|m| to_screen(*m)).collect();
        painter.add(egui::Shape::line(pts.clone(), Stroke::new(1.5, dark)));
        for (i, at) in pts.iter().enumerate() {
            if centre.hot == Some((p, i)) {
                let size = if centre.held { 12.0 } else { 11.0 };
                let rect = Rect::from_center_size(*at, vec2(size, size));
                painter.rect_filled(rect, 0.0, hot);
                painter.rect_stroke(rect, 0.0, Stroke::new(1.5, dark), egui::StrokeKind::Middle);
            } else {
                let rect = Rect::from_center_size(*at, vec2(7.0, 7.0));
                painter.rect_filled(rect, 0.0, Color32::WHITE);
                painter.rect_stroke(rect, 0.0, Stroke::new(1.5, dark), egui::StrokeKind::Middle);
            }
        }
    }
}

impl Plugin for OverlayPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let rect = response.rect;
        let ppp = ui.ctx().pixels_per_point();
        let merc = |p: Pos2| {
            let pos = projector.unproject(p.to_vec2());
            mercator_from_lonlat(pos.x(), pos.y())
        };
        let (a, b) = (merc(rect.min), merc(rect.max));
        let metres_per_point = (b[0] - a[0]) / rect.width() as f64;
        let viewport = Viewport {
            center: merc(rect.center()),
            metres_per_pixel: metres_per_point / ppp as f64,
            width: (rect.width() * ppp).round().max(1.0) as u32,
            height: (rect.height() * ppp).round().max(1.0) as u32,
        };
        self.canvas.update(ui.ctx(), viewport);
        let painter = ui.painter_at(rect);
        self.canvas.paint(&painter, rect, &viewport, ppp);

        let to_screen = |m: [f64; 2]| {
            let s = viewport.screen_from_mercator(m);
            pos2(rect.min.x + s[0] / ppp, rect.min.y + s[1] / ppp)
        };
        let highlight = Stroke::new(3.0, Color32::from_rgb(0, 200, 255));
        for ring in self.highlight {
            if let [point] = ring.as_slice() {
                painter.circle_stroke(to_screen(*point), 8.0, highlight);
                continue;
            }
            let pts: Vec<Pos2> = ring.iter().map(|m| to_screen(*m)).collect();
            painter.add(egui::Shape::line(pts, highlight));
        }
        draw_edit_overlay(&painter, self.edit, &to_screen);
        place_labels(&painter, self.labels, metres_per_point, &to_screen);

        let centre_lat = lonlat_from_mercator(viewport.center).1;
        let ground = metres_per_point * centre_lat.to_radians().cos();
        scale_bar(&painter, rect, ground);
        north_arrow(&painter, rect);
        if let Some(text) = self.attribution {
            attribution(&painter, rect, text);
        }

        self.feedback.viewport = Some(viewport);
        self.feedback.map_rect = Some(rect);
        self.feedback.ground_metres_per_point = ground;
        self.feedback.hover_mercator = response.hover_pos().map(merc);
        if response.drag_started() {
            self.feedback.drag_started_mercator = response.interact_pointer_pos().map(merc);
        }
        if response.dragged() {
            self.feedback.dragging_mercator = response.interact_pointer_pos().map(merc);
        }
        self.feedback.drag_stopped = response.drag_stopped();
        if response.secondary_clicked() {
            self.feedback.secondary_clicked_mercator = response.interact_pointer_pos().map(merc);
        }
        if response.double_clicked() {
            self.feedback.double_clicked_mercator = response.interact_pointer_pos().map(merc);
        } else if response.clicked() {
            self.feedback.clicked_mercator = response.interact_pointer_pos().map(merc);
        }
    }
}

/// A scale bar of a round length in the lower left corner.
fn scale_bar(painter: &egui::Painter, rect: Rect, ground_metres_per_point: f64) {
    let target = ground_metres_per_point * 120.0;
    let magnitude = 10f64.powf(target.log10().floor());
    let length = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|l| *l <= target)
        .unwrap_or(magnitude);
    let width = (length / ground_metres_per_point) as f32;
    let origin = pos2(rect.min.x + 16.0, rect.max.y - 20.0);
    let stroke = Stroke::new(2.0, Color32::from_gray(30));
    painter.line_segment([origin, origin + vec2(width, 0.0)], stroke);
    for x in [0.0, width] {
        painter.line_segment([origin + vec2(x, -5.0), origin + vec2(x, 0.0)], stroke);
    }
    let text = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    painter.text(
        origin + vec2(width / 2.0, -4.0),
        Align2::CENTER_BOTTOM,
        text,
        FontId::proportional(12.0),
        Color32::from_gray(30),
    );
}

/// The basemap's attribution in the lower right corner, as its terms require.
fn attribution(painter: &egui::Painter, rect: Rect, text: &str) {
    let galley = painter.layout_no_wrap(
        text.to_string(),
        FontId::proportional(11.0),
        Color32::from_gray(30),
    );
    let at = pos2(
        rect.max.x - galley.size().x - 6.0,
        rect.max.y - galley.size().y - 4.0,
    );
    painter.rect_filled(
        Rect::from_min_size(at - vec2(3.0, 1.0), galley.size() + vec2(6.0, 2.0)),
        2.0,
        Color32::from_white_alpha(200),
    );
    painter.galley(at, galley, Color32::from_gray(30));
}

/// A north arrow in the upper right corner (the map is north-up).
fn north_arrow(painter: &egui::Painter, rect: Rect) {
    let tip = pos2(rect.max.x - 28.0, rect.min.y + 18.0);
    let pts = vec![
        tip,
        tip + vec2(-8.0, 22.0),
        tip + vec2(0.0, 16.0),
        tip + vec2(8.0, 22.0),
    ];
    painter.add(egui::Shape::convex_polygon(
        pts,
        Color32::from_gray(40),
        Stroke::NONE,
    ));
    painter.text(
        tip + vec2(0.0, 26.0),
        Align2::CENTER_TOP,
        "N",
        FontId::proportional(13.0),
        Color32::from_gray(40),
    );
}

/// The map's own state: the view (zoom, centre), the cached image, the basemap tiles.
pub struct MapView {
    /// walkers' view memory.
    pub memory: MapMemory,
    /// The cached image of the static layers.
    pub canvas: MapCanvas,
    /// The basemap, when one is chosen.
    pub basemap: BasemapTiles,
}

/// Where the map starts before any project is shown: 凤庆县.
const HOME: (f64, f64) = (99.95, 24.6);

impl Default for MapView {
    fn default() -> Self {
        let mut memory = MapMemory::default();
        // Zoom 9 is always a valid walkers zoom level.
        let _ = memory.set_zoom(9.0);
        memory.center_at(lon_lat(HOME.0, HOME.1));
        MapView {
            memory,
            canvas: MapCanvas::default(),
            basemap: BasemapTiles::default(),
        }
    }
}

/// Shows the map filling `ui` with the document's layers and the editor's `overlay`, and
/// returns what happened on it; the workspace learns where the map is.
pub fn map_ui(
    ui: &mut Ui,
    ws: &mut Workspace,
    view: &mut MapView,
    overlay: &EditOverlay,
) -> MapFeedback {
    let mut feedback = MapFeedback {
        shift: ui.input(|i| i.modifiers.shift),
        ..MapFeedback::default()
    };
    match &mut ws.doc {
        Some(doc) => {
            if let Some((min, max)) = doc.take_fit() {
                fit_view(&mut view.memory, min, max, ui.available_size());
            }
            view.canvas
                .sync(doc.display(), (doc.id(), doc.display_generation()));
        }
        None => view.canvas.clear(),
    }
    let no_labels = Vec::new();
    let no_highlight = Vec::new();
    let (labels, highlight) = match &ws.doc {
        Some(doc) => (doc.labels(), doc.highlight()),
        None => (no_labels.as_slice(), &no_highlight),
    };
    view.canvas.set_transparent(view.basemap.active());
    let attribution = view.basemap.attribution();
    let plugin = OverlayPlugin {
        canvas: &mut view.canvas,
        labels,
        highlight,
        attribution,
        edit: overlay,
        feedback: &mut feedback,
    };
    // Under the tiles: missing tiles (offline, still loading) show the plain background.
    let bg = canvas::BACKGROUND.0;
    ui.painter().rect_filled(
        ui.available_rect_before_wrap(),
        0.0,
        Color32::from_rgb(bg[0], bg[1], bg[2]),
    );
    let (base, label_tiles) = view.basemap.layers();
    let mut map = walkers::Map::new(
        base.map(|t| t as &mut dyn walkers::Tiles),
        &mut view.memory,
        lon_lat(HOME.0, HOME.1),
    );
    if let Some(tiles) = label_tiles {
        map = map.with_layer(tiles, 1.0);
    }
    ui.add(
        map.double_click_to_zoom(!overlay.drawing)
            .drag_pan_buttons(if overlay.panning {
                egui::DragPanButtons::PRIMARY
            } else {
                egui::DragPanButtons::empty()
            })
            .with_plugin(plugin),
    );
    if let Some(centre) = overlay.centre.as_ref().filter(|c| c.hot.is_some()) {
        ui.ctx().set_cursor_icon(if centre.held {
            egui::CursorIcon::Grabbing
        } else {
            egui::CursorIcon::Grab
        });
    }
    if let Some(failure) = view.canvas.take_failure() {
        ws.fail(failure);
    }
    ws.map = MapInfo {
        viewport: feedback.viewport,
        rect: feedback.map_rect,
        ground_metres_per_point: feedback.ground_metres_per_point,
        hover_mercator: feedback.hover_mercator,
    };
    feedback
}

/// Centres the map on a Web Mercator box and zooms so it fits in `size` points.
pub fn fit_view(memory: &mut MapMemory, min: [f64; 2], max: [f64; 2], size: Vec2) {
    let mpp = ((max[0] - min[0]) / size.x.max(1.0) as f64)
        .max((max[1] - min[1]) / size.y.max(1.0) as f64)
        * 1.1;
    let (lon, lat) = lonlat_from_mercator([(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0]);
    memory.center_at(lon_lat(lon, lat));
    // Clamped to the zoom levels walkers accepts, so it cannot refuse.
    let _ = memory.set_zoom(zoom_for(mpp.max(0.01)).clamp(2.0, 24.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trip_and_zoom() {
        let m = mercator_from_lonlat(99.913, 24.597);
        let (lon, lat) = super::lonlat_from_mercator(m);
        assert!((lon - 99.913).abs() < 1e-9 && (lat - 24.597).abs() < 1e-9);
        let z = zoom_for(2.0 * std::f64::consts::PI * MERCATOR_RADIUS / 256.0);
        assert!(z.abs() < 1e-9);
    }
}
