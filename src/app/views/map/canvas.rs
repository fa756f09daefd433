//! The map's static layers as one cached image.
//!
//! Rendering runs on a worker thread once the view has settled; while the user pans or
//! zooms, the last image is only moved and scaled, so a frame costs the same for 100 or
//! 200 000 features. A newer view cancels a render in progress.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::jobs::Job;
use crate::model::Rgba;
use crate::render::{DisplayLayer, RenderStats, Viewport, render};
use egui::{Color32, ColorImage, Rect, TextureHandle, TextureOptions, pos2};

/// How long the view must stay still before a new image is rendered.
const SETTLE: Duration = Duration::from_millis(120);
/// Map background (no basemap).
pub const BACKGROUND: Rgba = Rgba::rgb(246, 246, 242);

/// A render on a worker; `None` when it was cancelled by a newer view.
struct RenderJob {
    viewport: Viewport,
    generation: u64,
    job: Job<Option<(ColorImage, RenderStats)>>,
}

/// The cached image of the static layers and the worker that refreshes it.
#[derive(Default)]
pub struct MapCanvas {
    layers: Vec<Arc<DisplayLayer>>,
    /// The document's display generation the layers were taken at.
    source: Option<(u64, u64)>,
    generation: u64,
    image: Option<(TextureHandle, Viewport, u64)>,
    job: Option<RenderJob>,
    wanted: Option<(Viewport, Instant)>,
    /// What the last finished render did.
    pub last_stats: RenderStats,
    /// Render with a transparent background, so a basemap shows through.
    transparent: bool,
    /// Why the last render failed, for the status line.
    failure: Option<String>,
}

impl MapCanvas {
    /// Takes the document's layers (bottom first) when they changed since last time —
    /// `source` names the document and its display generation; the next settled frame
    /// renders them.
    pub fn sync(&mut self, layers: &[Arc<DisplayLayer>], source: (u64, u64)) {
        if self.source != Some(source) {
            self.layers = layers.to_vec();
            self.source = Some(source);
            self.invalidate();
        }
    }

    /// Why the last render failed (once).
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    /// No document: nothing to draw.
    pub fn clear(&mut self) {
        self.layers.clear();
        self.source = None;
    }

    /// Renders with a transparent background (a basemap is shown) or on the plain
    /// background colour.
    pub fn set_transparent(&mut self, transparent: bool) {
        if self.transparent != transparent {
            self.transparent = transparent;
            self.invalidate();
        }
    }

    fn background(&self) -> Rgba {
        if self.transparent {
            Rgba::with_alpha(0, 0, 0, 0)
        } else {
            BACKGROUND
        }
    }

    /// Forces a new render (styles or visibility changed).
    pub fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// True while a render is running or due.
    pub fn busy(&self) -> bool {
        !self.layers.is_empty()
            && (self.job.is_some()
                || self.image.as_ref().is_none_or(|(_, v, g)| {
                    Some(*v) != self.wanted.map(|w| w.0) || *g != self.generation
                }))
    }

    /// Called every frame with the current view (physical pixels).
    pub fn update(&mut self, ctx: &egui::Context, viewport: Viewport) {
        if self.layers.is_empty() {
            // Nothing to draw: the background alone, no worker.
            self.image = None;
            self.wanted = None;
            return;
        }
        if let Some(render) = &self.job
            && let Some(result) = render.job.poll()
        {
            match result {
                Ok(Some((image, stats))) if !stats.cancelled => {
                    let texture =
                        ctx.load_texture("map-static-layers", image, TextureOptions::LINEAR);
                    self.image = Some((texture, render.viewport, render.generation));
                    self.last_stats = stats;
                }
                // Cancelled by a newer view, which renders next.
                Ok(_) => {}
                Err(e) => self.failure = Some(e.to_string()),
            }
            self.job = None;
        }
        let now = Instant::now();
        match self.wanted {
            Some((v, _)) if v == viewport => {}
            _ => self.wanted = Some((viewport, now)),
        }
        let Some((wanted, since)) = self.wanted else {
            return;
        };
        let current = self
            .image
            .as_ref()
            .is_some_and(|(_, v, g)| *v == wanted && *g == self.generation);
        if let Some(render) = &self.job
            && (render.viewport != wanted || render.generation != self.generation)
        {
            render.job.cancel();
        }
        if current || self.job.is_some() {
            if self.job.is_some() {
                ctx.request_repaint_after(Duration::from_millis(30));
            }
            return;
        }
        let waited = now.duration_since(since);
        if waited < SETTLE && self.image.is_some() {
            ctx.request_repaint_after(SETTLE - waited);
            return;
        }
        self.start(ctx, wanted);
    }

    fn start(&mut self, ctx: &egui::Context, viewport: Viewport) {
        let layers = self.layers.clone();
        let background = self.background();
        let job = Job::spawn(ctx, "render", move |progress| {
            let refs: Vec<&DisplayLayer> = layers.iter().map(|l| l.as_ref()).collect();
            let (pixmap, stats) = render(&refs, &viewport, background, progress.cancel_flag());
            Ok(pixmap.map(|p| {
                let size = [p.width() as usize, p.height() as usize];
                (ColorImage::from_rgba_premultiplied(size, p.data()), stats)
            }))
        });
        self.job = Some(RenderJob {
            viewport,
            generation: self.generation,
            job,
        });
    }

    /// Draws the cached image where it belongs in the current view. `rect` is the map's
    /// screen rectangle (points); `current` the current view in physical pixels.
    pub fn paint(
        &self,
        painter: &egui::Painter,
        rect: Rect,
        current: &Viewport,
        pixels_per_point: f32,
    ) {
        if !self.transparent {
            painter.rect_filled(
                rect,
                0.0,
                Color32::from_rgb(BACKGROUND.0[0], BACKGROUND.0[1], BACKGROUND.0[2]),
            );
        }
        let Some((texture, shown, _)) = &self.image else {
            return;
        };
        let (min, max) = shown.bounds();
        let a = current.screen_from_mercator([min[0], max[1]]);
        let b = current.screen_from_mercator([max[0], min[1]]);
        let to_points = |p: [f32; 2]| {
            pos2(
                rect.min.x + p[0] / pixels_per_point,
                rect.min.y + p[1] / pixels_per_point,
            )
        };
        let target = Rect::from_two_pos(to_points(a), to_points(b));
        painter.image(
            texture.id(),
            target,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
    }
}
