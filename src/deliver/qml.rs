//! A layer's style as a QGIS style document (QML), for the plan GeoPackage's `layer_styles`
//! table: QGIS then opens each layer with the colours, outlines and labels VillagePlan draws
//! it with, instead of a random single colour.
//!
//! The colours are not recomputed here: a categorised layer gets one category per value
//! present in it, coloured as [`feature_fill`] colours the first feature of that value (so
//! the land-use table, the fixed classes of a thematic map and the palette of a
//! categorised field all agree with the map by construction), plus QGIS's catch-all
//! category (empty value) drawn as VillagePlan draws a feature without a fill: outline only.
//! Widths, the dash and the point size are in pixels, as the renderer's. Symbol layers are
//! written as `<prop k v>` pairs, which every QGIS 3 reads.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::landuse::{CodeBook, Standard};
use crate::model::{Fill, GeometryKind, Layer, LayerStyle, Rgba};
use crate::render::feature_fill;

/// QGIS version the document declares (the oldest it was checked with).
const QGIS_VERSION: &str = "3.22";
/// Diameter of a point symbol, pixels (the renderer's radius is 4).
const POINT_SIZE_PX: f32 = 8.0;
/// The renderer's dash, pixels on and off.
const DASH_PX: &str = "8;5";

/// The QML document of `layer`'s style.
pub fn layer_qml(layer: &Layer) -> String {
    let style = &layer.style;
    let mut out = String::new();
    let labels = style
        .label_field
        .as_deref()
        .filter(|f| layer.field_index(f).is_some());
    let _ = write!(
        out,
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis version=\"{QGIS_VERSION}\" styleCategories=\"Symbology|Labeling\" \
         labelsEnabled=\"{}\">\n",
        u8::from(labels.is_some())
    );
    match categories(layer, style) {
        Some((field, classes)) => {
            let _ = writeln!(
                out,
                "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" symbollevels=\"0\" \
                 enableorderby=\"0\" forceraster=\"0\">\n    <categories>",
                escape(&field)
            );
            for (i, c) in classes.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "      <category render=\"true\" symbol=\"{i}\" value=\"{}\" label=\"{}\"/>",
                    escape(&c.value),
                    escape(&c.label)
                );
            }
            let _ = writeln!(
                out,
                "      <category render=\"true\" symbol=\"{}\" value=\"\" label=\"{}\"/>\n    \
                 </categories>\n    <symbols>",
                classes.len(),
                escape(&layer.name)
            );
            for (i, c) in classes.iter().enumerate() {
                out.push_str(&symbol(
                    &i.to_string(),
                    layer.geometry_kind,
                    style,
                    Some(c.fill),
                ));
            }
            out.push_str(&symbol(
                &classes.len().to_string(),
                layer.geometry_kind,
                style,
                None,
            ));
            out.push_str("    </symbols>\n  </renderer-v2>\n");
        }
        None => {
            let fill = match style.fill {
                Fill::Single { color } => Some(color),
                _ => None,
            };
            out.push_str(
                "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" \
                 forceraster=\"0\">\n    <symbols>\n",
            );
            out.push_str(&symbol("0", layer.geometry_kind, style, fill));
            out.push_str("    </symbols>\n  </renderer-v2>\n");
        }
    }
    if let Some(field) = labels {
        out.push_str(&labeling(field, layer.geometry_kind));
    }
    let _ = writeln!(
        out,
        "  <layerOpacity>{}</layerOpacity>\n</qgis>",
        style.opacity.clamp(0.0, 1.0)
    );
    out
}

/// One category of a categorised fill.
struct Category {
    value: String,
    label: String,
    fill: Rgba,
}

/// The field and the categories of a categorised fill, values in code order (the style's
/// order for fixed classes); `None` for a single colour or no fill.
fn categories(layer: &Layer, style: &LayerStyle) -> Option<(String, Vec<Category>)> {
    let field = match &style.fill {
        Fill::None | Fill::Single { .. } => return None,
        Fill::LandUseCode { field } | Fill::Categorized { field } => field,
        Fill::ByValue { field, .. } => field,
    };
    let col = layer.field_index(field)?;
    let standard = if field.to_ascii_uppercase().starts_with("GH") {
        Standard::Ydyh2023
    } else {
        Standard::Sandiao
    };
    let book = CodeBook::bundled();
    let mut seen: BTreeMap<String, (String, Rgba)> = BTreeMap::new();
    for (f, fill) in layer.features().iter().zip(feature_fill(layer, style)) {
        let (Some(value), Some(colour)) = (f.attributes[col].as_text(), fill) else {
            continue;
        };
        let value = value.into_owned();
        let label = match &style.fill {
            Fill::LandUseCode { .. } => match book.lookup(standard, &value) {
                Some(class) => format!("{value} {}", class.name),
                None => value.clone(),
            },
            _ => value.clone(),
        };
        seen.entry(value).or_insert((label, colour));
    }
    let mut classes: Vec<Category> = seen
        .into_iter()
        .map(|(value, (label, fill))| Category { value, label, fill })
        .collect();
    if let Fill::ByValue { classes: order, .. } = &style.fill {
        // The legend order the style gives.
        classes.sort_by_key(|c| order.iter().position(|(k, _)| *k == c.value));
    }
    Some((layer.fields()[col].name.clone(), classes))
}

/// One `<symbol>` of the layer's geometry kind; `fill` `None` draws the outline only.
fn symbol(name: &str, kind: GeometryKind, style: &LayerStyle, fill: Option<Rgba>) -> String {
    let stroke = colour(style.stroke);
    let width = style.stroke_width.max(0.1);
    let line_style = if style.dashed { "dash" } else { "solid" };
    let dash = u8::from(style.dashed);
    let (symbol_type, class, props): (&str, &str, Vec<(&str, String)>) = match kind {
        GeometryKind::Line => (
            "line",
            "SimpleLine",
            vec![
                ("line_color", stroke),
                ("line_width", width.to_string()),
                ("line_width_unit", "Pixel".into()),
                ("line_style", line_style.into()),
                ("use_custom_dash", dash.to_string()),
                ("customdash", DASH_PX.into()),
                ("customdash_unit", "Pixel".into()),
                ("capstyle", "round".into()),
                ("joinstyle", "round".into()),
            ],
        ),
        GeometryKind::Point => (
            "marker",
            "SimpleMarker",
            vec![
                ("name", "circle".into()),
                ("color", colour(fill.unwrap_or(style.stroke))),
                ("outline_color", stroke),
                ("outline_width", "1".into()),
                ("outline_width_unit", "Pixel".into()),
                ("size", POINT_SIZE_PX.to_string()),
                ("size_unit", "Pixel".into()),
            ],
        ),
        _ => (
            "fill",
            "SimpleFill",
            vec![
                (
                    "color",
                    colour(fill.unwrap_or(Rgba::with_alpha(0, 0, 0, 0))),
                ),
                ("style", if fill.is_some() { "solid" } else { "no" }.into()),
                ("outline_color", stroke),
                ("outline_width", width.to_string()),
                ("outline_width_unit", "Pixel".into()),
                ("outline_style", line_style.into()),
                ("joinstyle", "round".into()),
            ],
        ),
    };
    let mut out = format!(
        "      <symbol type=\"{symbol_type}\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" \
         force_rhr=\"0\">\n        <layer class=\"{class}\" enabled=\"1\" locked=\"0\" \
         pass=\"0\">\n"
    );
    for (k, v) in props {
        let _ = writeln!(out, "          <prop k=\"{k}\" v=\"{}\"/>", escape(&v));
    }
    out.push_str("        </layer>\n      </symbol>\n");
    out
}

/// Simple labels from `field`: over the point or inside the polygon, with a white halo as
/// the map draws them.
fn labeling(field: &str, kind: GeometryKind) -> String {
    // QGIS's placement codes: 1 over the point, 2 along the line, 0 around the centroid.
    let placement = match kind {
        GeometryKind::Line => 2,
        GeometryKind::Point => 1,
        _ => 0,
    };
    format!(
        "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n      \
         <text-style fieldName=\"{}\" isExpression=\"0\" fontFamily=\"Noto Sans CJK SC\" \
         fontSize=\"9\" fontSizeUnit=\"Point\" textColor=\"30,30,30,255\" textOpacity=\"1\">\n        \
         <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" \
         bufferColor=\"255,255,255,255\" bufferOpacity=\"1\"/>\n      </text-style>\n      \
         <placement placement=\"{placement}\" centroidInside=\"1\" fitInPolygonOnly=\"0\"/>\n      \
         <rendering obstacle=\"1\" displayAll=\"0\"/>\n    </settings>\n  </labeling>\n",
        escape(field)
    )
}

/// QGIS's `r,g,b,a`.
fn colour(c: Rgba) -> String {
    let [r, g, b, a] = c.0;
    format!("{r},{g},{b},{a}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttrValue, Feature, FieldDef, FieldKind, LayerRole};
    use geo::{Geometry, polygon};

    fn parcels(codes: &[&str]) -> Layer {
        let features = codes
            .iter()
            .enumerate()
            .map(|(i, c)| Feature {
                id: i as i64 + 1,
                geometry: Some(Geometry::Polygon(
                    polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)],
                )),
                attributes: vec![AttrValue::text(*c)],
            })
            .collect();
        Layer::new(
            "dltb",
            "地类图斑 <A&B>",
            LayerRole::CurrentLandUse,
            vec![FieldDef::new("DLBM", FieldKind::Text)],
            features,
        )
    }

    #[test]
    fn land_use_gets_one_category_per_code_present_in_the_renderers_colours() {
        let layer = parcels(&["0103", "0301", "0103", "9999"]);
        let qml = layer_qml(&layer);
        let fills = feature_fill(&layer, &layer.style);
        assert!(qml.contains("type=\"categorizedSymbol\" attr=\"DLBM\""));
        assert!(qml.contains("value=\"0103\" label=\"0103 旱地\""));
        assert!(qml.contains("value=\"0301\" label=\"0301 乔木林地\""));
        // An unknown code has no colour on the map: it falls in the catch-all, outline only.
        assert!(!qml.contains("value=\"9999\""));
        assert!(qml.contains("value=\"\" label=\"地类图斑 &lt;A&amp;B&gt;\""));
        assert!(qml.contains(&format!("v=\"{}\"", colour(fills[0].unwrap()))));
        assert!(qml.contains(&format!("v=\"{}\"", colour(fills[1].unwrap()))));
        assert_eq!(qml.matches("<symbol ").count(), 3);
        assert!(qml.contains("<prop k=\"style\" v=\"no\"/>"));
    }

    #[test]
    fn single_colour_dashed_outline_and_labels() {
        let mut layer = parcels(&["0103"]);
        layer.style.fill = Fill::None;
        layer.style.dashed = true;
        layer.style.label_field = Some("DLBM".into());
        let qml = layer_qml(&layer);
        assert!(qml.contains("type=\"singleSymbol\""));
        assert!(qml.contains("labelsEnabled=\"1\""));
        assert!(qml.contains("fieldName=\"DLBM\""));
        assert!(qml.contains("<prop k=\"outline_style\" v=\"dash\"/>"));
        // A label field the layer lacks is not written.
        layer.style.label_field = Some("MC".into());
        assert!(layer_qml(&layer).contains("labelsEnabled=\"0\""));
    }
}
