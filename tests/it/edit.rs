//! The editing model: every edit and its inverse, undo/redo, validation before commit, area
//! fields, and the spatial index staying in step.

use geo::{Geometry, wkt};
use proptest::prelude::*;
use villageplan::crs::WorkingCrs;
use villageplan::edit::{Edit, History};
use villageplan::model::{AttrValue, Feature, FieldDef, FieldKind, Layer};
use villageplan::{LayerRole, Project};

fn square(x: f64, y: f64, size: f64) -> Geometry<f64> {
    Geometry::Polygon(geo::Polygon::new(
        geo::LineString::from(vec![
            (x, y),
            (x + size, y),
            (x + size, y + size),
            (x, y + size),
            (x, y),
        ]),
        vec![],
    ))
}

fn feature(id: i64, geometry: Geometry<f64>, name: &str) -> Feature {
    Feature {
        id,
        geometry: Some(geometry),
        attributes: vec![AttrValue::text(name)],
    }
}

/// A 永久基本农田 layer with name and the three area fields, three squares.
fn project() -> Project {
    let fields = vec![
        FieldDef::new("MC", FieldKind::Text),
        FieldDef::new("MJ", FieldKind::Real),
        FieldDef::new("MJGQ", FieldKind::Real),
        FieldDef::new("MJM", FieldKind::Real),
    ];
    let features = (0..3)
        .map(|i| {
            feature(
                i + 1,
                square(500_000.0 + 200.0 * i as f64, 2_720_000.0, 100.0),
                "田",
            )
        })
        .collect();
    let mut p = Project::new("t", WorkingCrs::from_epsg(4542).unwrap());
    p.add_layer(Layer::new(
        "yjjbnt",
        "永久基本农田",
        LayerRole::PermanentFarmland,
        fields,
        features,
    ));
    p
}

fn features(p: &Project) -> Vec<Feature> {
    p.layers[0].features().to_vec()
}

/// Positions the index finds in a box, sorted.
fn indexed(p: &Project, min: [f64; 2], max: [f64; 2]) -> Vec<usize> {
    let mut v: Vec<usize> = p.layers[0].index().query(min, max).collect();
    v.sort_unstable();
    v
}

#[test]
fn every_edit_undone_is_the_identity() {
    let edits = vec![
        Edit::AddFeature {
            layer: "yjjbnt".into(),
            position: None,
            feature: feature(9, square(501_000.0, 2_720_000.0, 50.0), "新"),
        },
        Edit::AddFeature {
            layer: "yjjbnt".into(),
            position: Some(1),
            feature: feature(9, square(501_000.0, 2_720_000.0, 50.0), "新"),
        },
        Edit::RemoveFeature {
            layer: "yjjbnt".into(),
            position: 1,
        },
        Edit::ReplaceGeometry {
            layer: "yjjbnt".into(),
            position: 0,
            geometry: Some(square(499_000.0, 2_719_000.0, 30.0)),
        },
        Edit::SetAttribute {
            layer: "yjjbnt".into(),
            position: 2,
            field: "MC".into(),
            value: AttrValue::text("改"),
        },
    ];
    for edit in edits {
        let mut p = project();
        let before = features(&p);
        let inverse = edit.clone().apply(&mut p).unwrap();
        assert_ne!(features(&p), before, "{edit:?} changed something");
        let again = inverse.apply(&mut p).unwrap();
        // Exactly as before: geometry, id and every attribute, area fields included.
        assert_eq!(features(&p), before, "{edit:?}");
        // The inverse of the inverse is the edit again.
        again.apply(&mut p).unwrap();
        assert_eq!(p.layers[0].features().len(), {
            let mut q = project();
            edit.clone().apply(&mut q).unwrap();
            q.layers[0].features().len()
        });
    }
}

#[test]
fn area_fields_follow_the_geometry_in_m2_hectares_and_mu() {
    let mut p = project();
    Edit::ReplaceGeometry {
        layer: "yjjbnt".into(),
        position: 0,
        geometry: Some(square(500_000.0, 2_720_000.0, 300.0)),
    }
    .apply(&mut p)
    .unwrap();
    let l = &p.layers[0];
    assert_eq!(l.value(0, "MJ"), Some(&AttrValue::Real(90_000.0)));
    assert_eq!(l.value(0, "MJGQ"), Some(&AttrValue::Real(9.0)));
    assert_eq!(l.value(0, "MJM"), Some(&AttrValue::Real(135.0)));
    // The index moved with it.
    assert_eq!(
        indexed(&p, [500_250.0, 2_720_250.0], [500_260.0, 2_720_260.0]),
        [0]
    );
}

#[test]
fn an_invalid_geometry_is_refused_with_its_location_and_nothing_changes() {
    let mut p = project();
    let before = features(&p);
    let bowtie: geo::Polygon = wkt!(POLYGON((500000.0 2720000.0, 500100.0 2720100.0, 500100.0 2720000.0, 500000.0 2720100.0, 500000.0 2720000.0)));
    let err = Edit::ReplaceGeometry {
        layer: "yjjbnt".into(),
        position: 1,
        geometry: Some(Geometry::Polygon(bowtie.clone())),
    }
    .apply(&mut p)
    .unwrap_err();
    // The place comes back typed, so the window marks it without validating again.
    match &err {
        villageplan::Error::InvalidGeometry {
            layer, feature, at, ..
        } => {
            assert_eq!((layer.as_str(), *feature), ("永久基本农田", Some(2)));
            let at = at.expect("located");
            assert!((at.x - 500_050.0).abs() < 1e-6 && (at.y - 2_720_050.0).abs() < 1e-6);
        }
        other => panic!("not an InvalidGeometry: {other}"),
    }
    let err = err.to_string();
    assert!(err.contains("self-intersection"), "{err}");
    assert!(
        err.contains("500050.00, 2720050.00"),
        "located at the crossing: {err}"
    );
    assert_eq!(features(&p), before);

    // A batch whose second edit is invalid leaves no trace of the first.
    let err = Edit::Batch(vec![
        Edit::SetAttribute {
            layer: "yjjbnt".into(),
            position: 0,
            field: "MC".into(),
            value: AttrValue::text("改"),
        },
        Edit::AddFeature {
            layer: "yjjbnt".into(),
            position: None,
            feature: feature(7, Geometry::Polygon(bowtie), "坏"),
        },
    ])
    .apply(&mut p);
    assert!(err.is_err());
    assert_eq!(features(&p), before);
}

#[test]
fn history_undoes_and_redoes_in_order_with_labels() {
    let mut p = project();
    let original = features(&p);
    let mut h = History::default();
    h.apply(
        &mut p,
        "删除",
        Edit::RemoveFeature {
            layer: "yjjbnt".into(),
            position: 0,
        },
    )
    .unwrap();
    h.apply(
        &mut p,
        "改名",
        Edit::SetAttribute {
            layer: "yjjbnt".into(),
            position: 0,
            field: "MC".into(),
            value: AttrValue::text("改"),
        },
    )
    .unwrap();
    let after = features(&p);
    assert_eq!(h.undo_label(), Some("改名"));
    assert_eq!(h.undo(&mut p).unwrap().as_deref(), Some("改名"));
    assert_eq!(h.undo(&mut p).unwrap().as_deref(), Some("删除"));
    assert_eq!(h.undo(&mut p).unwrap(), None);
    assert_eq!(features(&p), original);
    assert_eq!(
        indexed(&p, [499_000.0, 2_719_000.0], [502_000.0, 2_721_000.0]),
        [0, 1, 2]
    );
    assert_eq!(h.redo(&mut p).unwrap().as_deref(), Some("删除"));
    assert_eq!(h.redo(&mut p).unwrap().as_deref(), Some("改名"));
    assert_eq!(features(&p), after);
    assert_eq!(h.redo_label(), None);
    // A new edit after an undo drops the redo list.
    h.undo(&mut p).unwrap();
    h.apply(
        &mut p,
        "改名2",
        Edit::SetAttribute {
            layer: "yjjbnt".into(),
            position: 1,
            field: "MC".into(),
            value: AttrValue::text("x"),
        },
    )
    .unwrap();
    assert_eq!(h.redo_label(), None);
}

/// An edit in a form independent of the layer's size: positions are fractions of the
/// feature count at the time it is applied.
#[derive(Debug, Clone)]
enum Spec {
    Add(f64, f64, f64),
    Remove(f64),
    Replace(f64, f64, f64),
    Rename(f64, String),
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        (0.0..1.0f64, 0.0..2_000.0f64, 1.0..150.0f64).prop_map(|(a, x, s)| Spec::Add(a, x, s)),
        (0.0..1.0f64).prop_map(Spec::Remove),
        (0.0..1.0f64, 0.0..2_000.0f64, 1.0..150.0f64).prop_map(|(a, x, s)| Spec::Replace(a, x, s)),
        (0.0..1.0f64, "[a-z]{1,4}").prop_map(|(a, n)| Spec::Rename(a, n)),
    ]
}

/// The concrete edit for a layer of `n` features (an add when the layer is empty); an added
/// feature gets `next_id` (ids are unique within a layer).
fn concrete(spec: &Spec, n: usize, next_id: i64) -> Edit {
    let layer = "yjjbnt".to_string();
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len.saturating_sub(1));
    match (spec, n) {
        (Spec::Add(a, x, size), _) => Edit::AddFeature {
            layer,
            position: Some(((a * (n + 1) as f64) as usize).min(n)),
            feature: feature(next_id, square(500_000.0 + x, 2_720_500.0, *size), "p"),
        },
        (_, 0) => Edit::AddFeature {
            layer,
            position: None,
            feature: feature(next_id, square(500_000.0, 2_720_500.0, 10.0), "p"),
        },
        (Spec::Remove(a), n) => Edit::RemoveFeature {
            layer,
            position: at(*a, n),
        },
        (Spec::Replace(a, x, size), n) => Edit::ReplaceGeometry {
            layer,
            position: at(*a, n),
            geometry: Some(square(500_000.0 + x, 2_719_000.0, *size)),
        },
        (Spec::Rename(a, name), n) => Edit::SetAttribute {
            layer,
            position: at(*a, n),
            field: "MC".into(),
            value: AttrValue::text(name.clone()),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of edits, undone completely, restores the exact geometry and
    /// attributes; redone completely, reaches the same state again; the index always
    /// agrees with the geometry.
    #[test]
    fn random_undo_redo_sequences_restore_exact_state(specs in prop::collection::vec(spec(), 1..16)) {
        let mut p = project();
        let mut h = History::default();
        let original = features(&p);
        for s in &specs {
            let edit = concrete(s, p.layers[0].features().len(), p.layers[0].next_feature_id());
            h.apply(&mut p, "e", edit).unwrap();
        }
        let done = features(&p);
        while h.undo(&mut p).unwrap().is_some() {}
        prop_assert_eq!(features(&p), original);
        while h.redo(&mut p).unwrap().is_some() {}
        prop_assert_eq!(features(&p), done);
        // Every feature is found by the index at its own envelope.
        for (i, f) in p.layers[0].features().iter().enumerate() {
            let r = geo::BoundingRect::bounding_rect(f.geometry.as_ref().unwrap()).unwrap();
            let hits: Vec<usize> = p.layers[0].index().query(r.min().into(), r.max().into()).collect();
            prop_assert!(hits.contains(&i));
            // And by its id at its own position.
            prop_assert_eq!(p.layers[0].position_of(f.id), Some(i));
        }
        prop_assert_eq!(p.layers[0].index().len(), p.layers[0].features().len());
    }
}

#[test]
fn plan_layers_are_created_with_their_schema_and_survive_save_and_load() {
    use villageplan::edit::{DRAWN_ROLES, new_plan_layer};
    let mut p = project();
    for role in DRAWN_ROLES {
        let layer = new_plan_layer(&p, role);
        assert_eq!(layer.role, role);
        // Polygons carry the three area fields; the facility point layers do not.
        let polygon = layer.geometry_kind == villageplan::GeometryKind::Polygon;
        assert_eq!(
            layer.field_index("MJM").is_some() && layer.field_index("MJGQ").is_some(),
            polygon,
            "{}",
            layer.name
        );
        p.add_layer(layer);
    }
    let projects = villageplan::edit::new_plan_layer_of(
        &p,
        LayerRole::ConstructionProject,
        villageplan::GeometryKind::Point,
    );
    assert!(projects.field_index("XMMC").is_some() && projects.field_index("MJ").is_none());
    p.add_layer(projects);
    let boundary = p
        .layers
        .iter()
        .find(|l| l.role == LayerRole::VillageConstructionBoundary)
        .unwrap();
    assert!(
        boundary.field_index("CZDM").is_some(),
        "村代码 for 村庄建设边界"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    villageplan::io::save_project(&p, &path, &villageplan::Silent).unwrap();
    let loaded = villageplan::io::load_project(&path, &villageplan::Silent).unwrap();
    assert_eq!(loaded.layers.len(), p.layers.len());
    for (a, b) in loaded.layers.iter().zip(&p.layers) {
        assert_eq!(a.role, b.role);
        assert_eq!(a.geometry_kind, b.geometry_kind, "{}", a.name);
        assert_eq!(a.fields().len(), b.fields().len());
    }
}

#[test]
fn a_construction_sketch_reports_its_overlap_with_farmland_and_red_line() {
    use villageplan::analysis::live_conflicts::construction_conflicts;
    let mut p = project(); // farmland squares 100 m at x = 500 000, 500 200, 500 400
    p.add_layer(Layer::new(
        "stbhhx",
        "生态保护红线",
        LayerRole::EcologicalRedLine,
        vec![],
        vec![Feature {
            id: 1,
            geometry: Some(square(500_600.0, 2_720_000.0, 50.0)),
            attributes: vec![],
        }],
    ));
    // 30 m into the first farmland square, 100 m tall: 3 000 m² = 4.5 亩.
    let sketch = match square(500_070.0, 2_720_000.0, 100.0) {
        Geometry::Polygon(p) => p,
        _ => unreachable!(),
    };
    let found = construction_conflicts(&p, &sketch);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].role, LayerRole::PermanentFarmland);
    assert!(
        (found[0].area_m2 - 3_000.0).abs() < 1e-6,
        "{}",
        found[0].area_m2
    );
    // Reaching into the red line too: 20 m × 50 m there.
    let wide: geo::Polygon = wkt!(POLYGON((500070.0 2720000.0, 500620.0 2720000.0, 500620.0 2720100.0, 500070.0 2720100.0, 500070.0 2720000.0)));
    let found = construction_conflicts(&p, &wide);
    let red = found
        .iter()
        .find(|c| c.role == LayerRole::EcologicalRedLine)
        .unwrap();
    assert!((red.area_m2 - 1_000.0).abs() < 1e-6, "{}", red.area_m2);
    let farm = found
        .iter()
        .find(|c| c.role == LayerRole::PermanentFarmland)
        .unwrap();
    assert!((farm.area_m2 - (3_000.0 + 10_000.0 + 10_000.0)).abs() < 1e-6);
    // Outside everything: nothing.
    let away = match square(510_000.0, 2_730_000.0, 10.0) {
        Geometry::Polygon(p) => p,
        _ => unreachable!(),
    };
    assert!(construction_conflicts(&p, &away).is_empty());
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Geometry<f64> {
    Geometry::Polygon(geo::Rect::new((x0, y0), (x1, y1)).to_polygon())
}

#[test]
fn three_spaces_are_drafted_from_land_use_with_red_line_and_farmland_overrides() {
    use geo::Area;
    use villageplan::edit::{draft_three_spaces, new_plan_layer, three_spaces_edit};
    use villageplan::landuse::Space;
    let (x, y) = (500_000.0, 2_720_000.0);
    let r = |a: f64, b: f64, c: f64, d: f64| rect(x + a, y + b, x + c, y + d);
    let mut p = Project::new("t", WorkingCrs::from_epsg(4542).unwrap());
    let layer = |id: &str, role, fields: &[&str], rows: Vec<(Geometry<f64>, Vec<&str>)>| {
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
                .map(|(i, (g, v))| Feature {
                    id: i as i64 + 1,
                    geometry: Some(g),
                    attributes: v.into_iter().map(AttrValue::text).collect(),
                })
                .collect(),
        )
    };
    p.add_layer(layer(
        "villages",
        LayerRole::Village,
        &["XZQDM"],
        vec![(r(0.0, 0.0, 100.0, 100.0), vec!["530921101201"])],
    ));
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["DLBM"],
        vec![
            (r(0.0, 0.0, 50.0, 100.0), vec!["0103"]),  // 旱地 → 生产
            (r(50.0, 0.0, 100.0, 80.0), vec!["0301"]), // 乔木林地 → 生态
            (r(50.0, 80.0, 80.0, 100.0), vec!["0301"]),
            (r(80.0, 80.0, 100.0, 100.0), vec!["0702"]), // 宅基地 → 生活
        ],
    ));
    p.add_layer(layer(
        "stbhhx",
        LayerRole::EcologicalRedLine,
        &[],
        vec![(r(90.0, 50.0, 100.0, 100.0), vec![])],
    ));
    p.add_layer(layer(
        "yjjbnt",
        LayerRole::PermanentFarmland,
        &[],
        vec![(r(50.0, 0.0, 60.0, 100.0), vec![])],
    ));
    let drafts = draft_three_spaces(&p, Some("530921101201")).unwrap();
    let area = |s: Space| {
        drafts
            .iter()
            .filter(|d| d.space == s)
            .map(|d| d.geometry.unsigned_area())
            .sum::<f64>()
    };
    // 生产: the 旱地 (5 000) and the farmland strip over the forest (1 000).
    assert!((area(Space::Production) - 6_000.0).abs() < 1e-6);
    // 生活: the house plot less the red line's half of it.
    assert!((area(Space::Living) - 200.0).abs() < 1e-6);
    // 生态: the rest; the three spaces tile the village.
    assert!((area(Space::Ecological) - 3_800.0).abs() < 1e-6);
    assert!(draft_three_spaces(&p, Some("000000000000")).is_err());

    // Into a 三生空间 layer as one undoable edit.
    let target = new_plan_layer(&p, LayerRole::ThreeSpaces);
    let id = target.id.clone();
    let edit = three_spaces_edit(&target, drafts);
    p.add_layer(target);
    let mut h = History::default();
    h.apply(&mut p, "生成三生空间", edit).unwrap();
    let l = p.layers.iter().find(|l| l.id == id).unwrap();
    assert_eq!(l.features().len(), 3);
    assert_eq!(l.value(2, "KJLX"), Some(&AttrValue::text("生活空间")));
    assert_eq!(l.value(2, "MJ"), Some(&AttrValue::Real(200.0)));
    h.undo(&mut p).unwrap();
    assert_eq!(
        p.layers
            .iter()
            .find(|l| l.id == id)
            .unwrap()
            .features()
            .len(),
        0
    );
}

/// Every feature of every layer has its own id, and the id finds it.
fn assert_unique_ids(p: &Project) {
    for layer in &p.layers {
        for (i, f) in layer.features().iter().enumerate() {
            assert_eq!(
                layer.position_of(f.id),
                Some(i),
                "layer {}, feature {}",
                layer.id,
                f.id
            );
        }
    }
}

#[test]
fn a_taken_feature_id_is_refused_and_every_tool_gives_fresh_ones() {
    use villageplan::edit::{create_from_selection, merge_features, split_features};
    let mut p = project(); // ids 1, 2, 3
    let before = features(&p);
    let err = Edit::AddFeature {
        layer: "yjjbnt".into(),
        position: None,
        feature: feature(2, square(500_600.0, 2_720_000.0, 100.0), "重"),
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(
        matches!(err, villageplan::Error::DuplicateFeatureId { id: 2, .. }),
        "{err}"
    );
    assert_eq!(features(&p), before);

    // A line across all three squares splits each: three new parts with fresh ids.
    let mut h = History::default();
    let line = [
        geo::coord! { x: 499_990.0, y: 2_720_050.0 },
        geo::coord! { x: 500_510.0, y: 2_720_050.0 },
    ];
    let split = split_features(p.layer("yjjbnt").unwrap(), &line).unwrap();
    h.apply(&mut p, "分割", split).unwrap();
    assert_eq!(p.layer("yjjbnt").unwrap().features().len(), 6);
    assert_unique_ids(&p);
    // Merging keeps one of the ids; creating from a selection takes the next one.
    let merge = merge_features(p.layer("yjjbnt").unwrap(), &[0, 3], 0).unwrap();
    h.apply(&mut p, "合并", merge).unwrap();
    let layer = p.layer("yjjbnt").unwrap();
    let create = create_from_selection(layer, &[0, 1], layer).unwrap();
    h.apply(&mut p, "所选创建", create).unwrap();
    assert_unique_ids(&p);
    let layer = p.layer("yjjbnt").unwrap();
    assert_eq!(layer.features().last().map(|f| f.id), Some(7));
    // Undo and redo bring the same ids back.
    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    h.redo(&mut p).unwrap();
    assert_unique_ids(&p);
}

#[test]
fn snapping_takes_the_nearest_vertex_within_tolerance_before_any_edge() {
    use geo::Coord;
    use villageplan::edit::{SnapKind, snap};
    let p = project(); // squares of 100 m at x = 500 000, 500 200, 500 400; y = 2 720 000
    let layers: Vec<&Layer> = p.layers.iter().map(|l| l.as_ref()).collect();
    let c = |x: f64, y: f64| Coord {
        x: 500_000.0 + x,
        y: 2_720_000.0 + y,
    };
    // 3 m from the corner (100, 100) and 1 m from an edge: the vertex wins.
    let s = snap(&layers, c(102.0, 97.8), 5.0).unwrap();
    assert_eq!(s.kind, SnapKind::Vertex);
    assert_eq!(s.at, c(100.0, 100.0));
    // Of two vertices in range, the nearer: (200, 100) is 1.5 m away, (100, 100) 98.5 m.
    let s = snap(&layers, c(198.5, 100.0), 5.0).unwrap();
    assert_eq!(s.at, c(200.0, 100.0));
    // Only an edge in range: the foot of the perpendicular.
    let s = snap(&layers, c(50.0, 102.0), 5.0).unwrap();
    assert_eq!(s.kind, SnapKind::Segment);
    assert!((s.at.x - c(50.0, 100.0).x).abs() < 1e-9 && (s.at.y - c(50.0, 100.0).y).abs() < 1e-9);
    // Nothing within tolerance.
    assert!(snap(&layers, c(150.0, 50.0), 5.0).is_none());
    assert!(snap(&layers, c(102.0, 97.8), 2.0).is_some_and(|s| s.kind == SnapKind::Segment));
}

#[test]
fn selected_parcels_become_one_feature_of_the_target_layer() {
    use villageplan::edit::{create_from_selection, new_plan_layer};
    let mut p = project(); // three separate 100 m squares
    // Two touching squares merge into one polygon; with the third, a multipolygon.
    p.layer_mut("yjjbnt")
        .unwrap()
        .insert_feature(3, feature(4, square(500_100.0, 2_720_000.0, 100.0), "邻"))
        .unwrap();
    let target = new_plan_layer(&p, LayerRole::ThreeSpaces);
    let id = target.id.clone();
    p.add_layer(target);
    let edit = create_from_selection(&p.layers[0], &[0, 3], &p.layers[1]).unwrap();
    let mut h = History::default();
    h.apply(&mut p, "所选创建", edit).unwrap();
    let l = p.layers.iter().find(|l| l.id == id).unwrap();
    let g = l.features()[0].geometry.as_ref().unwrap();
    assert!(
        matches!(g, Geometry::Polygon(_)),
        "touching squares dissolve into one polygon"
    );
    assert_eq!(l.value(0, "MJ"), Some(&AttrValue::Real(20_000.0)));
    let edit = create_from_selection(&p.layers[0], &[0, 1], &p.layers[1]).unwrap();
    h.apply(&mut p, "所选创建", edit).unwrap();
    let l = p.layers.iter().find(|l| l.id == id).unwrap();
    assert!(matches!(
        l.features()[1].geometry,
        Some(Geometry::MultiPolygon(_))
    ));
    assert!(create_from_selection(&p.layers[0], &[], &p.layers[1]).is_err());
}
