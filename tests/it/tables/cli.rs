//! `villageplan tables` and `villageplan stats` on the saved fixture, and the committed
//! sample.

use std::path::Path;

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::{AreaUnit, Scope, TableBook};
use villageplan::{LayerRole, Project};

use super::*;
use crate::fixtures::villageplan;

fn saved(p: &Project, dir: &Path) -> String {
    let path = dir.join("p.gpkg");
    villageplan::io::save_project(p, &path, &villageplan::Silent).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_command_line_and_its_messages_for_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(&project(), dir.path());
    let (code, out, err) = villageplan(&[
        "tables",
        &path,
        "--village",
        V1,
        "--table",
        "结构调整",
        "--basis",
        "planar",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("勐佑村空间功能结构调整表"), "{out}");
    assert!(out.contains("平面面积"), "{out}");
    let total = out
        .lines()
        .find(|l| l.trim_start().starts_with("总计"))
        .unwrap();
    assert!(
        total.contains("6.0000") && total.contains("90.0000") && total.contains("100.00"),
        "{total}"
    );

    let (code, _, err) = villageplan(&["tables", &path, "--village", V3]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no parcels in village 河东村 (530921103203)"),
        "{err}"
    );
    let (code, _, err) = villageplan(&["tables", &path, "--village", "530921999999"]);
    assert_eq!(code, 2);
    assert!(err.contains("no village with code 530921999999"), "{err}");
    let (code, _, err) = villageplan(&["tables", &path, "--township", "530921999"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no village lies in township 530921999"),
        "{err}"
    );
    let (code, _, err) = villageplan(&["tables", &path, "--table", "面积"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown table '面积'"), "{err}");
    let (code, out, err) = villageplan(&[
        "tables",
        &path,
        "--village",
        V2,
        "--format",
        "csv",
        "--unit",
        "亩",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('\u{feff}'), "CSV starts with a BOM");
    assert!(
        out.contains("9999") && out.contains("编码不在分类表中"),
        "unknown codes are listed: {out}"
    );
    assert!(out.contains("单位：亩、%"), "{out}");

    // No KCXS / KCMJ: one message naming the layer and what was assumed.
    let mut p = project();
    p.layers.retain(|l| l.id != "dltb");
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["DLBM", "ZLDWDM"],
        vec![(cell(0.0, 0.0), vec!["0103", &zl(V1)])],
    ));
    let no_kcxs = tempfile::tempdir().unwrap();
    let path = saved(&p, no_kcxs.path());
    let (code, out, err) = villageplan(&["tables", &path, "--village", V1, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("没有 KCXS 字段"))
            .count(),
        1,
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("layer 'dltb' has no KCXS field")),
        "{notes:?}"
    );
    assert_eq!(
        json["layers"][0]["deduction_zh"],
        "无扣除字段，未扣除：1 个图斑"
    );
    assert_eq!(
        json["structure"]["lines"][0]["base"]["area"]["m2"]
            .as_f64()
            .unwrap()
            .round(),
        9_999.0
    );

    // No village layer.
    p.layers.retain(|l| l.role != LayerRole::Village);
    let no_villages = tempfile::tempdir().unwrap();
    let path = saved(&p, no_villages.path());
    let (code, _, err) = villageplan(&["tables", &path]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no 行政村界 (village boundary) layer"),
        "{err}"
    );
    let (code, out, err) = villageplan(&["stats", &path, "--basis", "planar"]);
    assert_eq!(code, 0, "stats still works without villages: {err}");
    assert!(
        out.contains("平面面积") && out.contains("无扣除字段"),
        "{out}"
    );
}

#[test]
fn stats_counts_terraces_and_states_basis_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(&project(), dir.path());
    let (code, out, err) = villageplan(&[
        "stats",
        &path,
        "--basis",
        "planar",
        "--format",
        "csv",
        "--village",
        V1,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("村代码,村名称,地类编码,地类名称,面积_平方米"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{V1},勐佑村,01,耕地,16500.00,1.6500")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{V1},勐佑村,12,其他土地,3500.00,0.3500")),
        "{out}"
    );
    let (code, out, _) = villageplan(&["stats", &path]);
    assert_eq!(code, 0);
    assert!(
        out.contains("椭球面积") && out.contains("扣除系数 KCXS：1 个图斑"),
        "{out}"
    );
}

#[test]
fn the_committed_sample_has_a_base_year_and_no_target_yet() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let p = villageplan::io::load_project(&sample, &villageplan::Silent).unwrap();
    let book = TableBook::new(&p, AreaBasis::Ellipsoidal).unwrap();
    let village = book.village_codes()[0].clone();
    let t = book.tables(&Scope::Village(village)).unwrap();
    assert!(t.synthetic);
    let total = t.structure.total().unwrap();
    assert!((total.base.area.m2 - t.village_area_m2).abs() / t.village_area_m2 < 1e-3);
    let has_plan = p
        .layer_by_role(LayerRole::PlannedLandUse)
        .is_some_and(|l| !l.features().is_empty());
    if !has_plan {
        assert!(total.target.is_none());
        assert!(
            t.indicators
                .lines
                .iter()
                .all(|l| l.target.text(AreaUnit::Hectare) == "—")
        );
    }
    let has_kcxs = p
        .layer_by_role(LayerRole::CurrentLandUse)
        .is_some_and(|l| l.field_index("KCXS").is_some());
    if !has_kcxs {
        assert_eq!(
            t.layers[0].deduction_en.split(':').next(),
            Some("no deduction fields, nothing deducted")
        );
    }
}
