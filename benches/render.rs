//! Map rendering benchmark: the settled image of every layer of a project at county extent
//! and at village zoom (1280 × 800 px), as the map window renders it on its worker thread.
//!
//!   cargo bench --bench render -- [PROJECT.gpkg]
//!
//! `benches/render_vs_gdal.sh` runs it next to `gdal_rasterize` on the same parcels.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use villageplan::model::Rgba;
use villageplan::render::{DisplayLayer, Viewport, render};
use villageplan::{LayerRole, Silent, io};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time_render(layers: &[&DisplayLayer], viewport: &Viewport) -> (f64, usize, usize) {
    let mut times = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..5 {
        let start = Instant::now();
        let (_, stats) = render(
            layers,
            viewport,
            Rgba::rgb(255, 255, 255),
            &AtomicBool::new(false),
        );
        times.push(start.elapsed().as_secs_f64());
        counts = (stats.shapes, stats.dots);
    }
    (median(times), counts.0, counts.1)
}

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| a.ends_with(".gpkg"))
        .unwrap_or_else(|| "sample-maps/fengqing/fengqing.gpkg".into());
    let project = match io::load_project(path.as_ref(), &Silent) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let display: Vec<DisplayLayer> = project
        .layers
        .iter()
        .filter_map(|l| DisplayLayer::prepare(l, project.crs).ok())
        .collect();
    let prepare = start.elapsed().as_secs_f64();
    let refs: Vec<&DisplayLayer> = display.iter().collect();
    let parcels = project
        .layer_by_role(LayerRole::CurrentLandUse)
        .map(|l| l.features().len())
        .unwrap_or(0);

    let (min, max) = display
        .iter()
        .filter_map(|d| d.extent())
        .reduce(|a, b| {
            (
                [a.0[0].min(b.0[0]), a.0[1].min(b.0[1])],
                [a.1[0].max(b.1[0]), a.1[1].max(b.1[1])],
            )
        })
        .expect("project has geometry");
    let county = Viewport::fit(min, max, 1280, 800, 0.02);
    let villages = display
        .iter()
        .zip(&project.layers)
        .find(|(_, l)| l.role == LayerRole::Village)
        .map(|(d, _)| d);
    let village_view = villages
        .and_then(|v| v.geometries.iter().flatten().next())
        .and_then(geo::BoundingRect::bounding_rect)
        .map(|r| {
            Viewport::fit(
                [r.min().x, r.min().y],
                [r.max().x, r.max().y],
                1280,
                800,
                0.05,
            )
        });

    println!(
        "project: {path} ({parcels} parcels, {} layers)",
        project.layers.len()
    );
    println!("prepare display layers (Web Mercator + index): {prepare:.3} s");
    let (t, shapes, dots) = time_render(&refs, &county);
    println!(
        "county extent 1280x800: {t:.3} s ({shapes} shapes, {dots} sub-pixel dots), median of 5"
    );
    if let Some(v) = village_view {
        let (t, shapes, dots) = time_render(&refs, &v);
        println!(
            "village zoom 1280x800: {t:.3} s ({shapes} shapes, {dots} sub-pixel dots), median of 5"
        );
    }
}
