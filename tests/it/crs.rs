//! Working CRS choice, areas against PROJ, zone prefixes and axis order.

use geo::{Area, GeodesicArea, Geometry, wkt};
use villageplan::crs::{Transformer, WorkingCrs};
use villageplan::io::{
    LoadOptions, project_from_layers, project_from_sources, read_all_layers, read_layer,
};
use villageplan::{Error, Silent};

use crate::fixtures::{Row, write_vector};

#[test]
fn gauss_kruger_area_matches_proj_and_the_ellipsoid() {
    // A 0.01° square near the 凤庆 county seat, in lon/lat.
    let lonlat: geo::Polygon =
        wkt!(POLYGON((99.90 24.60, 99.91 24.60, 99.91 24.61, 99.90 24.61, 99.90 24.60)));
    let geodesic = lonlat.geodesic_area_unsigned();

    let crs = WorkingCrs::from_epsg(4542).unwrap();
    let mut gk = Geometry::Polygon(lonlat.clone());
    Transformer::gk_from_lonlat(crs)
        .unwrap()
        .transform_geometry(&mut gk)
        .unwrap();
    let ours = gk.unsigned_area();

    // The same polygon transformed and measured by GDAL/PROJ itself.
    let mut ogr = gdal::vector::Geometry::from_wkt(
        "POLYGON ((99.90 24.60, 99.91 24.60, 99.91 24.61, 99.90 24.61, 99.90 24.60))",
    )
    .unwrap();
    let mut from = gdal::spatial_ref::SpatialRef::from_epsg(4490).unwrap();
    from.set_axis_mapping_strategy(gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder);
    let mut to = gdal::spatial_ref::SpatialRef::from_epsg(4542).unwrap();
    to.set_axis_mapping_strategy(gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder);
    ogr.transform_inplace(&gdal::spatial_ref::CoordTransform::new(&from, &to).unwrap())
        .unwrap();
    let proj = ogr.area();

    assert!((ours / proj - 1.0).abs() < 1e-9, "ours {ours} PROJ {proj}");
    // 0.9° east of the central meridian the GK scale is ~1.0001: planar area is ~0.02 %
    // above the ellipsoidal one (docs/domain.md §7).
    let excess = ours / geodesic - 1.0;
    assert!(
        (0.0..5e-4).contains(&excess),
        "planar/ellipsoidal - 1 = {excess}"
    );
}

#[test]
fn working_zone_follows_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let fengqing = dir.path().join("fengqing.geojson");
    let kunming = dir.path().join("kunming.geojson");
    for (path, wkt) in [
        (&fengqing, "POINT (99.913 24.597)"),
        (&kunming, "POINT (102.71 25.04)"),
    ] {
        write_vector(
            path,
            "GeoJSON",
            Some(4326),
            &[],
            &[Row { wkt, values: &[] }],
            &[],
        );
    }
    let p =
        project_from_sources("fq", &[&fengqing], &LoadOptions::default(), None, &Silent).unwrap();
    assert_eq!(p.crs.epsg(), 4542);
    let p =
        project_from_sources("km", &[&kunming], &LoadOptions::default(), None, &Silent).unwrap();
    assert_eq!(p.crs.epsg(), 4543, "CM 102°E");
    let forced = WorkingCrs::from_central_meridian(102).unwrap();
    let p = project_from_sources(
        "fq",
        &[&fengqing],
        &LoadOptions::default(),
        Some(forced),
        &Silent,
    )
    .unwrap();
    assert_eq!(p.crs, forced);
}

#[test]
fn zone_prefixed_eastings_are_recognised() {
    // The .prj says CM 99°E without prefix (EPSG:4542) but the eastings carry zone 33.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prefixed.shp");
    write_prefixed_triangle(&path, "ESRI Shapefile");
    let source = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    assert!(source.description.crs.as_deref().unwrap().contains("4521"));
    assert!(
        source
            .description
            .crs_note
            .as_deref()
            .unwrap()
            .contains("zone prefix")
    );
    let layer = source
        .into_layer("x".into(), WorkingCrs::from_epsg(4542).unwrap())
        .unwrap();
    assert_lands_without_prefix(&layer);
}

/// A triangle whose eastings carry zone 33's prefix, declared as CM 99°E without one.
fn write_prefixed_triangle(path: &std::path::Path, driver: &str) {
    write_vector(
        path,
        driver,
        Some(4542),
        &[],
        &[Row {
            wkt: "POLYGON ((33500000 2720000, 33500100 2720000, 33500100 2720100, 33500000 2720000))",
            values: &[],
        }],
        &[],
    );
}

/// The triangle of [`write_prefixed_triangle`] where it belongs in EPSG:4542.
fn assert_lands_without_prefix(layer: &villageplan::Layer) {
    use geo::CoordsIter;
    let first = layer.features()[0]
        .geometry
        .as_ref()
        .unwrap()
        .coords_iter()
        .next()
        .unwrap();
    assert!(
        (first.x - 500_000.0).abs() < 1e-3 && (first.y - 2_720_000.0).abs() < 1e-3,
        "{first:?}"
    );
}

#[test]
fn cgcs2000_geographic_axis_order() {
    // EPSG:4490 is lat/lon in the EPSG database; files store lon/lat. The point must land
    // near 凤庆 (x ≈ 591 km in zone CM 99°E), not in the Indian Ocean.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cgcs.gpkg");
    write_vector(
        &path,
        "GPKG",
        Some(4490),
        &[],
        &[Row {
            wkt: "POINT (99.913 24.597)",
            values: &[],
        }],
        &[],
    );
    let p = project_from_sources("x", &[&path], &LoadOptions::default(), None, &Silent).unwrap();
    let Some(Geometry::Point(pt)) = &p.layers[0].features()[0].geometry else {
        panic!()
    };
    assert!(
        (pt.x() - 591_700.0).abs() < 1_000.0 && (pt.y() - 2_721_000.0).abs() < 3_000.0,
        "{pt:?}"
    );
}

#[test]
fn missing_crs_is_an_error_naming_the_file_unless_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_prj.shp");
    write_vector(
        &path,
        "ESRI Shapefile",
        None,
        &[],
        &[Row {
            wkt: "POINT (99.913 24.597)",
            values: &[],
        }],
        &[],
    );
    let err = project_from_sources("x", &[&path], &LoadOptions::default(), None, &Silent)
        .err()
        .unwrap();
    assert!(matches!(err, Error::MissingCrs { .. }));
    assert!(err.to_string().contains("no_prj.shp"), "{err}");
    let options = LoadOptions {
        assume_crs: Some("EPSG:4490".into()),
        ..LoadOptions::default()
    };
    let p = project_from_sources("x", &[&path], &options, None, &Silent).unwrap();
    assert_eq!(p.crs.epsg(), 4542);
}

/// Small squares in CGCS2000 lon/lat around 凤庆, more than one batch of the reader's.
fn lonlat_squares(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let (x, y) = (
                99.80 + (i % 100) as f64 * 1e-3,
                24.50 + (i / 100) as f64 * 1e-3,
            );
            let d = 9e-4;
            format!(
                "POLYGON (({x} {y}, {} {y}, {} {}, {x} {}, {x} {y}))",
                x + d,
                x + d,
                y + d,
                y + d
            )
        })
        .collect()
}

#[test]
fn geometries_moved_during_the_read_equal_those_moved_after_it() {
    // With the working CRS given, the read moves each geometry as it is converted; without,
    // the layer is moved after the read. Both must give the same features, in order.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("squares.shp");
    let wkts = lonlat_squares(5000);
    let rows: Vec<Row> = wkts
        .iter()
        .map(|wkt| Row {
            wkt,
            values: &["水田"],
        })
        .collect();
    write_vector(&path, "ESRI Shapefile", Some(4490), &["DLMC"], &rows, &[]);
    let working = WorkingCrs::from_epsg(4542).unwrap();
    let options = LoadOptions::default();
    let during = project_from_sources("a", &[&path], &options, Some(working), &Silent).unwrap();
    let sources = read_all_layers(&path, &options, &Silent).unwrap();
    let after = project_from_layers("b", sources, Some(working)).unwrap();
    let (during, after) = (&during.layers[0], &after.layers[0]);
    assert_eq!(during.features().len(), 5000);
    assert_eq!(during.features(), after.features());
    let first = during.features()[0].geometry.as_ref().unwrap();
    let x = geo::CoordsIter::coords_iter(first).next().unwrap().x;
    assert!(
        (570_000.0..590_000.0).contains(&x),
        "moved into CM 99°E: {x}"
    );
}

#[test]
fn a_stale_declared_extent_does_not_misplace_the_layer() {
    // The GeoPackage's contents table says the eastings have no zone prefix, the
    // coordinates carry one: the CRS the read assumed from the declaration is wrong, so the
    // layer is read again and corrected by its coordinates, as without a working CRS.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stale.gpkg");
    write_prefixed_triangle(&path, "GPKG");
    {
        let ds = gdal::Dataset::open_ex(
            &path,
            gdal::DatasetOptions {
                open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE
                    | gdal::GdalOpenFlags::GDAL_OF_VECTOR,
                ..Default::default()
            },
        )
        .unwrap();
        ds.execute_sql(
            "UPDATE gpkg_contents SET min_x = 500000, max_x = 500100",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .unwrap();
    }
    let ds = gdal::Dataset::open(&path).unwrap();
    let extent = gdal::vector::LayerAccess::try_get_extent(&ds.layer(0).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(extent.MinX, 500_000.0, "the declared extent is stale");
    drop(ds);

    let working = WorkingCrs::from_epsg(4542).unwrap();
    let project = project_from_sources(
        "s",
        &[&path],
        &LoadOptions::default(),
        Some(working),
        &Silent,
    )
    .unwrap();
    let layer = &project.layers[0];
    assert!(layer.source.as_ref().unwrap().crs.contains("4521"));
    assert_lands_without_prefix(layer);
}
