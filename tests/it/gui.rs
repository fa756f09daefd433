//! The real window, driven headless by egui_kittest: open the sample, toggle a layer,
//! search a township, identify a parcel, switch the language.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use villageplan::LayerRole;
use villageplan::app::{VillagePlanApp, set_language};

/// The UI language is process-wide, so window tests run one at a time.
pub static WINDOW: Mutex<()> = Mutex::new(());

/// The committed sample (190 villages, 25 000 parcels): for tests that need the whole
/// county (every village type, the deliberate conflicts, the view of all townships).
pub(crate) fn open_sample() -> Harness<'static, VillagePlanApp> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    open_project(sample)
}

/// A small project cut from the sample, made once per test run: the features of every
/// layer that lie in the envelope of 勐佑镇 and its neighbour (with 王家寨), ~3 500
/// parcels. Most window tests need a few villages, not the county, and start faster on it.
/// It holds the sample's base layers only: the window tests draw, draft and list layers as on
/// a project before planning, and the synthetic plan of the demonstration villages
/// (`sample::plan` tests it), the reference lines and points for demonstration-zone design
/// (`sample::reference_layers`) and the county's demonstration layout
/// (`sample::demonstration_layout`) would stand in their way.
pub(crate) fn fixture_path() -> PathBuf {
    static FIXTURE: OnceLock<PathBuf> = OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            use geo::{BoundingRect, Intersects};
            let sample =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
            let sample = villageplan::io::load_project(&sample, &villageplan::Silent).unwrap();
            let townships = sample.layer("townships").unwrap();
            let code = townships.field_index("XZQDM").unwrap();
            let area = townships
                .features()
                .iter()
                .filter(|f| {
                    let c = f.attributes[code].as_text().unwrap_or_default();
                    c == "530921106" || c == "530921107"
                })
                .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
                .reduce(|a, b| {
                    geo::Rect::new(
                        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                    )
                })
                .unwrap();
            let mut project = villageplan::Project::new("fixture", sample.crs);
            project.settings = sample.settings.clone();
            let left_out = [
                LayerRole::PlannedLandUse,
                LayerRole::VillageConstructionBoundary,
                LayerRole::ControlZone,
                LayerRole::ThreeSpaces,
                LayerRole::ConstructionProject,
                LayerRole::PublicFacility,
                LayerRole::PlannedFacility,
                LayerRole::Road,
                LayerRole::River,
                LayerRole::TownshipSeat,
                LayerRole::NaturalVillage,
                LayerRole::Demonstration,
            ];
            for layer in sample.layers.iter().filter(|l| !left_out.contains(&l.role)) {
                let features = layer
                    .features()
                    .iter()
                    .filter(|f| {
                        f.geometry
                            .as_ref()
                            .and_then(|g| g.bounding_rect())
                            .is_some_and(|r| r.intersects(&area))
                    })
                    .cloned()
                    .collect();
                let mut cut = villageplan::Layer::new(
                    layer.id.clone(),
                    layer.name.clone(),
                    layer.role,
                    layer.fields().to_vec(),
                    features,
                );
                cut.style = layer.style.clone();
                project.add_layer(cut);
            }
            let dir =
                std::env::temp_dir().join(format!("villageplan-fixture-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("fixture.gpkg");
            villageplan::io::save_project(&project, &path, &villageplan::Silent).unwrap();
            path
        })
        .clone()
}

/// The window on the small fixture project (see [`fixture_path`]).
pub(crate) fn open_fixture() -> Harness<'static, VillagePlanApp> {
    open_project(fixture_path())
}

fn open_project(path: PathBuf) -> Harness<'static, VillagePlanApp> {
    let sample = path;
    set_language("zh-CN");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(sample)).with_config_dir(&cc.egui_ctx, None)
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
    let mut harness = open_fixture();
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
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
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
        .find(|p| p.layer == "dltb")
        .expect("a parcel under the click");
    let (layer, position) = parcel.locate(project).unwrap();
    let dlbm = project.layers[layer]
        .value(position, "DLBM")
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
    harness.get_by_label("设置").click();
    harness.run_steps(2);
    harness.get_by_label("界面语言").hover();
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
    let mut harness = open_fixture();
    // The parcel layer is drawn first, so its 属性表 button is the last one in the panel.
    harness
        .get_all_by_label("属性表")
        .last()
        .expect("a 属性表 button per layer")
        .click();
    harness.run_steps(2);
    let (layer, _, _) = harness.state().table_view().expect("the table opened");
    assert_eq!(layer, "dltb");
    let total = harness.state().table_view().unwrap().1.len();
    harness.get_by_label("筛选").focus();
    harness.get_by_label("筛选").type_text("DLBM ^= 0702");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);

    let app = harness.state();
    let project = app.project().unwrap();
    let (layer, rows, _) = app.table_view().unwrap();
    let parcels = project.layer(layer).unwrap();
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
    std::fs::copy(fixture_path(), &copy).unwrap();
    set_language("zh-CN");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(copy)).with_config_dir(&cc.egui_ctx, None)
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
    let mut harness = open_fixture();
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

    // Drag the topmost layer's handle onto the bottom row: it is drawn first.
    let top = after.last().unwrap().clone();
    let from = harness
        .get_all_by_label("拖动")
        .next()
        .unwrap()
        .rect()
        .center();
    let to = harness
        .get_all_by_label("拖动")
        .last()
        .unwrap()
        .rect()
        .center();
    harness.hover_at(from);
    harness.drag_at(from);
    harness.run_steps(2);
    for k in 1..=10 {
        harness.hover_at(from + (to - from) * (k as f32 / 10.0) + egui::vec2(0.0, 6.0));
        harness.run_steps(1);
    }
    harness.drop_at(to + egui::vec2(0.0, 6.0));
    harness.run_steps(3);
    let dragged = order(&harness);
    assert_eq!(dragged[0], top, "{dragged:?}");
    assert_eq!(dragged.len(), after.len());
}

#[test]
fn the_style_editor_restyles_the_map() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    let villages = harness
        .state()
        .project()
        .unwrap()
        .layers
        .iter()
        .position(|l| l.id == "villages")
        .unwrap();
    let n = harness.state().project().unwrap().layers.len();
    // The list shows the topmost layer first.
    harness
        .get_all_by_label("样式")
        .nth(n - 1 - villages)
        .unwrap()
        .click();
    harness.run_steps(4);
    harness.get_by_label_contains("样式 - ");
    // The first drop-down of the window is the fill rule.
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    harness.get_by_label("按字段分类").click();
    harness.run_steps(3);
    let project = harness.state().project().unwrap();
    let style = &project.layers[villages].style;
    assert!(
        matches!(&style.fill, villageplan::model::Fill::Categorized { .. }),
        "{style:?}"
    );
    assert!(harness.state().is_dirty());
    // The map's fills follow: every village now has a colour.
    let (fills, total) = harness.state().display_fills(villages);
    assert_eq!(fills, total);
    assert!(total > 10);
}

#[test]
fn ctrl_o_opens_another_file_and_remembers_projects() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let sample = fixture_path();
    let points = dir.path().join("seats.geojson");
    std::fs::write(
        &points,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"MC":"凤山镇"},"geometry":{"type":"Point","coordinates":[99.913,24.597]}}]}"#,
    )
    .unwrap();
    set_language("zh-CN");
    let config_for_app = config.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(10_000)
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, Some(sample))
                .with_config_dir(&cc.egui_ctx, Some(config_for_app))
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

#[test]
fn preferences_are_applied_and_kept_in_the_config_directory() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    set_language("zh-CN");
    let config_for_app = config.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            VillagePlanApp::new(&cc.egui_ctx, None)
                .with_config_dir(&cc.egui_ctx, Some(config_for_app))
        });
    harness.run_steps(2);
    assert_eq!(
        harness.state().settings().basemap,
        villageplan::app::Basemap::None,
        "offline by default"
    );
    harness.get_by_label("设置").click();
    harness.run_steps(2);
    harness.get_by_label("首选项…").click();
    // A new window is laid out invisibly in its first frame.
    harness.run_steps(4);
    harness.get_by_label("底图");
    harness
        .get_by_role_and_label(egui::accesskit::Role::RadioButton, "English")
        .click();
    let key = harness.get_by_label("天地图密钥（tk）");
    key.focus();
    key.type_text("0123abcd");
    harness.run_steps(2);
    harness.get_by_label("确定").click();
    harness.run_steps(3);
    harness.get_by_label("Layers");
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(config.join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(stored["language"], "en");
    assert_eq!(stored["tianditu_key"], "0123abcd");
    assert_eq!(stored["basemap"], "none");

    // The about box opens from 帮助 and closes again.
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("About").click();
    harness.run_steps(4);
    harness.get_by_label_contains("Droid Sans Fallback");
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Droid Sans Fallback")
            .is_none()
    );
    set_language("zh-CN");
}

/// Steps until no file is being read, then lets new windows lay out.
pub(crate) fn settle(harness: &mut Harness<VillagePlanApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    while harness.state().busy() {
        assert!(std::time::Instant::now() < deadline, "reading never ended");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(4);
}

#[test]
fn a_new_project_takes_layers_and_asks_what_detection_cannot_tell() {
    use crate::fixtures::{Row, set_ldid, write_vector};
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // Everything detectable: a named GeoJSON in lon/lat.
    let farmland = dir.path().join("永久基本农田.geojson");
    std::fs::write(
        &farmland,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"MC":"凤山"},"geometry":{"type":"Polygon","coordinates":[[[99.90,24.59],[99.91,24.59],[99.91,24.60],[99.90,24.59]]]}}]}"#,
    )
    .unwrap();
    // Nothing detectable: GBK text without .cpg or LDID, no .prj, an opaque name.
    let opaque = dir.path().join("tb2024.shp");
    write_vector(
        &opaque,
        "ESRI Shapefile",
        Some(4542),
        &["MC"],
        &[Row {
            wkt: "POLYGON ((500000 2720000, 500100 2720000, 500100 2720100, 500000 2720000))",
            values: &["凤庆县永久基本农田"],
        }],
        &["ENCODING=CP936"],
    );
    std::fs::remove_file(dir.path().join("tb2024.cpg")).unwrap();
    std::fs::remove_file(dir.path().join("tb2024.prj")).unwrap();
    set_ldid(&dir.path().join("tb2024.dbf"), 0);

    set_language("zh-CN");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(|cc| {
            VillagePlanApp::new(&cc.egui_ctx, None).with_config_dir(&cc.egui_ctx, None)
        });
    harness.run_steps(2);
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("新建项目…").click();
    harness.run_steps(4);
    harness.get_by_label("创建").click();
    harness.run_steps(2);
    let project = harness.state().project().expect("a new project");
    assert_eq!(project.layers.len(), 0);
    assert_eq!(project.crs.epsg(), 4542);

    let add = |harness: &mut Harness<VillagePlanApp>, path: &Path| {
        harness.get_by_label("文件").click();
        harness.run_steps(2);
        harness.get_by_label("添加图层…").click();
        harness.run_steps(4);
        let field = harness.get_by_label_contains("矢量文件路径");
        field.focus();
        field.type_text(path.to_str().unwrap());
        harness.run_steps(1);
        harness.get_by_label("添加").click();
        settle(harness);
    };
    // The first through the file browser: type the folder, double-click the file.
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("添加图层…").click();
    harness.run_steps(4);
    let field = harness.get_by_label_contains("矢量文件路径");
    field.focus();
    field.type_text(dir.path().to_str().unwrap());
    harness.run_steps(3);
    assert!(
        harness.query_by_label("tb2024.dbf").is_none(),
        "only readable files are listed"
    );
    harness.get_by_label("tb2024.shp");
    harness.get_by_label("永久基本农田.geojson").click();
    harness.run_steps(2);
    harness.get_by_label("添加").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    assert_eq!(project.layers.len(), 1, "added without questions");
    assert_eq!(
        project.layers[0].role,
        villageplan::LayerRole::PermanentFarmland
    );
    assert!(harness.state().is_dirty());

    add(&mut harness, &opaque);
    assert_eq!(
        harness.state().project().unwrap().layers.len(),
        1,
        "asks first"
    );
    harness.get_by_label_contains("缺少 .prj");
    harness.get_by_label_contains("无 .cpg");
    harness.get_by_label_contains("样例文字：凤庆县永久基本农田");
    let crs = harness.get_by_label("坐标系");
    crs.focus();
    crs.type_text("EPSG:4542");
    harness.run_steps(1);
    harness.get_by_label("GBK").click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("图层类型").click();
    harness.run_steps(3);
    harness
        .get_by_label("永久基本农田 Permanent basic farmland")
        .click();
    harness.run_steps(2);
    harness.get_by_label("添加").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    assert_eq!(project.layers.len(), 2);
    let layer = &project.layers[1];
    assert_eq!(layer.role, villageplan::LayerRole::PermanentFarmland);
    assert_eq!(
        layer.value(0, "MC").and_then(|v| v.as_text()).as_deref(),
        Some("凤庆县永久基本农田")
    );
    let area = layer.total_area_m2();
    assert!(
        (area - 5_000.0).abs() < 1e-6,
        "placed in EPSG:4542 as told: {area}"
    );
}

#[test]
fn villages_are_classified_explained_and_overridden_in_the_window() {
    use villageplan::analysis::classify::{VillageType, overrides};
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.get_by_label("分析").click();
    harness.run_steps(2);
    harness.get_by_label("村庄分类…").click();
    harness.run_steps(4);
    harness.get_by_label("运行分类").click();
    settle(&mut harness);
    let (result, running) = harness.state().classification().expect("a result");
    assert!(!running);
    assert_eq!(result.villages.len(), 190);
    let counts = result.counts();
    assert!(
        VillageType::ALL.iter().all(|t| counts[t] > 0),
        "all five types occur: {counts:?}"
    );
    // The village layer is a thematic map of CZLX, and the legend lists the types.
    let project = harness.state().project().unwrap();
    let villages = project
        .layers
        .iter()
        .position(|l| l.id == "villages")
        .unwrap();
    assert!(matches!(
        project.layers[villages].style.fill,
        villageplan::model::Fill::ByValue { .. }
    ));
    let (filled, total) = harness.state().display_fills(villages);
    assert_eq!(filled, total);
    assert!(harness.state().is_dirty());

    // A heritage village: its row explains the evidence; a click zooms to it.
    let (name, code) = {
        let v = result
            .villages
            .iter()
            .find(|v| v.final_type() == VillageType::Heritage)
            .unwrap();
        (v.name.clone(), v.code.clone())
    };
    let before = harness.state().view_center_lonlat().unwrap();
    harness.get_by_label_contains("特色保护类 ").click();
    harness.run_steps(2);
    harness.get_all_by_label(&name).next().unwrap().click();
    settle(&mut harness);
    let after = harness.state().view_center_lonlat().unwrap();
    assert!(
        (after.0 - before.0).abs() + (after.1 - before.1).abs() > 1e-3,
        "the map moved to {name}"
    );
    harness.get_by_label_contains("规则判定: 特色保护类");

    // Override it with a reason: kept in the project, shown as an override.
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    // The drop-down's entry is the newest node with that label.
    harness
        .get_all_by_label("集聚提升类")
        .last()
        .unwrap()
        .click();
    harness.run_steps(2);
    let reason = harness.get_by_label("理由");
    reason.focus();
    reason.type_text("乡镇驻地扩展，村民意愿");
    harness.run_steps(2);
    harness.get_by_label("改判").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    let kept = overrides(project).unwrap();
    assert_eq!(kept[&code].village_type, VillageType::Agglomeration);
    let (result, _) = harness.state().classification().unwrap();
    let v = result.village(&code).unwrap();
    assert_eq!(v.final_type(), VillageType::Agglomeration);
    assert_eq!(
        v.computed_type,
        VillageType::Heritage,
        "the rules' verdict stays visible"
    );
    let czlx = project.layers[villages]
        .value(v.feature_index, "CZLX")
        .and_then(|x| x.as_text())
        .map(|x| x.into_owned());
    assert_eq!(czlx.as_deref(), Some("集聚提升类"));
}

#[test]
fn checks_run_locate_problems_and_keep_exceptions() {
    use villageplan::analysis::checks::{Exceptions, Severity};
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.get_by_label("分析").click();
    harness.run_steps(2);
    harness.get_by_label("质检…").click();
    harness.run_steps(4);
    harness.get_by_label("全部检查").click();
    settle(&mut harness);
    let report = harness.state().check_report().expect("a report");
    let errors = report.blocking_count();
    let total = report.results.len();
    assert!(total > 0, "the sample's deliberate conflicts are found");

    // Pick the first result in the list and show it: the map highlights its geometry.
    let first_rule = report.results[0].rule_name_zh.clone();
    harness
        .get_all_by_label_contains(&format!("{first_rule} ("))
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    let row_label = {
        let r = harness
            .state()
            .check_report()
            .unwrap()
            .results
            .iter()
            .find(|r| r.rule_name_zh == first_rule)
            .unwrap()
            .clone();
        // The area cell identifies the row (the message cell is clipped).
        let measure = format!("{:.2} 亩", villageplan::units::mu(r.area_m2.unwrap_or(0.0)));
        (measure, r.key.clone(), r.severity)
    };
    let before = harness.state().view_center_lonlat().unwrap();
    harness
        .get_all_by_label(&row_label.0)
        .next()
        .unwrap()
        .click();
    settle(&mut harness);
    assert!(
        !harness.state().highlighted().is_empty(),
        "the problem is highlighted"
    );
    let after = harness.state().view_center_lonlat().unwrap();
    assert!((after.0 - before.0).abs() + (after.1 - before.1).abs() > 1e-4);

    // Accept it as an exception with a reason: kept in the project, shown as such.
    let reason = harness.get_by_label("例外理由");
    reason.focus();
    reason.type_text("已批准的线性基础设施");
    harness.run_steps(2);
    harness.get_by_label("接受为例外").click();
    harness.run_steps(3);
    let report = harness.state().check_report().unwrap();
    let r = report
        .results
        .iter()
        .find(|r| r.key == row_label.1)
        .unwrap();
    assert_eq!(r.exception.as_deref(), Some("已批准的线性基础设施"));
    if row_label.2 == Severity::Error {
        assert_eq!(report.blocking_count(), errors - 1);
    }
    let project = harness.state().project().unwrap();
    let kept = Exceptions::from_settings(&project.settings).unwrap();
    assert!(kept.by_key.contains_key(&row_label.1));
    assert!(harness.state().is_dirty());

    // Checking the current view merges into the report and keeps the exception.
    harness.get_by_label("检查当前视图").click();
    settle(&mut harness);
    let report = harness.state().check_report().unwrap();
    assert!(report.results.len() <= total + 5 && !report.results.is_empty());
    let r = report
        .results
        .iter()
        .find(|r| r.key == row_label.1)
        .unwrap();
    assert!(r.exception.is_some());
}

/// A primary click at `pos`, then enough frames that the next click is not a double click.
pub(crate) fn click_at(harness: &mut Harness<VillagePlanApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_steps(1);
    }
    harness.run_steps(30);
}

#[test]
fn a_polygon_is_drawn_on_the_map_undone_and_redone() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("村庄建设边界").click();
    harness.run_steps(3);
    let count = |h: &Harness<VillagePlanApp>| {
        h.state()
            .project()
            .unwrap()
            .layers
            .iter()
            .find(|l| l.role == villageplan::LayerRole::VillageConstructionBoundary)
            .map(|l| l.features().len())
    };
    assert_eq!(count(&harness), Some(0), "the layer exists, empty");
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in [
        egui::vec2(-60.0, -40.0),
        egui::vec2(60.0, -40.0),
        egui::vec2(60.0, 40.0),
        egui::vec2(-60.0, 40.0),
    ] {
        click_at(&mut harness, c + d);
    }
    harness.get_by_label_contains("已放置 4 个顶点");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(count(&harness), Some(1), "Enter finished the polygon");
    let project = harness.state().project().unwrap();
    let layer = project
        .layers
        .iter()
        .find(|l| l.role == villageplan::LayerRole::VillageConstructionBoundary)
        .unwrap();
    let mj = layer.value(0, "MJ").and_then(|v| v.as_f64()).unwrap();
    assert!(
        mj > 10_000.0,
        "about 120 × 80 points at township zoom: {mj} m²"
    );
    assert!(harness.state().is_dirty());

    // The attribute form of the new feature: its role's fields.
    harness.run_steps(3);
    let code = harness.get_by_label("村代码");
    code.focus();
    code.type_text("530921107205");
    harness.run_steps(1);
    harness.get_by_label("确定").click();
    harness.run_steps(3);
    let czdm = |h: &Harness<VillagePlanApp>| {
        h.state()
            .project()
            .unwrap()
            .layers
            .iter()
            .find(|l| l.role == villageplan::LayerRole::VillageConstructionBoundary)
            .and_then(|l| {
                l.value(0, "CZDM")
                    .and_then(|v| v.as_text())
                    .map(|v| v.into_owned())
            })
    };
    assert_eq!(czdm(&harness).as_deref(), Some("530921107205"));

    // Two steps back: the attributes, then the polygon.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(czdm(&harness), None, "attributes undone");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(count(&harness), Some(0), "undone");
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert_eq!(count(&harness), Some(1), "redone");

    // Select it on the map by its outline (the polygon tool off) and delete it; undo
    // brings it back.
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    // The map keeps its centre when panels change its width: the polygon is around the
    // current centre.
    let (rect, _) = harness.state().map_view().unwrap();
    click_at(&mut harness, rect.center() + egui::vec2(60.0, 0.0));
    settle(&mut harness);
    harness.key_press(egui::Key::Delete);
    harness.run_steps(2);
    assert_eq!(count(&harness), Some(0), "deleted");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(count(&harness), Some(1), "delete undone");
}

#[test]
fn unsaved_work_is_recovered_after_a_crash() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let copy = dir.path().join("fengqing.gpkg");
    std::fs::copy(fixture_path(), &copy).unwrap();
    set_language("zh-CN");
    let start = |config: std::path::PathBuf, path: std::path::PathBuf| {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_max_steps(10_000)
            .build_eframe(move |cc| {
                VillagePlanApp::new(&cc.egui_ctx, Some(path))
                    .with_config_dir(&cc.egui_ctx, Some(config))
            });
        settle(&mut h);
        h
    };
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
    let mut first = start(config.clone(), copy.clone());
    assert!(!first.state().recovery_offered());
    let name = first
        .state()
        .project()
        .unwrap()
        .layers
        .iter()
        .find(|l| l.id == "villages")
        .unwrap()
        .name
        .clone();
    first
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, &name)
        .click();
    first.run_steps(2);
    assert!(!visible(&first) && first.state().is_dirty());
    first.state_mut().autosave_now();
    settle(&mut first);
    // The window dies without saving.
    drop(first);
    assert!(
        villageplan::io::load_project(&copy, &villageplan::Silent)
            .unwrap()
            .layers
            .iter()
            .find(|l| l.id == "villages")
            .unwrap()
            .style
            .visible,
        "the project file itself is untouched"
    );

    let mut second = start(config.clone(), copy.clone());
    assert!(
        second.state().recovery_offered(),
        "the newer copy is offered"
    );
    second.get_by_label("恢复").click();
    settle(&mut second);
    assert!(!visible(&second), "the unsaved change is back");
    assert!(second.state().is_dirty(), "and still to be saved");
    assert_eq!(second.state().project_path(), Some(copy.as_path()));

    // Saving removes the copy: the next start offers nothing.
    second.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    settle(&mut second);
    assert!(!second.state().is_dirty());
    drop(second);
    let third = start(config, copy);
    assert!(!third.state().recovery_offered());
}

#[test]
fn three_spaces_of_a_village_are_generated_as_an_undoable_draft() {
    use geo::Area;
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("王家寨");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.run_steps(3);
    harness.get_by_label("生成三生空间（地图中心的村）").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    let spaces = project
        .layers
        .iter()
        .find(|l| l.role == villageplan::LayerRole::ThreeSpaces)
        .expect("a 三生空间 layer was created");
    assert!((1..=3).contains(&spaces.features().len()));
    let code = spaces
        .value(0, "CZDM")
        .and_then(|v| v.as_text())
        .unwrap()
        .into_owned();
    let villages = project.layers.iter().find(|l| l.id == "villages").unwrap();
    let village_area: f64 = villages
        .features()
        .iter()
        .find(|f| {
            f.attributes[villages.field_index("XZQDM").unwrap()]
                .as_text()
                .as_deref()
                == Some(code.as_str())
        })
        .and_then(|f| f.geometry.as_ref())
        .map(|g| g.unsigned_area())
        .unwrap();
    let total = spaces.total_area_m2();
    assert!(
        (total - village_area).abs() / village_area < 0.001,
        "the spaces tile the village: {total} vs {village_area}"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let project = harness.state().project().unwrap();
    let spaces = project
        .layers
        .iter()
        .find(|l| l.role == villageplan::LayerRole::ThreeSpaces)
        .unwrap();
    assert_eq!(spaces.features().len(), 0, "undone");
}

#[test]
fn checks_follow_edits_incrementally() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("王家寨");
    settle(&mut harness);
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .run_checks(&ctx, villageplan::app::RunScope::All);
    settle(&mut harness);
    let boundary_conflicts = |h: &Harness<VillagePlanApp>| {
        h.state()
            .check_report()
            .unwrap()
            .results
            .iter()
            .filter(|r| r.rule_id == "lines.construction_boundary_in_farmland")
            .count()
    };
    assert_eq!(boundary_conflicts(&harness), 0);
    let total = harness.state().check_report().unwrap().results.len();

    // Draw a 村庄建设边界 across the farmland at the centre of 王家寨.
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("村庄建设边界").click();
    harness.run_steps(3);
    harness.get_by_label("捕捉").click();
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    // Above the 质检 window, which sits low over the map.
    for d in [
        egui::vec2(-150.0, -250.0),
        egui::vec2(150.0, -250.0),
        egui::vec2(150.0, -60.0),
        egui::vec2(-150.0, -60.0),
    ] {
        click_at(&mut harness, c + d);
    }
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    harness.get_by_label("稍后填写").click();
    settle(&mut harness);
    let after_draw = boundary_conflicts(&harness);
    assert!(
        after_draw > 0,
        "the edited area was re-checked and the conflict found"
    );
    let report = harness.state().check_report().unwrap();
    assert!(report.results.len() >= total + after_draw - 1);

    // Undo: the re-check of the same area takes the conflict away again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(boundary_conflicts(&harness), 0);
}

#[test]
fn vertices_are_dragged_and_deleted_with_undo() {
    use geo::Area;
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("生态保护红线").click();
    harness.run_steps(3);
    harness.get_by_label("捕捉").click();
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in [(-60.0, -40.0), (60.0, -40.0), (60.0, 40.0), (-60.0, 40.0)] {
        click_at(&mut harness, c + egui::vec2(d.0, d.1));
    }
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    harness.get_by_label("稍后填写").click();
    harness.run_steps(2);
    let shape = |h: &Harness<VillagePlanApp>| {
        let l = h
            .state()
            .project()
            .unwrap()
            .layers
            .iter()
            .find(|l| l.role == villageplan::LayerRole::EcologicalRedLine && l.features().len() < 3)
            .unwrap();
        let g = l.features()[0].geometry.clone().unwrap();
        let n = match &g {
            geo::Geometry::Polygon(p) => p.exterior().0.len() - 1,
            _ => 0,
        };
        (g.unsigned_area(), n)
    };
    let (area, n) = shape(&harness);
    assert_eq!(n, 4);

    // The vertex tool: pick the feature by its edge, then drag a corner outwards.
    harness.get_by_label("编辑顶点").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    click_at(&mut harness, c + egui::vec2(60.0, 0.0));
    let from = c + egui::vec2(60.0, -40.0);
    let to = c + egui::vec2(100.0, -80.0);
    harness.hover_at(from);
    harness.run_steps(2);
    harness.drag_at(from);
    harness.run_steps(2);
    for k in 1..=8 {
        harness.hover_at(from + (to - from) * (k as f32 / 8.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(3);
    let (moved, n) = shape(&harness);
    assert_eq!(n, 4);
    assert!(
        moved > area * 1.2,
        "the corner moved out: {moved} vs {area}"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!((shape(&harness).0 - area).abs() < 1e-6, "undone");

    // Right-click a corner: a triangle, half the area.
    harness.hover_at(from);
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: from,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_steps(1);
    }
    harness.run_steps(2);
    let (tri, n) = shape(&harness);
    assert_eq!(n, 3);
    assert!((tri - area / 2.0).abs() / area < 0.01);
}

#[test]
fn parcels_found_by_a_query_become_one_farmland_feature() {
    use geo::Area;
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("永久基本农田").click();
    harness.run_steps(3);
    // The parcels are the bottom layer: the last 属性表 button of the list (scrolled into
    // view: the new layer made the list longer than the panel).
    harness
        .get_all_by_label("属性表")
        .last()
        .unwrap()
        .scroll_to_me();
    harness.run_steps(3);
    harness.get_all_by_label("属性表").last().unwrap().click();
    harness.run_steps(3);
    let filter = harness.get_by_label("筛选");
    filter.focus();
    filter.type_text("ZLDWMC contains 王家寨 and DLBM ^= 01");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    harness.get_by_label("全选").click();
    settle(&mut harness);
    let (layer, _, selected) = harness.state().table_view().unwrap();
    assert!(!selected.is_empty());
    let expected: f64 = {
        let l = harness.state().project().unwrap().layer(layer).unwrap();
        selected
            .iter()
            .map(|&i| l.features()[i].geometry.as_ref().unwrap().unsigned_area())
            .sum()
    };
    harness.get_by_label("用所选创建要素").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    let farmland = project
        .layers
        .iter()
        .find(|l| l.role == villageplan::LayerRole::PermanentFarmland && l.features().len() < 10)
        .unwrap();
    assert_eq!(farmland.features().len(), 1);
    let area = farmland.total_area_m2();
    assert!(
        (area - expected).abs() / expected < 1e-6,
        "{area} vs {expected}"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let project = harness.state().project().unwrap();
    assert!(project
        .layers
        .iter()
        .any(|l| l.role == villageplan::LayerRole::PermanentFarmland && l.features().is_empty()));
}

#[test]
fn a_feature_is_moved_by_dragging_and_the_move_undone() {
    use geo::{Area, Centroid};
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("管控边界").click();
    harness.run_steps(3);
    harness.get_by_label("捕捉").click();
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in [(-60.0, -40.0), (60.0, -40.0), (60.0, 40.0), (-60.0, 40.0)] {
        click_at(&mut harness, c + egui::vec2(d.0, d.1));
    }
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    harness.get_by_label("稍后填写").click();
    harness.run_steps(2);
    let shape = |h: &Harness<VillagePlanApp>| {
        let l = h
            .state()
            .project()
            .unwrap()
            .layers
            .iter()
            .find(|l| l.role == villageplan::LayerRole::ControlZone)
            .unwrap();
        let g = l.features()[0].geometry.clone().unwrap();
        (g.unsigned_area(), g.centroid().unwrap())
    };
    let (area, centre) = shape(&harness);

    harness.get_by_label("移动要素").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    click_at(&mut harness, c);
    let to = c + egui::vec2(80.0, 0.0);
    harness.hover_at(c);
    harness.run_steps(2);
    harness.drag_at(c);
    harness.run_steps(2);
    for k in 1..=8 {
        harness.hover_at(c + (to - c) * (k as f32 / 8.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(3);
    let (moved_area, moved_centre) = shape(&harness);
    assert!((moved_area - area).abs() / area < 1e-9, "same shape");
    assert!(
        moved_centre.x() - centre.x() > 100.0,
        "moved east: {centre:?} → {moved_centre:?}"
    );
    assert!((moved_centre.y() - centre.y()).abs() < (moved_centre.x() - centre.x()) / 10.0);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(shape(&harness).1, centre, "undone exactly");
}

#[test]
fn a_new_project_starts_without_the_previous_projects_reports() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .run_checks(&ctx, villageplan::app::RunScope::All);
    settle(&mut harness);
    harness.state_mut().run_classification(&ctx);
    settle(&mut harness);
    assert!(harness.state().check_report().is_some());
    assert!(harness.state().classification().is_some());

    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("新建项目…").click();
    harness.run_steps(4);
    harness.get_by_label("创建").click();
    harness.run_steps(2);
    assert_eq!(harness.state().project().unwrap().layers.len(), 0);
    assert!(
        harness.state().check_report().is_none(),
        "the new project shows the previous project's 质检 report"
    );
    assert!(
        harness.state().classification().is_none(),
        "the new project shows the previous project's classification"
    );

    // An edit in the new project re-checks nothing of the old one: no report appears.
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("村庄建设边界").click();
    harness.run_steps(3);
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    for d in [(-60.0, -40.0), (60.0, -40.0), (60.0, 40.0)] {
        click_at(&mut harness, rect.center() + egui::vec2(d.0, d.1));
    }
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(
        harness.state().check_report().is_none(),
        "an edit of the new project merged into the previous project's report"
    );
}

#[test]
fn moving_a_layer_keeps_the_selection() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
    harness.run_steps(4);
    let selected = harness.state().identified().to_vec();
    assert_eq!(selected.len(), 1);
    assert_eq!(selected[0].layer, "townships");
    let highlighted = harness.state().highlighted().len();
    assert!(highlighted > 0);
    // The parcels are drawn first: their 上移 is the last one in the list.
    harness.get_all_by_label("上移").last().unwrap().click();
    harness.run_steps(3);
    assert_eq!(harness.state().project().unwrap().layers[1].id, "dltb");
    assert_eq!(
        harness.state().identified(),
        selected.as_slice(),
        "the selection names layers by id, so moving one keeps it"
    );
    assert_eq!(harness.state().highlighted().len(), highlighted);
    harness.get_by_label_contains("勐佑镇");
}
