//! Designations against targets: codes checked against their layers, stored through save and
//! load, progress per target and per area, and the flags on designations that contradict
//! the classification or carry unresolved check errors.

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::checks::{CheckReport, CheckResult, Severity, VillageRef};
use villageplan::analysis::classify::{RuleSet, VillageType, classify, set_override};
use villageplan::analysis::demonstration::{
    Designation, Designations, FlagKind, demo_report, designate, project_classification, set_target,
};
use villageplan::edit::History;
use villageplan::edit::demonstration::{
    DemoLabel, add_zone, new_demonstration_layer, zone_geometry,
};
use villageplan::{Project, Silent};

use super::fixture::{county, village_code, with_natural_villages};

fn natural(t: usize, v: usize, n: usize) -> String {
    format!("{}{n:03}", village_code(t, v))
}

#[test]
fn codes_that_do_not_exist_are_refused_with_their_layer() {
    let mut project = county();
    let err = designate(&mut project, Designation::Township, "530921199", false).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("'530921199'")
            && message.contains("乡村振兴示范乡镇")
            && message.contains("layer 'townships'"),
        "{message}"
    );
    let err = designate(&mut project, Designation::Village, "5309211010", false).unwrap_err();
    assert!(err.to_string().contains("different length"), "{err}");
    let err = designate(
        &mut project,
        Designation::NaturalVillage,
        &natural(0, 1, 1),
        false,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("自然村"),
        "no natural-village layer: {err}"
    );
    let project = with_natural_villages(county());
    let mut project = project;
    let err = designate(
        &mut project,
        Designation::NaturalVillage,
        &natural(0, 1, 9),
        false,
    )
    .unwrap_err();
    assert!(err.to_string().contains("layer 'zrc'"), "{err}");
    assert_eq!(
        Designations::from_settings(&project.settings).unwrap(),
        Designations::default(),
        "nothing stored by the refusals"
    );
}

#[test]
fn designations_and_targets_survive_save_and_load() {
    let mut project = with_natural_villages(county());
    assert!(designate(&mut project, Designation::Township, "530921101", false).unwrap());
    assert!(!designate(&mut project, Designation::Township, "530921101", false).unwrap());
    designate(
        &mut project,
        Designation::Village,
        &village_code(1, 2),
        false,
    )
    .unwrap();
    designate(
        &mut project,
        Designation::NaturalVillage,
        &natural(2, 1, 2),
        false,
    )
    .unwrap();
    designate(
        &mut project,
        Designation::NaturalVillage,
        &natural(2, 2, 1),
        false,
    )
    .unwrap();
    assert!(
        designate(
            &mut project,
            Designation::NaturalVillage,
            &natural(2, 2, 1),
            true
        )
        .unwrap()
    );
    set_target(&mut project, Designation::Village, 30).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    villageplan::io::save_project(&project, &path, &Silent).unwrap();
    let loaded = villageplan::io::load_project(&path, &Silent).unwrap();
    let d = Designations::from_settings(&loaded.settings).unwrap();
    assert_eq!(d, Designations::from_settings(&project.settings).unwrap());
    assert_eq!(d.codes(Designation::Township).len(), 1);
    assert!(d.has(Designation::Village, &village_code(1, 2)));
    assert_eq!(
        d.codes(Designation::NaturalVillage)
            .iter()
            .collect::<Vec<_>>(),
        [&natural(2, 1, 2)]
    );
    assert_eq!(
        (
            d.targets.townships,
            d.targets.villages,
            d.targets.natural_villages
        ),
        (3, 30, 300)
    );
    assert!(d.targets_set);
    assert!(!Designations::default().targets_set);
}

/// The fixture with an area over 凤山镇, designations and types.
fn designed() -> Project {
    let mut project = with_natural_villages(county());
    let layer = new_demonstration_layer(&project);
    let id = layer.id.clone();
    project.add_layer(layer);
    let zone = zone_geometry(&project, &["530921101"], &[], None).unwrap();
    let label = DemoLabel {
        name: "一区".into(),
        ..DemoLabel::default()
    };
    let edit = add_zone(&project, &id, &label, zone).unwrap();
    History::default()
        .apply(&mut project, "新建", edit)
        .unwrap();
    for (code, t) in [
        (village_code(0, 1), VillageType::Agglomeration),
        (village_code(0, 2), VillageType::Relocation),
        (village_code(1, 1), VillageType::Undetermined),
        (village_code(1, 2), VillageType::Heritage),
    ] {
        set_override(&mut project, &code, t, "规划师判定（测试）").unwrap();
    }
    designate(&mut project, Designation::Township, "530921101", false).unwrap();
    for (t, v) in [(0, 1), (0, 2), (1, 1), (1, 2)] {
        designate(
            &mut project,
            Designation::Village,
            &village_code(t, v),
            false,
        )
        .unwrap();
    }
    for (t, v, n) in [(0, 1, 1), (0, 2, 2), (2, 1, 1)] {
        designate(
            &mut project,
            Designation::NaturalVillage,
            &natural(t, v, n),
            false,
        )
        .unwrap();
    }
    project
}

fn blocking(code: &str, rule: &str, exception: Option<&str>) -> CheckResult {
    CheckResult {
        rule_id: rule.into(),
        rule_name_zh: rule.into(),
        severity: Severity::Error,
        village: Some(VillageRef {
            code: code.into(),
            name: String::new(),
        }),
        layer_id: "dltb".into(),
        feature_ids: vec![1],
        bsms: Vec::new(),
        geometry: None,
        area_m2: None,
        message_zh: String::new(),
        message_en: String::new(),
        key: format!("{rule}:{code}"),
        exception: exception.map(str::to_string),
    }
}

#[test]
fn progress_lists_and_flags() {
    let project = designed();
    let rules = RuleSet::bundled().unwrap();
    let classification = classify(&project, &rules, None).unwrap();
    let checks = CheckReport {
        results: vec![
            blocking(&village_code(0, 1), "overlap.dltb", None),
            blocking(&village_code(0, 1), "gap.dltb", Some("已核实")),
            CheckResult {
                severity: Severity::Warning,
                ..blocking(&village_code(1, 2), "sliver.dltb", None)
            },
        ],
        rules_run: 3,
        ..CheckReport::default()
    };
    let report = demo_report(
        &project,
        AreaBasis::Planar,
        None,
        Some((&classification, "测试")),
        Some(&checks),
    )
    .unwrap();
    let progress: Vec<(Designation, u32, usize)> = report
        .review
        .targets
        .iter()
        .map(|p| (p.designation, p.target, p.designated))
        .collect();
    assert_eq!(
        progress,
        [
            (Designation::Township, 3, 1),
            (Designation::Village, 24, 4),
            (Designation::NaturalVillage, 300, 3),
        ]
    );
    assert!((report.review.targets[1].percent - 4.0 / 24.0 * 100.0).abs() < 1e-9);
    // Per area: 一区 is 凤山镇, with two of the four villages and two of the three 美丽村庄.
    let area = &report.areas[0];
    assert_eq!(area.name, "一区");
    assert_eq!(
        Designation::ALL.map(|d| area.designated(d)),
        [1, 2, 2],
        "townships, villages, natural villages in 一区"
    );
    let unit = |d: Designation, code: &str| {
        report
            .review
            .units
            .iter()
            .find(|u| u.designation == d && u.code == code)
            .unwrap()
    };
    let kinds = |d: Designation, code: &str| -> Vec<FlagKind> {
        unit(d, code).flags.iter().map(|f| f.kind).collect()
    };
    // The township carries its village's blocking error (the exception and the warning
    // do not count).
    assert_eq!(
        kinds(Designation::Township, "530921101"),
        [FlagKind::CheckErrors]
    );
    let town = unit(Designation::Township, "530921101");
    assert!(
        town.flags[0].message_zh.starts_with("1 条"),
        "{:?}",
        town.flags
    );
    assert_eq!(town.areas, ["一区"]);
    assert_eq!(
        kinds(Designation::Village, &village_code(0, 1)),
        [FlagKind::CheckErrors]
    );
    assert_eq!(
        kinds(Designation::Village, &village_code(0, 2)),
        [FlagKind::Contradiction]
    );
    assert!(
        unit(Designation::Village, &village_code(0, 2)).flags[0]
            .message_zh
            .contains("搬迁撤并类")
    );
    assert_eq!(
        kinds(Designation::Village, &village_code(1, 1)),
        [FlagKind::Review]
    );
    assert!(kinds(Designation::Village, &village_code(1, 2)).is_empty());
    assert_eq!(
        unit(Designation::Village, &village_code(1, 2)).areas.len(),
        0
    );
    assert_eq!(
        kinds(Designation::NaturalVillage, &natural(0, 2, 2)),
        [FlagKind::Contradiction],
        "a 美丽村庄 in a 搬迁撤并类 village"
    );
    let beautiful = unit(Designation::NaturalVillage, &natural(0, 1, 1));
    assert_eq!(beautiful.village_type, Some(VillageType::Agglomeration));
    assert_eq!(beautiful.township, "凤山镇");
    assert_eq!(beautiful.village, "凤山镇1村");
    assert_eq!(beautiful.flags.len(), 1, "its village's check error");
}

#[test]
fn a_stored_classification_is_used_and_missing_codes_are_flagged() {
    let mut project = designed();
    let (_, source) = project_classification(&project).unwrap();
    assert!(source.contains("computed"), "{source}");
    let rules = RuleSet::bundled().unwrap();
    let result = classify(&project, &rules, None).unwrap();
    villageplan::analysis::classify::apply_classification(&mut project, &result).unwrap();
    let (stored, source) = project_classification(&project).unwrap();
    assert!(source.contains("stored"), "{source}");
    assert_eq!(stored, result);
    // A designated village that leaves the layer is kept and flagged, and no longer counts.
    let mut d = Designations::from_settings(&project.settings).unwrap();
    d.villages.insert("530921101099".into());
    d.store(&mut project.settings).unwrap();
    let report = demo_report(&project, AreaBasis::Planar, Some("一区"), None, None).unwrap();
    let missing = report
        .review
        .units
        .iter()
        .find(|u| u.code == "530921101099")
        .unwrap();
    assert_eq!(missing.flags[0].kind, FlagKind::Missing);
    assert_eq!(report.review.targets[1].designated, 4);
    assert!(report.review.checks.contains("not run"));
}
