//! 分析 → 规划表格 in the real window: the tables of the village at the map centre, their
//! refresh after an edit, and 导出 XLSX.

use egui_kittest::kittest::Queryable;
use gdal::vector::LayerAccess;
use villageplan::LayerRole;
use villageplan::analysis::tables::survey::AdminLevel;

use crate::gui::{WINDOW, click_at, fixture_path, open_fixture, settle};

#[test]
fn the_tables_of_the_village_at_the_centre_follow_an_edit_and_export() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("中和");
    settle(&mut harness);
    harness.get_by_label("分析").click();
    harness.run_steps(2);
    harness.get_by_label("规划表格…").click();
    settle(&mut harness);
    let tables = harness.state().tables().expect("the tables were computed");
    assert_eq!(tables.scope.level, AdminLevel::Village);
    assert!(
        tables.scope.name.starts_with("中和"),
        "the village at the map centre: {}",
        tables.scope.name
    );
    assert!(
        tables.basis_zh.contains("椭球"),
        "ellipsoidal by default: {}",
        tables.basis_zh
    );
    let projects_before = tables.projects.lines.len();
    harness.get_by_label("空间功能结构调整表");

    // A project drawn at the centre of the village enters the 近期建设项目表.
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("近期建设项目").click();
    harness.run_steps(3);
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in [
        egui::vec2(-8.0, -6.0),
        egui::vec2(8.0, -6.0),
        egui::vec2(8.0, 6.0),
        egui::vec2(-8.0, 6.0),
    ] {
        click_at(&mut harness, c + d);
    }
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    assert_eq!(
        project
            .layers_with_role(LayerRole::ConstructionProject)
            .map(|l| l.features().len())
            .sum::<usize>(),
        1,
        "the project was drawn"
    );
    let tables = harness.state().tables().unwrap();
    assert_eq!(
        tables.projects.lines.len(),
        projects_before + 1,
        "the tables were computed again after the edit"
    );
    let land = tables.projects.lines[projects_before]
        .land
        .as_ref()
        .expect("the drawn site's area, from its geometry");
    assert!(land.ha.value() > 0.0, "{land:?}");

    // 导出 XLSX: next to the project, one sheet per table and the 说明.
    let out = fixture_path().parent().unwrap().join("规划表格.xlsx");
    std::fs::remove_file(&out).ok();
    harness.get_by_label("导出 XLSX").click();
    harness.run_steps(3);
    let book = gdal::Dataset::open(&out).expect("the workbook was written");
    let sheets: Vec<String> = book.layers().map(|l| l.name()).collect();
    for sheet in ["现状指标表", "空间功能结构调整表", "近期建设项目表", "说明"]
    {
        assert!(sheets.iter().any(|s| s == sheet), "{sheet} in {sheets:?}");
    }
}
