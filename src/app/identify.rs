//! Identify: the feature under a click, its attributes, area and land-use meaning.

use crate::landuse::{CodeBook, Standard};
use crate::model::Fill;
use crate::render::DisplayLayer;
use crate::{Project, units};
use geo::{Area, Contains, Distance, Euclidean, Geometry, Point};

/// A feature picked on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    pub layer_index: usize,
    pub feature_index: usize,
}

/// Every visible feature under `at` (Web Mercator), topmost layer first: polygons that
/// contain the point — outline-only layers (boundaries) only near their outline — and
/// points or lines within `tolerance` metres, as desktop GIS "identify all layers" does.
pub fn pick_all(
    display: &[std::sync::Arc<DisplayLayer>],
    at: [f64; 2],
    tolerance: f64,
) -> Vec<Identified> {
    let point = Point::new(at[0], at[1]);
    let mut out = Vec::new();
    for (layer_index, layer) in display.iter().enumerate().rev() {
        if !layer.style.visible {
            continue;
        }
        let min = [at[0] - tolerance, at[1] - tolerance];
        let max = [at[0] + tolerance, at[1] + tolerance];
        let mut candidates: Vec<usize> = layer.query(min, max).collect();
        candidates.sort_unstable();
        let outline_only = matches!(layer.style.fill, Fill::None);
        for i in candidates {
            let Some(g) = &layer.geometries[i] else {
                continue;
            };
            let hit = match g {
                Geometry::Polygon(_) | Geometry::MultiPolygon(_) if outline_only => {
                    Euclidean.distance(&point, &boundary(g)) <= tolerance
                }
                Geometry::Polygon(_) | Geometry::MultiPolygon(_) => g.contains(&point),
                _ => Euclidean.distance(&point, g) <= tolerance,
            };
            if hit {
                out.push(Identified {
                    layer_index,
                    feature_index: i,
                });
            }
        }
    }
    out
}

fn boundary(g: &Geometry<f64>) -> geo::MultiLineString<f64> {
    let mut lines = Vec::new();
    let mut add = |p: &geo::Polygon<f64>| {
        lines.push(p.exterior().clone());
        lines.extend(p.interiors().iter().cloned());
    };
    match g {
        Geometry::Polygon(p) => add(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut add),
        _ => {}
    }
    geo::MultiLineString(lines)
}

/// Rows of (label, value) describing an identified feature.
pub fn describe(project: &Project, picked: &Identified) -> Vec<(String, String)> {
    let Some(layer) = project.layers.get(picked.layer_index) else {
        return Vec::new();
    };
    let Some(feature) = layer.features().get(picked.feature_index) else {
        return Vec::new();
    };
    let mut rows = vec![(
        "图层 Layer".to_string(),
        format!("{} ({})", layer.name, layer.role.name_zh()),
    )];
    rows.push(("FID".into(), feature.id.to_string()));
    for (field, value) in layer.fields().iter().zip(&feature.attributes) {
        rows.push((
            field.name.clone(),
            value
                .as_text()
                .map(|v| v.into_owned())
                .unwrap_or_else(|| "NULL".into()),
        ));
    }
    if let Some(g) = &feature.geometry {
        let a = g.unsigned_area();
        if a > 0.0 {
            rows.push((
                "面积 Area".into(),
                format!(
                    "{:.2} m² = {:.4} 公顷 = {:.2} 亩",
                    a,
                    units::hectares(a),
                    units::mu(a)
                ),
            ));
        }
    }
    for (field, standard) in [("DLBM", Standard::Sandiao), ("GHDLBM", Standard::Ydyh2023)] {
        let Some(code) = layer
            .value(picked.feature_index, field)
            .and_then(|v| v.as_text())
        else {
            continue;
        };
        let book = CodeBook::bundled();
        match book.lookup(standard, &code) {
            Some(class) => {
                let level1 = book
                    .level1(standard, &code)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                rows.push((
                    "地类含义 Class".into(),
                    format!("{} {} （{}）", class.code, class.name, level1),
                ));
                if let Some(c) = class.three_category {
                    rows.push(("三大类".into(), c.name_zh().into()));
                }
                if let Some(space) = class.space {
                    rows.push(("三生空间".into(), space.name_zh().into()));
                }
                if let Some(conv) = (standard == Standard::Sandiao)
                    .then(|| book.sandiao_to_ydyh2023(&code))
                    .flatten()
                {
                    let flag = if conv.needs_refinement {
                        "（待细分）"
                    } else {
                        ""
                    };
                    rows.push(("用地用海 2023".into(), format!("{}{flag}", conv.ydyh2023)));
                }
            }
            None => rows.push((
                "地类含义 Class".into(),
                format!("{code}: 不在字典中 (not in the dictionary)"),
            )),
        }
    }
    rows
}

/// Every feature of the visible display layer `layer_index` that meets the box `min`–`max`
/// (Web Mercator): the box selection.
pub fn pick_box(
    display: &[std::sync::Arc<DisplayLayer>],
    layer_index: usize,
    min: [f64; 2],
    max: [f64; 2],
) -> Vec<Identified> {
    let Some(layer) = display.get(layer_index).filter(|l| l.style.visible) else {
        return Vec::new();
    };
    let rect = geo::Rect::new(
        geo::Coord::from((min[0], min[1])),
        geo::Coord::from((max[0], max[1])),
    );
    let mut hits: Vec<usize> = layer
        .query(min, max)
        .filter(|&i| {
            layer.geometries[i]
                .as_ref()
                .is_some_and(|g| geo::Intersects::intersects(g, &rect))
        })
        .collect();
    hits.sort_unstable();
    hits.into_iter()
        .map(|feature_index| Identified {
            layer_index,
            feature_index,
        })
        .collect()
}
