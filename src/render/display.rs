//! A layer prepared for drawing: geometry projected once to Web Mercator, fill colours
//! resolved once, an index in the display plane.

use std::collections::BTreeMap;

use geo::{BoundingRect, Geometry};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::crs::{Transformer, WorkingCrs, epsg_srs};
use crate::error::Result;
use crate::landuse::{CodeBook, Standard};
use crate::model::{Fill, Layer, LayerStyle, Rgba};

/// EPSG code of Web Mercator, the slippy-map plane.
pub const EPSG_WEB_MERCATOR: u32 = 3857;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A layer ready for the renderer.
#[derive(Debug, Clone)]
pub struct DisplayLayer {
    /// The project layer's id.
    pub layer_id: String,
    /// Style at preparation time (the app re-prepares fills when the style changes).
    pub style: LayerStyle,
    /// Geometry in Web Mercator metres, by feature position.
    pub geometries: Vec<Option<Geometry<f64>>>,
    /// Fill colour per feature (`None`: no fill).
    pub fills: Vec<Option<Rgba>>,
    tree: RTree<Entry>,
}

/// Twelve distinct colours for categorised styles, chosen to stay apart on a white map.
const PALETTE: [Rgba; 12] = [
    Rgba::rgb(31, 119, 180),
    Rgba::rgb(255, 127, 14),
    Rgba::rgb(44, 160, 44),
    Rgba::rgb(214, 39, 40),
    Rgba::rgb(148, 103, 189),
    Rgba::rgb(140, 86, 75),
    Rgba::rgb(227, 119, 194),
    Rgba::rgb(127, 127, 127),
    Rgba::rgb(188, 189, 34),
    Rgba::rgb(23, 190, 207),
    Rgba::rgb(174, 199, 232),
    Rgba::rgb(255, 187, 120),
];

/// The fill colour of every feature of `layer` under `style`.
pub fn feature_fill(layer: &Layer, style: &LayerStyle) -> Vec<Option<Rgba>> {
    let n = layer.features().len();
    match &style.fill {
        Fill::None => vec![None; n],
        Fill::Single { color } => vec![Some(*color); n],
        Fill::LandUseCode { field } => {
            let standard = if field.to_ascii_uppercase().starts_with("GH") {
                Standard::Ydyh2023
            } else {
                Standard::Sandiao
            };
            let book = CodeBook::bundled();
            let Some(col) = layer.field_index(field) else {
                return vec![None; n];
            };
            layer
                .features()
                .iter()
                .map(|f| {
                    let code = f.attributes[col].as_text()?;
                    book.lookup(standard, &code).map(|c| c.colour)
                })
                .collect()
        }
        Fill::ByValue { field, classes } => {
            let Some(col) = layer.field_index(field) else {
                return vec![None; n];
            };
            layer
                .features()
                .iter()
                .map(|f| {
                    let v = f.attributes[col].as_text()?;
                    classes.iter().find(|(k, _)| *k == v).map(|(_, c)| *c)
                })
                .collect()
        }
        Fill::Categorized { field } => {
            let Some(col) = layer.field_index(field) else {
                return vec![None; n];
            };
            let mut categories: BTreeMap<String, usize> = BTreeMap::new();
            for f in layer.features() {
                if let Some(v) = f.attributes[col].as_text() {
                    let next = categories.len();
                    categories.entry(v.into_owned()).or_insert(next);
                }
            }
            layer
                .features()
                .iter()
                .map(|f| {
                    let v = f.attributes[col].as_text()?;
                    categories
                        .get(v.as_ref())
                        .map(|i| PALETTE[i % PALETTE.len()])
                })
                .collect()
        }
    }
}

impl DisplayLayer {
    /// Projects a layer (held in `crs`) into Web Mercator and indexes it there.
    pub fn prepare(layer: &Layer, crs: WorkingCrs) -> Result<Self> {
        let to_mercator = Transformer::new(&crs.spatial_ref()?, &epsg_srs(EPSG_WEB_MERCATOR)?)?;
        let mut geometries = Vec::with_capacity(layer.features().len());
        for f in layer.features() {
            let g = f.geometry.as_ref().and_then(|g| {
                let mut g = g.clone();
                // A feature PROJ cannot place in Web Mercator (beyond ±85°) is simply not
                // drawn; it stays in the project and in every analysis.
                to_mercator.transform_geometry(&mut g).ok().map(|()| g)
            });
            geometries.push(g);
        }
        let entries = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let r = g.as_ref()?.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(r.min().into(), r.max().into()),
                    i,
                ))
            })
            .collect();
        Ok(DisplayLayer {
            layer_id: layer.id.clone(),
            style: layer.style.clone(),
            fills: feature_fill(layer, &layer.style),
            geometries,
            tree: RTree::bulk_load(entries),
        })
    }

    /// Positions of features whose envelope meets `[min, max]` (Web Mercator).
    pub fn query(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
    }

    /// The Web Mercator extent of the layer, if it has geometry.
    pub fn extent(&self) -> Option<([f64; 2], [f64; 2])> {
        (self.tree.size() > 0).then(|| {
            let e = self.tree.root().envelope();
            (e.lower(), e.upper())
        })
    }
}
