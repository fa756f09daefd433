//! 近期建设项目表: the plan's near-term construction projects from the 近期建设项目 layer
//! (docs/domain.md §6.5): 项目类型 `XMLX`, 项目名称 `XMMC`, 用地面积 `YDMJ` (公顷; computed
//! from a polygon on the tables' basis when the field is empty), 高度层数 `GDCS`, 风貌管控
//! `FMGK`, 建设年限 `JSNX`, 投资额 `TZE` (万元), 建议资金来源 `JYZJLY`, 备注 `BZ`.

use std::collections::BTreeSet;

use serde::Serialize;

use super::accounting::VillageLocator;
use super::rounding::{AREA_DECIMALS, AreaUnit, Fixed};
use super::structure::Area;
use crate::analysis::areas::AreaMeasure;
use crate::error::Result;
use crate::model::{Layer, LayerRole, Project};

/// Decimals of 投资额 (万元).
const INVESTMENT_DECIMALS: u32 = 2;

/// Where a project's 用地面积 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandSource {
    /// The `YDMJ` field (公顷).
    Field,
    /// Computed from the polygon on the tables' basis (YDMJ empty).
    Geometry,
    /// Neither: a point project without `YDMJ` ("—").
    None,
}

/// One project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectLine {
    /// The village it lies in (12-digit code; empty when in none).
    pub village: String,
    /// 项目类型.
    pub kind: String,
    /// 项目名称.
    pub name: String,
    /// 用地面积 (`None` when unknown).
    pub land: Option<Area>,
    /// Where the 用地面积 came from.
    pub land_source: LandSource,
    /// 高度层数.
    pub floors: String,
    /// 风貌管控.
    pub style: String,
    /// 建设年限.
    pub period: String,
    /// 投资额 (万元).
    pub investment: Option<Fixed>,
    /// 建议资金来源.
    pub funding: String,
    /// 备注.
    pub note: String,
}

/// The 近期建设项目表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectTable {
    /// 近期建设项目表.
    pub title: String,
    /// The layer read; `None` when the project has none.
    pub layer: Option<String>,
    /// The projects, in layer order.
    pub lines: Vec<ProjectLine>,
    /// 合计 of the known 用地面积.
    pub total_land: Area,
    /// 合计 of the known 投资额.
    pub total_investment: Fixed,
}

fn text(layer: &Layer, position: usize, field: &str) -> String {
    layer
        .value(position, field)
        .and_then(|v| v.as_text())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn number(layer: &Layer, position: usize, field: &str) -> Option<f64> {
    layer.value(position, field).and_then(|v| v.as_f64())
}

fn area_of_m2(m2: f64) -> Area {
    Area {
        m2,
        ha: Fixed::round(m2 / AreaUnit::Hectare.m2(), AREA_DECIMALS),
        mu: Fixed::round(m2 / AreaUnit::Mu.m2(), AREA_DECIMALS),
    }
}

/// The projects of the villages in `villages` (all projects when `None`).
pub fn project_table(
    project: &Project,
    locator: &VillageLocator,
    measure: &AreaMeasure,
    villages: Option<&BTreeSet<String>>,
) -> Result<ProjectTable> {
    let Some(layer) = project.layer_by_role(LayerRole::ConstructionProject) else {
        return Ok(ProjectTable {
            title: "近期建设项目表".into(),
            layer: None,
            lines: Vec::new(),
            total_land: area_of_m2(0.0),
            total_investment: Fixed::zero(INVESTMENT_DECIMALS),
        });
    };
    let mut lines = Vec::new();
    for (position, feature) in layer.features().iter().enumerate() {
        let code = ["CZDM", "ZLDWDM"]
            .iter()
            .map(|f| text(layer, position, f))
            .find(|t| !t.is_empty());
        let place = locator.village_of(code.as_deref(), feature.geometry.as_ref());
        let village = place.village().unwrap_or_default().to_string();
        if villages.is_some_and(|set| !set.contains(&village)) {
            continue;
        }
        let (land, land_source) = match number(layer, position, "YDMJ") {
            Some(ha) => (
                Some(area_of_m2(ha * AreaUnit::Hectare.m2())),
                LandSource::Field,
            ),
            None => match feature
                .geometry
                .as_ref()
                .map(|g| measure.area(g))
                .transpose()?
            {
                Some(m2) if m2 > 0.0 => (Some(area_of_m2(m2)), LandSource::Geometry),
                _ => (None, LandSource::None),
            },
        };
        lines.push(ProjectLine {
            village,
            kind: text(layer, position, "XMLX"),
            name: text(layer, position, "XMMC"),
            land,
            land_source,
            floors: text(layer, position, "GDCS"),
            style: text(layer, position, "FMGK"),
            period: text(layer, position, "JSNX"),
            investment: number(layer, position, "TZE")
                .map(|v| Fixed::round(v, INVESTMENT_DECIMALS)),
            funding: text(layer, position, "JYZJLY"),
            note: text(layer, position, "BZ"),
        });
    }
    let known: Vec<&Area> = lines.iter().filter_map(|l| l.land.as_ref()).collect();
    let total_land = Area {
        m2: known.iter().map(|a| a.m2).sum(),
        ha: Fixed::sum(known.iter().map(|a| a.ha), AREA_DECIMALS),
        mu: Fixed::sum(known.iter().map(|a| a.mu), AREA_DECIMALS),
    };
    let total_investment = Fixed::sum(
        lines.iter().filter_map(|l| l.investment),
        INVESTMENT_DECIMALS,
    );
    Ok(ProjectTable {
        title: "近期建设项目表".into(),
        layer: Some(layer.name.clone()),
        lines,
        total_land,
        total_investment,
    })
}
