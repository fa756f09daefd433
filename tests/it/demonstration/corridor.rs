//! Corridors and zones: polygon areas against their analytic values, undoable width and
//! vertex edits, save and load, the refused inputs, routing through seats, zones from units.

use std::f64::consts::PI;

use geo::{Area, BooleanOps, LineString, MultiLineString, MultiPolygon};
use villageplan::edit::History;
use villageplan::edit::demonstration::{
    CentreVertex, DemoLabel, add_corridor, add_zone, corridor_polygon, line_through_seats,
    move_centre_vertex, new_demonstration_layer, set_corridor_width, zone_geometry,
};
use villageplan::model::demonstration::{
    CorridorLine, DemoKind, LineEnds, demo_area, find_demo_area,
};
use villageplan::{Project, Silent};

use super::fixture::{county, km, rect, with_seats};

fn line(points: &[(f64, f64)], width_m: f64, ends: LineEnds) -> CorridorLine {
    CorridorLine {
        centre: MultiLineString(vec![LineString(
            points.iter().map(|(x, y)| km(*x, *y)).collect(),
        )]),
        width_m,
        ends,
    }
}

fn assert_close(area: f64, exact: f64, what: &str) {
    let error = (area - exact).abs() / exact;
    assert!(
        error < 0.005,
        "{what}: {area:.1} m² vs analytic {exact:.1} m² ({:.3} %)",
        error * 100.0
    );
}

#[test]
fn corridor_areas_match_their_analytic_values() {
    let (w, r) = (1000.0, 500.0);
    // A 10 km straight line: a rectangle and two half discs, or the rectangle alone.
    let straight = corridor_polygon(&line(&[(0.0, 0.0), (10.0, 0.0)], w, LineEnds::Round));
    assert_close(
        straight.unwrap().unsigned_area(),
        w * 10_000.0 + PI * r * r,
        "straight, round ends",
    );
    let flat = corridor_polygon(&line(&[(0.0, 0.0), (10.0, 0.0)], w, LineEnds::Flat));
    assert_close(
        flat.unwrap().unsigned_area(),
        w * 10_000.0,
        "straight, flat ends",
    );

    // An L: 6 km east, then 4 km north. The legs' rectangles (2r × 6 km, 2r × 4 km) overlap
    // in the r × r square inside the corner; outside the corner the join arc adds a quarter
    // disc; each round end a half disc.
    let (a, b) = (6_000.0, 4_000.0);
    let legs = 2.0 * r * a + 2.0 * r * b - r * r;
    let join = PI * r * r / 4.0;
    let ends = 2.0 * (PI * r * r / 2.0);
    let corner = [(0.0, 0.0), (6.0, 0.0), (6.0, 4.0)];
    let round = corridor_polygon(&line(&corner, w, LineEnds::Round)).unwrap();
    assert_close(round.unsigned_area(), legs + join + ends, "L, round ends");
    let flat = corridor_polygon(&line(&corner, w, LineEnds::Flat)).unwrap();
    assert_close(flat.unsigned_area(), legs + join, "L, flat ends");
}

/// A project with an empty demonstration layer; its id.
fn with_layer(mut project: Project) -> (Project, String) {
    let layer = new_demonstration_layer(&project);
    let id = layer.id.clone();
    project.add_layer(layer);
    (project, id)
}

fn label(name: &str) -> DemoLabel {
    DemoLabel {
        name: name.into(),
        theme: "茶旅融合".into(),
        note: String::new(),
    }
}

#[test]
fn width_and_vertex_edits_follow_the_line_and_undo_exactly() {
    let (mut project, id) = with_layer(county());
    let mut history = History::default();
    let first = line(
        &[(1.0, 5.0), (9.0, 5.0), (9.0, 8.0)],
        1000.0,
        LineEnds::Round,
    );
    let edit = add_corridor(&project, &id, &label("锦秀线"), DemoKind::Line, &first).unwrap();
    history.apply(&mut project, "新建示范线", edit).unwrap();
    let before = project.layer(&id).unwrap().features()[0].clone();
    let area = |p: &Project| p.layer(&id).unwrap().total_area_m2();
    let a1000 = area(&project);

    let edit = set_corridor_width(&project, &id, 0, 500.0).unwrap();
    history.apply(&mut project, "宽度", edit).unwrap();
    let read = demo_area(project.layer(&id).unwrap(), 0).unwrap();
    assert_eq!(read.corridor.as_ref().unwrap().width_m, 500.0);
    assert!(
        (area(&project) / a1000 - 0.5).abs() < 0.03,
        "half the width, about half the area: {} vs {a1000}",
        area(&project)
    );
    let narrow = project.layer(&id).unwrap().features()[0].clone();

    let edit = move_centre_vertex(
        &project,
        &id,
        0,
        CentreVertex { part: 0, index: 2 },
        km(9.0, 9.0),
    )
    .unwrap();
    history.apply(&mut project, "移动中心线节点", edit).unwrap();
    let moved = demo_area(project.layer(&id).unwrap(), 0).unwrap();
    assert_eq!(
        moved.corridor.unwrap().centre.0[0].0[2],
        km(9.0, 9.0),
        "the line moved"
    );
    let longer = area(&project);
    assert!(
        (longer - project_area_of(&narrow) - 500.0 * 1000.0).abs() < 1.0,
        "1 km more line at 500 m adds 0.5 km²: {longer}"
    );

    history.undo(&mut project).unwrap();
    assert_eq!(project.layer(&id).unwrap().features()[0], narrow);
    history.undo(&mut project).unwrap();
    assert_eq!(
        project.layer(&id).unwrap().features()[0],
        before,
        "geometry, width, line and area fields exactly as they were"
    );
    history.redo(&mut project).unwrap();
    assert_eq!(project.layer(&id).unwrap().features()[0], narrow);
}

fn project_area_of(feature: &villageplan::Feature) -> f64 {
    feature.geometry.as_ref().unwrap().unsigned_area()
}

#[test]
fn a_corridor_and_a_zone_survive_save_and_load() {
    let (mut project, id) = with_layer(county());
    let mut history = History::default();
    let belt = line(
        &[(0.5, 2.0), (12.25, 2.5), (29.5, 1.0)],
        1234.5,
        LineEnds::Flat,
    );
    let edit = add_corridor(&project, &id, &label("一带"), DemoKind::Belt, &belt).unwrap();
    history.apply(&mut project, "新建", edit).unwrap();
    let zone = zone_geometry(&project, &["530921101"], &["530921102001"], None).unwrap();
    let edit = add_zone(&project, &id, &label("一区"), zone).unwrap();
    history.apply(&mut project, "新建", edit).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    villageplan::io::save_project(&project, &path, &Silent).unwrap();
    let loaded = villageplan::io::load_project(&path, &Silent).unwrap();
    for name in ["一带", "一区"] {
        let a = find_demo_area(&project, name).unwrap();
        let b = find_demo_area(&loaded, name).unwrap();
        assert_eq!(a, b, "{name}");
    }
    let read = find_demo_area(&loaded, "一带").unwrap();
    assert_eq!(read.kind, Some(DemoKind::Belt));
    assert_eq!(read.theme, "茶旅融合");
    assert_eq!(read.corridor.unwrap(), belt, "the centre line bit for bit");
    let layer = loaded.layer(&id).unwrap();
    assert_eq!(layer.features(), project.layer(&id).unwrap().features());
    let err = find_demo_area(&loaded, "三线").unwrap_err().to_string();
    assert!(err.contains("一带") && err.contains("一区"), "{err}");
}

#[test]
fn bad_corridors_are_refused_with_their_reason() {
    let (project, id) = with_layer(with_seats(county()));
    let add = |l: &CorridorLine| {
        add_corridor(&project, &id, &label("古墨线"), DemoKind::Line, l)
            .unwrap_err()
            .to_string()
    };
    let straight = [(0.0, 0.0), (10.0, 0.0)];
    for (width, says) in [
        (0.0, "must be more than 0 m"),
        (-100.0, "must be more than 0 m"),
        (60_000.0, "more than 50 km"),
    ] {
        let err = add(&line(&straight, width, LineEnds::Round));
        assert!(
            err.contains("corridor '古墨线'") && err.contains(says),
            "{err}"
        );
    }
    let crossing = line(
        &[(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (5.0, -5.0)],
        100.0,
        LineEnds::Round,
    );
    assert!(
        add(&crossing).contains("crosses itself at"),
        "{}",
        add(&crossing)
    );
    let point = line(&[(3.0, 3.0), (3.0, 3.0)], 100.0, LineEnds::Round);
    assert!(add(&point).contains("at least 2"), "{}", add(&point));
    // A zone kind is no corridor; a name is needed and unique.
    let ok = line(&straight, 100.0, LineEnds::Round);
    let err = add_corridor(&project, &id, &label("x"), DemoKind::Zone, &ok).unwrap_err();
    assert!(err.to_string().contains("not a corridor"), "{err}");
    let err = add_corridor(&project, &id, &label(" "), DemoKind::Line, &ok).unwrap_err();
    assert!(err.to_string().contains("needs a 名称"), "{err}");
    // Seats: unknown, too few, and no seat layer at all.
    let err = line_through_seats(&project, &["小湾", "昆明"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no township seat '昆明'") && err.contains("新华彝族苗族乡"),
        "{err}"
    );
    let err = line_through_seats(&project, &["小湾"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least 2 seats"), "{err}");
    let err = line_through_seats(&county(), &["小湾", "新华"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("乡镇驻地"), "{err}");
}

#[test]
fn seats_are_found_by_code_full_or_short_name_in_the_given_order() {
    let project = with_seats(county());
    let centre = |x: f64| km(x, 5.0);
    for (names, xs) in [
        (vec!["小湾", "新华", "凤山"], vec![25.0, 15.0, 5.0]),
        (vec!["小湾镇", "新华彝族苗族乡"], vec![25.0, 15.0]),
        (
            vec!["530921101", "新华乡", "530921103"],
            vec![5.0, 15.0, 25.0],
        ),
    ] {
        let l = line_through_seats(&project, &names).unwrap();
        let expected: Vec<_> = xs.iter().map(|x| centre(*x)).collect();
        assert_eq!(l.0[0].0, expected, "{names:?}");
    }
    let err = line_through_seats(&project, &["小湾", "小湾镇"]).unwrap_err();
    assert!(err.to_string().contains("twice in a row"), "{err}");
}

#[test]
fn a_zone_from_units_is_their_union() {
    let project = county();
    // 凤山镇 (0–10 km), the first village of 新华 (10–15 km), and a drawn square that
    // overlaps the village and reaches beyond it (14–16 km × 4–6 km).
    let drawn = MultiPolygon(vec![rect(14.0, 4.0, 16.0, 6.0)]);
    let zone = zone_geometry(&project, &["530921101"], &["530921102001"], Some(&drawn)).unwrap();
    let expected = MultiPolygon(vec![rect(0.0, 0.0, 15.0, 10.0), rect(15.0, 4.0, 16.0, 6.0)]);
    let expected = expected.union(&MultiPolygon::new(vec![]));
    assert_eq!(zone.0.len(), 1, "dissolved into one polygon");
    let difference = zone.xor(&expected).unsigned_area();
    assert!(difference < 1e-3, "{difference} m² between zone and union");
    assert!((zone.unsigned_area() - (150e6 + 2e6)).abs() < 1e-3);
    let err = zone_geometry(&project, &["530921199"], &[], None).unwrap_err();
    assert!(
        err.to_string()
            .contains("no township (9 digits) with code '530921199'"),
        "{err}"
    );
    let err = zone_geometry(&project, &[], &[], None).unwrap_err();
    assert!(err.to_string().contains("needs townships"), "{err}");
}
