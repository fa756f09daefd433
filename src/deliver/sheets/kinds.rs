//! The six sheets and what each shows: the theme layer that gives the sheet its name, the
//! reference layers drawn over it (bottom first), and which names are written on the map.

use std::fmt;

use crate::model::{Fill, LayerRole, LayerStyle, Rgba};

/// A kind of map sheet (出图).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    /// 现状图: the 三调 land use of a village.
    Current,
    /// 规划图: the planned land use of a village with its 村庄建设边界 and projects.
    Planned,
    /// 三生空间图: a village's ecological, production and living spaces.
    ThreeSpaces,
    /// 国土空间管控图: a village's control zones and control lines.
    Control,
    /// 村庄分类图: the county's villages by their five types.
    Classification,
    /// 示范区布局图: the county's demonstration zones, belts and lines.
    Demonstration,
}

impl SheetKind {
    /// Every kind, village sheets first.
    pub const ALL: [SheetKind; 6] = [
        SheetKind::Current,
        SheetKind::Planned,
        SheetKind::ThreeSpaces,
        SheetKind::Control,
        SheetKind::Classification,
        SheetKind::Demonstration,
    ];

    /// The name on the command line: `现状图`, `规划图`, `三生空间图`, `管控图`,
    /// `村庄分类图`, `示范区布局图`.
    pub fn cli_name(self) -> &'static str {
        match self {
            SheetKind::Current => "现状图",
            SheetKind::Planned => "规划图",
            SheetKind::ThreeSpaces => "三生空间图",
            SheetKind::Control => "管控图",
            SheetKind::Classification => "村庄分类图",
            SheetKind::Demonstration => "示范区布局图",
        }
    }

    /// The name in the 图名 (管控图 in full: 国土空间管控图).
    pub fn title_name(self) -> &'static str {
        match self {
            SheetKind::Control => "国土空间管控图",
            other => other.cli_name(),
        }
    }

    /// A kind from its command-line or full name.
    pub fn parse(text: &str) -> Option<SheetKind> {
        let text = text.trim();
        SheetKind::ALL
            .into_iter()
            .find(|k| k.cli_name() == text || k.title_name() == text)
    }

    /// True for the sheets of one village (they need a village code).
    pub fn is_village(self) -> bool {
        !matches!(self, SheetKind::Classification | SheetKind::Demonstration)
    }

    /// The layer the sheet is about: without it there is no sheet.
    pub fn theme(self) -> LayerRole {
        match self {
            SheetKind::Current => LayerRole::CurrentLandUse,
            SheetKind::Planned => LayerRole::PlannedLandUse,
            SheetKind::ThreeSpaces => LayerRole::ThreeSpaces,
            SheetKind::Control => LayerRole::ControlZone,
            SheetKind::Classification => LayerRole::Village,
            SheetKind::Demonstration => LayerRole::Demonstration,
        }
    }

    /// Every layer drawn, bottom first (the theme among them); those the project lacks are
    /// left out.
    pub fn roles(self) -> &'static [LayerRole] {
        use LayerRole::*;
        match self {
            SheetKind::Current => &[
                CurrentLandUse,
                River,
                Road,
                Village,
                PublicFacility,
                NaturalVillage,
            ],
            SheetKind::Planned => &[
                PlannedLandUse,
                VillageConstructionBoundary,
                River,
                Road,
                Village,
                ConstructionProject,
                PlannedFacility,
                NaturalVillage,
            ],
            SheetKind::ThreeSpaces => &[ThreeSpaces, River, Road, Village, NaturalVillage],
            SheetKind::Control => &[
                ControlZone,
                EcologicalRedLine,
                PermanentFarmland,
                VillageConstructionBoundary,
                Village,
                NaturalVillage,
            ],
            SheetKind::Classification => &[Village, Township, County, TownshipSeat],
            SheetKind::Demonstration => {
                &[Township, River, Road, Demonstration, County, TownshipSeat]
            }
        }
    }

    /// The layer whose names are written on the map and the field they are in: natural
    /// villages on a village sheet, townships on a county sheet (190 village names would
    /// bury an A3 county map).
    pub fn labels(self) -> (LayerRole, &'static str) {
        if self.is_village() {
            (LayerRole::NaturalVillage, "ZRCMC")
        } else {
            (LayerRole::Township, "XZQMC")
        }
    }

    /// The style a layer gets on this sheet: the project's own, except that on the 管控图
    /// the red line and the farmland are outlines (their zones are already filled by the
    /// control-zone colours, and a wash over them would change those colours), and the
    /// demonstration layer is told apart by its 类型 (区, 带, 线).
    pub fn style(self, role: LayerRole, own: &LayerStyle) -> LayerStyle {
        match (self, role) {
            (SheetKind::Control, LayerRole::EcologicalRedLine | LayerRole::PermanentFarmland) => {
                LayerStyle {
                    fill: Fill::None,
                    ..own.clone()
                }
            }
            (SheetKind::Demonstration, LayerRole::Demonstration) => LayerStyle {
                fill: Fill::ByValue {
                    field: "LX".into(),
                    classes: vec![
                        ("示范区".into(), Rgba::with_alpha(150, 60, 200, 70)),
                        ("示范带".into(), Rgba::with_alpha(240, 140, 40, 110)),
                        ("示范线".into(), Rgba::with_alpha(220, 40, 60, 130)),
                    ],
                },
                ..own.clone()
            },
            _ => own.clone(),
        }
    }
}

impl fmt::Display for SheetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_every_theme_is_drawn() {
        for kind in SheetKind::ALL {
            assert_eq!(SheetKind::parse(kind.cli_name()), Some(kind));
            assert_eq!(SheetKind::parse(kind.title_name()), Some(kind));
            assert!(kind.roles().contains(&kind.theme()), "{kind}");
        }
        assert_eq!(SheetKind::parse("国土空间管控图"), Some(SheetKind::Control));
        assert_eq!(SheetKind::parse("总图"), None);
        assert!(SheetKind::Current.is_village() && !SheetKind::Demonstration.is_village());
    }
}
