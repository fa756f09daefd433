//! The demonstration layer (示范区带线, docs/domain.md §8.4): the county's 示范区 (zones),
//! 示范带 (belts) and 示范线 (lines) as polygons with a name, a kind, a theme, a width and a
//! note. Belts and lines are *corridors*: a centre line buffered by half the width.
//!
//! # Where a corridor's centre line lives
//!
//! In the corridor's own feature: the feature's geometry is the corridor polygon, and the
//! centre line is the text field [`CENTRE_FIELD`] (`ZXX`, WKT in working-CRS metres),
//! beside the width [`WIDTH_FIELD`] and the end style [`ENDS_FIELD`]. The coordinates are
//! written with Rust's shortest round-trip float formatting, so a save and a load give the
//! line back bit for bit, and the GeoPackage stays one ordinary polygon table that QGIS,
//! the checks and every export read without knowing about corridors.
//!
//! The alternatives were worse: a companion line layer would have to be kept in step by
//! every tool that deletes, splits or undoes (a generic delete of the polygon would leave an
//! orphan line, an undo would span two layers); the line as the geometry with the polygon
//! derived on load would leave the file without the polygon that reviewers look at. In one
//! feature, the polygon, line, width and ends are saved, loaded and undone together by the
//! ordinary machinery — one feature replacement restores all of them. The cost: a polygon
//! reshaped by a generic editing tool no longer follows its line until a corridor edit
//! rebuilds it from the line (`edit::demonstration`).

use geo::{Coord, Geometry, LineString, MultiLineString};

use super::{AttrValue, Layer, LayerRole, Project};
use crate::error::{Error, Result};

/// 名称.
pub const NAME_FIELD: &str = "MC";
/// 类型: 示范区 / 示范带 / 示范线.
pub const KIND_FIELD: &str = "LX";
/// 主题 (e.g. 茶旅融合).
pub const THEME_FIELD: &str = "ZT";
/// 宽度 in metres (corridors only).
pub const WIDTH_FIELD: &str = "KD";
/// 端头: 圆头 (round, the default) or 平头 (flat) ends of a corridor.
pub const ENDS_FIELD: &str = "DT";
/// 中心线: the corridor's centre line as WKT (working CRS, metres).
pub const CENTRE_FIELD: &str = "ZXX";
/// 备注.
pub const NOTE_FIELD: &str = "BZ";

/// What a demonstration area is in the 一区一带三线 layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DemoKind {
    /// 示范区: a zone (drawn, or whole townships / villages).
    Zone,
    /// 示范带: a belt along a river or valley (a corridor).
    Belt,
    /// 示范线: a line along a road (a corridor).
    Line,
}

impl DemoKind {
    /// Every kind, in layout order (一区、一带、三线).
    pub const ALL: [DemoKind; 3] = [DemoKind::Zone, DemoKind::Belt, DemoKind::Line];

    /// The Chinese name written to [`KIND_FIELD`].
    pub fn name_zh(self) -> &'static str {
        match self {
            DemoKind::Zone => "示范区",
            DemoKind::Belt => "示范带",
            DemoKind::Line => "示范线",
        }
    }

    /// Parses the Chinese name or `zone` / `belt` / `line`.
    pub fn parse(text: &str) -> Option<DemoKind> {
        let t = text.trim();
        DemoKind::ALL.into_iter().find(|k| {
            k.name_zh() == t
                || match k {
                    DemoKind::Zone => t.eq_ignore_ascii_case("zone"),
                    DemoKind::Belt => t.eq_ignore_ascii_case("belt"),
                    DemoKind::Line => t.eq_ignore_ascii_case("line"),
                }
        })
    }

    /// True for the kinds that are corridors (a centre line and a width).
    pub fn is_corridor(self) -> bool {
        self != DemoKind::Zone
    }
}

/// How a corridor ends at the first and last vertex of its centre line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnds {
    /// 圆头: a half disc of radius width/2 (the default).
    #[default]
    Round,
    /// 平头: cut square at the end vertex.
    Flat,
}

impl LineEnds {
    /// The Chinese name written to [`ENDS_FIELD`].
    pub fn name_zh(self) -> &'static str {
        match self {
            LineEnds::Round => "圆头",
            LineEnds::Flat => "平头",
        }
    }

    /// Parses 圆头 / 平头 (also `round` / `flat`); an empty value is the default.
    pub fn parse(text: &str) -> Option<LineEnds> {
        match text.trim() {
            "" | "圆头" => Some(LineEnds::Round),
            "平头" => Some(LineEnds::Flat),
            t if t.eq_ignore_ascii_case("round") => Some(LineEnds::Round),
            t if t.eq_ignore_ascii_case("flat") => Some(LineEnds::Flat),
            _ => None,
        }
    }
}

/// What a corridor is made from: its centre line (one or more parts: a belt may follow two
/// rivers), its full width in metres and its end style.
#[derive(Debug, Clone, PartialEq)]
pub struct CorridorLine {
    /// The centre line, working CRS.
    pub centre: MultiLineString<f64>,
    /// Full width (metres): the polygon reaches width/2 to either side.
    pub width_m: f64,
    /// Round or flat ends.
    pub ends: LineEnds,
}

/// One feature of a demonstration layer, read.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoArea {
    /// The layer's id.
    pub layer_id: String,
    /// Position of the feature in the layer.
    pub position: usize,
    /// Feature id.
    pub feature_id: i64,
    /// 名称.
    pub name: String,
    /// 类型; `None` when the field is empty.
    pub kind: Option<DemoKind>,
    /// 主题.
    pub theme: String,
    /// 备注.
    pub note: String,
    /// The centre line, width and ends of a corridor; `None` for a zone.
    pub corridor: Option<CorridorLine>,
}

/// The WKT of a centre line: `LINESTRING (x y, …)` for one part, `MULTILINESTRING ((…), …)`
/// for several, coordinates in shortest round-trip form (read back exactly by
/// [`parse_centre_line`]).
pub fn centre_line_text(line: &MultiLineString<f64>) -> String {
    let part = |l: &LineString<f64>| {
        let coords: Vec<String> = l.0.iter().map(|c| format!("{} {}", c.x, c.y)).collect();
        format!("({})", coords.join(", "))
    };
    match line.0.as_slice() {
        [one] => format!("LINESTRING {}", part(one)),
        parts => {
            let parts: Vec<String> = parts.iter().map(part).collect();
            format!("MULTILINESTRING ({})", parts.join(", "))
        }
    }
}

/// Reads what [`centre_line_text`] writes (any spacing, keyword in any case); the error says
/// what is wrong with the text.
pub fn parse_centre_line(text: &str) -> std::result::Result<MultiLineString<f64>, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let (multi, rest) = if let Some(rest) = upper.strip_prefix("MULTILINESTRING") {
        (true, &t[t.len() - rest.len()..])
    } else if let Some(rest) = upper.strip_prefix("LINESTRING") {
        (false, &t[t.len() - rest.len()..])
    } else {
        return Err("not a LINESTRING or MULTILINESTRING".into());
    };
    // The innermost parenthesised groups are the parts.
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => {
                depth += 1;
                start = Some(i + 1);
            }
            ')' => {
                let Some(s) = start.take() else {
                    depth = depth.checked_sub(1).ok_or("unbalanced parentheses")?;
                    continue;
                };
                parts.push(parse_coords(&rest[s..i])?);
                depth = depth.checked_sub(1).ok_or("unbalanced parentheses")?;
            }
            c if depth == 0 && !c.is_whitespace() => {
                return Err(format!("unexpected '{c}' outside the coordinates"));
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced parentheses".into());
    }
    if parts.is_empty() {
        return Err("no coordinates".into());
    }
    if !multi && parts.len() > 1 {
        return Err("a LINESTRING has one list of coordinates (use MULTILINESTRING)".into());
    }
    Ok(MultiLineString(parts))
}

fn parse_coords(text: &str) -> std::result::Result<LineString<f64>, String> {
    let mut coords = Vec::new();
    for pair in text.split(',') {
        let numbers: Vec<&str> = pair.split_whitespace().collect();
        let [x, y] = numbers.as_slice() else {
            return Err(format!("'{}' is not an x y pair", pair.trim()));
        };
        let number = |s: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("'{s}' is not a number"))
        };
        coords.push(Coord {
            x: number(x)?,
            y: number(y)?,
        });
    }
    Ok(LineString(coords))
}

/// The centre line a feature of a line layer offers to a corridor (a road or a river drawn
/// as a line): its line string or the parts of its multi line string. `None` for other
/// geometries.
pub fn line_of(geometry: &Geometry<f64>) -> Option<MultiLineString<f64>> {
    match geometry {
        Geometry::LineString(l) => Some(MultiLineString(vec![l.clone()])),
        Geometry::MultiLineString(m) => Some(m.clone()),
        Geometry::Line(l) => Some(MultiLineString(vec![LineString(vec![l.start, l.end])])),
        _ => None,
    }
}

fn text(layer: &Layer, position: usize, field: &str) -> String {
    layer
        .value(position, field)
        .and_then(AttrValue::as_text)
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn bad(layer: &Layer, feature: i64, field: &str, detail: String) -> Error {
    Error::BadAttribute {
        layer: layer.name.clone(),
        feature,
        field: field.to_string(),
        detail,
    }
}

/// Reads the feature at `position` of a demonstration layer. A kind or end style that is
/// not one of ours, a centre line that is not WKT, or a centre line without a width is an
/// error naming the layer, the feature and the field.
pub fn demo_area(layer: &Layer, position: usize) -> Result<DemoArea> {
    let feature = layer.features().get(position).ok_or(Error::NoFeature {
        layer: layer.name.clone(),
        position,
    })?;
    let id = feature.id;
    let kind_text = text(layer, position, KIND_FIELD);
    let kind = match kind_text.as_str() {
        "" => None,
        t => Some(DemoKind::parse(t).ok_or_else(|| {
            bad(
                layer,
                id,
                KIND_FIELD,
                format!("类型 '{t}' is not 示范区, 示范带 or 示范线"),
            )
        })?),
    };
    let centre_text = text(layer, position, CENTRE_FIELD);
    let corridor = if centre_text.is_empty() {
        None
    } else {
        let centre = parse_centre_line(&centre_text).map_err(|e| {
            bad(
                layer,
                id,
                CENTRE_FIELD,
                format!("中心线 (centre line) cannot be read: {e}"),
            )
        })?;
        let width_m = layer
            .value(position, WIDTH_FIELD)
            .and_then(AttrValue::as_f64)
            .ok_or_else(|| {
                bad(
                    layer,
                    id,
                    WIDTH_FIELD,
                    "a corridor with a centre line needs its 宽度 (width, m)".into(),
                )
            })?;
        let ends_text = text(layer, position, ENDS_FIELD);
        let ends = LineEnds::parse(&ends_text).ok_or_else(|| {
            bad(
                layer,
                id,
                ENDS_FIELD,
                format!("端头 '{ends_text}' is not 圆头 or 平头"),
            )
        })?;
        Some(CorridorLine {
            centre,
            width_m,
            ends,
        })
    };
    Ok(DemoArea {
        layer_id: layer.id.clone(),
        position,
        feature_id: id,
        name: text(layer, position, NAME_FIELD),
        kind,
        theme: text(layer, position, THEME_FIELD),
        note: text(layer, position, NOTE_FIELD),
        corridor,
    })
}

/// Every feature of every demonstration layer of the project, in drawing order.
pub fn demo_areas(project: &Project) -> Result<Vec<DemoArea>> {
    let mut out = Vec::new();
    for layer in project.layers_with_role(LayerRole::Demonstration) {
        for position in 0..layer.features().len() {
            out.push(demo_area(layer, position)?);
        }
    }
    Ok(out)
}

/// The demonstration area named `name` (exactly, after trimming); an error listing the names
/// there are when none is, or naming both layers when two areas share the name.
pub fn find_demo_area(project: &Project, name: &str) -> Result<DemoArea> {
    let all = demo_areas(project)?;
    let wanted = name.trim();
    let mut found = all.iter().filter(|a| a.name == wanted);
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one.clone()),
        (Some(a), Some(b)) => Err(Error::Invalid(format!(
            "two demonstration areas are named '{wanted}' (layer '{}' feature {}, layer '{}' \
             feature {}); rename one",
            a.layer_id, a.feature_id, b.layer_id, b.feature_id
        ))),
        (None, _) => {
            let names: Vec<&str> = all.iter().map(|a| a.name.as_str()).collect();
            Err(Error::Invalid(if names.is_empty() {
                format!(
                    "project '{}' has no demonstration area (示范区/示范带/示范线) named \
                     '{wanted}': it has none yet",
                    project.name
                )
            } else {
                format!(
                    "project '{}' has no demonstration area named '{wanted}' (there are: {})",
                    project.name,
                    names.join(", ")
                )
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centre_lines_round_trip_bit_for_bit() {
        let one = MultiLineString(vec![LineString::from(vec![
            (552_553.626_541_123, 2_680_401.883_137),
            (0.1 + 0.2, -1e-300),
            (1e21, 5.0),
        ])]);
        let text = centre_line_text(&one);
        assert!(text.starts_with("LINESTRING ("), "{text}");
        assert_eq!(parse_centre_line(&text).unwrap(), one);
        let two = MultiLineString(vec![
            LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]),
            LineString::from(vec![(2.0, 2.0), (3.5, 3.25)]),
        ]);
        let text = centre_line_text(&two);
        assert_eq!(text, "MULTILINESTRING ((0 0, 1 1), (2 2, 3.5 3.25))");
        assert_eq!(parse_centre_line(&text).unwrap(), two);
        assert_eq!(
            parse_centre_line(" linestring(0 0,1   2) ").unwrap(),
            MultiLineString(vec![LineString::from(vec![(0.0, 0.0), (1.0, 2.0)])])
        );
    }

    #[test]
    fn bad_centre_line_text_says_what_is_wrong() {
        for (text, says) in [
            ("POINT (1 2)", "not a LINESTRING"),
            ("LINESTRING (1 2, 3)", "not an x y pair"),
            ("LINESTRING (1 2, 3 x)", "'x' is not a number"),
            ("LINESTRING (1 2, 3 4", "unbalanced"),
            ("LINESTRING ((1 2), (3 4))", "use MULTILINESTRING"),
            ("MULTILINESTRING ()", "not an x y pair"),
            ("LINESTRING (1 2) z", "unexpected 'z'"),
        ] {
            let err = parse_centre_line(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn kinds_and_ends_parse() {
        for kind in DemoKind::ALL {
            assert_eq!(DemoKind::parse(kind.name_zh()), Some(kind));
        }
        assert_eq!(DemoKind::parse("belt"), Some(DemoKind::Belt));
        assert_eq!(DemoKind::parse("示范村"), None);
        assert!(!DemoKind::Zone.is_corridor() && DemoKind::Line.is_corridor());
        assert_eq!(LineEnds::parse(""), Some(LineEnds::Round));
        assert_eq!(LineEnds::parse("平头"), Some(LineEnds::Flat));
        assert_eq!(LineEnds::parse("尖头"), None);
    }
}
