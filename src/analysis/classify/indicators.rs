//! The indicators a classification rule can test, with their names and units.
//!
//! An indicator is one number per village. Names are stable snake_case keys used in rule
//! files, JSON and CSV headers; each has a Chinese and an English label for tables.
//! A value that cannot be known (no 常住人口 given, no 城镇开发边界 layer) is absent, and a
//! rule condition over an absent value never holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How an indicator's value reads to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Persons or households (whole numbers).
    Count,
    /// A share 0–1, shown as a percentage.
    Share,
    /// Metres.
    Metres,
    /// Square metres.
    SquareMetres,
    /// Square metres per resident.
    SquareMetresPerPerson,
    /// 1 (yes) or 0 (no).
    Flag,
}

macro_rules! indicators {
    ($($variant:ident = $key:literal, $zh:literal, $en:literal, $unit:ident;)*) => {
        /// One indicator of a village (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Indicator {
            $(
                #[doc = concat!($zh, " (", $en, ")")]
                #[serde(rename = $key)]
                $variant,
            )*
        }

        impl Indicator {
            /// Every indicator, in table order.
            pub const ALL: &'static [Indicator] = &[$(Indicator::$variant),*];

            /// The key used in rule files, JSON and CSV headers.
            pub fn key(self) -> &'static str {
                match self { $(Indicator::$variant => $key),* }
            }

            /// The Chinese label.
            pub fn name_zh(self) -> &'static str {
                match self { $(Indicator::$variant => $zh),* }
            }

            /// The English label.
            pub fn name_en(self) -> &'static str {
                match self { $(Indicator::$variant => $en),* }
            }

            /// How the value is shown.
            pub fn unit(self) -> Unit {
                match self { $(Indicator::$variant => Unit::$unit),* }
            }
        }
    };
}

indicators! {
    RegisteredPopulation = "registered_population", "户籍人口", "registered population", Count;
    ResidentPopulation = "resident_population", "常住人口", "resident population", Count;
    Households = "households", "户数", "households", Count;
    PovertyAlleviatedPopulation = "poverty_alleviated_population", "脱贫人口", "population lifted out of poverty", Count;
    OutflowRate = "outflow_rate", "人口流失率", "population outflow rate", Share;
    TraditionalVillage = "traditional_village", "传统村落", "traditional village", Flag;
    HistoricCulturalVillage = "historic_cultural_village", "历史文化名村", "famous historic and cultural village", Flag;
    EthnicMinorityVillage = "ethnic_minority_village", "少数民族特色村寨", "ethnic minority characteristic village", Flag;
    ScenicTourismVillage = "scenic_tourism_village", "特色景观旅游名村", "characteristic landscape tourism village", Flag;
    HeritagePoints = "heritage_points", "遗产点数", "heritage points inside", Count;
    CentralVillage = "central_village", "中心村", "central village", Flag;
    TownshipSeat = "township_seat", "乡镇驻地", "township seat", Flag;
    MajorProject = "major_project", "重大项目", "major project", Flag;
    MajorProjectPending = "major_project_pending", "拟建重大项目", "pending major project", Flag;
    CountySeatUdbOverlap = "county_seat_udb_overlap", "县城城镇开发边界内面积比例", "share inside the county seat's urban development boundary", Share;
    CountySeatUdbDistance = "county_seat_udb_distance_m", "距县城城镇开发边界", "distance to the county seat's urban development boundary", Metres;
    TownshipSeatUdbOverlap = "township_seat_udb_overlap", "集镇城镇开发边界内面积比例", "share inside a township seat's urban development boundary", Share;
    TownshipSeatUdbDistance = "township_seat_udb_distance_m", "距集镇城镇开发边界", "distance to a township seat's urban development boundary", Metres;
    SettlementArea = "settlement_area_m2", "农村宅基地面积", "rural homestead area", SquareMetres;
    SettlementInHazard = "settlement_in_hazard", "宅基地位于灾害隐患区比例", "share of homesteads in hazard zones", Share;
    SettlementInRedLine = "settlement_in_red_line", "宅基地位于生态保护红线比例", "share of homesteads in the ecological red line", Share;
    SettlementInReservoir = "settlement_in_reservoir", "宅基地位于水库淹没区比例", "share of homesteads in reservoir areas", Share;
    ConstructionLandPerResident = "construction_land_per_resident_m2", "人均建设用地", "construction land per resident", SquareMetresPerPerson;
    FarmlandShare = "farmland_share", "耕地比例", "farmland share", Share;
}

impl Indicator {
    /// Parses a key (as in rule files) or the Chinese label.
    pub fn parse(text: &str) -> Option<Indicator> {
        let t = text.trim();
        Indicator::ALL
            .iter()
            .copied()
            .find(|i| i.key() == t || i.name_zh() == t)
    }

    /// The value formatted for a reason or a table: percentages for shares, whole metres,
    /// 是/否 for flags.
    pub fn format(self, value: f64) -> String {
        match self.unit() {
            Unit::Count => format!("{value:.0}"),
            Unit::Share => format!("{:.1} %", value * 100.0),
            Unit::Metres | Unit::SquareMetres => format!("{value:.0}"),
            Unit::SquareMetresPerPerson => format!("{value:.1}"),
            Unit::Flag => if value != 0.0 { "是" } else { "否" }.to_string(),
        }
    }
}

/// The indicator values of one village; absent means unknown.
pub type IndicatorValues = BTreeMap<Indicator, f64>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_parse_back() {
        let mut keys: Vec<&str> = Indicator::ALL.iter().map(|i| i.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Indicator::ALL.len());
        for &i in Indicator::ALL {
            assert_eq!(Indicator::parse(i.key()), Some(i));
            assert_eq!(Indicator::parse(i.name_zh()), Some(i));
            let json = serde_json::to_string(&i).unwrap();
            assert_eq!(json, format!("\"{}\"", i.key()));
        }
    }

    #[test]
    fn formats_by_unit() {
        assert_eq!(Indicator::OutflowRate.format(0.625), "62.5 %");
        assert_eq!(Indicator::CountySeatUdbDistance.format(229.6), "230");
        assert_eq!(Indicator::TownshipSeat.format(1.0), "是");
    }
}
