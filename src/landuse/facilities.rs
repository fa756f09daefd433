//! Public facility type codes (公共服务设施类型) of the facility points: 现状 `GGJCSSD`
//! (`SSLXDM` / `SSLXMC`) and 规划 `GHGGJCSSD` (`GHSSLXDM` / `GHSSLXMC`), one list for both
//! (docs/domain.md §6.6). The list is `assets/landuse/public_facility_codes.csv`, compiled
//! in like the land-use tables, so a province's variant is a file, not code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::codebook::{field, rows};
use crate::error::Result;

const FACILITY_CODES: &str = include_str!("../../assets/landuse/public_facility_codes.csv");
const SOURCE: &str = "public_facility_codes.csv";

/// The facility type codes and their names.
#[derive(Debug)]
pub struct FacilityCodes {
    names: BTreeMap<String, String>,
}

impl FacilityCodes {
    /// The bundled list. It is compiled in and checked by the tests, so failing to parse
    /// it is a build defect, not a user error.
    pub fn bundled() -> &'static FacilityCodes {
        static CODES: OnceLock<FacilityCodes> = OnceLock::new();
        CODES.get_or_init(|| {
            FacilityCodes::parse(FACILITY_CODES)
                .expect("the bundled facility codes are validated by the tests")
        })
    }

    fn parse(text: &str) -> Result<FacilityCodes> {
        let mut names = BTreeMap::new();
        for (line, row) in rows(SOURCE, text)? {
            let code = field(&row, 0, SOURCE, line)?;
            let name = field(&row, 1, SOURCE, line)?;
            names.insert(code.to_string(), name.to_string());
        }
        Ok(FacilityCodes { names })
    }

    /// The name of a facility type code (trimmed); `None` when the code is not in the list.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code.trim()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_domain_section_6_6_parses() {
        let codes = FacilityCodes::parse(FACILITY_CODES).unwrap();
        assert_eq!(codes.names.len(), 29);
        assert_eq!(codes.name("01"), Some("村委会"));
        assert_eq!(codes.name(" 09 "), Some("托儿所、幼儿园"));
        assert_eq!(codes.name("28"), Some("古桥"));
        assert_eq!(codes.name("99"), Some("其他"));
        assert_eq!(codes.name("29"), None);
        assert_eq!(
            codes.name("1"),
            None,
            "codes are two characters, as delivered"
        );
    }
}
