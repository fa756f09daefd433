//! `villageplan corridor`, `designate` and `demo` on a copy of the committed sample, with
//! its township seats and natural villages.

use std::path::{Path, PathBuf};

use villageplan::analysis::demonstration::{Designation, Designations};
use villageplan::model::admin::AdminUnits;
use villageplan::model::demonstration::{DemoKind, LineEnds, find_demo_area};
use villageplan::model::settlements::TownshipSeats;
use villageplan::{LayerRole, Silent};

use crate::fixtures::villageplan;

/// A copy of the committed sample (which has township seats and synthetic natural villages)
/// without its demonstration layout, in a temporary directory; the code of the village
/// 腰街's seat lies in.
fn sample_copy() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let project = villageplan::io::load_project(&sample, &Silent).unwrap();
    let seats = TownshipSeats::read(&project).unwrap();
    let seat = seats.find("腰街").unwrap();
    let village = AdminUnits::villages(&project)
        .unwrap()
        .containing(seat.point)
        .unwrap()
        .code
        .clone();
    // Without the sample's own layout and designations: these tests draw and designate
    // from nothing, as a county starting its plan would.
    let mut project = project;
    project
        .layers
        .retain(|l| l.role != LayerRole::Demonstration);
    Designations::default()
        .store(&mut project.settings)
        .unwrap();
    project.file = None;
    villageplan::io::save_project(&project, &path, &Silent).unwrap();
    (dir, path, village)
}

fn run(args: &[&str]) -> (i32, String, String) {
    villageplan(args)
}

#[test]
fn corridors_through_seats_or_from_a_file_and_their_bad_input() {
    let (dir, path, _) = sample_copy();
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&[
        "corridor",
        p,
        "--name",
        "锦秀线",
        "--kind",
        "示范线",
        "--width",
        "1000",
        "--through",
        "小湾,腰街,大寺",
        "--theme",
        "茶旅融合",
        "--write",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("示范线 '锦秀线'") && out.contains("写入"),
        "{out}"
    );
    assert!(
        out.contains("小湾镇") && out.contains("腰街彝族乡"),
        "{out}"
    );
    let project = villageplan::io::load_project(&path, &Silent).unwrap();
    let line = find_demo_area(&project, "锦秀线").unwrap();
    assert_eq!(line.kind, Some(DemoKind::Line));
    assert_eq!(line.theme, "茶旅融合");
    let corridor = line.corridor.unwrap();
    assert_eq!((corridor.width_m, corridor.ends), (1000.0, LineEnds::Round));
    assert_eq!(corridor.centre.0[0].0.len(), 3, "through the three seats");

    // A centre line from a GeoJSON file (lon/lat), flat ends, not written.
    let file = dir.path().join("line.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
           "geometry":{"type":"LineString","coordinates":[[100.0,24.7],[100.1,24.75]]}}]}"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (code, out, err) = run(&[
        "corridor",
        p,
        "--name",
        "试线",
        "--width",
        "500",
        "--line",
        f,
        "--flat-ends",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("平头") && out.contains("未写入"), "{out}");
    let again = villageplan::io::load_project(&path, &Silent).unwrap();
    assert!(
        find_demo_area(&again, "试线").is_err(),
        "nothing saved without --write"
    );

    for (args, says) in [
        (
            vec!["--width", "0", "--through", "小湾,腰街"],
            "more than 0 m",
        ),
        (
            vec!["--width", "60000", "--through", "小湾,腰街"],
            "more than 50 km",
        ),
        (
            vec!["--width", "100", "--through", "小湾,昆明"],
            "no township seat '昆明'",
        ),
        (
            vec!["--width", "100", "--through", "小湾"],
            "at least 2 seats",
        ),
        (vec!["--width", "100"], "--line FILE or --through"),
        (
            vec![
                "--width",
                "100",
                "--through",
                "小湾,腰街",
                "--kind",
                "示范区",
            ],
            "not 示范带 or 示范线",
        ),
    ] {
        let mut all = vec!["corridor", p, "--name", "坏线"];
        all.extend(args);
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{all:?}");
        assert!(
            err.contains(says) && !err.contains("panicked"),
            "{all:?}: {err}"
        );
    }
    let (code, _, err) = run(&[
        "corridor",
        p,
        "--name",
        "锦秀线",
        "--width",
        "100",
        "--through",
        "小湾,大寺",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");
}

#[test]
fn designations_are_checked_saved_and_shown_with_progress() {
    let (dir, path, village) = sample_copy();
    let p = path.to_str().unwrap();
    let v = village.as_str();
    let (first, second) = (format!("{v}001"), format!("{v}002"));
    for args in [
        vec!["--township", "530921206", "--as", "乡村振兴示范乡镇"],
        vec!["--village", v, "--as", "精品示范村"],
        vec!["--natural-village", &first, "--as", "美丽村庄"],
        vec!["--natural-village", &second, "--as", "美丽村庄"],
        vec!["--natural-village", &second, "--as", "美丽村庄", "--remove"],
        vec!["--target", "20", "--as", "精品示范村"],
    ] {
        let mut all = vec!["designate", p];
        all.extend(args.iter().copied());
        all.push("--write");
        let (code, out, err) = run(&all);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("写入"), "{out}");
    }
    for (args, says) in [
        (
            vec!["--village", "530921206299", "--as", "精品示范村"],
            "has no 行政村 with that code",
        ),
        (
            vec!["--township", "530921206", "--as", "精品示范村"],
            "use --village",
        ),
        (
            vec!["--natural-village", "5309212062010", "--as", "美丽村庄"],
            "different length",
        ),
        (
            vec!["--village", v, "--as", "示范村"],
            "not 乡村振兴示范乡镇",
        ),
    ] {
        let mut all = vec!["designate", p];
        all.extend(args.iter().copied());
        all.push("--write");
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let project = villageplan::io::load_project(&path, &Silent).unwrap();
    let d = Designations::from_settings(&project.settings).unwrap();
    assert!(d.has(Designation::Township, "530921206"));
    assert!(d.has(Designation::Village, v));
    assert_eq!(d.codes(Designation::NaturalVillage).len(), 1);
    assert_eq!(d.targets.villages, 20);

    let (code, _, err) = run(&[
        "corridor",
        p,
        "--name",
        "锦秀线",
        "--width",
        "1000",
        "--through",
        "小湾,腰街,大寺",
        "--write",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["demo", p, "--skip-checks"]);
    assert_eq!(code, 0, "{err}");
    for says in [
        "SYNTHETIC",
        "目标进度",
        "精品示范村          20       1",
        "锦秀线",
        "人口按行政村面积比例折算",
        "质检未运行",
    ] {
        assert!(out.contains(says), "{says}:\n{out}");
    }

    let csv = dir.path().join("demo.csv");
    let (code, _, err) = run(&[
        "demo",
        p,
        "--skip-checks",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(text.contains("涉及行政村") && text.contains(v), "{text}");

    let xlsx = dir.path().join("demo.xlsx");
    let (code, _, err) = run(&[
        "demo",
        p,
        "--skip-checks",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "a zip workbook"
    );

    let geojson = dir.path().join("demo.geojson");
    let (code, _, err) = run(&[
        "demo",
        p,
        "--name",
        "锦秀线",
        "--skip-checks",
        "--format",
        "geojson",
        "--out",
        geojson.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    let features = value["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["properties"]["MC"], "锦秀线");
    let properties = &features[0]["properties"];
    assert_eq!(properties["SFXZ"], 1, "腰街 is a 示范乡镇 on the line");
    assert_eq!(properties["JPSFC"], 1, "the 精品示范村 at its seat");
    assert_eq!(properties["MLCZ"], 1, "the 美丽村庄 at its seat");
    let mut first = &features[0]["geometry"]["coordinates"];
    while let Some(inner) = first.get(0) {
        first = inner;
    }
    let lon = first.as_f64().unwrap();
    assert!((99.0..101.0).contains(&lon), "lon/lat: {lon}");

    // With the checks and as JSON: the designated village is reviewed.
    let (code, out, err) = run(&["demo", p, "--name", "锦秀线", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["areas"].as_array().unwrap().len(), 1);
    assert!(
        value["review"]["checks"]
            .as_str()
            .unwrap()
            .contains("rules ran")
    );
    let units = value["review"]["units"].as_array().unwrap();
    let designated = units.iter().find(|u| u["code"] == v).unwrap();
    assert_eq!(designated["areas"][0], "锦秀线");

    let (code, _, err) = run(&["demo", p, "--name", "三线"]);
    assert_eq!(code, 2);
    assert!(err.contains("no demonstration area named '三线'"), "{err}");
}
