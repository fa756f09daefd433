//! The CPU renderer draws what the styles say, where the viewport says.

use std::sync::atomic::AtomicBool;

use villageplan::crs::WorkingCrs;
use villageplan::landuse::{CodeBook, Standard};
use villageplan::model::Rgba;
use villageplan::render::{DisplayLayer, Viewport, render};

use crate::formats::sample_layer;

#[test]
fn polygons_holes_and_background_land_on_the_right_pixels() {
    let layer = sample_layer();
    let display = DisplayLayer::prepare(&layer, WorkingCrs::from_epsg(4542).unwrap()).unwrap();
    let (min, max) = display.geometries[0]
        .as_ref()
        .map(|g| {
            use geo::BoundingRect;
            let r = g.bounding_rect().unwrap();
            ([r.min().x, r.min().y], [r.max().x, r.max().y])
        })
        .unwrap();
    // The holed 400 m × 300 m parcel fills a 400 × 300 px image (about 1 m per pixel).
    let viewport = Viewport::fit(min, max, 400, 300, 0.0);
    let background = Rgba::rgb(255, 255, 255);
    let (pixmap, stats) = render(&[&display], &viewport, background, &AtomicBool::new(false));
    let pixmap = pixmap.unwrap();
    assert!(!stats.cancelled);
    assert_eq!(stats.shapes, 1, "only the first feature is in view");

    let dry_land = CodeBook::bundled()
        .lookup(Standard::Sandiao, "0103")
        .unwrap()
        .colour;
    let at = |x: u32, y: u32| {
        let p = pixmap.pixel(x, y).unwrap();
        [p.red(), p.green(), p.blue()]
    };
    let [r, g, b, _] = dry_land.0;
    assert_eq!(at(50, 250), [r, g, b], "inside the parcel: 旱地 colour");
    // The hole spans 100–200 m east and 100–200 m north of the parcel's south-west corner.
    assert_eq!(at(150, 150), [255, 255, 255], "inside the hole: background");
}

#[test]
fn a_cancelled_render_stops() {
    let layer = sample_layer();
    let display = DisplayLayer::prepare(&layer, WorkingCrs::from_epsg(4542).unwrap()).unwrap();
    let (min, max) = display.extent().unwrap();
    let viewport = Viewport::fit(min, max, 100, 100, 0.1);
    let (_, stats) = render(
        &[&display],
        &viewport,
        Rgba::rgb(0, 0, 0),
        &AtomicBool::new(true),
    );
    assert!(stats.cancelled);
    assert_eq!(stats.shapes + stats.dots, 0);
}

#[test]
fn the_legend_lists_the_classes_present_with_the_map_colours() {
    let mut layer = sample_layer();
    let sections = villageplan::render::legend(&[std::sync::Arc::new(layer.clone())]);
    assert_eq!(sections.len(), 1);
    let labels: Vec<&str> = sections[0].items.iter().map(|i| i.label.as_str()).collect();
    // The fixture holds 0103 旱地 and 0702 农村宅基地: their first-level classes.
    assert_eq!(labels, ["01 耕地", "07 住宅用地"]);
    let book = CodeBook::bundled();
    assert_eq!(
        sections[0].items[0].fill,
        Some(book.lookup(Standard::Sandiao, "01").unwrap().colour)
    );
    layer.style.visible = false;
    assert!(
        villageplan::render::legend(&[std::sync::Arc::new(layer)]).is_empty(),
        "hidden layers have no legend"
    );
}

#[test]
fn fixed_colours_by_value_fill_known_values_and_list_them_in_order() {
    use villageplan::model::Fill;
    let mut layer = sample_layer();
    let (red, blue, green) = (
        Rgba::rgb(200, 0, 0),
        Rgba::rgb(0, 0, 200),
        Rgba::rgb(0, 150, 0),
    );
    layer.style.fill = Fill::ByValue {
        field: "DLMC".into(),
        classes: vec![
            ("农村宅基地".into(), red),
            ("水田".into(), green),
            ("旱地".into(), blue),
        ],
    };
    let fills = villageplan::render::feature_fill(&layer, &layer.style);
    assert_eq!(fills, [Some(blue), Some(red)]);
    let sections = villageplan::render::legend(&[std::sync::Arc::new(layer.clone())]);
    let items: Vec<(&str, Option<Rgba>)> = sections[0]
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.fill))
        .collect();
    // Only the values present, in the order given (水田 is absent).
    assert_eq!(items, [("农村宅基地", Some(red)), ("旱地", Some(blue))]);
}
