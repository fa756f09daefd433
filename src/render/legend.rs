//! The legend: what each symbol on the map means, derived from the same styles the
//! renderer uses so the two cannot disagree.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::landuse::{CodeBook, Standard};
use crate::model::{Fill, Layer, Rgba};

/// One symbol of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// What the symbol stands for (layer name, or class code and name).
    pub label: String,
    /// Fill colour, if filled.
    pub fill: Option<Rgba>,
    /// Outline colour.
    pub stroke: Rgba,
    /// Dashed outline.
    pub dashed: bool,
}

/// The legend of one layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendSection {
    /// Layer name.
    pub title: String,
    /// Symbols, in code order for categorised layers.
    pub items: Vec<LegendItem>,
}

/// Legend sections for the visible layers, topmost first. Land-use layers list the
/// first-level classes that actually occur in them.
pub fn legend(layers: &[Arc<Layer>]) -> Vec<LegendSection> {
    let book = CodeBook::bundled();
    layers
        .iter()
        .rev()
        .filter(|l| l.style.visible)
        .map(|layer| {
            let style = &layer.style;
            let single = |fill: Option<Rgba>| LegendItem {
                label: layer.name.clone(),
                fill,
                stroke: style.stroke,
                dashed: style.dashed,
            };
            let items = match &style.fill {
                Fill::None => vec![single(None)],
                Fill::Single { color } => vec![single(Some(*color))],
                Fill::LandUseCode { field } => {
                    let standard = if field.to_ascii_uppercase().starts_with("GH") {
                        Standard::Ydyh2023
                    } else {
                        Standard::Sandiao
                    };
                    let mut classes: BTreeMap<String, (String, Rgba)> = BTreeMap::new();
                    if let Some(col) = layer.field_index(field) {
                        for f in layer.features() {
                            let Some(code) = f.attributes[col].as_text() else {
                                continue;
                            };
                            if let Some(level1) = book.level1(standard, &code) {
                                classes
                                    .entry(level1.code.clone())
                                    .or_insert_with(|| (level1.name.clone(), level1.colour));
                            }
                        }
                    }
                    classes
                        .into_iter()
                        .map(|(code, (name, colour))| LegendItem {
                            label: format!("{code} {name}"),
                            fill: Some(colour),
                            stroke: style.stroke,
                            dashed: false,
                        })
                        .collect()
                }
                Fill::ByValue { field, classes } => {
                    // The classes present, in the order given.
                    let present: std::collections::BTreeSet<String> = layer
                        .field_index(field)
                        .map(|col| {
                            layer
                                .features()
                                .iter()
                                .filter_map(|f| f.attributes[col].as_text().map(|v| v.into_owned()))
                                .collect()
                        })
                        .unwrap_or_default();
                    classes
                        .iter()
                        .filter(|(v, _)| present.contains(v))
                        .map(|(v, c)| LegendItem {
                            label: v.clone(),
                            fill: Some(*c),
                            stroke: style.stroke,
                            dashed: style.dashed,
                        })
                        .collect()
                }
                Fill::Categorized { field } => {
                    let fills = super::feature_fill(layer, style);
                    let mut seen: BTreeMap<String, Rgba> = BTreeMap::new();
                    if let Some(col) = layer.field_index(field) {
                        for (f, fill) in layer.features().iter().zip(fills) {
                            if let (Some(v), Some(c)) = (f.attributes[col].as_text(), fill) {
                                seen.entry(v.into_owned()).or_insert(c);
                            }
                        }
                    }
                    seen.into_iter()
                        .map(|(v, c)| LegendItem {
                            label: v,
                            fill: Some(c),
                            stroke: style.stroke,
                            dashed: style.dashed,
                        })
                        .collect()
                }
            };
            LegendSection {
                title: layer.name.clone(),
                items,
            }
        })
        .collect()
}
