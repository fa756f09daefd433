//! Land-use codes: "what is code X?" for the 三调 working classification and for 用地用海
//! 2023 (and the 2020 trial version), with 三大类, construction / non-construction, the
//! default 三生 space and a display colour (docs/domain.md §3); and the public facility
//! type codes of the facility points (§6.6).
//!
//! The tables are the CSVs in `assets/landuse/`, compiled into the binary so a planner's
//! machine never lacks them.

mod codebook;
mod facilities;

pub use codebook::{CodeBook, Conversion};
pub use facilities::FacilityCodes;

use serde::{Deserialize, Serialize};

use crate::model::Rgba;

/// A land-use classification standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standard {
    /// 第三次全国国土调查 working classification (DLBM of `DLTB`).
    Sandiao,
    /// 国土空间调查、规划、用途管制用地用海分类 (2023), used for planned land use.
    Ydyh2023,
    /// The 2020 trial version of the same, still found in older plans.
    Ydyh2020,
}

/// 三大类 of the 三调 classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThreeCategory {
    /// 农用地.
    Agricultural,
    /// 建设用地.
    Construction,
    /// 未利用地.
    Unused,
}

impl ThreeCategory {
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            ThreeCategory::Agricultural => "农用地",
            ThreeCategory::Construction => "建设用地",
            ThreeCategory::Unused => "未利用地",
        }
    }
}

/// 三生空间: ecological, production and living space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Space {
    /// 生态空间.
    Ecological,
    /// 生产空间.
    Production,
    /// 生活空间.
    Living,
}

impl Space {
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Space::Ecological => "生态空间",
            Space::Production => "生产空间",
            Space::Living => "生活空间",
        }
    }

    /// Parses the Chinese name.
    pub fn from_name(name: &str) -> Option<Space> {
        match name.trim() {
            "生态空间" | "生态" => Some(Space::Ecological),
            "生产空间" | "生产" => Some(Space::Production),
            "生活空间" | "生活" => Some(Space::Living),
            _ => None,
        }
    }
}

/// Everything known about one code of one standard.
#[derive(Debug, Clone, PartialEq)]
pub struct LandUseClass {
    /// The standard the code belongs to.
    pub standard: Standard,
    /// The code, e.g. `0103` or `0201K`.
    pub code: String,
    /// The official name, e.g. 旱地.
    pub name: String,
    /// 1, 2 or 3.
    pub level: u8,
    /// Code of the parent class (none for first-level classes).
    pub parent: Option<String>,
    /// Code of the first-level class (itself for first-level classes).
    pub level1: String,
    /// 三大类 (三调 second-level classes only).
    pub three_category: Option<ThreeCategory>,
    /// True for construction land (用地用海 06–16), false for non-construction;
    /// `None` for 三调 codes, whose construction status is the 三大类.
    pub construction: Option<bool>,
    /// The default 三生 space, where the mapping defines one.
    pub space: Option<Space>,
    /// Display colour (conventional, see `assets/landuse/SOURCES.md`).
    pub colour: Rgba,
}

impl LandUseClass {
    /// True when the class is construction land in either standard.
    pub fn is_construction(&self) -> bool {
        self.construction
            .unwrap_or(self.three_category == Some(ThreeCategory::Construction))
    }
}
