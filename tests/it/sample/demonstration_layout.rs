//! The seed plan's 一区一带三线 on the sample (freshly generated and committed): the five
//! areas with their kinds and widths, the 一区 as the union of its units, the lines along
//! the roads reaching every seat's township, the belt on both rivers, and designations that
//! reach part of each target, every one inside an area.

use geo::{Area, Distance, Euclidean};
use villageplan::Project;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::demonstration::demo_report;
use villageplan::model::admin::AdminUnits;
use villageplan::model::demonstration::find_demo_area;
use villageplan::model::settlements::TownshipSeats;

use super::{committed, sample};

const LINES: [(&str, &[&str]); 3] = [
    ("锦秀线", &["小湾", "腰街", "大寺"]),
    ("古墨线", &["诗礼", "鲁史", "新华"]),
    ("琼英线", &["雪山", "三岔河", "郭大寨", "营盘", "勐佑"]),
];

fn unit_area(units: &AdminUnits, short: &str, within: &str) -> f64 {
    let unit = units
        .list
        .iter()
        .find(|u| u.name.starts_with(short) && u.code.starts_with(within))
        .unwrap_or_else(|| panic!("no unit {short} in {within}"));
    units.geometry(unit).unwrap().unsigned_area()
}

fn check(project: &Project, which: &str) {
    let report = demo_report(project, AreaBasis::Planar, None, None, None).unwrap();
    let got: Vec<(&str, &str, Option<f64>)> = report
        .areas
        .iter()
        .map(|a| (a.name.as_str(), a.kind.as_str(), a.width_m))
        .collect();
    assert_eq!(
        got,
        vec![
            ("一区", "示范区", None),
            ("沿江示范带", "示范带", Some(2000.0)),
            ("锦秀线", "示范线", Some(1000.0)),
            ("古墨线", "示范线", Some(1000.0)),
            ("琼英线", "示范线", Some(1000.0)),
        ],
        "{which}"
    );

    // 一区 = 凤山镇 + 洛党镇 + 勐佑镇's six villages (disjoint units, so areas add).
    let townships = AdminUnits::townships(project).unwrap();
    let villages = AdminUnits::villages(project).unwrap();
    let expected = unit_area(&townships, "凤山", "530921")
        + unit_area(&townships, "洛党", "530921")
        + ["勐佑", "中和", "河东", "新林", "鱼塘", "习谦"]
            .iter()
            .map(|v| unit_area(&villages, v, "530921106"))
            .sum::<f64>();
    let zone = report.areas[0].geometry.unsigned_area();
    assert!(
        (zone - expected).abs() < 1e-6 * expected,
        "{which}: 一区 {zone} m² vs its units {expected} m²"
    );

    // The belt's centre line is both rivers.
    let belt = find_demo_area(project, "沿江示范带").unwrap();
    let centre = belt.corridor.unwrap().centre;
    assert_eq!(centre.0.len(), 2, "{which}: 澜沧江 and 黑惠江");
    let km = centre
        .0
        .iter()
        .map(|l| {
            l.lines()
                .map(|s| Euclidean.distance(s.start, s.end))
                .sum::<f64>()
        })
        .sum::<f64>()
        / 1000.0;
    assert!((70.0..90.0).contains(&km), "{which}: rivers {km} km");

    // Each line touches every township it is routed through.
    let seats = TownshipSeats::read(project).unwrap();
    for (name, through) in LINES {
        let area = report.areas.iter().find(|a| a.name == name).unwrap();
        let touched: Vec<&str> = area
            .summary
            .townships
            .iter()
            .map(|t| t.code.as_str())
            .collect();
        for seat in through {
            let code = seats.find(seat).unwrap().code.clone().unwrap();
            assert!(
                touched.contains(&code.as_str()),
                "{which}: {name} misses {seat} ({code}); touches {touched:?}"
            );
        }
    }

    // Part of each target, every designation inside an area.
    for t in &report.review.targets {
        assert!(
            t.designated > 0 && (t.designated as u32) < t.target,
            "{which}: {} {} of {}",
            t.designation.name_zh(),
            t.designated,
            t.target
        );
    }
    for unit in &report.review.units {
        assert!(
            !unit.areas.is_empty(),
            "{which}: {} {} is in no area",
            unit.designation.name_zh(),
            unit.code
        );
    }
}

#[test]
fn the_seed_layout_is_drawn_with_partial_designations() {
    check(sample(), "generated");
    check(committed(), "committed");
}
