//! Current land-use area by class, per village and for the county (the 用地现状 table).
//!
//! *Area basis*: planar area of the parcel geometry in the working CRS (CGCS2000 3°
//! Gauss-Kruger). This differs from the ellipsoidal 三调 `TBMJ` by about +0.02 % in 凤庆
//! (docs/domain.md §7); every output says which basis it used.

use std::collections::BTreeMap;

use geo::Area;
use serde::Serialize;

use crate::error::Result;
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
    /// Which area the numbers are (planar GK, with the EPSG code).
    pub area_basis: String,
    /// True when the project is synthetic sample data.
    pub synthetic: bool,
    /// One table per village, by code.
    pub villages: Vec<VillageLandUse>,
    /// The county (whole project) table.
    pub county: VillageLandUse,
}

/// Computes the current land-use statistics from the project's 现状地类图斑 layer.
pub fn current_land_use(project: &Project, level: ClassLevel) -> Result<LandUseStats> {
    let parcels = project.required_layer(LayerRole::CurrentLandUse)?;
    let dlbm = parcels.required_field("DLBM")?;
    let zldwdm = parcels.field_index("ZLDWDM");
    let zldwmc = parcels.field_index("ZLDWMC");

    // Names from the village layer where it has them (optional: the parcels' ZLDWMC
    // names the rest).
    let mut village_names: BTreeMap<String, String> = BTreeMap::new();
    if let Ok(villages) = AdminUnits::villages(project) {
        for unit in villages.list.iter().filter(|u| !u.name.is_empty()) {
            village_names.insert(unit.code.clone(), unit.name.clone());
        }
    }

    let book = CodeBook::bundled();
    // village code → class code → (area, parcels)
    let mut sums: BTreeMap<String, BTreeMap<String, (f64, usize)>> = BTreeMap::new();
    for f in parcels.features() {
        let Some(geometry) = &f.geometry else {
            continue;
        };
        let code = f.attributes[dlbm]
            .as_text()
            .unwrap_or_default()
            .trim()
            .to_string();
        let class = match level {
            ClassLevel::First => book
                .level1(Standard::Sandiao, &code)
                .map(|c| c.code.clone())
                .unwrap_or(code),
            ClassLevel::Exact => code,
        };
        let village = zldwdm
            .and_then(|i| f.attributes[i].as_text())
            .map(|z| z.chars().take(12).collect::<String>())
            .unwrap_or_default();
        if let Some(i) = zldwmc
            && !village_names.contains_key(&village)
            && let Some(name) = f.attributes[i].as_text()
        {
            village_names.insert(village.clone(), name.into_owned());
        }
        let entry = sums.entry(village).or_default().entry(class).or_default();
        entry.0 += geometry.unsigned_area();
        entry.1 += 1;
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
            "planar Gauss-Kruger area in {} (三调 TBMJ is ellipsoidal)",
            project.crs.label()
        ),
        synthetic: project.settings.synthetic,
        villages,
        county: table(
            String::new(),
            format!("{} (合计)", project.name),
            &county_sums,
        ),
    })
}
