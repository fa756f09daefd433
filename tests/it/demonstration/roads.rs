//! A 示范线 routed through township seats along a 道路中心线 layer: the shorter of two roads,
//! a seat at the end of a spur (the line splits there instead of doubling back), and the
//! refusals — no road layer, a seat far from every road, seats no road joins.

use geo::{Coord, Geometry, LineString};
use villageplan::edit::demonstration::{
    MAX_ACCESS_M, check_centre_line, corridor_polygon, line_along_roads,
};
use villageplan::model::demonstration::{CorridorLine, LineEnds};
use villageplan::{Feature, Layer, LayerRole, Project};

use super::fixture::{county, km, with_seats};

/// The project with a road layer of these kilometre polylines.
fn with_roads(mut project: Project, roads: &[&[(f64, f64)]]) -> Project {
    let features = roads
        .iter()
        .enumerate()
        .map(|(i, r)| Feature {
            id: i as i64 + 1,
            geometry: Some(Geometry::LineString(LineString(
                r.iter().map(|&(x, y)| km(x, y)).collect(),
            ))),
            attributes: vec![],
        })
        .collect();
    project.add_layer(Layer::new(
        "roads",
        "道路",
        LayerRole::Road,
        vec![],
        features,
    ));
    project
}

fn kms(line: &LineString<f64>) -> Vec<(f64, f64)> {
    let o = km(0.0, 0.0);
    line.0
        .iter()
        .map(|c: &Coord<f64>| ((c.x - o.x) / 1000.0, (c.y - o.y) / 1000.0))
        .collect()
}

/// Seats at (5, 5), (15, 5) and (25, 5) km: 凤山镇, 新华, 小湾.
const LONG_WAY: &[(f64, f64)] = &[(5.0, 5.0), (5.0, 8.0), (15.0, 8.0), (15.0, 5.0)];
const SHORT_WAY: &[(f64, f64)] = &[(5.0, 5.0), (10.0, 4.0), (15.0, 5.0)];
const EAST_ROAD: &[(f64, f64)] = &[(15.0, 5.0), (20.0, 6.0), (28.0, 6.0)];
const SPUR: &[(f64, f64)] = &[(20.0, 6.0), (25.0, 5.0)];

#[test]
fn the_line_follows_the_shorter_road_from_seat_to_seat() {
    let project = with_roads(with_seats(county()), &[LONG_WAY, SHORT_WAY]);
    let line = line_along_roads(&project, &["凤山", "新华"]).unwrap();
    assert_eq!(line.0.len(), 1);
    assert_eq!(kms(&line.0[0]), SHORT_WAY.to_vec());
    // Straight routing would go (5,5) → (15,5); the road goes by (10,4).
    let reversed = line_along_roads(&project, &["新华乡", "530921101"]).unwrap();
    let mut back = SHORT_WAY.to_vec();
    back.reverse();
    assert_eq!(kms(&reversed.0[0]), back);
}

#[test]
fn a_seat_at_the_end_of_a_spur_splits_the_line_there() {
    let project = with_roads(with_seats(county()), &[SHORT_WAY, EAST_ROAD, SPUR]);
    let line = line_along_roads(&project, &["凤山", "小湾", "新华"]).unwrap();
    assert_eq!(line.0.len(), 2, "{line:?}");
    assert_eq!(
        kms(&line.0[0]),
        vec![
            (5.0, 5.0),
            (10.0, 4.0),
            (15.0, 5.0),
            (20.0, 6.0),
            (25.0, 5.0)
        ]
    );
    assert_eq!(kms(&line.0[1]), vec![(25.0, 5.0), (20.0, 6.0), (15.0, 5.0)]);
    // Each part is a valid centre line and the corridor builds.
    check_centre_line(&line).unwrap();
    let polygon = corridor_polygon(&CorridorLine {
        centre: line,
        width_m: 1000.0,
        ends: LineEnds::Round,
    })
    .unwrap();
    assert!(!polygon.0.is_empty());
}

#[test]
fn seats_without_a_road_are_refused_with_the_reason() {
    let no_layer = with_seats(county());
    let err = line_along_roads(&no_layer, &["凤山", "新华"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("no 道路中心线"), "{err}");

    // 小湾's seat (25, 5) is 3.16 km from the east road's end (28, 6).
    let far = with_roads(with_seats(county()), &[SHORT_WAY, EAST_ROAD]);
    let err = line_along_roads(&far, &["新华", "小湾"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("小湾镇")
            && err.contains(&format!("more than {MAX_ACCESS_M:.0} m"))
            && err.contains("nearest 3162 m")
            && err.contains("'道路'"),
        "{err}"
    );

    // A road by 小湾 that joins nothing else.
    let apart = with_roads(
        with_seats(county()),
        &[SHORT_WAY, &[(24.0, 5.0), (26.0, 5.0)]],
    );
    let err = line_along_roads(&apart, &["凤山", "小湾"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no road of layer '道路' joins '凤山镇' and '小湾镇'"),
        "{err}"
    );
    let err = line_along_roads(&apart, &["凤山", "大理"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("no township seat '大理'"), "{err}");
}
