//! The review package (`villageplan package`) and its verification (`villageplan verify`):
//! the bag's checksums against `sha256sum` (coreutils, not our hashing), intact and
//! tampered copies, zips, and the bad inputs a user gives.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use villageplan::io::bagit;

use crate::fixtures::villageplan;

/// A village of the small sample with parcels, plan layers and check results.
const VILLAGE: &str = "530921101001";

/// This run's folder under Cargo's target tmp dir; those of earlier runs (whose process
/// is gone) are removed first, so packages do not pile up.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("package-")
                && !Path::new("/proc").join(pid).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        tmp.join(format!("package-{}", std::process::id()))
    })
}

/// A fresh folder `name` of this test run.
fn scratch(name: &str) -> PathBuf {
    let dir = run_dir().join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

/// A small sample project (1 500 parcels), made once per run by the CLI.
fn project() -> &'static Path {
    static PROJECT: OnceLock<PathBuf> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let dir = scratch("sample");
        let (code, _, err) = villageplan(&[
            "sample",
            "--out",
            dir.to_str().unwrap(),
            "--parcels",
            "1500",
        ]);
        assert_eq!(code, 0, "{err}");
        dir.join("fengqing.gpkg")
    })
}

/// Runs `package` on the sample with `extra` arguments, writing to `out`.
fn package(out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "package",
        project().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    villageplan(&args)
}

/// The county package of the sample (with its zip), made once per run.
fn county() -> &'static Path {
    static COUNTY: OnceLock<PathBuf> = OnceLock::new();
    COUNTY.get_or_init(|| {
        let out = scratch("county");
        let (code, out_text, err) = package(&out, &["--zip", "--organization", "测试编制单位"]);
        // Nothing is left out of the sample's package (a layer with invalid geometry is
        // `a_layer_with_invalid_geometry_is_reported_and_the_package_still_written`).
        assert_eq!(code, 0, "{out_text}{err}");
        out
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `sha256sum`'s digest of each file, by path relative to `dir`.
fn sha256sum(dir: &Path, files: &[String]) -> BTreeMap<String, String> {
    let out = std::process::Command::new("sha256sum")
        .current_dir(dir)
        .args(files)
        .output()
        .expect("sha256sum (coreutils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (digest, name) = l.split_once("  ").unwrap();
            (name.to_string(), digest.to_string())
        })
        .collect()
}

/// `<hex>  <path>` lines as path → hex.
fn manifest(path: &Path) -> BTreeMap<String, String> {
    read(path)
        .lines()
        .map(|l| {
            let (digest, name) = l.split_once("  ").unwrap();
            (name.to_string(), digest.to_string())
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn manifests_hold_the_sha256_of_every_file_and_bag_info_says_what_it_is() {
    let bag = county();
    assert_eq!(
        read(&bag.join("bagit.txt")),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let payload = manifest(&bag.join("manifest-sha256.txt"));
    for expected in [
        "data/layers/dltb.geojson",
        "data/layers/villages.geojson",
        "data/checks/check_results.geojson",
        "data/checks/check_results.csv",
        "data/classification/classification.geojson",
        "data/classification/classification.csv",
        "data/tables/tables_ha.xlsx",
        "data/tables/tables_mu.xlsx",
        "data/demonstration/demonstration.csv",
        "data/demonstration/demonstration.xlsx",
        "data/demonstration/demonstration.geojson",
    ] {
        assert!(
            payload.contains_key(expected),
            "{expected} not in {payload:?}"
        );
    }
    let names: Vec<String> = payload.keys().cloned().collect();
    assert_eq!(sha256sum(bag, &names), payload);

    let tags = manifest(&bag.join("tagmanifest-sha256.txt"));
    let tag_names: Vec<String> = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
        .map(String::from)
        .to_vec();
    assert_eq!(tags.keys().cloned().collect::<Vec<_>>(), {
        let mut sorted = tag_names.clone();
        sorted.sort();
        sorted
    });
    assert_eq!(sha256sum(bag, &tag_names), tags);

    let info = read(&bag.join("bag-info.txt"));
    let octets: u64 = names
        .iter()
        .map(|n| std::fs::metadata(bag.join(n)).unwrap().len())
        .sum();
    assert!(
        info.contains(&format!("Payload-Oxum: {octets}.{}\n", names.len())),
        "{info}"
    );
    for line in [
        "Source-Organization: 测试编制单位\n",
        "Scope: 全县 the whole county\n",
        "Working-CRS: CGCS2000 3° Gauss-Kruger CM 99°E (EPSG:4542)\n",
        "Project-File: fengqing.gpkg\n",
    ] {
        assert!(info.contains(line), "{line} not in {info}");
    }
    let bundled =
        bagit::sha256_hex(villageplan::analysis::checks::RuleSet::bundled_text().as_bytes());
    assert!(
        info.contains(&format!(
            "Check-Rules: assets/rules/checks.toml (bundled) sha256:{bundled}\n"
        )),
        "{info}"
    );
    let today = info.lines().find_map(|l| l.strip_prefix("Bagging-Date: "));
    assert!(
        today.is_some_and(|d| d.len() == 10 && d.as_bytes()[4] == b'-'),
        "{info}"
    );
}

#[test]
fn an_intact_package_and_its_zip_verify() {
    let bag = county();
    let (code, out, err) = villageplan(&["verify", bag.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("完好 intact"), "{out}");

    let zip = PathBuf::from(format!("{}.zip", bag.display()));
    let (code, out, err) = villageplan(&["verify", zip.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let files = manifest(&bag.join("manifest-sha256.txt")).len() + 3;
    assert!(out.contains(&format!("({files} files match")), "{out}");
}

#[test]
fn a_tampered_copy_names_the_changed_the_missing_and_the_added_file() {
    let copy = scratch("tampered");
    copy_dir(county(), &copy);
    std::fs::write(copy.join("data/checks/check_results.csv"), "rule_id\n").unwrap();
    std::fs::remove_file(copy.join("data/tables/tables_mu.xlsx")).unwrap();
    std::fs::write(copy.join("data/layers/extra.geojson"), "{}").unwrap();
    let (code, out, err) = villageplan(&["verify", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("已改动 changed: data/checks/check_results.csv"),
        "{out}"
    );
    assert!(
        out.contains("缺失 missing: data/tables/tables_mu.xlsx"),
        "{out}"
    );
    assert!(
        out.contains("新增 added: data/layers/extra.geojson"),
        "{out}"
    );
    assert!(out.contains("1 changed, 1 missing, 1 added"), "{out}");

    // A changed tag file is found through the tag manifest.
    let info = copy.join("bag-info.txt");
    std::fs::write(&info, read(&info).replace("测试编制单位", "别的单位")).unwrap();
    let (code, out, _) = villageplan(&["verify", copy.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("已改动 changed: bag-info.txt"), "{out}");
}

#[test]
fn what_is_not_a_bag_exits_2() {
    let empty = scratch("not-a-bag");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "hello").unwrap();
    let (code, out, err) = villageplan(&["verify", empty.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("not a readable BagIt bag: no bagit.txt"),
        "{err}"
    );

    let not_zip = empty.join("package.zip");
    std::fs::write(&not_zip, "not a zip").unwrap();
    let (code, _, err) = villageplan(&["verify", not_zip.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a zip file"), "{err}");

    let broken = scratch("broken-manifest");
    copy_dir(county(), &broken);
    std::fs::write(broken.join("manifest-sha256.txt"), "xyz data/a\n").unwrap();
    let (code, _, err) = villageplan(&["verify", broken.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("manifest-sha256.txt, line 1"), "{err}");
}

#[test]
fn a_village_package_holds_only_that_village() {
    let out = scratch("village");
    let (code, text, err) = package(&out, &["--village", VILLAGE]);
    assert!(code == 0 || code == 1, "{text}{err}");
    let (code, _, err) = villageplan(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let info = read(&out.join("bag-info.txt"));
    assert!(
        info.contains(&format!("Scope: 行政村 village {VILLAGE}")),
        "{info}"
    );

    let parcels: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/layers/dltb.geojson"))).unwrap();
    let features = parcels["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        let code = f["properties"]["ZLDWDM"].as_str().unwrap();
        assert!(code.starts_with(VILLAGE), "{code}");
    }
    let villages: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/layers/villages.geojson"))).unwrap();
    assert_eq!(villages["features"].as_array().unwrap().len(), 1);
    let classification = read(&out.join("data/classification/classification.csv"));
    assert_eq!(classification.lines().count(), 2, "{classification}");
    for line in read(&out.join("data/checks/check_results.csv"))
        .lines()
        .skip(1)
    {
        assert!(line.contains(VILLAGE) || line.contains(",,"), "{line}");
    }
}

#[test]
fn an_unknown_village_exits_2_naming_it_and_writes_nothing() {
    let out = scratch("unknown-village");
    let (code, _, err) = package(&out, &["--village", "530921999999"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no village with code 530921999999"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_non_empty_folder_is_refused_unless_forced() {
    let out = scratch("existing");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let (code, _, err) = package(&out, &["--village", VILLAGE]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("folder exists and is not empty"), "{err}");
    assert_eq!(read(&out.join("keep.txt")), "mine");

    let (code, _, err) = package(&out, &["--village", VILLAGE, "--force"]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(!out.join("keep.txt").exists());
    let (code, _, _) = villageplan(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    // Nothing of the work is left beside it.
    let siblings: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".existing"))
        .collect();
    assert!(siblings.is_empty(), "{siblings:?}");
}

#[test]
fn a_read_only_destination_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let parent = scratch("read-only");
    std::fs::create_dir_all(&parent).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into a 0555 folder anyway; /sys is read-only even for root.
    let out = if std::fs::write(parent.join("probe"), "x").is_ok() {
        PathBuf::from("/sys/villageplan-package-test")
    } else {
        parent.join("pkg")
    };
    let (code, _, err) = package(&out, &["--village", VILLAGE]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&out.display().to_string()), "{err}");
    assert!(err.contains("cannot create the package there"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_layer_with_invalid_geometry_is_reported_and_the_package_still_written() {
    use geo::BoundingRect;
    let mut project = villageplan::io::load_project(project(), &villageplan::Silent).unwrap();
    let layer = project.layer_mut("red_line").unwrap();
    let id = layer.features()[0].id;
    let r = layer.features()[0]
        .geometry
        .as_ref()
        .unwrap()
        .bounding_rect()
        .unwrap();
    let (x, y, w, h) = (r.min().x, r.min().y, r.width(), r.height());
    let bowtie = geo::Polygon::new(
        geo::LineString::from(vec![(x, y), (x + w, y + h), (x + w, y), (x, y + h), (x, y)]),
        vec![],
    );
    layer
        .replace_geometry(0, Some(geo::Geometry::Polygon(bowtie)))
        .unwrap();
    let dir = scratch("invalid");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invalid.gpkg");
    villageplan::io::save_project(&project, &path, &villageplan::Silent).unwrap();
    let out = dir.join("pkg");
    let (code, text, err) = villageplan(&[
        "package",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{text}{err}");
    let name = &project.layer("red_line").unwrap().name;
    assert!(
        text.contains(&format!(
            "未写入 left out: {name}, feature {id}: invalid geometry"
        )),
        "{text}"
    );
    // The bag says how many features were left out: the ones the command listed (the red
    // line's feature, and the check finding that carries its geometry).
    let listed = text.lines().filter(|l| l.starts_with("未写入")).count();
    let info = read(&out.join("bag-info.txt"));
    assert!(
        info.contains(&format!(
            "Left-Out-Features: {listed} (invalid geometry; listed by the package command)\n"
        )),
        "{listed} listed, {info}"
    );
    let (code, _, _) = villageplan(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    let red_line: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/layers/red_line.geojson"))).unwrap();
    let ids: Vec<i64> = red_line["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.is_empty() && !ids.contains(&id), "{ids:?}");
}

#[test]
fn bag_paths_with_percent_cr_and_lf_are_encoded_and_verify() {
    let bag = scratch("odd-names");
    std::fs::create_dir_all(bag.join("data/sub")).unwrap();
    std::fs::write(bag.join("data/sub/50%.txt"), "half").unwrap();
    std::fs::write(bag.join("data/line\nbreak.txt"), "two lines").unwrap();
    let files =
        bagit::write_tag_files(&bag, &[("Source-Organization".into(), "t".into())]).unwrap();
    assert_eq!(files, 2);
    let manifest = read(&bag.join("manifest-sha256.txt"));
    assert!(manifest.contains("  data/sub/50%25.txt\n"), "{manifest}");
    assert!(manifest.contains("  data/line%0Abreak.txt\n"), "{manifest}");
    assert!(bagit::verify_bag(&bag).unwrap().is_intact());
    std::fs::write(bag.join("data/sub/50%.txt"), "more than half").unwrap();
    let check = bagit::verify_bag(&bag).unwrap();
    assert_eq!(check.changed, vec!["data/sub/50%.txt".to_string()]);
}

/// 文件 → 成果包… in the real window.
#[cfg(feature = "gui")]
mod window {
    use egui_kittest::kittest::Queryable;

    use crate::gui::{WINDOW, fixture_path, open_fixture, settle};

    #[test]
    fn the_file_menu_writes_a_package_that_verifies() {
        let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
        // Another window test may have left its package there (a folder that is not empty,
        // and a zip that exists, are refused).
        let folder = fixture_path().parent().unwrap().join("成果包");
        if folder.exists() {
            std::fs::remove_dir_all(&folder).unwrap();
        }
        std::fs::remove_file(folder.with_extension("zip")).ok();
        let mut harness = open_fixture();
        harness.get_by_label("文件").click();
        harness.run_steps(2);
        harness.get_by_label("成果包…").click();
        settle(&mut harness);
        harness.get_by_label("写出成果包").click();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        while harness.query_by_label_contains("已写出成果包").is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "the package was not written"
            );
            harness.step();
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let check = villageplan::io::bagit::verify_bag(&folder).unwrap();
        assert!(check.is_intact(), "{check:?}");
        assert!(check.checked > 10, "{check:?}");
        let zip = folder.with_file_name("成果包.zip");
        assert!(
            villageplan::io::bagit::verify_bag(&zip)
                .unwrap()
                .is_intact()
        );
    }
}
