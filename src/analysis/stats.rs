//! Current land-use area by class, per village and for the county (the 用地现状 table).
//!
//! *Area basis*: the chosen [`AreaBasis`] (ellipsoidal CGCS2000 by default, as 三调 `TBMJ`;
//! or planar Gauss-Kruger), and every parcel's 田坎 deduction is counted under 1203 田坎
//! ([`ParcelAccounting`], docs/domain.md §1.1); every output says which basis and which
//! deduction rule held.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::areas::AreaBasis;
use crate::analysis::tables::accounting::{ClassSums, ParcelAccounting};
use crate::error::{Error, Result};
use crate::landuse::{CodeBook, Standard};
use crate::model::admin::AdminUnits;
use crate::model::{LayerRole, Project};
use crate::units;

/// How finely classes are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassLevel {
    /// First-level classes (耕地, 林地 …).
    First,
    /// The parcel's own code (水田, 旱地 …).
    Exact,
}

/// Area of one class in one village (or the county).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassArea {
    /// Class code (三调).
    pub code: String,
    /// Class name, or `(未知编码)` for codes outside the dictionary.
    pub name: String,
    /// Area in m².
    pub area_m2: f64,
    /// Area in 公顷.
    pub area_ha: f64,
    /// Area in 亩.
    pub area_mu: f64,
    /// Share of the village (or county) total, in %.
    pub share_percent: f64,
    /// Number of parcels.
    pub parcels: usize,
}

/// The land-use table of one village.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageLandUse {
    /// 12-digit village code (first 12 characters of `ZLDWDM`).
    pub code: String,
    /// Village name from the village layer (or `ZLDWMC`).
    pub name: String,
    /// Classes, by code.
    pub classes: Vec<ClassArea>,
    /// Total area in m².
    pub total_m2: f64,
}

/// Current land-use statistics of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandUseStats {
    /// Which area the numbers are (ellipsoidal or planar GK, with the EPSG code).
    pub area_basis: String,
    /// Which 田坎 deduction rule held, with parcel counts.
    pub deduction: String,
    /// What was assumed (missing fields), parcels placed by location or left out.
    pub notes: Vec<String>,
    /// True when the project is synthetic sample data.
    pub synthetic: bool,
    /// One table per village, by code.
    pub villages: Vec<VillageLandUse>,
    /// The county (whole project) table.
    pub county: VillageLandUse,
}

/// Computes the current land-use statistics from the project's 现状地类图斑 layer on `basis`,
/// with the 田坎 deduction.
pub fn current_land_use(
    project: &Project,
    level: ClassLevel,
    basis: AreaBasis,
) -> Result<LandUseStats> {
    let parcels = project.required_layer(LayerRole::CurrentLandUse)?;
    let accounting = ParcelAccounting::of(project, basis)?;
    let account = accounting.base.ok_or_else(|| Error::MissingLayer {
        project: project.name.clone(),
        role: LayerRole::CurrentLandUse.name_zh().into(),
    })?;

    // Names from the village layer where it has them, else the parcels' ZLDWMC.
    let mut village_names: BTreeMap<String, String> = BTreeMap::new();
    if let Ok(villages) = AdminUnits::villages(project) {
        for unit in villages.list.iter().filter(|u| !u.name.is_empty()) {
            village_names.insert(unit.code.clone(), unit.name.clone());
        }
    }
    if let (Some(zldwdm), Some(zldwmc)) =
        (parcels.field_index("ZLDWDM"), parcels.field_index("ZLDWMC"))
    {
        for f in parcels.features() {
            let code = crate::model::admin::normalise_code(
                &f.attributes[zldwdm].as_text().unwrap_or_default(),
            );
            if !village_names.contains_key(&code)
                && let Some(name) = f.attributes[zldwmc].as_text()
            {
                village_names.insert(code, name.into_owned());
            }
        }
    }

    let book = CodeBook::bundled();
    let group = |sums: &ClassSums| {
        let mut classes: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for (key, sum) in &sums.classes {
            let class = match level {
                ClassLevel::First => book
                    .level1(Standard::Sandiao, &key.code)
                    .map(|c| c.code.clone())
                    .unwrap_or_else(|| key.code.clone()),
                ClassLevel::Exact => key.code.clone(),
            };
            let entry = classes.entry(class).or_default();
            entry.0 += sum.area_m2;
            entry.1 += sum.parcels;
        }
        classes
    };
    let mut sums: BTreeMap<String, BTreeMap<String, (f64, usize)>> = account
        .villages
        .iter()
        .map(|(code, s)| (code.clone(), group(s)))
        .collect();
    if account.outside.parcels > 0 {
        // Parcels no village takes are kept under an empty code, as before.
        sums.insert(String::new(), group(&account.outside));
    }
    let table = |code: String, name: String, classes: &BTreeMap<String, (f64, usize)>| {
        let total: f64 = classes.values().map(|(a, _)| a).sum();
        VillageLandUse {
            classes: classes
                .iter()
                .map(|(c, (area, n))| ClassArea {
                    name: book
                        .lookup(Standard::Sandiao, c)
                        .map(|k| k.name.clone())
                        .unwrap_or_else(|| "(未知编码)".into()),
                    code: c.clone(),
                    area_m2: *area,
                    area_ha: units::hectares(*area),
                    area_mu: units::mu(*area),
                    share_percent: if total > 0.0 {
                        area / total * 100.0
                    } else {
                        0.0
                    },
                    parcels: *n,
                })
                .collect(),
            total_m2: total,
            code,
            name,
        }
    };
    let mut county_sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for classes in sums.values() {
        for (c, (a, n)) in classes {
            let e = county_sums.entry(c.clone()).or_default();
            e.0 += a;
            e.1 += n;
        }
    }
    let villages = sums
        .iter()
        .map(|(code, classes)| {
            let name = village_names.get(code).cloned().unwrap_or_default();
            table(code.clone(), name, classes)
        })
        .collect();
    Ok(LandUseStats {
        area_basis: format!(
            "{}; {}",
            basis.describe_zh(project.crs),
            basis.describe_en(project.crs)
        ),
        deduction: format!("{}; {}", account.rules_zh(), account.rules_en()),
        notes: account.notes.clone(),
        synthetic: project.settings.synthetic,
        villages,
        county: table(
            String::new(),
            format!("{} (合计)", project.name),
            &county_sums,
        ),
    })
}
