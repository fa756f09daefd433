//! Frame cost while the user pans and zooms, and the time to the first map, with the real
//! window driven headless by egui_kittest (1280 × 800 points).
//!
//!   cargo bench --bench frames -- [PROJECT.gpkg]
//!
//! A frame here is the CPU work eframe does per frame: the app's UI pass (`ctx.run_ui`) plus
//! tessellating its shapes. With `--gpu` every frame is also rasterised by wgpu (lavapipe
//! on a machine without a GPU) and read back, an upper bound for a software-rendered
//! window. The static layers are one cached image that is only moved while the view
//! changes, so these numbers should not depend on the number of features.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use villageplan::app::VillagePlanApp;

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() - 1) as f64 * p).round() as usize]
}

/// One frame: the queued input, the UI pass, tessellation (and rendering with `gpu`).
fn frame(harness: &mut Harness<'_, VillagePlanApp>, gpu: bool) -> f64 {
    let start = Instant::now();
    harness.step();
    let out = harness.output();
    let _ = harness
        .ctx
        .tessellate(out.shapes.clone(), out.pixels_per_point);
    if gpu {
        let _ = harness.render();
    }
    start.elapsed().as_secs_f64() * 1e3
}

/// Waits until the settled image of the current view is drawn.
fn settle(harness: &mut Harness<'_, VillagePlanApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    for _ in 0..5 {
        harness.step();
    }
    while !harness.state().map_settled() && Instant::now() < deadline {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn report(what: &str, ms: &[f64]) {
    println!(
        "{what:<34} frames {:>4}  median {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
        ms.len(),
        percentile(ms, 0.5),
        percentile(ms, 0.95),
        percentile(ms, 1.0)
    );
}

/// Drags the map by 600 points in 60 frames.
fn pan(harness: &mut Harness<'_, VillagePlanApp>, gpu: bool) -> Vec<f64> {
    let centre = egui::pos2(640.0, 420.0);
    harness.hover_at(centre);
    harness.drag_at(centre);
    let mut ms = Vec::new();
    for k in 1..=60 {
        harness.hover_at(centre + egui::vec2(10.0 * k as f32, 3.0 * k as f32));
        ms.push(frame(harness, gpu));
    }
    harness.drop_at(centre + egui::vec2(600.0, 180.0));
    harness.step();
    ms
}

/// Wheel-zooms in and out by 30 notches each way, one per frame.
fn zoom(harness: &mut Harness<'_, VillagePlanApp>, gpu: bool) -> Vec<f64> {
    let centre = egui::pos2(640.0, 420.0);
    harness.hover_at(centre);
    let mut ms = Vec::new();
    for k in 0..60 {
        let dy = if k < 30 { 40.0 } else { -40.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        ms.push(frame(harness, gpu));
    }
    ms
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gpu = args.iter().any(|a| a == "--gpu");
    let path = args
        .iter()
        .find(|a| a.ends_with(".gpkg"))
        .cloned()
        .unwrap_or_else(|| "sample-maps/fengqing/fengqing.gpkg".into());
    if gpu {
        // The fixed cost of a software-rendered frame: the same window with no project.
        let mut empty = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .wgpu()
            .build_eframe(|cc| {
                VillagePlanApp::new(&cc.egui_ctx, None).with_config_dir(&cc.egui_ctx, None)
            });
        let ms: Vec<f64> = (0..30)
            .map(|k| {
                empty.hover_at(egui::pos2(400.0 + k as f32 * 10.0, 400.0));
                frame(&mut empty, true)
            })
            .collect();
        report("empty window (baseline)", &ms);
    }
    let start = Instant::now();
    let project = std::path::PathBuf::from(&path);
    let mut builder = Harness::builder().with_size(egui::vec2(1280.0, 800.0));
    if gpu {
        builder = builder.wgpu();
    }
    let mut harness = builder.build_eframe(move |cc| {
        VillagePlanApp::new(&cc.egui_ctx, Some(project)).with_config_dir(&cc.egui_ctx, None)
    });
    let deadline = Instant::now() + Duration::from_secs(600);
    while !harness.state().map_settled() {
        if let Some(e) = harness.state().load_error() {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
        assert!(Instant::now() < deadline, "no map after 10 minutes");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    let parcels = harness
        .state()
        .project()
        .and_then(|p| p.layer_by_role(villageplan::LayerRole::CurrentLandUse))
        .map_or(0, |l| l.features().len());
    println!("{path}: {parcels} parcels");
    println!(
        "first map (load + prepare + first settled render): {:.2} s",
        start.elapsed().as_secs_f64()
    );
    report("pan, county extent", &pan(&mut harness, gpu));
    settle(&mut harness);
    report("wheel zoom, county extent", &zoom(&mut harness, gpu));
    settle(&mut harness);
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    report("pan, township zoom", &pan(&mut harness, gpu));
    settle(&mut harness);
    report("wheel zoom, township zoom", &zoom(&mut harness, gpu));
}
