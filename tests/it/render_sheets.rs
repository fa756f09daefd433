//! Map sheets (出图) of the sample: reference images at 40 dpi compared with a tolerance,
//! the title, legend and glyph checks on the pixels, and the CLI's answers to bad input.
//! Regenerate the references deliberately with `UPDATE_SNAPSHOTS=1` after reviewing the
//! full-resolution sheets by eye.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tiny_skia::Pixmap;
use villageplan::deliver::sheets::{Credits, Paper, SheetKind, SheetSpec, render_sheet, save_png};
use villageplan::model::admin::AdminUnits;
use villageplan::render::Font;
use villageplan::{LayerRole, Project, Silent};

use crate::fixtures::villageplan;

/// 习谦村 of 勐佑镇, one of the six villages with a complete synthetic plan.
const XIQIAN: &str = "530921106204";

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg")
}

/// The sample with fixed credits, so the references do not change with the month.
fn sample() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let mut project = villageplan::io::load_project(&sample_path(), &Silent).unwrap();
        Credits {
            organisation: "凤庆县自然资源局（示例）".into(),
            date: "2026年12月".into(),
        }
        .store(&mut project);
        project
    })
}

fn spec(kind: SheetKind, village: Option<&str>, dpi: u32) -> SheetSpec {
    SheetSpec {
        kind,
        village: village.map(str::to_string),
        paper: Paper::A3,
        dpi,
    }
}

/// Pixels whose channels differ from the reference's by more than this count as changed.
const CHANNEL_TOLERANCE: u8 = 48;
/// Share of changed pixels a sheet may have and still match its reference (anti-aliasing
/// and float rounding on another machine move a few edge pixels, a changed legend or a
/// moved map far more).
const PIXEL_TOLERANCE: f64 = 0.003;

fn compare_with_reference(name: &str, image: &Pixmap) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/sheets")
        .join(format!("{name}.png"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        image.save_png(&path).unwrap();
        return;
    }
    let reference = Pixmap::load_png(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", path.display()));
    assert_eq!(
        (reference.width(), reference.height()),
        (image.width(), image.height()),
        "{name}: size"
    );
    let changed = reference
        .pixels()
        .iter()
        .zip(image.pixels())
        .filter(|(a, b)| {
            let d = |x: u8, y: u8| x.abs_diff(y) > CHANNEL_TOLERANCE;
            d(a.red(), b.red()) || d(a.green(), b.green()) || d(a.blue(), b.blue())
        })
        .count();
    let share = changed as f64 / image.pixels().len() as f64;
    assert!(
        share <= PIXEL_TOLERANCE,
        "{name}: {changed} pixels ({:.2} %) differ from {}",
        share * 100.0,
        path.display()
    );
}

#[test]
fn every_sheet_matches_its_reference_at_40_dpi() {
    for kind in SheetKind::ALL {
        let village = kind.is_village().then_some(XIQIAN);
        let sheet = render_sheet(sample(), &spec(kind, village, 40), &Silent).unwrap();
        assert!(sheet.problems.is_empty(), "{kind}: {:?}", sheet.problems);
        assert_eq!((sheet.pixmap.width(), sheet.pixmap.height()), (661, 468));
        compare_with_reference(&format!("{}_40dpi", stem(kind)), &sheet.pixmap);
    }
}

/// ASCII file names for the references, so every checkout and archive tool keeps them.
fn stem(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Current => "current",
        SheetKind::Planned => "planned",
        SheetKind::ThreeSpaces => "three_spaces",
        SheetKind::Control => "control",
        SheetKind::Classification => "classification",
        SheetKind::Demonstration => "demonstration",
    }
}

fn rgb(image: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let p = image.pixel(x, y).unwrap();
    [p.red(), p.green(), p.blue()]
}

/// Pixels of exactly `colour` in the side panel (the right fifth of the sheet, below the
/// title band).
fn panel_pixels(image: &Pixmap, colour: [u8; 3]) -> usize {
    let (w, h) = (image.width(), image.height());
    let mut n = 0;
    for y in h / 6..h * 5 / 6 {
        for x in w * 77 / 100..w * 96 / 100 {
            if rgb(image, x, y) == colour {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn the_title_is_written_centred_above_the_map() {
    let sheet = render_sheet(
        sample(),
        &spec(SheetKind::Current, Some(XIQIAN), 100),
        &Silent,
    )
    .unwrap();
    assert_eq!(sheet.title, "凤庆县勐佑镇习谦村村庄规划  现状图");
    let image = &sheet.pixmap;
    // A3 at 100 dpi: the title band lies 16.5–32.5 mm from the top (65–128 px).
    let (mut dark, mut sum_x) = (0u64, 0u64);
    for y in 68..126 {
        for x in 40..image.width() - 40 {
            if rgb(image, x, y).iter().all(|&c| c < 90) {
                dark += 1;
                sum_x += x as u64;
            }
        }
    }
    assert!(dark > 1500, "the title's strokes: {dark} dark pixels");
    let centre = sum_x as f64 / dark as f64;
    let middle = image.width() as f64 / 2.0;
    assert!(
        (centre - middle).abs() < image.width() as f64 * 0.02,
        "title centred: ink at x = {centre:.0}, sheet middle {middle:.0}"
    );
}

#[test]
fn the_legend_shows_the_classes_on_the_sheet_in_the_map_colours() {
    let sheet = render_sheet(
        sample(),
        &spec(SheetKind::Control, Some(XIQIAN), 100),
        &Silent,
    )
    .unwrap();
    let project = sample();
    let zones = project.required_layer(LayerRole::ControlZone).unwrap();
    let codes: Vec<String> = (0..zones.features().len())
        .filter_map(|i| {
            zones
                .value(i, "GKBJLXDM")?
                .as_text()
                .map(|t| t.into_owned())
        })
        .collect();
    assert!(
        codes.iter().any(|c| c == "0102"),
        "the sample has 生态保护红线 zones"
    );
    // 习谦村's own zones and their colours (LayerStyle::for_role(ControlZone)).
    for (code, colour) in [
        ("0101", [160, 205, 130]),
        ("0201", [245, 228, 150]),
        ("0301", [230, 115, 80]),
    ] {
        let own = (0..zones.features().len()).any(|i| {
            zones.value(i, "CZDM").and_then(|v| v.as_text()).as_deref() == Some(XIQIAN)
                && zones
                    .value(i, "GKBJLXDM")
                    .and_then(|v| v.as_text())
                    .as_deref()
                    == Some(code)
        });
        assert!(own, "习谦村 has {code}");
        assert!(
            panel_pixels(&sheet.pixmap, colour) > 100,
            "legend box of {code} in {colour:?}"
        );
    }
    // No 0102 zone lies near 习谦村: the legend must not list the layer's every class.
    assert_eq!(panel_pixels(&sheet.pixmap, [40, 125, 65]), 0, "no 0102 box");
}

#[test]
fn the_county_classification_is_computed_when_the_project_has_none() {
    let project = sample();
    let villages = project.required_layer(LayerRole::Village).unwrap();
    assert!(
        (0..villages.features().len()).all(|i| villages
            .value(i, "CZLX")
            .and_then(|v| v.as_text())
            .is_none_or(|t| t.is_empty())),
        "the sample stores no village types"
    );
    let sheet = render_sheet(
        project,
        &spec(SheetKind::Classification, None, 100),
        &Silent,
    )
    .unwrap();
    assert_eq!(sheet.title, "凤庆县村庄分类图");
    // 集聚提升类 (244, 164, 66) at alpha 200 over white, as the legend box shows it.
    let blend = |c: u8| ((c as f64 * 200.0 + 255.0 * 55.0) / 255.0).round() as i32;
    let expected = [blend(244), blend(164), blend(66)];
    let (w, h) = (sheet.pixmap.width(), sheet.pixmap.height());
    let near = (h / 6..h * 5 / 6)
        .flat_map(|y| (w * 77 / 100..w * 96 / 100).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = rgb(&sheet.pixmap, x, y);
            (0..3).all(|i| (p[i] as i32 - expected[i]).abs() <= 2)
        })
        .count();
    assert!(near > 100, "a 集聚提升类 legend box: {near} pixels");
}

#[test]
fn every_place_name_of_the_sample_has_its_glyphs() {
    let project = sample();
    let font = Font::bundled();
    let mut names: Vec<String> = Vec::new();
    names.extend(
        AdminUnits::villages(project)
            .unwrap()
            .list
            .into_iter()
            .map(|u| u.name),
    );
    names.extend(
        AdminUnits::townships(project)
            .unwrap()
            .list
            .into_iter()
            .map(|u| u.name),
    );
    let natural = project.required_layer(LayerRole::NaturalVillage).unwrap();
    names.extend(
        (0..natural.features().len())
            .filter_map(|i| natural.value(i, "ZRCMC")?.as_text().map(|t| t.into_owned())),
    );
    assert!(names.len() > 190 + 13 + 600, "{} names", names.len());
    let missing: Vec<(String, Vec<char>)> = names
        .into_iter()
        .map(|n| {
            let m = font.missing(&n);
            (n, m)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn a_name_the_font_cannot_write_is_reported_not_boxed() {
    let mut project = sample().clone();
    let units = AdminUnits::villages(&project).unwrap();
    let position = units.by_code(XIQIAN).unwrap().position;
    let layer_id = units.layer.id.clone();
    let layer = project.layer_mut(&layer_id).unwrap();
    let col = layer.field_index("XZQMC").unwrap();
    // 𪚥 (U+2A6A5) is outside GB 2312 and the bundled subset.
    layer
        .set_value(
            position,
            col,
            villageplan::AttrValue::text("习𪚥村民委员会"),
        )
        .unwrap();
    let sheet = render_sheet(
        &project,
        &spec(SheetKind::ThreeSpaces, Some(XIQIAN), 40),
        &Silent,
    )
    .unwrap();
    assert!(
        sheet
            .problems
            .iter()
            .any(|p| p.contains('𪚥') && p.contains("习𪚥村")),
        "{:?}",
        sheet.problems
    );
}

#[test]
fn a_village_without_the_theme_gets_a_sheet_that_says_so() {
    // 立果村 lies beside the planned villages of 勐佑镇 but has no planned parcel itself:
    // its neighbours' parcels along the boundary must not pass for its 规划图.
    let sheet = render_sheet(
        sample(),
        &spec(SheetKind::Planned, Some("530921106205"), 40),
        &Silent,
    )
    .unwrap();
    assert!(
        sheet
            .problems
            .iter()
            .any(|p| p.contains("规划地类图斑") && p.contains("立果村")),
        "{:?}",
        sheet.problems
    );
    let planned = render_sheet(
        sample(),
        &spec(SheetKind::Planned, Some(XIQIAN), 40),
        &Silent,
    )
    .unwrap();
    assert!(planned.problems.is_empty(), "{:?}", planned.problems);
}

#[test]
fn the_png_is_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("现状图.png");
    std::fs::write(&out, b"old").unwrap();
    let sheet = render_sheet(
        sample(),
        &spec(SheetKind::Current, Some(XIQIAN), 20),
        &Silent,
    )
    .unwrap();
    save_png(&sheet, &out).unwrap();
    let back = Pixmap::load_png(&out).unwrap();
    assert_eq!((back.width(), back.height()), (331, 234));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left");
}

#[test]
fn the_cli_renders_and_refuses_bad_input_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_path();
    let project = project.to_str().unwrap();
    let out = dir.path().join("sheet.png");
    let out = out.to_str().unwrap();

    let (code, stdout, stderr) = villageplan(&[
        "render",
        project,
        "--village",
        XIQIAN,
        "--sheet",
        "三生空间图",
        "--dpi",
        "30",
        "--paper",
        "A4",
        "--out",
        out,
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("习谦村村庄规划  三生空间图") && stdout.contains("A4"),
        "{stdout}"
    );
    let png = Pixmap::load_png(out).unwrap();
    assert_eq!((png.width(), png.height()), (351, 248), "A4 at 30 dpi");

    let refused = |args: &[&str], says: &[&str]| {
        let mut all = vec!["render", project];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--out", out]);
        let (code, stdout, stderr) = villageplan(&all);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        for s in says {
            assert!(stderr.contains(s), "{args:?}: '{s}' not in {stderr}");
        }
    };
    refused(
        &["--village", "530921999999", "--sheet", "现状图"],
        &["530921999999", "no village"],
    );
    refused(&["--sheet", "管控图"], &["village sheet", "--village"]);
    refused(
        &["--village", XIQIAN, "--sheet", "村庄分类图"],
        &["county sheet"],
    );
    refused(
        &["--sheet", "总图"],
        &["unknown sheet '总图'", "示范区布局图"],
    );
    refused(
        &["--village", XIQIAN, "--sheet", "现状图", "--dpi", "5"],
        &["--dpi 5"],
    );
    refused(
        &["--village", XIQIAN, "--sheet", "现状图", "--paper", "B5"],
        &["--paper 'B5'"],
    );
}

/// 文件 → 出图… in the real window: the village at the map centre is proposed, the sheet is
/// drawn in the background (the window stays responsive) and written beside the project.
#[cfg(feature = "gui")]
#[test]
fn the_window_renders_the_sheet_of_the_village_at_the_centre() {
    use egui_kittest::kittest::Queryable;

    use crate::gui::{WINDOW, fixture_path, open_fixture, settle};

    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let mut harness = open_fixture();
    harness.state_mut().find("习谦");
    settle(&mut harness);
    let out = fixture_path().parent().unwrap().join("习谦村现状图.png");
    std::fs::remove_file(&out).ok();
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("出图…").click();
    harness.run_steps(4);
    harness.get_by_label("生成 PNG").click();
    harness.run_steps(2);
    settle(&mut harness);
    let png = Pixmap::load_png(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    assert_eq!((png.width(), png.height()), (4961, 3508), "A3 at 300 dpi");
    harness.get_by_label_contains("习谦村村庄规划  现状图 已写入");
    std::fs::remove_file(&out).ok();
}
