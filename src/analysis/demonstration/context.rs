//! What summarising a zone or corridor needs from the project, prepared once: the township
//! and village layers with each unit's area and population columns, the land-use and
//! 三生空间 parcels with each parcel's ratio of its area on the chosen basis to its planar
//! area, the natural villages and the designations.
//!
//! A window keeps one [`SummaryContext`] while the project is unchanged and asks it for a
//! summary every frame a corridor moves; only the parcels and units under the corridor are
//! then touched (the layers' rstar indexes), never the whole layer.
//!
//! *Areas of cut parcels on the ellipsoidal basis*: a parcel cut by the corridor counts
//! planar area of the piece × (ellipsoidal ÷ planar area of the whole parcel), without a
//! PROJ call per piece. The Gauss-Kruger area scale changes by about 5 × 10⁻⁹ per metre
//! 100 km from the central meridian, so across a 200 m parcel the piece's own ellipsoidal
//! area differs from this by under 10⁻⁶ of it. A village's area inside is its planar share
//! × its area on the basis: within about 10⁻⁵ across a 5 km village.

use std::collections::BTreeMap;

use geo::Area;

use super::designations::Designations;
use crate::analysis::areas::{AreaBasis, AreaMeasure, DeductionFields};
use crate::error::Result;
use crate::model::admin::{AdminUnits, township_names};
use crate::model::settlements::NaturalVillages;
use crate::model::{Layer, LayerRole, Project};

/// Population columns of the village layer, in the order of [`Population`]: 户籍, 常住,
/// 脱贫 (the names the classification reads too).
pub(super) const POPULATION_FIELDS: [&[&str]; 3] = [
    &["HJRK", "HJRKS", "户籍人口", "户籍人口数"],
    &["CZRK", "CZRKS", "常住人口", "常住人口数"],
    &["TPRK", "TPRKS", "脱贫人口", "脱贫人口数"],
];

/// The land-use code column of a current-land-use layer.
const CLASS_FIELDS: &[&str] = &["DLBM", "JQDLBM"];
/// The space column of a 三生空间 layer.
const SPACE_FIELDS: &[&str] = &["KJLX"];

/// A township or village layer, measured.
pub(super) struct UnitLayer<'a> {
    pub units: AdminUnits<'a>,
    /// Per feature of the layer (by position): area on the basis and planar area (m²).
    pub basis_area: Vec<f64>,
    pub planar_area: Vec<f64>,
    /// The population columns (villages only).
    pub population: [Option<usize>; 3],
}

/// A parcel layer (land use or 三生空间), measured.
pub(super) struct ParcelLayer<'a> {
    pub layer: &'a Layer,
    /// Per feature: area on the basis ÷ planar area (1 on the planar basis).
    pub factor: Vec<f64>,
    /// The class column (DLBM or KJLX).
    pub class_col: usize,
    /// The 田坎 deduction columns (land use only).
    pub deduction: Option<DeductionFields>,
}

/// Everything a summary reads, prepared once per project and basis.
pub struct SummaryContext<'a> {
    pub(super) project: &'a Project,
    pub(super) measure: AreaMeasure,
    pub(super) townships: Option<UnitLayer<'a>>,
    pub(super) villages: Option<UnitLayer<'a>>,
    pub(super) land_use: Option<ParcelLayer<'a>>,
    pub(super) spaces: Option<ParcelLayer<'a>>,
    pub(super) natural: Option<NaturalVillages<'a>>,
    pub(super) designations: Designations,
    pub(super) township_names: BTreeMap<String, String>,
    /// What is missing from the project and therefore from every summary.
    pub notes: Vec<String>,
}

fn ratios(measure: &AreaMeasure, layer: &Layer) -> Result<Vec<f64>> {
    if measure.basis == AreaBasis::Planar {
        return Ok(vec![1.0; layer.features().len()]);
    }
    let basis = measure.layer_areas(layer)?;
    Ok(layer
        .features()
        .iter()
        .zip(basis)
        .map(|(f, a)| {
            let planar = f.geometry.as_ref().map_or(0.0, |g| g.unsigned_area());
            if planar > 0.0 { a / planar } else { 1.0 }
        })
        .collect())
}

fn unit_layer<'a>(
    measure: &AreaMeasure,
    units: AdminUnits<'a>,
    with_population: bool,
) -> Result<UnitLayer<'a>> {
    let factor = ratios(measure, units.layer)?;
    let planar_area: Vec<f64> = units
        .layer
        .features()
        .iter()
        .map(|f| f.geometry.as_ref().map_or(0.0, |g| g.unsigned_area()))
        .collect();
    let basis_area = planar_area.iter().zip(factor).map(|(p, f)| p * f).collect();
    let column = |names: &[&str]| names.iter().find_map(|n| units.layer.field_index(n));
    let population = if with_population {
        POPULATION_FIELDS.map(column)
    } else {
        [None; 3]
    };
    Ok(UnitLayer {
        units,
        basis_area,
        planar_area,
        population,
    })
}

fn parcel_layer<'a>(
    measure: &AreaMeasure,
    layer: &'a Layer,
    fields: &[&str],
    deduction: bool,
) -> Result<Option<ParcelLayer<'a>>> {
    let Some(class_col) = fields.iter().find_map(|n| layer.field_index(n)) else {
        return Ok(None);
    };
    Ok(Some(ParcelLayer {
        layer,
        factor: ratios(measure, layer)?,
        class_col,
        deduction: deduction.then(|| DeductionFields::of(layer)),
    }))
}

impl<'a> SummaryContext<'a> {
    /// Prepares `project` for summaries on `basis`. Missing layers are not errors — a
    /// summary then lacks that part, and [`SummaryContext::notes`] says so; unreadable
    /// designations or unit layers without codes are.
    pub fn new(project: &'a Project, basis: AreaBasis) -> Result<Self> {
        let measure = AreaMeasure::new(basis, project.crs);
        let mut notes = Vec::new();
        let mut missing = |role: LayerRole, zh: &str, en: &str| {
            notes.push(format!(
                "项目没有{}图层，不含{zh} / no {} layer: {en} not counted",
                role.name_zh(),
                role.name_en().to_lowercase()
            ))
        };
        let townships = match project.layer_by_role(LayerRole::Township) {
            Some(_) => Some(unit_layer(
                &measure,
                AdminUnits::townships(project)?,
                false,
            )?),
            None => {
                missing(LayerRole::Township, "乡镇", "townships");
                None
            }
        };
        let villages = match project.layer_by_role(LayerRole::Village) {
            Some(_) => Some(unit_layer(&measure, AdminUnits::villages(project)?, true)?),
            None => {
                missing(
                    LayerRole::Village,
                    "行政村与人口",
                    "villages and population",
                );
                None
            }
        };
        let land_use = match project.layer_by_role(LayerRole::CurrentLandUse) {
            Some(l) => parcel_layer(&measure, l, CLASS_FIELDS, true)?,
            None => None,
        };
        if land_use.is_none() {
            missing(
                LayerRole::CurrentLandUse,
                "地类面积",
                "land-use areas (DLBM)",
            );
        }
        let spaces = match project.layer_by_role(LayerRole::ThreeSpaces) {
            Some(l) => parcel_layer(&measure, l, SPACE_FIELDS, false)?,
            None => None,
        };
        if spaces.is_none() {
            missing(
                LayerRole::ThreeSpaces,
                "三生空间面积",
                "areas by space (KJLX)",
            );
        }
        let natural = match project.layer_by_role(LayerRole::NaturalVillage) {
            Some(_) => Some(NaturalVillages::read(project)?),
            None => {
                missing(
                    LayerRole::NaturalVillage,
                    "自然村与美丽村庄",
                    "natural villages and 美丽村庄",
                );
                None
            }
        };
        Ok(SummaryContext {
            project,
            measure,
            townships,
            villages,
            land_use,
            spaces,
            natural,
            designations: Designations::from_settings(&project.settings)?,
            township_names: township_names(project),
            notes,
        })
    }

    /// The project it reads.
    pub fn project(&self) -> &'a Project {
        self.project
    }

    /// The designations it marks.
    pub fn designations(&self) -> &Designations {
        &self.designations
    }
}
