//! One village reader for every part of the program: a village layer naming its columns
//! `CUNDM` / `CUNMC` (not the 三调 `XZQDM` / `XZQMC`) is classified, drafted and found by the
//! search box alike.

use geo::{Coord, Geometry, Rect};
use villageplan::analysis::classify::{RuleSet, classify};
use villageplan::crs::WorkingCrs;
use villageplan::edit::{draft_control_zones, draft_three_spaces};
use villageplan::model::admin::AdminUnits;
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project};

const X: f64 = 500_000.0;
const Y: f64 = 2_720_000.0;

fn square(x: f64, size: f64) -> Geometry<f64> {
    Geometry::Polygon(
        Rect::new(
            Coord { x: X + x, y: Y },
            Coord {
                x: X + x + size,
                y: Y + size,
            },
        )
        .to_polygon(),
    )
}

fn layer(
    id: &str,
    role: LayerRole,
    fields: &[&str],
    rows: Vec<(Geometry<f64>, Vec<&str>)>,
) -> Layer {
    Layer::new(
        id,
        id,
        role,
        fields
            .iter()
            .map(|f| FieldDef::new(*f, FieldKind::Text))
            .collect(),
        rows.into_iter()
            .enumerate()
            .map(|(i, (g, values))| Feature {
                id: i as i64 + 1,
                geometry: Some(g),
                attributes: values.into_iter().map(AttrValue::text).collect(),
            })
            .collect(),
    )
}

/// Two villages, 1 km squares side by side, each covered by one 三调 parcel.
fn project() -> Project {
    let mut p = Project::new("凤庆", WorkingCrs::from_epsg(4542).unwrap());
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["DLBM"],
        vec![
            (square(0.0, 1_000.0), vec!["0103"]),
            (square(1_000.0, 1_000.0), vec!["0301"]),
        ],
    ));
    p.add_layer(layer(
        "cun",
        LayerRole::Village,
        &["CUNDM", "CUNMC"],
        vec![
            (square(0.0, 1_000.0), vec!["530921101201", "鲁史村民委员会"]),
            (
                square(1_000.0, 1_000.0),
                vec!["530921101202", "龙泉社区居民委员会"],
            ),
        ],
    ));
    p
}

#[test]
fn a_village_layer_with_cundm_and_cunmc_is_classified_drafted_and_found() {
    let p = project();

    let classified = classify(&p, &RuleSet::bundled().unwrap(), None).unwrap();
    let named: Vec<(&str, &str)> = classified
        .villages
        .iter()
        .map(|v| (v.code.as_str(), v.name.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("530921101201", "鲁史村民委员会"),
            ("530921101202", "龙泉社区居民委员会")
        ]
    );

    let spaces = draft_three_spaces(&p, Some("530921101202")).unwrap();
    assert!(!spaces.is_empty());
    assert!(spaces.iter().all(|d| d.village_code == "530921101202"));
    let zones = draft_control_zones(&p, None).unwrap();
    assert!(zones.iter().any(|d| d.village_code == "530921101201"));
    assert!(zones.iter().any(|d| d.village_code == "530921101202"));

    let villages = AdminUnits::villages(&p).unwrap();
    let found = |q: &str| villages.find(q).map(|u| u.feature_id);
    assert_eq!(found("530921101202"), Some(2));
    assert_eq!(found("鲁史村"), Some(1));
    assert_eq!(found("龙泉"), Some(2));
    assert_eq!(
        villages
            .containing(Coord {
                x: X + 1_500.0,
                y: Y + 500.0
            })
            .map(|u| u.name.as_str()),
        Some("龙泉社区居民委员会")
    );
}

#[test]
fn a_village_layer_without_a_code_column_is_an_error_naming_it_and_the_accepted_names() {
    let mut p = Project::new("凤庆", WorkingCrs::from_epsg(4542).unwrap());
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["DLBM"],
        vec![(square(0.0, 10.0), vec!["0103"])],
    ));
    p.add_layer(layer(
        "cun",
        LayerRole::Village,
        &["MC"],
        vec![(square(0.0, 10.0), vec!["鲁史村"])],
    ));
    for message in [
        classify(&p, &RuleSet::bundled().unwrap(), None)
            .unwrap_err()
            .to_string(),
        draft_three_spaces(&p, None).unwrap_err().to_string(),
    ] {
        assert!(
            message.contains("'cun'") && message.contains("XZQDM") && message.contains("CUNDM"),
            "{message}"
        );
    }
    let empty = Project::new("空项目", WorkingCrs::from_epsg(4542).unwrap());
    let message = AdminUnits::villages(&empty).unwrap_err().to_string();
    assert!(
        message.contains("空项目") && message.contains("行政村界"),
        "{message}"
    );
}
