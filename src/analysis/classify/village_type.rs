//! The five village types (五类村庄, docs/domain.md §4).

use serde::{Deserialize, Serialize};

use crate::model::{Fill, LayerStyle, Rgba};

/// The village layer field that receives the type (村庄类型, docs/domain.md §1).
pub const TYPE_FIELD: &str = "CZLX";

/// A planning type of an administrative village (乡村振兴战略规划 2018–2022; 暂不明确类 from
/// 自然资办发〔2019〕35号).
///
/// Serialised as the Chinese name, which is also what is written to the `CZLX` field, so a
/// project, a rule file and an export all read the same to a planner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VillageType {
    /// 集聚提升类: central villages and ordinary villages that will persist.
    #[serde(rename = "集聚提升类")]
    Agglomeration,
    /// 城郊融合类: villages near the city or county seat, inside or next to its 城镇开发边界.
    #[serde(rename = "城郊融合类")]
    Suburban,
    /// 特色保护类: listed heritage villages.
    #[serde(rename = "特色保护类")]
    Heritage,
    /// 搬迁撤并类: harsh or unsafe conditions, major projects, severe population loss.
    #[serde(rename = "搬迁撤并类")]
    Relocation,
    /// 暂不明确类: the future cannot be judged yet — evidence weak (moderate outflow, a
    /// pending project) or missing.
    #[serde(rename = "暂不明确类")]
    Undetermined,
}

impl VillageType {
    /// Every type, in the default precedence order (docs/domain.md §4).
    pub const ALL: [VillageType; 5] = [
        VillageType::Heritage,
        VillageType::Relocation,
        VillageType::Suburban,
        VillageType::Agglomeration,
        VillageType::Undetermined,
    ];

    /// The colour of the type on the thematic map: warm for villages that grow, purple
    /// for the urban fringe, red for protection, blue-grey for relocation, light grey for
    /// undecided — distinct on the land-use colours and in greyscale print.
    pub fn colour(self) -> Rgba {
        match self {
            VillageType::Agglomeration => Rgba::with_alpha(244, 164, 66, 200),
            VillageType::Suburban => Rgba::with_alpha(160, 96, 200, 200),
            VillageType::Heritage => Rgba::with_alpha(200, 40, 50, 200),
            VillageType::Relocation => Rgba::with_alpha(70, 110, 160, 200),
            VillageType::Undetermined => Rgba::with_alpha(200, 200, 200, 200),
        }
    }

    /// The village layer's style for the five-type thematic map: `CZLX` coloured by type.
    pub fn thematic_style(base: &LayerStyle) -> LayerStyle {
        LayerStyle {
            fill: Fill::ByValue {
                field: TYPE_FIELD.to_string(),
                classes: VillageType::ALL
                    .iter()
                    .map(|t| (t.name_zh().to_string(), t.colour()))
                    .collect(),
            },
            ..base.clone()
        }
    }

    /// The Chinese name, as written to `CZLX` (e.g. `集聚提升类`).
    pub fn name_zh(self) -> &'static str {
        match self {
            VillageType::Agglomeration => "集聚提升类",
            VillageType::Suburban => "城郊融合类",
            VillageType::Heritage => "特色保护类",
            VillageType::Relocation => "搬迁撤并类",
            VillageType::Undetermined => "暂不明确类",
        }
    }

    /// The English name for the `en` interface and reports.
    pub fn name_en(self) -> &'static str {
        match self {
            VillageType::Agglomeration => "agglomeration and upgrading",
            VillageType::Suburban => "suburban integration",
            VillageType::Heritage => "characteristic protection",
            VillageType::Relocation => "relocation and merging",
            VillageType::Undetermined => "not yet determined",
        }
    }

    /// A short ASCII key (`agglomeration`, `suburban`, `heritage`, `relocation`,
    /// `undetermined`) accepted wherever a type is typed.
    pub fn key(self) -> &'static str {
        match self {
            VillageType::Agglomeration => "agglomeration",
            VillageType::Suburban => "suburban",
            VillageType::Heritage => "heritage",
            VillageType::Relocation => "relocation",
            VillageType::Undetermined => "undetermined",
        }
    }

    /// Parses the Chinese name (with or without the trailing 类), the key or the English
    /// name, so rule files and the CLI accept what a planner naturally types.
    pub fn parse(text: &str) -> Option<VillageType> {
        let t = text.trim();
        VillageType::ALL.into_iter().find(|v| {
            v.name_zh() == t
                || v.name_zh().trim_end_matches('类') == t
                || v.key().eq_ignore_ascii_case(t)
                || v.name_en().eq_ignore_ascii_case(t)
        })
    }
}

impl std::fmt::Display for VillageType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name_zh())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_and_round_trips_json() {
        for t in VillageType::ALL {
            assert_eq!(VillageType::parse(t.name_zh()), Some(t));
            assert_eq!(VillageType::parse(t.key()), Some(t));
            assert_eq!(VillageType::parse(t.name_en()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.name_zh()));
            assert_eq!(serde_json::from_str::<VillageType>(&json).unwrap(), t);
        }
        assert_eq!(VillageType::parse("城郊融合"), Some(VillageType::Suburban));
        assert_eq!(VillageType::parse("城郊"), None);
    }
}
