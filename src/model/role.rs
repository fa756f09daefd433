//! What a layer *is* in a village plan (docs/domain.md §1).
//!
//! Roles drive defaults everywhere: styles, which fields the checks read, which layers the
//! classification uses. They are guessed from the names planners' data usually carries and
//! can always be set by the user.

use serde::{Deserialize, Serialize};

/// The planning meaning of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerRole {
    /// 县界: county boundary.
    County,
    /// 乡镇界 `XZQ`: township boundaries (9-digit codes).
    Township,
    /// 行政村界 / 村级调查区 `CJDCQ`: administrative villages (12-digit codes).
    Village,
    /// 现状地类图斑 `DLTB`: the 三调 current land-use survey.
    CurrentLandUse,
    /// 规划地类图斑 `GHDLTB`: planned land use.
    PlannedLandUse,
    /// 生态保护红线: ecological protection red line.
    EcologicalRedLine,
    /// 永久基本农田: permanent basic farmland.
    PermanentFarmland,
    /// 城镇开发边界: urban development boundary.
    UrbanDevelopmentBoundary,
    /// 村庄建设边界: village construction boundary drawn in the plan.
    VillageConstructionBoundary,
    /// 管控边界 `GKBJ`: control zones.
    ControlZone,
    /// 三生空间: ecological / production / living spaces.
    ThreeSpaces,
    /// 地质灾害隐患点/区: geological hazards.
    Hazard,
    /// 传统村落, 文保单位: heritage sites.
    Heritage,
    /// 近期建设项目 `JQJSXM`: the plan's near-term construction projects (point or polygon),
    /// with the fields of the 近期建设项目表.
    ConstructionProject,
    /// 现状公服设施点 `GGJCSSD`: public facilities of the base year (points, `SSLXDM`).
    PublicFacility,
    /// 规划公服设施点 `GHGGJCSSD`: planned public facilities (points, `GHSSLXDM`).
    PlannedFacility,
    /// 道路中心线: roads as lines (name, class), to lay a corridor along or route through.
    Road,
    /// 河流中心线: rivers as lines (name), e.g. for a riverside demonstration belt.
    River,
    /// 乡镇驻地: township seats as points (name, township code, the village they lie in).
    TownshipSeat,
    /// 自然村: natural villages as points (15-digit code, name, administrative village,
    /// households); the units 美丽村庄 are designated among.
    NaturalVillage,
    /// 示范区 / 示范带 / 示范线: the county's rural-revitalisation demonstration zones and
    /// corridors (polygons; a corridor keeps its centre line and width, see
    /// [`crate::model::demonstration`]).
    Demonstration,
    /// Anything else (reference data, the planner's own drawings).
    Other,
}

/// How a role was decided, so `info` can say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGuess {
    /// The guessed role.
    pub role: LayerRole,
    /// Human-readable reason, e.g. "layer name contains 永久基本农田".
    pub reason: String,
}

/// Name fragments (upper-cased for Latin) that identify a role, most specific first.
const NAME_HINTS: &[(&str, LayerRole)] = &[
    ("生态保护红线", LayerRole::EcologicalRedLine),
    ("STBHHX", LayerRole::EcologicalRedLine),
    ("红线", LayerRole::EcologicalRedLine),
    ("永久基本农田", LayerRole::PermanentFarmland),
    ("YJJBNT", LayerRole::PermanentFarmland),
    ("基本农田", LayerRole::PermanentFarmland),
    ("城镇开发边界", LayerRole::UrbanDevelopmentBoundary),
    ("CZKFBJ", LayerRole::UrbanDevelopmentBoundary),
    ("村庄建设边界", LayerRole::VillageConstructionBoundary),
    ("CZJSBJ", LayerRole::VillageConstructionBoundary),
    ("管控边界", LayerRole::ControlZone),
    ("GKBJ", LayerRole::ControlZone),
    ("三生", LayerRole::ThreeSpaces),
    ("SSKJ", LayerRole::ThreeSpaces),
    ("规划地类", LayerRole::PlannedLandUse),
    ("GHDLTB", LayerRole::PlannedLandUse),
    ("JQDLTB", LayerRole::CurrentLandUse),
    ("DLTB", LayerRole::CurrentLandUse),
    ("地类图斑", LayerRole::CurrentLandUse),
    ("现状用地", LayerRole::CurrentLandUse),
    ("CJDCQ", LayerRole::Village),
    ("行政村", LayerRole::Village),
    ("村界", LayerRole::Village),
    ("驻地", LayerRole::TownshipSeat),
    ("SEAT", LayerRole::TownshipSeat),
    ("县界", LayerRole::County),
    ("XJXZQ", LayerRole::County),
    ("自然村", LayerRole::NaturalVillage),
    ("道路", LayerRole::Road),
    ("河流", LayerRole::River),
    ("乡镇", LayerRole::Township),
    ("XZQ", LayerRole::Township),
    ("地质灾害", LayerRole::Hazard),
    ("隐患", LayerRole::Hazard),
    ("DZZH", LayerRole::Hazard),
    ("传统村落", LayerRole::Heritage),
    ("文保", LayerRole::Heritage),
    ("CTCL", LayerRole::Heritage),
    ("近期建设项目", LayerRole::ConstructionProject),
    ("建设项目", LayerRole::ConstructionProject),
    ("JQJSXM", LayerRole::ConstructionProject),
    ("GHGGJCSSD", LayerRole::PlannedFacility),
    ("规划公服", LayerRole::PlannedFacility),
    ("GGJCSSD", LayerRole::PublicFacility),
    ("公服设施", LayerRole::PublicFacility),
    ("示范", LayerRole::Demonstration),
    ("ZRC", LayerRole::NaturalVillage),
];

impl LayerRole {
    /// Every role, in menu order.
    pub const ALL: [LayerRole; 22] = [
        LayerRole::County,
        LayerRole::Township,
        LayerRole::Village,
        LayerRole::CurrentLandUse,
        LayerRole::PlannedLandUse,
        LayerRole::EcologicalRedLine,
        LayerRole::PermanentFarmland,
        LayerRole::UrbanDevelopmentBoundary,
        LayerRole::VillageConstructionBoundary,
        LayerRole::ControlZone,
        LayerRole::ThreeSpaces,
        LayerRole::Hazard,
        LayerRole::Heritage,
        LayerRole::ConstructionProject,
        LayerRole::PublicFacility,
        LayerRole::PlannedFacility,
        LayerRole::Road,
        LayerRole::River,
        LayerRole::Demonstration,
        LayerRole::TownshipSeat,
        LayerRole::NaturalVillage,
        LayerRole::Other,
    ];

    /// The Chinese name planners use.
    pub fn name_zh(self) -> &'static str {
        match self {
            LayerRole::County => "县界",
            LayerRole::Township => "乡镇界",
            LayerRole::Village => "行政村界",
            LayerRole::CurrentLandUse => "现状地类图斑",
            LayerRole::PlannedLandUse => "规划地类图斑",
            LayerRole::EcologicalRedLine => "生态保护红线",
            LayerRole::PermanentFarmland => "永久基本农田",
            LayerRole::UrbanDevelopmentBoundary => "城镇开发边界",
            LayerRole::VillageConstructionBoundary => "村庄建设边界",
            LayerRole::ControlZone => "管控边界",
            LayerRole::ThreeSpaces => "三生空间",
            LayerRole::Hazard => "地质灾害",
            LayerRole::Heritage => "历史文化遗产",
            LayerRole::ConstructionProject => "近期建设项目",
            LayerRole::PublicFacility => "现状公服设施",
            LayerRole::PlannedFacility => "规划公服设施",
            LayerRole::Road => "道路中心线",
            LayerRole::River => "河流中心线",
            LayerRole::Demonstration => "示范区带线",
            LayerRole::TownshipSeat => "乡镇驻地",
            LayerRole::NaturalVillage => "自然村",
            LayerRole::Other => "其他",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            LayerRole::County => "County boundary",
            LayerRole::Township => "Township boundaries",
            LayerRole::Village => "Administrative villages",
            LayerRole::CurrentLandUse => "Current land use (三调)",
            LayerRole::PlannedLandUse => "Planned land use",
            LayerRole::EcologicalRedLine => "Ecological protection red line",
            LayerRole::PermanentFarmland => "Permanent basic farmland",
            LayerRole::UrbanDevelopmentBoundary => "Urban development boundary",
            LayerRole::VillageConstructionBoundary => "Village construction boundary",
            LayerRole::ControlZone => "Control zones",
            LayerRole::ThreeSpaces => "Three spaces",
            LayerRole::Hazard => "Geological hazards",
            LayerRole::Heritage => "Heritage",
            LayerRole::ConstructionProject => "Near-term construction projects",
            LayerRole::PublicFacility => "Public facilities (base year)",
            LayerRole::PlannedFacility => "Planned public facilities",
            LayerRole::Road => "Road centre lines",
            LayerRole::River => "River centre lines",
            LayerRole::Demonstration => "Demonstration zones and corridors",
            LayerRole::TownshipSeat => "Township seats",
            LayerRole::NaturalVillage => "Natural villages",
            LayerRole::Other => "Other",
        }
    }

    /// Parses the snake_case key, the Chinese or the English name (for CLI flags).
    pub fn parse(text: &str) -> Option<LayerRole> {
        let t = text.trim();
        LayerRole::ALL
            .into_iter()
            .find(|r| r.key() == t || r.name_zh() == t || r.name_en().eq_ignore_ascii_case(t))
    }

    /// The stable key stored in project files.
    pub fn key(self) -> &'static str {
        match self {
            LayerRole::County => "county",
            LayerRole::Township => "township",
            LayerRole::Village => "village",
            LayerRole::CurrentLandUse => "current_land_use",
            LayerRole::PlannedLandUse => "planned_land_use",
            LayerRole::EcologicalRedLine => "ecological_red_line",
            LayerRole::PermanentFarmland => "permanent_farmland",
            LayerRole::UrbanDevelopmentBoundary => "urban_development_boundary",
            LayerRole::VillageConstructionBoundary => "village_construction_boundary",
            LayerRole::ControlZone => "control_zone",
            LayerRole::ThreeSpaces => "three_spaces",
            LayerRole::Hazard => "hazard",
            LayerRole::Heritage => "heritage",
            LayerRole::ConstructionProject => "construction_project",
            LayerRole::PublicFacility => "public_facility",
            LayerRole::PlannedFacility => "planned_facility",
            LayerRole::Road => "road",
            LayerRole::River => "river",
            LayerRole::Demonstration => "demonstration",
            LayerRole::TownshipSeat => "township_seat",
            LayerRole::NaturalVillage => "natural_village",
            LayerRole::Other => "other",
        }
    }

    /// Guesses a role from a layer (or file) name and its field names.
    ///
    /// Field signatures win over names, because layer names are often generic ("图层1",
    /// "export") while 三调 field names are standardised.
    pub fn guess(layer_name: &str, field_names: &[&str]) -> RoleGuess {
        let has = |f: &str| field_names.iter().any(|n| n.eq_ignore_ascii_case(f));
        let by_field = if has("GHDLBM") {
            Some((LayerRole::PlannedLandUse, "field GHDLBM"))
        } else if has("DLBM") && (has("TBMJ") || has("ZLDWDM") || has("BSM")) {
            Some((
                LayerRole::CurrentLandUse,
                "fields DLBM with TBMJ/ZLDWDM/BSM",
            ))
        } else if has("GKBJLXDM") {
            Some((LayerRole::ControlZone, "field GKBJLXDM"))
        } else if has("XMMC") && has("XMLX") {
            Some((LayerRole::ConstructionProject, "fields XMMC and XMLX"))
        } else if has("GHSSLXDM") {
            Some((LayerRole::PlannedFacility, "field GHSSLXDM"))
        } else if has("SSLXDM") {
            Some((LayerRole::PublicFacility, "field SSLXDM"))
        } else if has("ZRCDM") {
            Some((LayerRole::NaturalVillage, "field ZRCDM"))
        } else {
            None
        };
        if let Some((role, why)) = by_field {
            return RoleGuess {
                role,
                reason: why.to_string(),
            };
        }
        let upper = layer_name.to_uppercase();
        for (hint, role) in NAME_HINTS {
            if upper.contains(hint) {
                return RoleGuess {
                    role: *role,
                    reason: format!("layer name contains {hint}"),
                };
            }
        }
        RoleGuess {
            role: LayerRole::Other,
            reason: "no known layer or field name".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_from_names_and_fields() {
        assert_eq!(
            LayerRole::guess("DLTB", &[]).role,
            LayerRole::CurrentLandUse
        );
        assert_eq!(
            LayerRole::guess("export", &["BSM", "DLBM", "TBMJ"]).role,
            LayerRole::CurrentLandUse
        );
        assert_eq!(
            LayerRole::guess("规划", &["GHDLBM", "GHDLMC"]).role,
            LayerRole::PlannedLandUse
        );
        assert_eq!(
            LayerRole::guess("凤庆县生态保护红线", &["NAME"]).role,
            LayerRole::EcologicalRedLine
        );
        assert_eq!(
            LayerRole::guess("yjjbnt_2022", &[]).role,
            LayerRole::PermanentFarmland
        );
        assert_eq!(LayerRole::guess("CJDCQ", &[]).role, LayerRole::Village);
        assert_eq!(LayerRole::guess("XZQ", &[]).role, LayerRole::Township);
        assert_eq!(LayerRole::guess("roads", &["NAME"]).role, LayerRole::Other);
        assert_eq!(
            LayerRole::guess("乡镇驻地", &[]).role,
            LayerRole::TownshipSeat
        );
        assert_eq!(LayerRole::guess("乡镇界", &[]).role, LayerRole::Township);
        assert_eq!(
            LayerRole::guess("凤庆县自然村", &["ZRCMC"]).role,
            LayerRole::NaturalVillage
        );
        assert_eq!(LayerRole::guess("道路中心线", &[]).role, LayerRole::Road);
        assert_eq!(LayerRole::guess("河流中心线", &[]).role, LayerRole::River);
        assert_eq!(
            LayerRole::guess("township_seats", &[]).role,
            LayerRole::TownshipSeat
        );
        assert_eq!(
            LayerRole::guess("points", &["ZRCDM", "ZRCMC"]).role,
            LayerRole::NaturalVillage
        );
        assert_eq!(
            LayerRole::guess("凤庆县示范区带线", &["MC"]).role,
            LayerRole::Demonstration
        );
    }

    #[test]
    fn parses_every_spelling() {
        for role in LayerRole::ALL {
            assert_eq!(LayerRole::parse(role.key()), Some(role));
            assert_eq!(LayerRole::parse(role.name_zh()), Some(role));
            assert_eq!(LayerRole::parse(role.name_en()), Some(role));
        }
    }
}
