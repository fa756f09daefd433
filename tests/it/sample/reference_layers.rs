//! The sample's reference layers — road and river centre lines, township seats, 自然村 — on a
//! freshly generated sample and on the committed one.

use std::collections::{BTreeMap, BTreeSet};

use geo::{BooleanOps, Contains, Euclidean, Geometry, Intersects, Length, MultiLineString};
use villageplan::geometry::as_multipolygon;
use villageplan::{AttrValue, GeometryKind, Layer, LayerRole, Project};

use super::{committed, layer, options, sample, text};

fn int(layer: &Layer, i: usize, field: &str) -> i64 {
    match layer.value(i, field) {
        Some(AttrValue::Integer(n)) => *n,
        other => panic!("{}: feature {i} {field} is {other:?}", layer.id),
    }
}

fn geometry(layer: &Layer, i: usize) -> &Geometry {
    layer.features()[i]
        .geometry
        .as_ref()
        .unwrap_or_else(|| panic!("{}: feature {i} has no geometry", layer.id))
}

fn point(layer: &Layer, i: usize) -> geo::Point {
    match geometry(layer, i) {
        Geometry::Point(p) => *p,
        other => panic!("{}: feature {i} is not a point: {other:?}", layer.id),
    }
}

fn line(layer: &Layer, i: usize) -> &geo::LineString {
    match geometry(layer, i) {
        Geometry::LineString(l) => l,
        other => panic!("{}: feature {i} is not a line: {other:?}", layer.id),
    }
}

/// Feature position by the value of a code field.
fn by_code(layer: &Layer, field: &str) -> BTreeMap<String, usize> {
    (0..layer.features().len())
        .map(|i| (text(layer, i, field), i))
        .collect()
}

fn assert_schema(project: &Project) {
    for (id, role, kind, fields) in [
        (
            "roads",
            LayerRole::Road,
            GeometryKind::Line,
            &["MC", "DJ", "DLBM", "QD", "ZD"][..],
        ),
        (
            "rivers",
            LayerRole::River,
            GeometryKind::Line,
            &["MC", "LY"],
        ),
        (
            "seats",
            LayerRole::TownshipSeat,
            GeometryKind::Point,
            &["MC", "XZDM", "XZQDM", "XZQMC"],
        ),
        (
            "natural_villages",
            LayerRole::NaturalVillage,
            GeometryKind::Point,
            &["ZRCDM", "ZRCMC", "XZQDM", "XZQMC", "HS", "HJRK"],
        ),
    ] {
        let l = layer(project, id);
        assert_eq!(l.role, role, "{id}: role");
        assert_eq!(l.geometry_kind, kind, "{id}: geometry");
        let names: Vec<&str> = l.fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, fields, "{id}: fields");
        assert_eq!(project.layer_by_role(role).map(|l| &l.id[..]), Some(id));
    }
    let natural = layer(project, "natural_villages");
    assert!(
        natural.name.contains("合成"),
        "自然村 not labelled synthetic"
    );
}

#[test]
fn reference_layers_have_their_roles_and_fields() {
    assert_schema(sample());
    assert_schema(committed());
}

fn assert_natural_villages(project: &Project) {
    let villages = layer(project, "villages");
    let natural = layer(project, "natural_villages");
    let village_at = by_code(villages, "XZQDM");
    let n = natural.features().len();
    assert!(n > 300, "only {n} 自然村");
    let mut per_village: BTreeMap<String, (usize, i64, i64)> = BTreeMap::new();
    let mut codes = BTreeSet::new();
    for i in 0..n {
        let (code, village) = (text(natural, i, "ZRCDM"), text(natural, i, "XZQDM"));
        let &v = village_at
            .get(&village)
            .unwrap_or_else(|| panic!("自然村 {code}: unknown village {village}"));
        assert_eq!(code.len(), 15, "自然村 code {code}");
        assert!(
            code.chars().all(|c| c.is_ascii_digit()),
            "自然村 code {code}"
        );
        assert!(code.starts_with(&village), "{code} not in {village}");
        assert!(codes.insert(code.clone()), "自然村 code {code} twice");
        assert_eq!(text(natural, i, "XZQMC"), text(villages, v, "XZQMC"));
        assert!(!text(natural, i, "ZRCMC").is_empty(), "{code} has no name");
        let polygon = as_multipolygon(geometry(villages, v)).expect("village polygon");
        assert!(
            polygon.contains(&point(natural, i)),
            "自然村 {code} outside {village}"
        );
        let (hs, people) = (int(natural, i, "HS"), int(natural, i, "HJRK"));
        assert!(
            hs > 0 && people >= hs,
            "{code}: {hs} households, {people} people"
        );
        let e = per_village.entry(village).or_default();
        *e = (e.0 + 1, e.1 + hs, e.2 + people);
    }
    assert_eq!(
        per_village.len(),
        village_at.len(),
        "a village has no 自然村"
    );
    for (code, &v) in &village_at {
        let (count, hs, people) = per_village[code];
        assert!((1..=6).contains(&count), "{code}: {count} 自然村");
        assert_eq!(hs, int(villages, v, "HS"), "{code}: 户数 do not add up");
        assert_eq!(
            people,
            int(villages, v, "HJRK"),
            "{code}: 户籍人口 do not add up"
        );
    }
}

#[test]
fn natural_villages_lie_in_their_village_and_add_up_to_it() {
    assert_natural_villages(sample());
    assert_natural_villages(committed());
}

fn assert_seats(project: &Project) {
    let towns = layer(project, "townships");
    let villages = layer(project, "villages");
    let seats = layer(project, "seats");
    let town_at = by_code(towns, "XZQDM");
    let village_at = by_code(villages, "XZQDM");
    assert_eq!(seats.features().len(), town_at.len());
    let mut seen = BTreeSet::new();
    for i in 0..seats.features().len() {
        let (code, village) = (text(seats, i, "XZDM"), text(seats, i, "XZQDM"));
        assert!(seen.insert(code.clone()), "township {code} has two seats");
        let t = town_at[&code];
        assert_eq!(text(seats, i, "MC"), text(towns, t, "XZQMC"), "seat name");
        let p = point(seats, i);
        let town = as_multipolygon(geometry(towns, t)).expect("township polygon");
        assert!(town.contains(&p), "seat of {code} outside its township");
        let v = village_at[&village];
        assert!(
            village.starts_with(&code),
            "seat village {village} of {code}"
        );
        assert_eq!(text(seats, i, "XZQMC"), text(villages, v, "XZQMC"));
        let polygon = as_multipolygon(geometry(villages, v)).expect("village polygon");
        assert!(polygon.contains(&p), "seat of {code} outside {village}");
        assert_eq!(
            int(villages, v, "XZZD"),
            1,
            "{village} is not flagged 乡镇驻地"
        );
    }
}

#[test]
fn seats_lie_in_their_township_and_its_seat_village() {
    assert_seats(sample());
    assert_seats(committed());
}

/// Share of the parcels of these classes that one of the lines crosses.
fn crossed_share(project: &Project, codes: &[&str], lines: &MultiLineString) -> f64 {
    let dltb = layer(project, "dltb");
    let parcels: Vec<usize> = (0..dltb.features().len())
        .filter(|&i| codes.contains(&text(dltb, i, "DLBM").as_str()))
        .collect();
    assert!(
        parcels.len() > 10,
        "only {} {codes:?} parcels",
        parcels.len()
    );
    let crossed = parcels
        .iter()
        .filter(|&&i| geometry(dltb, i).intersects(lines))
        .count();
    crossed as f64 / parcels.len() as f64
}

fn assert_centre_lines(project: &Project) {
    let rivers = layer(project, "rivers");
    let names: BTreeSet<String> = (0..rivers.features().len())
        .map(|i| text(rivers, i, "MC"))
        .collect();
    assert_eq!(names, BTreeSet::from(["澜沧江".into(), "黑惠江".into()]));
    let county = as_multipolygon(geometry(layer(project, "county"), 0)).expect("county");
    let river_lines = MultiLineString(
        (0..rivers.features().len())
            .map(|i| line(rivers, i).clone())
            .collect(),
    );
    for (i, l) in river_lines.0.iter().enumerate() {
        let length = Euclidean.length(l);
        let inside = Euclidean.length(&county.clip(&MultiLineString(vec![l.clone()]), false));
        assert!(
            length > 20_000.0,
            "{} only {length} m",
            text(rivers, i, "MC")
        );
        assert!(
            inside > 0.8 * length,
            "{}: {inside} of {length} m inside the county",
            text(rivers, i, "MC")
        );
    }
    // The lines are the ones the bands were built along: they cross the bands' parcels.
    let water = crossed_share(project, &["1101", "1103"], &river_lines);
    assert!(
        water > 0.95,
        "rivers cross only {water} of the water parcels"
    );

    let roads = layer(project, "roads");
    let towns: BTreeSet<String> = (0..layer(project, "townships").features().len())
        .map(|i| text(layer(project, "townships"), i, "XZQMC"))
        .collect();
    for i in 0..roads.features().len() {
        let (class, dlbm) = (text(roads, i, "DJ"), text(roads, i, "DLBM"));
        assert!(
            (class == "公路" && dlbm == "1003") || (class == "农村道路" && dlbm == "1006"),
            "road {i}: {class} {dlbm}"
        );
        for end in ["QD", "ZD"] {
            assert!(towns.contains(&text(roads, i, end)), "road {i}: {end}");
        }
        assert!(text(roads, i, "MC").ends_with(&class), "road {i} name");
    }
    let road_lines = MultiLineString(
        (0..roads.features().len())
            .map(|i| line(roads, i).clone())
            .collect(),
    );
    let road = crossed_share(project, &["1003", "1006"], &road_lines);
    assert!(road > 0.95, "roads cross only {road} of the road parcels");
}

#[test]
fn rivers_are_named_and_lines_follow_their_bands() {
    assert_centre_lines(sample());
    assert_centre_lines(committed());
}

#[test]
fn another_seed_places_other_natural_villages() {
    let other =
        villageplan::sample::generate(&options(7), &villageplan::Silent).expect("generates");
    assert_ne!(
        layer(sample(), "natural_villages").features(),
        layer(&other, "natural_villages").features()
    );
    assert_natural_villages(&other);
    assert_seats(&other);
}
