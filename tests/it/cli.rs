//! The `villageplan` binary as a user runs it.

use std::process::Command;

use crate::fixtures::{corpus, villageplan};

#[test]
fn info_shows_encoding_decisions_and_chinese_text() {
    let dbf = corpus("mapshaper/dbf/ldid/chinese.shp");
    let (code, out, _) = villageplan(&["info", dbf.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("GBK (from the DBF language driver byte 0x7A)"),
        "{out}"
    );
    assert!(out.contains("NAME=简体"), "{out}");

    let yunnan = corpus("garybikini_yunnan_district_2020/云南省.shp");
    let (code, out, _) = villageplan(&["info", yunnan.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("129 features"), "{out}");
    assert!(
        out.contains("UTF-8 (undeclared; every text value is valid UTF-8)"),
        "{out}"
    );
    assert!(out.contains("none declared"), "{out}");

    let gdb = corpus("pyogrio/test_fgdb.gdb.zip");
    let (code, out, _) = villageplan(&["info", gdb.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("OpenFileGDB") && out.contains("test_areas"),
        "{out}"
    );
}

#[test]
fn errors_name_the_file_and_exit_2() {
    let (code, out, err) = villageplan(&["info", "/no/such/file.shp"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("/no/such/file.shp"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn killing_a_save_leaves_the_previous_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (code, _, err) = villageplan(&["sample", "--out", out, "--parcels", "1500"]);
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("fengqing.gpkg");
    let before = villageplan::io::load_project(&path, &villageplan::Silent).unwrap();

    // A bigger save of the same file, killed while its temporary file is being written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_villageplan"))
        .args(["sample", "--out", out, "--parcels", "30000", "--seed", "7"])
        .spawn()
        .unwrap();
    let saving = |d: &std::path::Path| {
        std::fs::read_dir(d).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".fengqing.saving-")
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    while !saving(dir.path()) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the save finished before it could be interrupted"
        );
        assert!(std::time::Instant::now() < deadline, "no save started");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let after = villageplan::io::load_project(&path, &villageplan::Silent).unwrap();
    assert_eq!(before.layers.len(), after.layers.len());
    for (a, b) in before.layers.iter().zip(&after.layers) {
        assert_eq!(a.features(), b.features(), "layer {}", a.id);
    }
}

#[test]
fn spaces_drafts_a_village_and_writes_the_layer() {
    use geo::Area;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("p.gpkg");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg"),
        &copy,
    )
    .unwrap();
    let p = copy.to_str().unwrap();
    let (status, out, err) = villageplan(&["spaces", p, "--village", "530921107205", "--write"]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.contains("生产空间") && out.contains("写入图层"),
        "{out}"
    );
    let project = villageplan::io::load_project(&copy, &villageplan::Silent).unwrap();
    // The sample carries the 三生空间 of its planned villages already: this village's spaces
    // are the features with its CZDM.
    let drafted: f64 = project
        .layers
        .iter()
        .filter(|l| l.role == villageplan::LayerRole::ThreeSpaces)
        .flat_map(|l| {
            (0..l.features().len()).filter_map(move |i| {
                let own =
                    l.value(i, "CZDM").and_then(|v| v.as_text()).as_deref() == Some("530921107205");
                own.then(|| {
                    l.features()[i]
                        .geometry
                        .as_ref()
                        .map_or(0.0, |g| g.unsigned_area())
                })
            })
        })
        .sum();
    let villages = project.layers.iter().find(|l| l.id == "villages").unwrap();
    let code = villages.field_index("XZQDM").unwrap();
    let village = villages
        .features()
        .iter()
        .find(|f| f.attributes[code].as_text().as_deref() == Some("530921107205"))
        .unwrap();
    let area = village.geometry.as_ref().unwrap().unsigned_area();
    assert!((drafted - area).abs() / area < 1e-3, "{drafted} vs {area}");
    let (status, _, err) = villageplan(&["spaces", p, "--village", "000000000000"]);
    assert_eq!(status, 2);
    assert!(err.contains("000000000000"), "{err}");
}

#[test]
fn two_commands_writing_one_project_at_once_lose_nothing() {
    use villageplan::analysis::classify::stored_classification;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let p = path.to_str().unwrap();
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    // The sample carries the 三生空间 of its six planned villages: the draft of every village
    // adds to them.
    let spaces_of = |project: &villageplan::Project| -> usize {
        project
            .layers
            .iter()
            .filter(|l| l.role == villageplan::LayerRole::ThreeSpaces)
            .map(|l| l.features().len())
            .sum()
    };
    let in_sample =
        spaces_of(&villageplan::io::load_project(&sample, &villageplan::Silent).unwrap());
    let has_spaces = |project: &villageplan::Project| spaces_of(project) > in_sample;
    for trial in 0..2 {
        std::fs::copy(&sample, &path).unwrap();
        let start = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_villageplan"))
                .args(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let classify = start(&["classify", p, "--write"]);
        let spaces = start(&["spaces", p, "--write"]);
        let outcome = |child: std::process::Child| {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            let saved = match out.status.code() {
                Some(0) => true,
                Some(2) => {
                    assert!(
                        err.contains("changed by another program or window since it was opened"),
                        "trial {trial}: {err}"
                    );
                    false
                }
                other => panic!("trial {trial}: exit {other:?}: {err}"),
            };
            (saved, err)
        };
        let (classified, classify_err) = outcome(classify);
        let (drafted, spaces_err) = outcome(spaces);
        // The first save to finish finds the file as both read it, so one always succeeds.
        assert!(
            classified || drafted,
            "trial {trial}: {classify_err}\n{spaces_err}"
        );
        let project = villageplan::io::load_project(&path, &villageplan::Silent).unwrap();
        assert_eq!(
            stored_classification(&project).unwrap().is_some(),
            classified,
            "trial {trial}: the classification is in the file exactly when classify said so"
        );
        assert_eq!(
            has_spaces(&project),
            drafted,
            "trial {trial}: the 三生空间 layer is in the file exactly when spaces said so"
        );
    }
}

/// `import` lists each layer with what it holds: polygon layers their planar area, the
/// others their kind (a table has no area to print, least of all "-0.0000 公顷").
#[test]
fn import_lists_each_layers_area_or_kind() {
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let (code, out, err) = villageplan(&["import", sample.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("EPSG:4542"), "{out}");
    let line = |table: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(&format!("- {table} [")))
            .unwrap_or_else(|| panic!("no line for {table} in {out}"))
            .to_string()
    };
    assert!(line("villageplan_layers").ends_with("features, no geometry"));
    assert!(line("heritage").ends_with(", points"), "{out}");
    assert!(line("rivers").ends_with(", lines"), "{out}");
    let dltb = line("dltb");
    assert!(
        dltb.contains(" 公顷 (") && dltb.ends_with(" 亩) planar"),
        "{dltb}"
    );
    assert!(!out.contains("-0.0"), "{out}");
}
