//! Image snapshots of a few small, deterministic views, rendered headless by wgpu (lavapipe
//! on machines without a GPU; `scripts/setup.sh` installs it). A change that alters what a
//! planner sees fails here; regenerate deliberately with `UPDATE_SNAPSHOTS=1`.

use std::path::Path;

use egui_kittest::Harness;
use villageplan::app::{VillagePlanApp, set_language};

use crate::gui::WINDOW;

fn harness(size: egui::Vec2, path: Option<std::path::PathBuf>) -> Harness<'static, VillagePlanApp> {
    set_language("zh-CN");
    Harness::builder()
        .with_size(size)
        .with_max_steps(10_000)
        .wgpu()
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, path).with_config_dir(&cc.egui_ctx, None)
        })
}

fn settle(harness: &mut Harness<'static, VillagePlanApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    for _ in 0..10 {
        harness.step();
    }
    while !harness.state().map_settled() {
        assert!(
            std::time::Instant::now() < deadline,
            "the map never settled"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
}

#[test]
fn township_view_of_the_sample() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let mut harness = harness(egui::vec2(1000.0, 640.0), Some(sample));
    settle(&mut harness);
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    harness.snapshot("township_view_mengyou");
}

#[test]
fn preferences_dialog() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = harness(egui::vec2(720.0, 420.0), None);
    let settings = harness.state().settings().clone();
    harness.state_mut().open_preferences(settings);
    harness.run_steps(6);
    harness.snapshot("preferences_dialog");
}
