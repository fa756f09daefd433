//! Summaries on the fixture county, where every overlap is known: a 2 km wide flat-ended
//! corridor along y = 5 km from x = 2.5 km to 12.5 km is the rectangle 2.5–12.5 × 4–6 km.

use geo::{LineString, MultiLineString, MultiPolygon};
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::demonstration::{Designation, SummaryContext, designate};
use villageplan::edit::demonstration::{corridor_polygon, zone_geometry};
use villageplan::model::demonstration::{CorridorLine, LineEnds};

use super::fixture::{county, km, population, village_code, with_natural_villages};

fn corridor() -> MultiPolygon<f64> {
    corridor_polygon(&CorridorLine {
        centre: MultiLineString(vec![LineString(vec![km(2.5, 5.0), km(12.5, 5.0)])]),
        width_m: 2000.0,
        ends: LineEnds::Flat,
    })
    .unwrap()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

#[test]
fn village_and_township_shares_population_and_areas_are_the_known_overlaps() {
    let project = county();
    let context = SummaryContext::new(&project, AreaBasis::Planar).unwrap();
    let s = context.summarise(&corridor()).unwrap();
    close(s.area_m2, 20e6, "zone area");
    assert!(s.basis.contains("平面"), "{}", s.basis);

    let townships: Vec<(&str, f64)> = s
        .townships
        .iter()
        .map(|t| (t.code.as_str(), t.share))
        .collect();
    assert_eq!(townships.len(), 2, "{townships:?}");
    close(townships[0].1, 0.15, "凤山镇");
    close(townships[1].1, 0.05, "新华");
    assert_eq!(s.townships[1].name, "新华彝族苗族乡");

    let expected = [((0, 1), 0.10), ((0, 2), 0.20), ((1, 1), 0.10)];
    assert_eq!(s.villages.len(), 3, "{:?}", s.villages);
    let mut registered = 0.0;
    let mut poor = 0.0;
    for (v, ((t, n), share)) in s.villages.iter().zip(expected) {
        assert_eq!(v.unit.code, village_code(t, n));
        close(v.unit.share, share, &v.unit.code);
        close(v.unit.inside_m2, share * 50e6, &v.unit.code);
        let (hj, _, tp) = population(t, n);
        assert_eq!(v.population.registered, Some(hj as f64));
        close(
            v.population_inside.registered.unwrap(),
            hj as f64 * share,
            "户籍",
        );
        close(
            v.population_inside.poverty_alleviated.unwrap(),
            tp as f64 * share,
            "脱贫",
        );
        registered += hj as f64 * share;
        poor += tp as f64 * share;
    }
    assert_eq!(s.villages[2].township, "新华彝族苗族乡");
    close(
        s.population_inside.registered.unwrap(),
        registered,
        "户籍 total",
    );
    close(
        s.population_inside.poverty_alleviated.unwrap(),
        poor,
        "脱贫 total",
    );
    close(registered, 800.0, "the worked answer");

    // Land use: 10 km² of 水田 with 10 % 田坎 below y = 5 km, 10 km² of 乔木林地 above.
    let classes: Vec<(&str, &str, f64)> = s
        .land_use
        .iter()
        .map(|c| (c.code.as_str(), c.name.as_str(), c.area_m2))
        .collect();
    assert_eq!(classes.len(), 3, "{classes:?}");
    assert_eq!((classes[0].0, classes[0].1), ("01", "耕地"));
    close(classes[0].2, 9e6, "耕地");
    assert_eq!((classes[1].0, classes[1].1), ("03", "林地"));
    close(classes[1].2, 10e6, "林地");
    assert_eq!((classes[2].0, classes[2].1), ("1203", "田坎"));
    close(classes[2].2, 1e6, "田坎");
    // 三生空间 covers only 凤山镇's lower half: 7.5 × 1 km of the corridor.
    assert_eq!(s.spaces.len(), 1);
    assert_eq!(s.spaces[0].name, "生产空间");
    close(s.spaces[0].area_m2, 7.5e6, "生产空间");
    assert!(
        context.notes.iter().any(|n| n.contains("自然村")),
        "{:?}",
        context.notes
    );
}

#[test]
fn ellipsoidal_summaries_add_up_to_the_zone() {
    let project = county();
    let context = SummaryContext::new(&project, AreaBasis::Ellipsoidal).unwrap();
    let s = context.summarise(&corridor()).unwrap();
    assert!(s.basis.contains("椭球"), "{}", s.basis);
    let classes: f64 = s.land_use.iter().map(|c| c.area_m2).sum();
    assert!(
        (classes - s.area_m2).abs() < 1e-6 * s.area_m2,
        "{classes} vs {}",
        s.area_m2
    );
    assert!(
        (s.area_m2 - 20e6).abs() > 1.0,
        "the ellipsoid differs from the plane"
    );
    assert!((s.area_m2 - 20e6).abs() < 0.01 * 20e6);
}

#[test]
fn designated_units_inside_a_zone_are_marked() {
    let mut project = with_natural_villages(county());
    designate(&mut project, Designation::Township, "530921101", false).unwrap();
    designate(
        &mut project,
        Designation::Village,
        &village_code(0, 2),
        false,
    )
    .unwrap();
    designate(
        &mut project,
        Designation::Village,
        &village_code(2, 1),
        false,
    )
    .unwrap();
    designate(
        &mut project,
        Designation::NaturalVillage,
        &format!("{}001", village_code(0, 1)),
        false,
    )
    .unwrap();
    // The zone: 凤山镇 whole. Its neighbour 新华 shares only the boundary.
    let zone = zone_geometry(&project, &["530921101"], &[], None).unwrap();
    let context = SummaryContext::new(&project, AreaBasis::Planar).unwrap();
    let s = context.summarise(&zone).unwrap();
    assert_eq!(
        s.townships.len(),
        1,
        "a shared boundary is no touch: {:?}",
        s.townships
    );
    close(s.townships[0].share, 1.0, "whole");
    assert_eq!(s.villages.len(), 2);
    assert_eq!(s.natural_villages.len(), 4);
    assert!(s.natural_villages.iter().all(|n| n.households == Some(30)));
    assert_eq!(s.designated(Designation::Township), 1);
    assert_eq!(
        s.designated(Designation::Village),
        1,
        "小湾's village is elsewhere"
    );
    assert_eq!(s.designated(Designation::NaturalVillage), 1);
    assert!(s.villages[1].unit.designated && !s.villages[0].unit.designated);
}
