//! How a layer is drawn. Shared by the GUI map and the PNG export, stored in the project.

use serde::{Deserialize, Serialize};

use super::LayerRole;

/// An sRGB colour with alpha, stored as `[r, g, b, a]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// Opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba([r, g, b, 255])
    }

    /// Colour with alpha.
    pub const fn with_alpha(r: u8, g: u8, b: u8, a: u8) -> Self {
        Rgba([r, g, b, a])
    }

    /// `#rrggbb` (alpha dropped), as written in the colour tables.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }

    /// Parses `#rrggbb` or `#rrggbbaa`.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let h = hex.trim().strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        match h.len() {
            6 => Some(Rgba::rgb(byte(0)?, byte(2)?, byte(4)?)),
            8 => Some(Rgba::with_alpha(byte(0)?, byte(2)?, byte(4)?, byte(6)?)),
            _ => None,
        }
    }
}

/// How the fill colour of a feature is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fill {
    /// No fill: outlines only (boundaries, lines).
    None,
    /// One colour for every feature.
    Single { color: Rgba },
    /// The land-use colour table applied to a code field (DLBM, GHDLBM).
    LandUseCode { field: String },
    /// A colour per distinct value of a field, assigned from a palette.
    Categorized { field: String },
    /// Fixed colours for known values of a field (a thematic map such as the five village
    /// types); other values are not filled. Legend order is the order given.
    ByValue {
        field: String,
        classes: Vec<(String, Rgba)>,
    },
}

/// A layer's drawing style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerStyle {
    /// Polygon fill.
    pub fill: Fill,
    /// Outline / line colour.
    pub stroke: Rgba,
    /// Outline width in screen points.
    pub stroke_width: f32,
    /// Dashed outline (村庄建设边界 is conventionally dashed).
    pub dashed: bool,
    /// Layer opacity 0–1, applied on top of the colours.
    pub opacity: f32,
    /// Field used for labels, if any.
    pub label_field: Option<String>,
    /// Drawn at all.
    pub visible: bool,
}

impl LayerStyle {
    /// The conventional style for a role (docs/domain.md §3 colours; line colours as planners
    /// draw them: red line green, farmland yellow, urban boundary purple, village boundary
    /// red dashed).
    pub fn for_role(role: LayerRole) -> Self {
        let outline = |stroke: Rgba, width: f32| LayerStyle {
            fill: Fill::None,
            stroke,
            stroke_width: width,
            dashed: false,
            opacity: 1.0,
            label_field: None,
            visible: true,
        };
        let hatch = |fill: Rgba, stroke: Rgba| LayerStyle {
            fill: Fill::Single { color: fill },
            ..outline(stroke, 2.0)
        };
        match role {
            LayerRole::County => outline(Rgba::rgb(40, 40, 40), 2.5),
            LayerRole::Township => LayerStyle {
                label_field: Some("XZQMC".into()),
                ..outline(Rgba::rgb(90, 90, 90), 1.8)
            },
            LayerRole::Village => LayerStyle {
                label_field: Some("XZQMC".into()),
                ..outline(Rgba::rgb(120, 120, 120), 1.0)
            },
            LayerRole::CurrentLandUse => LayerStyle {
                fill: Fill::LandUseCode {
                    field: "DLBM".into(),
                },
                ..outline(Rgba::with_alpha(80, 80, 80, 90), 0.3)
            },
            LayerRole::PlannedLandUse => LayerStyle {
                fill: Fill::LandUseCode {
                    field: "GHDLBM".into(),
                },
                ..outline(Rgba::with_alpha(80, 80, 80, 90), 0.3)
            },
            LayerRole::EcologicalRedLine => {
                hatch(Rgba::with_alpha(0, 150, 60, 60), Rgba::rgb(0, 130, 50))
            }
            LayerRole::PermanentFarmland => {
                hatch(Rgba::with_alpha(255, 215, 0, 70), Rgba::rgb(230, 180, 0))
            }
            LayerRole::UrbanDevelopmentBoundary => outline(Rgba::rgb(150, 60, 190), 2.0),
            LayerRole::VillageConstructionBoundary => LayerStyle {
                dashed: true,
                ..outline(Rgba::rgb(220, 30, 30), 2.0)
            },
            // Conventional colours (no official table): ecology greens, agriculture yellows,
            // construction oranges/reds, other grey; the two lines darker than their zones.
            LayerRole::ControlZone => LayerStyle {
                fill: by_value(
                    "GKBJLXDM",
                    &[
                        ("0101", Rgba::rgb(160, 205, 130)),
                        ("0102", Rgba::rgb(40, 125, 65)),
                        ("0201", Rgba::rgb(245, 228, 150)),
                        ("0202", Rgba::rgb(225, 175, 40)),
                        ("0301", Rgba::rgb(230, 115, 80)),
                        ("0302", Rgba::rgb(245, 175, 130)),
                        ("0400", Rgba::rgb(195, 55, 55)),
                        ("0900", Rgba::rgb(195, 195, 195)),
                    ],
                ),
                ..outline(Rgba::rgb(60, 60, 60), 0.8)
            },
            LayerRole::ThreeSpaces => LayerStyle {
                fill: by_value(
                    "KJLX",
                    &[
                        ("生态空间", Rgba::rgb(130, 195, 115)),
                        ("生产空间", Rgba::rgb(240, 215, 110)),
                        ("生活空间", Rgba::rgb(235, 140, 90)),
                    ],
                ),
                ..outline(Rgba::rgb(60, 60, 60), 0.8)
            },
            LayerRole::Hazard => hatch(Rgba::with_alpha(200, 60, 20, 80), Rgba::rgb(200, 60, 20)),
            LayerRole::Heritage => LayerStyle {
                label_field: Some("NAME".into()),
                ..hatch(Rgba::rgb(160, 30, 120), Rgba::rgb(90, 10, 70))
            },
            // Projects stand out in magenta, facilities as blue (existing) and red (planned)
            // markers, as plan drawings usually show them; labelled by name or type.
            LayerRole::ConstructionProject => LayerStyle {
                label_field: Some("XMMC".into()),
                dashed: true,
                ..hatch(Rgba::with_alpha(200, 40, 160, 70), Rgba::rgb(170, 20, 130))
            },
            LayerRole::PublicFacility => LayerStyle {
                label_field: Some("SSLXMC".into()),
                ..hatch(Rgba::rgb(40, 110, 200), Rgba::rgb(20, 60, 140))
            },
            LayerRole::PlannedFacility => LayerStyle {
                label_field: Some("GHSSLXMC".into()),
                ..hatch(Rgba::rgb(220, 50, 50), Rgba::rgb(140, 20, 20))
            },
            // Reference lines and points as topographic maps draw them: roads brown, rivers
            // blue and labelled; seats as black dots ringed white (red is taken by planned
            // facilities), 自然村 as orange ones.
            LayerRole::Road => LayerStyle {
                label_field: Some("MC".into()),
                ..outline(Rgba::rgb(180, 95, 35), 1.6)
            },
            LayerRole::River => LayerStyle {
                label_field: Some("MC".into()),
                ..outline(Rgba::rgb(40, 115, 210), 2.4)
            },
            LayerRole::TownshipSeat => LayerStyle {
                label_field: Some("MC".into()),
                ..hatch(Rgba::rgb(25, 25, 25), Rgba::rgb(255, 255, 255))
            },
            LayerRole::NaturalVillage => LayerStyle {
                label_field: Some("ZRCMC".into()),
                ..hatch(Rgba::rgb(245, 165, 50), Rgba::rgb(120, 70, 10))
            },
            // Demonstration areas are read over everything else: a light violet wash (a hue
            // no planning class uses) with a strong outline, labelled by name.
            LayerRole::Demonstration => LayerStyle {
                label_field: Some("MC".into()),
                ..hatch(Rgba::with_alpha(150, 60, 200, 45), Rgba::rgb(120, 40, 170))
            },
            LayerRole::Other => hatch(Rgba::with_alpha(100, 140, 200, 80), Rgba::rgb(60, 90, 160)),
        }
    }
}

/// A fill with fixed colours per value of `field` (values not listed stay unfilled).
fn by_value(field: &str, classes: &[(&str, Rgba)]) -> Fill {
    Fill::ByValue {
        field: field.into(),
        classes: classes.iter().map(|(v, c)| (v.to_string(), *c)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let c = Rgba::rgb(0xfe, 0x10, 0x0a);
        assert_eq!(Rgba::from_hex(&c.to_hex()), Some(c));
        assert_eq!(
            Rgba::from_hex("#01020304"),
            Some(Rgba::with_alpha(1, 2, 3, 4))
        );
        assert_eq!(Rgba::from_hex("123"), None);
    }
}
