//! The real window, driven headless by egui_kittest: open the sample, toggle a layer,
//! search a township, identify a parcel, switch the language.

use std::path::Path;
use std::sync::Mutex;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use villageplan::app::{VillagePlanApp, set_language};

/// The UI language is process-wide, so window tests run one at a time.
static WINDOW: Mutex<()> = Mutex::new(());

fn open_sample() -> Harness<'static, VillagePlanApp> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    set_language("zh-CN");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(sample)).with_recent_file(None)
        });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while harness.state().loading() {
        assert!(
            std::time::Instant::now() < deadline,
            "the sample did not load"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
    harness
}

#[test]
fn opens_the_sample_and_toggles_a_layer() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    let project = harness.state().project().expect("sample loaded");
    assert!(project.settings.synthetic);
    let name = project
        .layers
        .iter()
        .find(|l| l.id == "villages")
        .unwrap()
        .name
        .clone();
    let visible = |h: &Harness<VillagePlanApp>| {
        h.state()
            .project()
            .unwrap()
            .layers
            .iter()
            .find(|l| l.id == "villages")
            .unwrap()
            .style
            .visible
    };
    assert!(visible(&harness));
    let checkbox = egui::accesskit::Role::CheckBox;
    harness.get_by_role_and_label(checkbox, &name).click();
    harness.run_steps(2);
    assert!(!visible(&harness), "unchecking the layer hides it");
    harness.get_by_role_and_label(checkbox, &name).click();
    harness.run_steps(2);
    assert!(visible(&harness));
    // The status bar names the working CRS.
    harness.get_by_label_contains("EPSG:4542");
}

#[test]
fn searching_a_township_moves_the_map_to_it() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    let before = harness.state().view_center_lonlat().unwrap();
    harness.get_by_label("搜索").focus();
    harness.get_by_label("搜索").type_text("勐佑镇");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(4);
    let after = harness.state().view_center_lonlat().unwrap();
    // 勐佑镇 lies south of the county centre (approximate seat 99.85 E, 24.45 N).
    assert!(
        (after.0 - 99.85).abs() < 0.12 && (after.1 - 24.45).abs() < 0.12,
        "{after:?}"
    );
    assert!(
        (after.0 - before.0).abs() + (after.1 - before.1).abs() > 0.05,
        "the view moved"
    );
    assert_eq!(
        harness.state().identified().len(),
        1,
        "the township is selected"
    );
    harness.get_by_label_contains("530921");
}

#[test]
fn clicking_a_parcel_shows_its_code_meaning_and_area() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.state_mut().find("凤山镇");
    harness.run_steps(4);
    let (rect, _) = harness.state().map_view().unwrap();
    // Click the map's centre: the parcels tile the county, so one lies under it.
    let centre = rect.center();
    harness.hover_at(centre);
    harness.event(egui::Event::PointerButton {
        pos: centre,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.event(egui::Event::PointerButton {
        pos: centre,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(3);
    let app = harness.state();
    let project = app.project().unwrap();
    let parcel = app
        .identified()
        .iter()
        .find(|p| project.layers[p.layer_index].id == "dltb")
        .expect("a parcel under the click");
    let dlbm = project.layers[parcel.layer_index]
        .value(parcel.feature_index, "DLBM")
        .and_then(|v| v.as_text())
        .unwrap()
        .into_owned();
    // The panel shows the code's meaning and the area in 公顷 and 亩.
    let class = villageplan::landuse::CodeBook::bundled()
        .lookup(villageplan::landuse::Standard::Sandiao, &dlbm)
        .unwrap();
    harness.get_by_label("地类含义 Class");
    harness.get_by_label_contains(&format!("{} {}", class.code, class.name));
    harness.get_by_label_contains("公顷");
}

#[test]
fn the_language_can_be_switched_to_english() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.get_by_label("图层");
    harness.get_by_label("界面语言").click();
    harness.run_steps(2);
    harness.get_by_label("English").click();
    harness.run_steps(3);
    harness.get_by_label("Layers");
    assert!(harness.query_by_label("图层").is_none());
    set_language("zh-CN");
}

#[test]
fn the_attribute_table_filters_and_selects_on_the_map() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    // The parcel layer is drawn first, so its 属性表 button is the last one in the panel.
    harness
        .get_all_by_label("属性表")
        .last()
        .expect("a 属性表 button per layer")
        .click();
    harness.run_steps(2);
    let (layer, _, _) = harness.state().table_view().expect("the table opened");
    assert_eq!(harness.state().project().unwrap().layers[layer].id, "dltb");
    let total = harness.state().table_view().unwrap().1.len();
    harness.get_by_label("筛选").focus();
    harness.get_by_label("筛选").type_text("DLBM ^= 0702");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);

    let app = harness.state();
    let project = app.project().unwrap();
    let (layer, rows, _) = app.table_view().unwrap();
    let parcels = &project.layers[layer];
    let expected = villageplan::model::AttributeFilter::parse("DLBM ^= 0702", parcels)
        .unwrap()
        .select(parcels);
    assert!(!rows.is_empty() && rows.len() < total);
    assert_eq!(
        rows,
        expected.as_slice(),
        "the table shows exactly the filtered parcels"
    );
    let first = rows[0];
    let fid = parcels.features()[first].id.to_string();

    // Clicking a row selects it, highlights it and moves the map to it.
    let before = harness.state().view_center_lonlat().unwrap();
    harness.get_by_label(&fid).click();
    harness.run_steps(4);
    let (_, _, selected) = harness.state().table_view().unwrap();
    assert_eq!(selected, vec![first]);
    assert_eq!(harness.state().identified().len(), 1);
    let after = harness.state().view_center_lonlat().unwrap();
    assert!(
        (after.0 - before.0).abs() + (after.1 - before.1).abs() > 1e-4,
        "the map moved"
    );
}

#[test]
fn style_changes_are_saved_with_ctrl_s_atomically() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("fq.gpkg");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg"),
        &copy,
    )
    .unwrap();
    set_language("zh-CN");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(copy)).with_recent_file(None)
        });
    while harness.state().loading() {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
    let name = harness
        .state()
        .project()
        .unwrap()
        .layers
        .iter()
        .find(|l| l.id == "hazards")
        .unwrap()
        .name
        .clone();
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, &name)
        .click();
    harness.run_steps(2);
    assert!(
        harness.state().is_dirty(),
        "hiding a layer is an unsaved change"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while harness.state().saving() {
        assert!(std::time::Instant::now() < deadline, "save did not finish");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(2);
    assert!(!harness.state().is_dirty());
    let saved =
        villageplan::io::load_project(&dir.path().join("fq.gpkg"), &villageplan::Silent).unwrap();
    let hazards = saved.layers.iter().find(|l| l.id == "hazards").unwrap();
    assert!(
        !hazards.style.visible,
        "the saved project remembers the hidden layer"
    );
    harness.get_by_label_contains("已保存");
}

#[test]
fn layers_can_be_reordered() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    let order = |h: &Harness<VillagePlanApp>| -> Vec<String> {
        h.state()
            .project()
            .unwrap()
            .layers
            .iter()
            .map(|l| l.id.clone())
            .collect()
    };
    let before = order(&harness);
    assert_eq!(before[0], "dltb", "parcels are drawn first (bottom)");
    // The panel lists the topmost layer first, so the parcels' 上移 is the last one.
    harness.get_all_by_label("上移").last().unwrap().click();
    harness.run_steps(2);
    let after = order(&harness);
    assert_eq!(after[0], before[1]);
    assert_eq!(after[1], "dltb");
    let drawn: Vec<String> = harness
        .state()
        .drawing_order()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(drawn, after, "the map draws in the project's order");
    assert!(harness.state().is_dirty());
}

#[test]
fn ctrl_o_opens_another_file_and_remembers_projects() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let recent = dir.path().join("recent.json");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let points = dir.path().join("seats.geojson");
    std::fs::write(
        &points,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"MC":"凤山镇"},"geometry":{"type":"Point","coordinates":[99.913,24.597]}}]}"#,
    )
    .unwrap();
    set_language("zh-CN");
    let recent_for_app = recent.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(sample)).with_recent_file(Some(recent_for_app))
        });
    let wait = |h: &mut Harness<VillagePlanApp>| {
        while h.state().loading() {
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        h.run_steps(3);
    };
    wait(&mut harness);
    assert_eq!(
        harness.state().recent_projects().len(),
        1,
        "the opened project is remembered"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run_steps(2);
    let field = harness.get_by_label_contains("项目或矢量文件路径");
    field.focus();
    field.type_text(points.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("打开").click();
    harness.run_steps(2);
    wait(&mut harness);
    let project = harness.state().project().unwrap();
    assert_eq!(project.layers.len(), 1);
    assert_eq!(project.layers[0].features().len(), 1);
    assert_eq!(
        project.crs.epsg(),
        4542,
        "a plain vector file becomes a project in its zone"
    );
}
