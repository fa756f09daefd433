//! The editing tools in the window, driven by simulated clicks, keys and drags: split and
//! merge, tracing, holes, avoid overlaps, box and Shift selection, line and point layers,
//! and live conflict feedback for a 生活空间.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::Area;
use villageplan::LayerRole;
use villageplan::app::VillagePlanApp;

use super::gui::{WINDOW, click_at, open_fixture, settle};

/// Opens the sample at 勐佑镇 and creates an empty plan layer of the role labelled `role`
/// (or the line/point layer so labelled), with snapping off unless `snapping`.
fn with_new_layer(role: &str, snapping: bool) -> Harness<'static, VillagePlanApp> {
    let mut harness = open_fixture();
    harness.state_mut().find("勐佑镇");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label(role).click();
    harness.run_steps(3);
    if !snapping {
        harness.get_by_label("捕捉").click();
        harness.run_steps(1);
    }
    harness
}

/// The features of the (only) layer of `role` with fewer than 50 features — the new one.
fn drawn(h: &Harness<VillagePlanApp>, role: LayerRole) -> Vec<villageplan::Feature> {
    h.state()
        .project()
        .unwrap()
        .layers
        .iter()
        .find(|l| l.role == role && l.features().len() < 50 && l.name != "生态保护红线（县级）")
        .map(|l| l.features().to_vec())
        .unwrap_or_default()
}

fn areas(features: &[villageplan::Feature]) -> Vec<f64> {
    features
        .iter()
        .map(|f| f.geometry.as_ref().unwrap().unsigned_area())
        .collect()
}

/// Clicks a polygon around the map centre with offsets `corners` and finishes with Enter.
fn draw(harness: &mut Harness<VillagePlanApp>, corners: &[(f32, f32)]) {
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in corners {
        click_at(harness, c + egui::vec2(d.0, d.1));
    }
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
}

const SQUARE: [(f32, f32); 4] = [(-60.0, -40.0), (60.0, -40.0), (60.0, 40.0), (-60.0, 40.0)];

#[test]
fn a_feature_is_split_by_a_line_and_merged_back_keeping_the_chosen_attributes() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = with_new_layer("三生空间", false);
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    draw(&mut harness, &SQUARE);
    let kind = harness.get_by_label("空间类型");
    kind.focus();
    kind.type_text("生态空间");
    harness.run_steps(1);
    harness.get_by_label("确定").click();
    harness.run_steps(3);
    let whole = areas(&drawn(&harness, LayerRole::ThreeSpaces))[0];

    // Split with a line from outside to outside through the middle.
    harness.get_by_label("分割").click();
    harness.run_steps(2);
    draw(&mut harness, &[(0.0, -80.0), (0.0, 80.0)]);
    let parts = areas(&drawn(&harness, LayerRole::ThreeSpaces));
    assert_eq!(parts.len(), 2, "split in two");
    assert!((parts.iter().sum::<f64>() - whole).abs() < 1e-6 * whole);
    assert!((parts[0] - parts[1]).abs() < 0.02 * whole, "{parts:?}");

    // Select both halves (click, then Shift+click) and merge, keeping the second's type.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    click_at(&mut harness, rect.center() + egui::vec2(-30.0, 0.0));
    // The identify panel opened and narrowed the map, which kept its geographic centre.
    let (rect, _) = harness.state().map_view().unwrap();
    let at = rect.center() + egui::vec2(30.0, 0.0);
    harness.hover_at(at);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::SHIFT,
        });
        harness.run_steps(1);
    }
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run_steps(3);
    let selected_spaces = harness
        .state()
        .identified()
        .iter()
        .filter(|p| {
            harness
                .state()
                .project()
                .unwrap()
                .layer(&p.layer)
                .unwrap()
                .role
                == LayerRole::ThreeSpaces
        })
        .count();
    assert_eq!(selected_spaces, 2, "Shift+click added the second half");
    // The part added by the split carries the feature's attributes.
    {
        let project = harness.state().project().unwrap();
        let layer = project
            .layers
            .iter()
            .find(|l| l.role == LayerRole::ThreeSpaces)
            .unwrap();
        assert_eq!(
            layer.value(1, "KJLX").and_then(|v| v.as_text()).as_deref(),
            Some("生态空间"),
            "the split part kept the attributes"
        );
    }
    harness.get_by_label("合并所选").click();
    harness.run_steps(4);
    let radios = harness
        .get_all_by_role(egui::accesskit::Role::RadioButton)
        .count();
    assert_eq!(radios, 2, "one choice per merged feature");
    harness
        .get_all_by_role(egui::accesskit::Role::RadioButton)
        .last()
        .unwrap()
        .click();
    harness.run_steps(2);
    harness.get_by_label("合并").click();
    harness.run_steps(3);
    let merged = drawn(&harness, LayerRole::ThreeSpaces);
    assert_eq!(merged.len(), 1);
    assert!(
        (areas(&merged)[0] - whole).abs() < 1e-6 * whole,
        "the union of the halves"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(
        drawn(&harness, LayerRole::ThreeSpaces).len(),
        2,
        "merge undone"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(
        drawn(&harness, LayerRole::ThreeSpaces).len(),
        1,
        "split undone"
    );
}

#[test]
fn a_second_polygon_traces_the_first_ones_outline_and_avoids_overlapping_it() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = with_new_layer("村庄建设边界", false);
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    draw(&mut harness, &SQUARE);
    harness.get_by_label("稍后填写").click();
    harness.run_steps(2);
    let first = areas(&drawn(&harness, LayerRole::VillageConstructionBoundary))[0];

    // Snapping on: a click on the first square's corner, then one on its right edge,
    // traces round the corner between them (three vertices, not two).
    harness.get_by_label("捕捉").click();
    harness.get_by_label("追踪").click();
    harness.get_by_label("避免重叠").click();
    harness.get_by_label("捕捉图层").click();
    harness.run_steps(2);
    harness.get_by_label("仅编辑图层").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    click_at(&mut harness, c + egui::vec2(-60.0, -40.0));
    click_at(&mut harness, c + egui::vec2(60.0, 0.0));
    harness.get_by_label_contains("已放置 3 个顶点");
    // Close it above the square, overlapping nothing new but its traced edge…
    click_at(&mut harness, c + egui::vec2(90.0, -120.0));
    click_at(&mut harness, c + egui::vec2(-60.0, -120.0));
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    harness.get_by_label("稍后填写").click();
    harness.run_steps(2);
    let both = drawn(&harness, LayerRole::VillageConstructionBoundary);
    assert_eq!(both.len(), 2);
    // …and the right half of the square it overlaps was clipped away by avoid overlaps:
    // the two features do not overlap.
    let (a, b) = (
        both[0].geometry.clone().unwrap(),
        both[1].geometry.clone().unwrap(),
    );
    let overlap = geo::BooleanOps::intersection(&villageplan_multi(&a), &villageplan_multi(&b))
        .unsigned_area();
    assert!(overlap < 1e-3 * first, "overlap {overlap} m²");
    let project = harness.state().project().unwrap();
    let id = &project
        .layers
        .iter()
        .find(|l| l.role == LayerRole::VillageConstructionBoundary)
        .unwrap()
        .id;
    assert!(villageplan::edit::avoids_overlaps(&project.settings, id));

    // A hole inside the first square, then filled again.
    harness.get_by_label("挖洞").click();
    harness.run_steps(2);
    draw(
        &mut harness,
        &[(-30.0, 0.0), (-10.0, 0.0), (-10.0, 20.0), (-30.0, 20.0)],
    );
    let holed = areas(&drawn(&harness, LayerRole::VillageConstructionBoundary))[0];
    assert!(holed < first && holed > 0.9 * first, "{holed} vs {first}");
    harness.get_by_label("填洞").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    click_at(&mut harness, rect.center() + egui::vec2(-20.0, 10.0));
    let filled = areas(&drawn(&harness, LayerRole::VillageConstructionBoundary))[0];
    // Equal up to geo's overlay grid (~1e-9 of the extent).
    assert!((filled - first).abs() < 1e-6 * first, "{filled} vs {first}");

    // Reshape: from the bottom edge in and back to it cuts a 30 × 20 notch off the square.
    harness.get_by_label("整形").click();
    harness.run_steps(2);
    draw(
        &mut harness,
        &[(-30.0, 40.0), (-30.0, 20.0), (0.0, 20.0), (0.0, 40.0)],
    );
    let reshaped = areas(&drawn(&harness, LayerRole::VillageConstructionBoundary))[0];
    let expected = first * (1.0 - 600.0 / 9600.0);
    assert!(
        (reshaped - expected).abs() < 0.01 * first,
        "{reshaped} vs {expected}"
    );
}

fn villageplan_multi(g: &geo::Geometry<f64>) -> geo::MultiPolygon<f64> {
    match g {
        geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p.clone()]),
        geo::Geometry::MultiPolygon(m) => m.clone(),
        _ => geo::MultiPolygon(vec![]),
    }
}

#[test]
fn lines_and_points_are_drawn_into_their_own_layers() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = with_new_layer("规划线", false);
    harness.get_by_label("绘制线").click();
    harness.run_steps(2);
    draw(&mut harness, &[(-80.0, 0.0), (0.0, -40.0), (80.0, 0.0)]);
    let name = harness.get_by_label("名称");
    name.focus();
    name.type_text("示范带主轴");
    harness.run_steps(1);
    harness.get_by_label("确定").click();
    harness.run_steps(3);
    let project = harness.state().project().unwrap();
    let lines = project.layers.iter().find(|l| l.name == "规划线").unwrap();
    assert_eq!(lines.features().len(), 1);
    match lines.features()[0].geometry.as_ref().unwrap() {
        geo::Geometry::LineString(l) => assert_eq!(l.0.len(), 3),
        other => panic!("not a line: {other:?}"),
    }
    assert_eq!(
        lines.value(0, "MC").and_then(|v| v.as_text()).as_deref(),
        Some("示范带主轴")
    );

    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("规划点").click();
    harness.run_steps(3);
    harness.get_by_label("绘制点").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    click_at(&mut harness, rect.center() + egui::vec2(20.0, 20.0));
    harness.get_by_label("稍后填写").click();
    harness.run_steps(2);
    click_at(&mut harness, rect.center() + egui::vec2(-20.0, 20.0));
    let project = harness.state().project().unwrap();
    let points = project.layers.iter().find(|l| l.name == "规划点").unwrap();
    assert_eq!(points.features().len(), 2, "every click is a point");
    assert!(matches!(
        points.features()[0].geometry,
        Some(geo::Geometry::Point(_))
    ));
}

#[test]
fn a_living_space_sketch_shows_its_farmland_overlap_live_and_a_box_selects() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("王家寨");
    settle(&mut harness);

    // Shift+drag a box: the features of one layer inside it are selected.
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    let (from, to) = (c + egui::vec2(-80.0, -80.0), c + egui::vec2(80.0, 80.0));
    harness.hover_at(from);
    harness.run_steps(1);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::SHIFT,
    });
    harness.run_steps(2);
    for k in 1..=8 {
        harness.event(egui::Event::PointerMoved(
            from + (to - from) * (k as f32 / 8.0),
        ));
        harness.run_steps(1);
    }
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::SHIFT,
    });
    harness.run_steps(1);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run_steps(3);
    let selected = harness.state().identified().to_vec();
    // The topmost layer with features in the box (here the village boundaries).
    assert!(!selected.is_empty(), "the box selected features");
    assert!(selected.iter().all(|p| p.layer == selected[0].layer));
    let view_after = harness.state().map_view().unwrap().0.center();
    assert_eq!(view_after, c, "Shift+drag did not pan the map");

    // A 生活空间 sketch over the farmland of 王家寨: its overlap is shown in 亩 as drawn.
    harness.get_by_label("编辑").click();
    harness.run_steps(2);
    harness.get_by_label("新建图层").hover();
    harness.run_steps(2);
    harness.get_by_label("三生空间").click();
    harness.run_steps(3);
    harness.get_by_label("捕捉").click();
    harness.get_by_label("新要素类型").click();
    harness.run_steps(2);
    harness.get_by_label("生活空间").click();
    harness.run_steps(2);
    harness.get_by_label("绘制面").click();
    harness.run_steps(2);
    let (rect, _) = harness.state().map_view().unwrap();
    let c = rect.center();
    for d in [(-150.0, -250.0), (150.0, -250.0), (150.0, -60.0)] {
        click_at(&mut harness, c + egui::vec2(d.0, d.1));
    }
    harness.hover_at(c + egui::vec2(-150.0, -60.0));
    harness.run_steps(3);
    harness.get_by_label_contains("与永久基本农田重叠");
}

#[test]
fn control_zones_of_a_village_are_drafted_tile_it_and_say_where_the_land_use_came_from() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("王家寨");
    settle(&mut harness);
    harness.get_by_label("编辑").click();
    harness.run_steps(3);
    harness.get_by_label("生成管控边界（地图中心的村）").click();
    settle(&mut harness);
    let project = harness.state().project().unwrap();
    let zones = project
        .layers
        .iter()
        .find(|l| l.role == LayerRole::ControlZone)
        .expect("a 管控边界 layer was created");
    assert!(!zones.features().is_empty());
    let codes: Vec<String> = (0..zones.features().len())
        .map(|i| {
            zones
                .value(i, "GKBJLXDM")
                .and_then(|v| v.as_text())
                .unwrap()
                .into_owned()
        })
        .collect();
    assert!(
        codes
            .iter()
            .all(|c| ["0101", "0102", "0201", "0202", "0301", "0900"].contains(&c.as_str()))
    );
    assert!(
        codes.iter().any(|c| c == "0202"),
        "the sample's farmland wins: {codes:?}"
    );
    let code = zones
        .value(0, "CZDM")
        .and_then(|v| v.as_text())
        .unwrap()
        .into_owned();
    let villages = project.layers.iter().find(|l| l.id == "villages").unwrap();
    let village_area = villages
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
    let total = zones.total_area_m2();
    assert!(
        (total - village_area).abs() < 0.01,
        "the zones tile the village: {total} vs {village_area}"
    );
    // The sample has no 规划地类: the planner is told the draft came from current land use.
    let message = harness.state().status_message().unwrap().to_string();
    assert!(message.contains("尚无规划地类"), "{message}");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let project = harness.state().project().unwrap();
    let zones = project
        .layers
        .iter()
        .find(|l| l.role == LayerRole::ControlZone)
        .unwrap();
    assert!(zones.features().is_empty(), "undone");
}
