//! The map: a `walkers` slippy map (offline by default: no tiles, nothing fetched; an optional
//! basemap from [`super::basemap`]) with our cached layer image, labels, scale bar and north arrow drawn by a plugin.

use crate::crs::Transformer;
use crate::render::Viewport;
use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Stroke, Ui, Vec2, pos2, vec2};
use walkers::{MapMemory, Plugin, Position, Projector, lon_lat};

use super::canvas::MapCanvas;
use super::labels::{Label, place_labels};

/// Radius of the Web Mercator sphere (EPSG:3857), metres.
const MERCATOR_RADIUS: f64 = 6_378_137.0;
/// Size of a walkers tile at zoom 0 in points.
const TILE_POINTS: f64 = 256.0;
/// Nominal size of one point on screen, metres (96 dpi).
const METRES_PER_POINT: f64 = 0.0254 / 96.0;

/// Web Mercator metres of a lon/lat position (the spherical formula EPSG:3857 defines).
pub fn mercator_from_lonlat(lon: f64, lat: f64) -> [f64; 2] {
    let x = MERCATOR_RADIUS * lon.to_radians();
    let y = MERCATOR_RADIUS
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    [x, y]
}

/// Lon/lat of Web Mercator metres.
pub fn lonlat_from_mercator(m: [f64; 2]) -> (f64, f64) {
    let lon = (m[0] / MERCATOR_RADIUS).to_degrees();
    let lat =
        (2.0 * (m[1] / MERCATOR_RADIUS).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lon, lat)
}

/// The walkers zoom level that shows `metres_per_point` Web Mercator metres per point.
pub fn zoom_for(metres_per_point: f64) -> f64 {
    (2.0 * std::f64::consts::PI * MERCATOR_RADIUS / (TILE_POINTS * metres_per_point)).log2()
}

/// What the map reports back to the window each frame.
#[derive(Debug, Default, Clone)]
pub struct MapFeedback {
    /// Pointer position in Web Mercator, when over the map.
    pub hover_mercator: Option<[f64; 2]>,
    /// A primary click (not a drag) on the map, Web Mercator.
    pub clicked_mercator: Option<[f64; 2]>,
    /// A double click on the map, Web Mercator (finishes a sketch).
    pub double_clicked_mercator: Option<[f64; 2]>,
    /// A secondary (right) click on the map, Web Mercator.
    pub secondary_clicked_mercator: Option<[f64; 2]>,
    /// Where a primary drag started this frame, Web Mercator.
    pub drag_started_mercator: Option<[f64; 2]>,
    /// The pointer while dragging, Web Mercator.
    pub dragging_mercator: Option<[f64; 2]>,
    /// A drag ended this frame.
    pub drag_stopped: bool,
    /// The current view in physical pixels.
    pub viewport: Option<Viewport>,
    /// Ground metres per point at the view centre (for the scale).
    pub ground_metres_per_point: f64,
    /// The map's rectangle on screen (points).
    pub map_rect: Option<Rect>,
}

struct OverlayPlugin<'a> {
    canvas: &'a mut MapCanvas,
    labels: &'a [Label],
    highlight: &'a [Vec<Vec<[f64; 2]>>],
    attribution: Option<&'static str>,
    edit: &'a EditOverlay,
    feedback: &'a mut MapFeedback,
}

/// What the editor draws live over the map (Web Mercator): the sketch (with the pointer as
/// its next vertex), its conflict overlaps, and the marker of a refused geometry.
#[derive(Debug, Default, Clone)]
pub struct EditOverlay {
    pub sketch: Vec<[f64; 2]>,
    pub conflicts: Vec<Vec<[f64; 2]>>,
    pub marker: Option<[f64; 2]>,
    pub hover: Option<[f64; 2]>,
    /// Where the pointer snaps (a vertex or an edge of a visible layer).
    pub snap: Option<[f64; 2]>,
    /// The feature being vertex-edited: its rings (with the dragged vertex moved).
    pub target: Vec<Vec<[f64; 2]>>,
    /// The sketch is a polygon (closed back to its first vertex), not a line.
    pub closed: bool,
    /// A box selection being dragged: two opposite corners.
    pub selecting: Option<([f64; 2], [f64; 2])>,
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
        for ring_set in self.highlight {
            for ring in ring_set {
                if let [point] = ring.as_slice() {
                    painter.circle_stroke(to_screen(*point), 8.0, highlight);
                    continue;
                }
                let pts: Vec<Pos2> = ring.iter().map(|m| to_screen(*m)).collect();
                painter.add(egui::Shape::line(pts, highlight));
            }
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

/// Everything the map needs from the window for one frame.
pub struct MapInputs<'a> {
    pub memory: &'a mut MapMemory,
    pub canvas: &'a mut MapCanvas,
    pub labels: &'a [Label],
    pub highlight: &'a [Vec<Vec<[f64; 2]>>],
    pub basemap: &'a mut super::basemap::BasemapTiles,
    pub edit: &'a EditOverlay,
    /// A sketch is being drawn: double clicks finish it instead of zooming.
    pub drawing: bool,
    /// Dragging pans the map (off while a vertex is dragged).
    pub panning: bool,
}

/// Shows the map filling `ui` and returns what happened on it.
pub fn map_ui(ui: &mut Ui, inputs: MapInputs<'_>, home: Position) -> MapFeedback {
    let mut feedback = MapFeedback::default();
    inputs.canvas.set_transparent(inputs.basemap.active());
    let attribution = inputs.basemap.attribution();
    let plugin = OverlayPlugin {
        canvas: inputs.canvas,
        labels: inputs.labels,
        highlight: inputs.highlight,
        attribution,
        edit: inputs.edit,
        feedback: &mut feedback,
    };
    // Under the tiles: missing tiles (offline, still loading) show the plain background.
    let bg = super::canvas::BACKGROUND.0;
    ui.painter().rect_filled(
        ui.available_rect_before_wrap(),
        0.0,
        Color32::from_rgb(bg[0], bg[1], bg[2]),
    );
    let (base, labels) = inputs.basemap.layers();
    let mut map = walkers::Map::new(
        base.map(|t| t as &mut dyn walkers::Tiles),
        inputs.memory,
        home,
    );
    if let Some(labels) = labels {
        map = map.with_layer(labels, 1.0);
    }
    ui.add(
        map.double_click_to_zoom(!inputs.drawing)
            .drag_pan_buttons(if inputs.panning {
                egui::DragPanButtons::PRIMARY
            } else {
                egui::DragPanButtons::empty()
            })
            .with_plugin(plugin),
    );
    feedback
}

/// Centres the map on a Web Mercator box and zooms so it fits in `size` points.
pub fn fit_view(memory: &mut MapMemory, min: [f64; 2], max: [f64; 2], size: Vec2) {
    let mpp = ((max[0] - min[0]) / size.x.max(1.0) as f64)
        .max((max[1] - min[1]) / size.y.max(1.0) as f64)
        * 1.1;
    let (lon, lat) = lonlat_from_mercator([(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0]);
    memory.center_at(lon_lat(lon, lat));
    let _ = memory.set_zoom(zoom_for(mpp.max(0.01)).clamp(2.0, 24.0));
}

/// Map scale denominator for a ground resolution (1 : N at 96 dpi).
pub fn scale_denominator(ground_metres_per_point: f64) -> f64 {
    ground_metres_per_point / METRES_PER_POINT
}

/// Converts a Web Mercator point to lon/lat and working-CRS x/y for the status bar.
pub fn describe_position(
    m: [f64; 2],
    gk_from_lonlat: Option<&Transformer>,
) -> (f64, f64, Option<(f64, f64)>) {
    let (lon, lat) = lonlat_from_mercator(m);
    let gk = gk_from_lonlat.and_then(|t| t.transform_point(lon, lat).ok());
    (lon, lat, gk)
}

/// The lon/lat → working CRS transformer, if PROJ can build it.
pub fn gk_transformer(crs: crate::crs::WorkingCrs) -> Option<Transformer> {
    Transformer::gk_from_lonlat(crs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trip_and_zoom() {
        let m = mercator_from_lonlat(99.913, 24.597);
        let (lon, lat) = lonlat_from_mercator(m);
        assert!((lon - 99.913).abs() < 1e-9 && (lat - 24.597).abs() < 1e-9);
        let z = zoom_for(2.0 * std::f64::consts::PI * MERCATOR_RADIUS / 256.0);
        assert!(z.abs() < 1e-9);
    }
}
