//! 分析 → 示范区带线 in the real window on the committed sample (it has 乡镇驻地 and 自然村):
//! a corridor made through three seats, its width dragged with live summaries and
//! committed as one undoable step, and a village designated from the window; a centre-line
//! vertex of the sample's 锦秀线 dragged on the map, live, committed, undone and cancelled.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use villageplan::analysis::demonstration::Designation;
use villageplan::app::VillagePlanApp;
use villageplan::model::demonstration::demo_areas;

use crate::gui::{WINDOW, open_sample, settle};

const NAME: &str = "测试示范线（窗口）";

/// The stored width of the test corridor.
fn stored_width(harness: &Harness<VillagePlanApp>) -> f64 {
    let project = harness.state().project().unwrap();
    demo_areas(project)
        .unwrap()
        .into_iter()
        .find(|a| a.name == NAME)
        .and_then(|a| a.corridor)
        .expect("the test corridor")
        .width_m
}

/// The area of the summary shown (m²).
fn shown_area(harness: &Harness<VillagePlanApp>) -> f64 {
    harness
        .state()
        .demonstration()
        .and_then(|d| d.summary.as_ref())
        .expect("a summary is shown")
        .area_m2
}

fn designated_villages(harness: &Harness<VillagePlanApp>) -> usize {
    let review = harness.state().demonstration().unwrap().review.as_ref();
    review
        .expect("the review is shown")
        .targets
        .iter()
        .find(|t| t.designation == Designation::Village)
        .unwrap()
        .designated
}

/// Presses the pointer at `from`, moves to `to` in steps (each a frame) and, with
/// `release`, lets go there.
fn drag(harness: &mut Harness<VillagePlanApp>, from: egui::Pos2, to: egui::Pos2, release: bool) {
    harness.hover_at(from);
    harness.run_steps(1);
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(1);
    for k in 1..=6 {
        harness.event(egui::Event::PointerMoved(
            from + (to - from) * (k as f32 / 6.0),
        ));
        harness.run_steps(1);
    }
    if release {
        harness.event(egui::Event::PointerButton {
            pos: to,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_steps(1);
    }
}

#[test]
fn a_corridor_through_seats_follows_its_width_undoes_exactly_and_designations_count() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.get_by_label("分析").click();
    harness.run_steps(2);
    harness.get_by_label("示范区带线…").click();
    settle(&mut harness);
    assert!(
        harness.state().demonstration().is_some(),
        "the window opened"
    );
    harness.get_by_label("指定与目标");
    let villages_before = designated_villages(&harness);

    // A 示范线 through 小湾, 腰街 and 大寺 at 1000 m (the form's default width); the form is
    // folded since the sample has its layout already.
    harness.get_by_label("新建").click();
    harness.run_steps(2);
    let name = harness.get_by_role_and_label(Role::TextInput, "名称");
    name.focus();
    name.type_text(NAME);
    harness.run_steps(2);
    let seats =
        harness.get_by_role_and_label(Role::TextInput, "乡镇驻地（按顺序，逗号或顿号分隔）");
    seats.focus();
    seats.type_text("小湾,腰街,大寺");
    harness.run_steps(2);
    harness.get_by_label("新建示范线").click_accesskit();
    settle(&mut harness);
    let demo = harness.state().demonstration().unwrap();
    assert_eq!(demo.error, None);
    let row = demo.selected_row().expect("the new corridor is selected");
    assert_eq!(row.area.name, NAME);
    assert_eq!(stored_width(&harness), 1000.0);
    assert_eq!(harness.state().identified().len(), 1, "selected on the map");
    assert!(!harness.state().highlighted().is_empty(), "and highlighted");
    let summary = demo.summary.as_ref().expect("its summary");
    assert!(
        summary.townships.iter().any(|t| t.name.starts_with("小湾"))
            && summary.townships.iter().any(|t| t.name.starts_with("大寺")),
        "{:?}",
        summary.townships
    );
    assert!(!summary.villages.is_empty());
    let area_1000 = shown_area(&harness);
    assert!(
        (area_1000 - row.area_m2).abs() < 1e-6 * area_1000,
        "the summary's area is the listed one: {area_1000} vs {}",
        row.area_m2
    );
    let shown = format!("{:.2} 公顷", area_1000 / 10_000.0);
    assert!(
        harness.query_all_by_label_contains(&shown).count() >= 2,
        "{shown} in the list and the summary"
    );

    // Drag the width slider to the right: while held, the corridor and its summary follow
    // and nothing is written; released, the new width is one step.
    let slider = harness.get_by_role_and_label(Role::Slider, "宽度").rect();
    let (from, to) = (
        egui::pos2(slider.left() + slider.width() * 0.3, slider.center().y),
        egui::pos2(slider.left() + slider.width() * 0.9, slider.center().y),
    );
    drag(&mut harness, from, to, false);
    settle(&mut harness);
    let live = shown_area(&harness);
    assert!(
        live > area_1000 * 1.2,
        "wider while dragged: {live} vs {area_1000}"
    );
    assert_eq!(stored_width(&harness), 1000.0, "nothing written while held");
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    settle(&mut harness);
    let wide = stored_width(&harness);
    assert!(wide > 1500.0, "committed on release: {wide} m");
    let area_wide = shown_area(&harness);
    assert!(area_wide > area_1000 * 1.2);
    assert!(
        harness
            .query_all_by_label_contains(&format!("{wide} m（圆头）"))
            .next()
            .is_some(),
        "the list shows the new width"
    );

    // One Ctrl+Z: the width, and with it the area shown, exactly as before.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(stored_width(&harness), 1000.0, "one step back");
    assert_eq!(
        shown_area(&harness),
        area_1000,
        "the summary of the old polygon"
    );
    let row = harness
        .state()
        .demonstration()
        .unwrap()
        .selected_row()
        .unwrap();
    assert_eq!(row.area_m2, area_1000);

    // 平头 is one step too (the corridor's; the new-area form below has one of its own).
    harness.query_all_by_label("平头").next().unwrap().click();
    settle(&mut harness);
    assert!(
        shown_area(&harness) < area_1000,
        "flat ends cut the round caps off"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(shown_area(&harness), area_1000);

    // Designate a village the corridor touches: select it on the map (the search box),
    // then the window's button; the progress counts it, the summary marks it.
    // (One the sample has not designated already.)
    let before = harness
        .state()
        .demonstration()
        .unwrap()
        .summary
        .clone()
        .unwrap();
    let village = before
        .villages
        .iter()
        .find(|v| !v.unit.designated)
        .expect("a touched village not yet designated")
        .unit
        .clone();
    harness.state_mut().find(&village.code);
    settle(&mut harness);
    harness.get_by_label("指定为精品示范村").click_accesskit();
    settle(&mut harness);
    assert_eq!(designated_villages(&harness), villages_before + 1);
    let summary = harness
        .state()
        .demonstration()
        .unwrap()
        .summary
        .clone()
        .unwrap();
    assert!(
        summary
            .villages
            .iter()
            .any(|v| v.unit.code == village.code && v.unit.designated),
        "marked in the summary"
    );
    assert_eq!(
        summary.designated(Designation::Village),
        before.designated(Designation::Village) + 1
    );
    harness.get_by_label("取消精品示范村").click_accesskit();
    settle(&mut harness);
    assert_eq!(designated_villages(&harness), villages_before);

    // 导出 to CSV by the file's ending: the library's report, with the corridor.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("示范区带线.csv");
    harness
        .get_by_role_and_label(Role::TextInput, "导出到")
        .focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "导出到")
        .type_text(out.to_str().unwrap());
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "导出")
        .click_accesskit();
    settle(&mut harness);
    let text = std::fs::read_to_string(&out).expect("the CSV was written");
    assert!(text.starts_with('\u{feff}'), "with the BOM Excel needs");
    assert!(text.contains(NAME) && text.contains("目标进度"), "{text}");
}

/// The stored centre line and polygon of the sample corridor `name`.
fn stored_corridor(
    harness: &Harness<VillagePlanApp>,
    name: &str,
) -> (Vec<geo::Coord<f64>>, geo::Geometry<f64>) {
    let project = harness.state().project().unwrap();
    let area = demo_areas(project)
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .expect("the sample's corridor");
    let layer = project.layer(&area.layer_id).unwrap();
    let geometry = layer.features()[area.position].geometry.clone().unwrap();
    let centre = area.corridor.expect("a corridor").centre;
    (
        centre.0.iter().flat_map(|l| l.0.clone()).collect(),
        geometry,
    )
}

/// Where a working-CRS point is on the screen (points).
fn on_screen(harness: &Harness<VillagePlanApp>, c: geo::Coord<f64>) -> egui::Pos2 {
    use villageplan::crs::{Transformer, epsg_srs};
    let project = harness.state().project().unwrap();
    let to_mercator = Transformer::new(
        &project.crs.spatial_ref().unwrap(),
        &epsg_srs(3857).unwrap(),
    )
    .unwrap();
    let (x, y) = to_mercator.transform_point(c.x, c.y).unwrap();
    let (rect, viewport) = harness.state().map_view().unwrap();
    let ppp = viewport.width as f32 / rect.width();
    let s = viewport.screen_from_mercator([x, y]);
    egui::pos2(rect.min.x + s[0] / ppp, rect.min.y + s[1] / ppp)
}

fn release(harness: &mut Harness<VillagePlanApp>, at: egui::Pos2) {
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
}

#[test]
fn a_centre_vertex_dragged_on_the_map_follows_live_commits_once_undoes_and_esc_cancels() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_sample();
    harness.get_by_label("分析").click();
    harness.run_steps(2);
    harness.get_by_label("示范区带线…").click();
    settle(&mut harness);
    harness.query_all_by_label("锦秀线").next().unwrap().click();
    settle(&mut harness);
    let (line, polygon) = stored_corridor(&harness, "锦秀线");
    let area = shown_area(&harness);
    let highlight = harness.state().highlighted().to_vec();
    assert_eq!(harness.state().undo_label(), None, "a fresh project");

    // The handle to take: an inner vertex on the open map (no window over it or over where
    // it goes), the one farthest from its neighbours on screen (so the press cannot take
    // another).
    let (rect, view) = harness.state().map_view().unwrap();
    let inside = rect.shrink(60.0);
    let on_map = |p: egui::Pos2| {
        inside.contains(p)
            && harness
                .ctx
                .layer_id_at(p)
                .is_some_and(|l| l.order == egui::Order::Background)
    };
    let screen: Vec<egui::Pos2> = line.iter().map(|c| on_screen(&harness, *c)).collect();
    let offset = egui::vec2(35.0, -45.0);
    let (index, from) = (1..screen.len() - 1)
        .filter(|&i| on_map(screen[i]) && on_map(screen[i] + offset * 1.6))
        .map(|i| {
            let gap = screen[i]
                .distance(screen[i - 1])
                .min(screen[i].distance(screen[i + 1]));
            (i, gap)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| (i, screen[i]))
        .expect("a vertex of 锦秀线 on the map");
    let to = from + offset;

    // Held: the outline and the summary follow, nothing is written.
    drag(&mut harness, from, to, false);
    settle(&mut harness);
    let live = shown_area(&harness);
    assert!(
        (live - area).abs() > 1e-4 * area,
        "the summary follows the vertex: {live} vs {area}"
    );
    assert_ne!(
        harness.state().highlighted(),
        highlight,
        "so does the outline"
    );
    assert_eq!(
        stored_corridor(&harness, "锦秀线"),
        (line.clone(), polygon.clone())
    );
    assert_eq!(harness.state().undo_label(), None, "nothing in the history");

    // Released: one step, the vertex moved and no other.
    release(&mut harness, to);
    settle(&mut harness);
    let (moved, moved_polygon) = stored_corridor(&harness, "锦秀线");
    assert_eq!(moved.len(), line.len());
    for (i, (a, b)) in line.iter().zip(&moved).enumerate() {
        assert_eq!(a == b, i != index, "vertex {i} (moved: {index})");
    }
    assert_ne!(moved_polygon, polygon);
    let step = harness.state().undo_label().map(str::to_string);
    assert_eq!(
        step.as_deref(),
        Some(format!("锦秀线 中心线第 {} 个顶点", index + 1).as_str())
    );
    let committed = shown_area(&harness);
    assert!(
        (committed - live).abs() < 1e-6 * live,
        "{committed} vs {live}"
    );
    let row = harness
        .state()
        .demonstration()
        .unwrap()
        .selected_row()
        .unwrap();
    assert_eq!(row.area_m2, committed, "the list follows");

    // Ctrl+Z: the exact polygon and area; Ctrl+Shift+Z and Ctrl+Y redo.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(
        stored_corridor(&harness, "锦秀线"),
        (line.clone(), polygon.clone())
    );
    assert_eq!(shown_area(&harness), area);
    assert_eq!(harness.state().undo_label(), None, "one step only");
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    settle(&mut harness);
    assert_eq!(stored_corridor(&harness, "锦秀线").1, moved_polygon);
    assert_eq!(shown_area(&harness), committed);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    settle(&mut harness);
    assert_eq!(stored_corridor(&harness, "锦秀线").1, moved_polygon);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(shown_area(&harness), area);

    // Esc while holding: the stored corridor again, and the rest of the drag does nothing.
    // This time the press and the first moves come in one frame, as in a slow frame of the
    // real window: the handle pressed is still the one taken.
    harness.hover_at(from);
    harness.run_steps(2);
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    for k in 1..=3 {
        harness.event(egui::Event::PointerMoved(from + offset * (k as f32 / 3.0)));
    }
    harness.run_steps(1);
    settle(&mut harness);
    assert!((shown_area(&harness) - area).abs() > 1e-4 * area);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(shown_area(&harness), area, "cancelled");
    assert_eq!(harness.state().highlighted(), highlight);
    harness.event(egui::Event::PointerMoved(to + egui::vec2(20.0, 20.0)));
    harness.run_steps(2);
    release(&mut harness, to + egui::vec2(20.0, 20.0));
    settle(&mut harness);
    assert_eq!(stored_corridor(&harness, "锦秀线"), (line, polygon));
    assert_eq!(shown_area(&harness), area);
    assert!(
        harness.state().identified().len() == 1,
        "Esc kept the corridor selected"
    );
    let now = harness.state().map_view().unwrap().1;
    assert_eq!(now.center, view.center, "the map never panned");
}
