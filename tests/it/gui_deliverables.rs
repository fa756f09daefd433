//! 文件 → 导出… and 出图… in the real window: one layer as RFC 7946 GeoJSON, every layer as
//! the plan GeoPackage, and a map sheet, each written beside the project and read back.

use egui_kittest::kittest::Queryable;
use gdal::vector::LayerAccess;

use crate::gui::{WINDOW, fixture_path, open_fixture, settle};

fn file_menu(harness: &mut egui_kittest::Harness<villageplan::app::VillagePlanApp>, item: &str) {
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    harness.run_steps(3);
}

#[test]
fn one_layer_and_every_layer_are_exported_from_the_file_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let folder = fixture_path().parent().unwrap().to_path_buf();
    let mut harness = open_fixture();
    let project = harness.state().project().unwrap().clone();
    let parcels = project
        .layer_by_role(villageplan::LayerRole::CurrentLandUse)
        .unwrap();

    // One layer: the first, as RFC 7946 GeoJSON named as the delivery names it.
    file_menu(&mut harness, "导出…");
    let first = &project.layers[0];
    assert_eq!(
        first.id, parcels.id,
        "the fixture's bottom layer is the land use"
    );
    let geojson = folder.join("JQDLTB.geojson");
    std::fs::remove_file(&geojson).ok();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "导出")
        .click();
    settle(&mut harness);
    harness.get_by_label_contains("written to");
    let ds = gdal::Dataset::open(&geojson).expect("the GeoJSON was written");
    assert_eq!(
        ds.layer(0).unwrap().feature_count() as usize,
        parcels.features().len()
    );
    let text = std::fs::read_to_string(&geojson).unwrap();
    assert!(text.contains("\"area_mu\""), "areas in 亩 in every feature");

    // Every layer as one GeoPackage: the path follows the choices.
    // The window's drop-downs: the layer, then the format.
    let combo = |harness: &egui_kittest::Harness<villageplan::app::VillagePlanApp>, n: usize| {
        harness
            .get_all_by_role(egui::accesskit::Role::ComboBox)
            .nth(n)
            .unwrap()
            .click();
    };
    combo(&harness, 1);
    harness.run_steps(2);
    harness.get_by_label("GeoPackage").click();
    harness.run_steps(2);
    combo(&harness, 0);
    harness.run_steps(2);
    harness
        .get_by_label("全部图层（每层一个文件，或一个 GeoPackage）")
        .click();
    harness.run_steps(2);
    let gpkg = folder.join("规划数据.gpkg");
    std::fs::remove_file(&gpkg).ok();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "导出")
        .click();
    settle(&mut harness);
    let ds = gdal::Dataset::open(&gpkg).expect("the plan GeoPackage was written");
    assert!(ds.layer_by_name("JQDLTB").is_ok());
    assert!(ds.layer_by_name("layer_styles").is_ok(), "with QGIS styles");

    // The dialog stays clear of the menu bar: 文件 opens with it in front.
    file_menu(&mut harness, "出图…");
    harness.get_by_label("生成 PNG");
}

#[test]
fn a_map_sheet_is_drawn_from_the_file_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let folder = fixture_path().parent().unwrap().to_path_buf();
    let mut harness = open_fixture();
    // An A4 现状图 of the village the dialog offers, at the default 300 dpi, beside the
    // project as 〈村〉现状图.png.
    let started = std::time::SystemTime::now();
    file_menu(&mut harness, "出图…");
    harness.get_by_label("A4").click();
    harness.run_steps(2);
    harness.get_by_label("生成 PNG").click();
    settle(&mut harness);
    harness.get_by_label_contains("已写入");
    let png = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy().ends_with("现状图.png")
                && p.metadata().and_then(|m| m.modified()).unwrap() >= started
        })
        .expect("the sheet was written beside the project");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let size = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!(
        (size(16), size(20)),
        (3508, 2480),
        "A4 landscape at 300 dpi"
    );
}

#[test]
fn a_villages_review_package_is_written_from_the_file_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    // Beside the fixture, where the other 成果包 window test writes too (it removes it first,
    // as this one does).
    let folder = fixture_path().parent().unwrap().join("成果包");
    if folder.exists() {
        std::fs::remove_dir_all(&folder).unwrap();
    }
    std::fs::remove_file(folder.with_extension("zip")).ok();
    let mut harness = open_fixture();
    file_menu(&mut harness, "成果包…");
    // The scope: the whole county by default, a village from the list.
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    // The first village of the list (the list scrolls; later ones are out of sight).
    harness
        .get_all_by_label_contains(" 5309211")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    harness.get_by_label("写出成果包").click();
    settle(&mut harness);
    harness.get_by_label_contains("已写出成果包");
    let bag_info = std::fs::read_to_string(folder.join("bag-info.txt")).unwrap();
    let scope = bag_info.lines().find(|l| l.starts_with("Scope:")).unwrap();
    assert!(
        !scope.contains("全县") && scope.contains("5309211"),
        "{bag_info}"
    );
    assert!(folder.with_extension("zip").exists(), "the zip by default");
    let (code, out, err) = crate::fixtures::villageplan(&["verify", folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
}
