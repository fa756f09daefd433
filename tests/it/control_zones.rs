//! The 管控边界 draft: zones from land use, the lines winning, sliver elimination, the tiling
//! of the village, the fallback to current land use, and the `zones` command on the sample.

use gdal::vector::ToGdal;
use geo::{Area, BooleanOps, Geometry, MultiPolygon, Polygon};
use villageplan::crs::WorkingCrs;
use villageplan::edit::{
    History, LandUseSource, ZoneDraft, control_zones_edit, draft_control_zones, new_plan_layer,
};
use villageplan::model::{AttrValue, Feature, FieldDef, FieldKind, Layer};
use villageplan::{LayerRole, Project};

use crate::fixtures::villageplan;

const VILLAGE: &str = "530921101201";
/// Fixture origin in CGCS2000 3° GK CM 99°E, so coordinates look like real ones.
const X0: f64 = 500_000.0;
const Y0: f64 = 2_720_000.0;

/// A polygon from fixture-relative corner points (closed automatically).
fn poly(points: &[(f64, f64)]) -> Geometry<f64> {
    let ring: Vec<(f64, f64)> = points.iter().map(|(x, y)| (X0 + x, Y0 + y)).collect();
    Geometry::Polygon(Polygon::new(ring.into(), vec![]))
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Geometry<f64> {
    poly(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
}

fn layer(
    id: &str,
    role: LayerRole,
    field: Option<&str>,
    rows: Vec<(Geometry<f64>, &str)>,
) -> Layer {
    let fields: Vec<FieldDef> = field
        .into_iter()
        .map(|f| FieldDef::new(f, FieldKind::Text))
        .collect();
    let features = rows
        .into_iter()
        .enumerate()
        .map(|(i, (g, v))| Feature {
            id: i as i64 + 1,
            geometry: Some(g),
            attributes: field.iter().map(|_| AttrValue::text(v)).collect(),
        })
        .collect();
    Layer::new(id, id, role, fields, features)
}

/// The parcels of the fixture, with a code for each: a village 400 m × 100 m (40 000 m²).
///
/// ```text
///  y=100 ┌────────┬────────┬────────┬────────┐
///        │ A      │ B      │ D      │ E   ▫  │  ▫ corner of E: 345–350 × 99–100 (5 m²)
///        │ 园地   │ 旱地   │ 宅基地 ▪│ 设施   │  ▪ G 290–291 × 59.9–60.4 (0.5 m²), 公路
///   y=60 │        │        ├────────┤ 农用地 │
///        │        │        │ C 林地 │        │
///    y=0 └────────┴────────┴────────┴────────┘
///        0       100      200      300      400
/// ```
/// 永久基本农田: F1 = 100–199.95 (leaves a 5 m² strip of B beside C and D), F2 = 300–360
/// less E's corner. 生态保护红线: 350–420 (over F2, and past the village).
fn parcels(codes: [&str; 6]) -> Vec<(Geometry<f64>, &str)> {
    let [a, b, c, d, g, e] = codes;
    vec![
        (rect(0.0, 0.0, 100.0, 100.0), a),
        (rect(100.0, 0.0, 200.0, 100.0), b),
        (
            poly(&[
                (200.0, 0.0),
                (300.0, 0.0),
                (300.0, 60.0),
                (291.0, 60.0),
                (291.0, 59.9),
                (290.0, 59.9),
                (290.0, 60.0),
                (200.0, 60.0),
            ]),
            c,
        ),
        (
            poly(&[
                (200.0, 60.0),
                (290.0, 60.0),
                (290.0, 60.4),
                (291.0, 60.4),
                (291.0, 60.0),
                (300.0, 60.0),
                (300.0, 100.0),
                (200.0, 100.0),
            ]),
            d,
        ),
        (rect(290.0, 59.9, 291.0, 60.4), g),
        (rect(300.0, 0.0, 400.0, 100.0), e),
    ]
}

/// The village, the two lines and, when given, planned and current land use.
fn project(planned: Option<[&str; 6]>, current: Option<[&str; 6]>) -> Project {
    let mut p = Project::new("t", WorkingCrs::from_epsg(4542).unwrap());
    p.add_layer(layer(
        "villages",
        LayerRole::Village,
        Some("XZQDM"),
        vec![(rect(0.0, 0.0, 400.0, 100.0), VILLAGE)],
    ));
    if let Some(codes) = current {
        p.add_layer(layer(
            "dltb",
            LayerRole::CurrentLandUse,
            Some("DLBM"),
            parcels(codes),
        ));
    }
    p.add_layer(layer(
        "ghdltb",
        LayerRole::PlannedLandUse,
        Some("GHDLBM"),
        planned.map(parcels).unwrap_or_default(),
    ));
    p.add_layer(layer(
        "stbhhx",
        LayerRole::EcologicalRedLine,
        None,
        vec![(rect(350.0, 0.0, 420.0, 100.0), "")],
    ));
    p.add_layer(layer(
        "yjjbnt",
        LayerRole::PermanentFarmland,
        None,
        vec![
            (rect(100.0, 0.0, 199.95, 100.0), ""),
            (
                poly(&[
                    (300.0, 0.0),
                    (360.0, 0.0),
                    (360.0, 100.0),
                    (350.0, 100.0),
                    (350.0, 99.0),
                    (345.0, 99.0),
                    (345.0, 100.0),
                    (300.0, 100.0),
                ]),
                "",
            ),
        ],
    ));
    p
}

/// 园地 (02), 旱地 (01), 乔木林地 (03), 农村宅基地 (07), 公路用地 (12), 设施农用地 (06).
const PLANNED: [&str; 6] = ["0201", "0103", "0301", "0703", "1202", "0602"];
/// The same land as 三调 codes (0702 → 0703, 1003 → 1202, 1202 → 0602).
const CURRENT: [&str; 6] = ["0201", "0103", "0301", "0702", "1003", "1202"];

fn draft(drafts: &[ZoneDraft], code: &str) -> ZoneDraft {
    drafts
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no zone {code} in {:?}", codes(drafts)))
        .clone()
}

fn codes(drafts: &[ZoneDraft]) -> Vec<&str> {
    drafts.iter().map(|d| d.code.as_str()).collect()
}

fn assert_area(d: &ZoneDraft, expected: f64) {
    let area = d.geometry.unsigned_area();
    assert!(
        (area - expected).abs() < 1e-4,
        "{} {}: {area} m², expected {expected}",
        d.code,
        d.name
    );
}

/// The expected draft of the fixture, whatever the land-use source.
fn assert_fixture_zones(drafts: &[ZoneDraft]) {
    assert_eq!(codes(drafts), ["0101", "0102", "0201", "0202", "0301"]);
    assert!(drafts.iter().all(|d| d.village_code == VILLAGE));
    // The red line, clipped to the village, wins over farmland F2 and parcel E.
    let red = draft(drafts, "0102");
    assert_eq!(red.name, "生态保护红线");
    assert_area(&red, 5_000.0);
    // F1 (9 995) and F2 less the red line (5 995 − 1 000).
    let farmland = draft(drafts, "0202");
    assert_eq!(farmland.name, "永久基本农田");
    assert_area(&farmland, 14_990.0);
    // 园地 A, plus E's 5 m² corner, kept: its only neighbours are the two lines.
    let agriculture = draft(drafts, "0201");
    assert_eq!(agriculture.name, "一般农业空间");
    assert_area(&agriculture, 10_005.0);
    assert_eq!(agriculture.geometry.0.len(), 2, "A and the kept corner");
    assert_eq!(
        (agriculture.slivers_kept, agriculture.slivers_merged),
        (1, 0)
    );
    // 林地 C (less 0.1 m² under G) plus B's 5 m² strip beside F1: the strip shares 60 m
    // with C and only 40 m with D, so it goes to C's zone, dissolved into one polygon.
    let ecology = draft(drafts, "0101");
    assert_eq!(ecology.name, "一般生态空间");
    assert_area(&ecology, 6_004.9);
    assert_eq!(ecology.geometry.0.len(), 1);
    assert_eq!(ecology.slivers_merged, 1);
    // 宅基地 D plus the 0.5 m² road G, which shares 1.8 m with D and 1.2 m with C.
    let construction = draft(drafts, "0301");
    assert_eq!(construction.name, "村庄集中建设区");
    assert_area(&construction, 4_000.1);
    assert_eq!(construction.geometry.0.len(), 1);
    assert_eq!(construction.slivers_merged, 1);
    // No 0900: its only part was the 0.5 m² sliver.
    assert_tiles(drafts, 40_000.0);
}

/// Areas sum to the village's and no two zones overlap.
fn assert_tiles(drafts: &[ZoneDraft], village_area: f64) {
    let total: f64 = drafts.iter().map(|d| d.geometry.unsigned_area()).sum();
    assert!(
        (total - village_area).abs() < 0.01,
        "zones {total} m², village {village_area} m²"
    );
    for (i, a) in drafts.iter().enumerate() {
        for b in &drafts[i + 1..] {
            let overlap = a.geometry.intersection(&b.geometry).unsigned_area();
            assert!(
                overlap < 1e-6,
                "{} and {} overlap by {overlap} m²",
                a.code,
                b.code
            );
        }
    }
}

#[test]
fn zones_follow_planned_land_use_with_lines_winning_and_slivers_merged() {
    let p = project(Some(PLANNED), Some(CURRENT));
    let drafts = draft_control_zones(&p, Some(VILLAGE)).unwrap();
    assert!(drafts.iter().all(|d| d.source == LandUseSource::Planned));
    assert_fixture_zones(&drafts);
    // Every village when none is named; an unknown one is an error naming it.
    assert_eq!(draft_control_zones(&p, None).unwrap().len(), drafts.len());
    let err = draft_control_zones(&p, Some("000000000000")).unwrap_err();
    assert!(err.to_string().contains("000000000000"), "{err}");
}

#[test]
fn without_planned_parcels_current_land_use_is_converted_and_reported() {
    // The 规划地类 layer exists but is empty: current land use is read instead.
    let p = project(None, Some(CURRENT));
    let drafts = draft_control_zones(&p, Some(VILLAGE)).unwrap();
    assert!(drafts.iter().all(|d| d.source == LandUseSource::Current));
    assert_fixture_zones(&drafts);
}

#[test]
fn unmapped_classes_become_other_and_bad_codes_name_the_feature() {
    // D as 特殊用地 (15): not listed by any zone, so 0900 其他; G's sliver then joins it.
    let mut codes = PLANNED;
    codes[3] = "1501";
    let drafts = draft_control_zones(&project(Some(codes), None), Some(VILLAGE)).unwrap();
    let other = draft(&drafts, "0900");
    assert_eq!(other.name, "其他");
    assert_area(&other, 4_000.1);
    assert!(drafts.iter().all(|d| d.code != "0301"));

    codes[3] = "9999";
    let err = draft_control_zones(&project(Some(codes), None), Some(VILLAGE)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("ghdltb") && message.contains("feature 4") && message.contains("9999"),
        "{message}"
    );
}

#[test]
fn land_no_parcel_covers_is_drafted_as_other() {
    // Without parcel A the west 100 m of the village has no land use.
    let mut p = project(Some(PLANNED), None);
    let planned = p.layers.iter().position(|l| l.id == "ghdltb").unwrap();
    let rest = parcels(PLANNED).into_iter().skip(1).collect();
    p.layers[planned] = std::sync::Arc::new(layer(
        "ghdltb",
        LayerRole::PlannedLandUse,
        Some("GHDLBM"),
        rest,
    ));
    let drafts = draft_control_zones(&p, Some(VILLAGE)).unwrap();
    assert_area(&draft(&drafts, "0900"), 10_000.0);
    assert_area(&draft(&drafts, "0201"), 5.0);
    assert_tiles(&drafts, 40_000.0);
}

#[test]
fn the_draft_becomes_one_undoable_edit_of_a_control_zone_layer() {
    let mut p = project(Some(PLANNED), None);
    let drafts = draft_control_zones(&p, Some(VILLAGE)).unwrap();
    let target = new_plan_layer(&p, LayerRole::ControlZone);
    for field in ["GKBJLXDM", "GKBJLXMC", "CZDM"] {
        assert!(target.field_index(field).is_some(), "{field}");
    }
    assert!(target.field_index("GKLX").is_none());
    let id = target.id.clone();
    let edit = control_zones_edit(&target, drafts);
    p.add_layer(target);
    let mut h = History::default();
    h.apply(&mut p, "生成管控边界", edit).unwrap();
    let l = p.layers.iter().find(|l| l.id == id).unwrap();
    assert_eq!(l.features().len(), 5);
    let text = |i: usize, f: &str| {
        l.value(i, f)
            .and_then(|v| v.as_text())
            .unwrap()
            .into_owned()
    };
    assert_eq!(text(2, "GKBJLXDM"), "0201");
    assert_eq!(text(2, "GKBJLXMC"), "一般农业空间");
    assert_eq!(text(2, "CZDM"), VILLAGE);
    let mj = l.value(1, "MJ").and_then(|v| v.as_f64()).unwrap();
    assert!((mj - 5_000.0).abs() < 1e-4, "{mj}");
    h.undo(&mut p).unwrap();
    let l = p.layers.iter().find(|l| l.id == id).unwrap();
    assert!(l.features().is_empty());
}

fn polygons_of(g: Geometry<f64>) -> Vec<Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(m) => m.0,
        Geometry::GeometryCollection(c) => c.0.into_iter().flat_map(polygons_of).collect(),
        _ => Vec::new(),
    }
}

/// The total area of the GEOS union of all features of a layer (an overlap would make it
/// smaller than the sum of their areas).
fn union_area(layer: &Layer) -> f64 {
    let mut union: Option<gdal::vector::Geometry> = None;
    for f in layer.features() {
        let g = f.geometry.as_ref().unwrap().to_gdal().unwrap();
        union = Some(match union {
            None => g,
            Some(u) => u.union(&g).unwrap(),
        });
    }
    union.map_or(0.0, |u| u.area())
}

#[test]
fn zones_drafts_a_sample_village_and_writes_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("p.gpkg");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg"),
        &copy,
    )
    .unwrap();
    let p = copy.to_str().unwrap();
    let village = "530921107205";
    let (status, out, err) = villageplan(&["zones", p, "--village", village, "--write"]);
    assert_eq!(status, 0, "{err}");
    for text in [
        "一般生态空间",
        "生态保护红线",
        "现状地类",
        "碎片 slivers",
        "写入图层",
    ] {
        assert!(out.contains(text), "{text} missing from\n{out}");
    }

    let project = villageplan::io::load_project(&copy, &villageplan::Silent).unwrap();
    // The sample carries the 管控边界 of its planned villages already: this village's zones
    // are the features of the control-zone layers with its CZDM.
    let saved = project
        .layers
        .iter()
        .find(|l| l.role == LayerRole::ControlZone)
        .expect("the layer was saved");
    let of_village = |l: &&std::sync::Arc<villageplan::Layer>| {
        l.role == LayerRole::ControlZone && {
            let col = l.field_index("CZDM").unwrap();
            l.features()
                .iter()
                .any(|f| f.attributes[col].as_text().as_deref() == Some(village))
        }
    };
    let written = project
        .layers
        .iter()
        .find(of_village)
        .expect("the zones were written");
    let czdm = written.field_index("CZDM").unwrap();
    let zones = &villageplan::Layer::new(
        saved.id.clone(),
        saved.name.clone(),
        saved.role,
        written.fields().to_vec(),
        written
            .features()
            .iter()
            .filter(|f| f.attributes[czdm].as_text().as_deref() == Some(village))
            .cloned()
            .collect(),
    );
    let villages = project.layer_by_role(LayerRole::Village).unwrap();
    let col = villages.field_index("XZQDM").unwrap();
    let boundary = villages
        .features()
        .iter()
        .find(|f| f.attributes[col].as_text().as_deref() == Some(village))
        .unwrap()
        .geometry
        .clone()
        .unwrap();
    let area = boundary.unsigned_area();
    let codes: Vec<String> = (0..zones.features().len())
        .map(|i| {
            zones
                .value(i, "GKBJLXDM")
                .unwrap()
                .as_text()
                .unwrap()
                .into_owned()
        })
        .collect();
    assert_eq!(codes, ["0101", "0102", "0202", "0301"]);
    assert!(
        (0..codes.len())
            .all(|i| zones.value(i, "CZDM").and_then(|v| v.as_text()).as_deref() == Some(village))
    );
    // The zones tile the village: areas add up, and their union is as large as their sum.
    let total = zones.total_area_m2();
    assert!(
        (total - area).abs() < 0.01,
        "zones {total} m², village {area} m²"
    );
    assert!((union_area(zones) - total).abs() < 0.01);
    // 0102 is the red line clipped to the village, as an independent overlay measures it.
    let clipped = |role: LayerRole| -> MultiPolygon<f64> {
        let village = boundary.to_gdal().unwrap();
        let mut polygons = Vec::new();
        for f in project.layer_by_role(role).unwrap().features() {
            let g = f.geometry.as_ref().unwrap().to_gdal().unwrap();
            if let Some(part) = g.intersection(&village).filter(|p| !p.is_empty()) {
                let part: Geometry<f64> = (&part).try_into().unwrap();
                polygons.extend(polygons_of(part));
            }
        }
        MultiPolygon(polygons)
    };
    let red = clipped(LayerRole::EcologicalRedLine).unsigned_area();
    let red_zone = zones.features()[1]
        .geometry
        .as_ref()
        .unwrap()
        .unsigned_area();
    assert!(
        red > 1_000.0 && (red_zone - red).abs() < 0.01,
        "{red_zone} vs {red}"
    );

    let (status, _, err) = villageplan(&["zones", p, "--village", "000000000000"]);
    assert_eq!(status, 2);
    assert!(err.contains("000000000000"), "{err}");
}
