//! The status bar: progress of a load, the last message or error, the pointer in lon/lat and
//! Gauss-Kruger X/Y, the scale 1:N and the working CRS.

use egui::Ui;
use rust_i18n::t;

use crate::app::workspace::{MapInfo, Workspace, lonlat_from_mercator};

/// Nominal size of one point on screen, metres (96 dpi).
const METRES_PER_POINT: f64 = 0.0254 / 96.0;

/// Map scale denominator for a ground resolution (1 : N at 96 dpi).
pub fn scale_denominator(ground_metres_per_point: f64) -> f64 {
    ground_metres_per_point / METRES_PER_POINT
}

/// The bar at the bottom; `rendering` while the map's image is being redrawn.
pub fn status_bar(ui: &mut Ui, ws: &Workspace, rendering: bool) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some((what, (fraction, task))) = ws.loading() {
                ui.label(t!("app.loading", what = what));
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(200.0)
                        .text(task),
                );
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            if let Some(e) = &ws.status.error {
                ui.colored_label(egui::Color32::RED, e);
                ui.separator();
            } else if ws.saving() {
                ui.label(t!("save.saving"));
                ui.separator();
            } else if let Some(m) = &ws.status.message {
                ui.label(m);
                ui.separator();
            }
            if let Some(m) = ws.map.hover_mercator {
                let (lon, lat) = lonlat_from_mercator(m);
                ui.label(format!("{} {lon:.6}°E {lat:.6}°N", t!("status.lonlat")));
                if let Some(c) = ws
                    .doc
                    .as_ref()
                    .and_then(|d| MapInfo::gk_from_mercator(d, m))
                {
                    ui.separator();
                    ui.label(format!("{} X {:.1} Y {:.1}", t!("status.gk"), c.x, c.y));
                }
            }
            ui.separator();
            let n = scale_denominator(ws.map.ground_metres_per_point);
            if n.is_finite() && n > 0.0 {
                ui.label(format!("{} 1:{:.0}", t!("status.scale"), n));
            }
            if let Some(doc) = &ws.doc {
                ui.separator();
                ui.label(format!(
                    "{} {}",
                    t!("status.crs"),
                    doc.project().crs.label()
                ));
            }
            if rendering {
                ui.separator();
                ui.label(t!("status.rendering"));
            }
        });
    });
}
