//! The whole picture the `demo` command and a panel show: every demonstration area (or the
//! one asked for) with its summary and its designations, and the county's progress against
//! the targets with the flagged designations.

use geo::MultiPolygon;
use serde::Serialize;

use super::context::SummaryContext;
use super::designations::Designation;
use super::progress::{Review, review};
use super::summary::{POPULATION_RULE_ZH, Summary};
use crate::analysis::areas::AreaBasis;
use crate::analysis::checks::CheckReport;
use crate::analysis::classify::Classification;
use crate::error::{Error, Result};
use crate::geometry::as_multipolygon;
use crate::model::Project;
use crate::model::demonstration::{DemoArea, demo_areas, find_demo_area};

/// One demonstration area and what it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReport {
    /// 名称.
    pub name: String,
    /// 示范区 / 示范带 / 示范线 (empty when not set).
    pub kind: String,
    /// 主题.
    pub theme: String,
    /// 宽度 (m) of a corridor.
    pub width_m: Option<f64>,
    /// 圆头 / 平头 of a corridor.
    pub ends: Option<String>,
    /// Where it is stored.
    pub layer_id: String,
    pub feature_id: i64,
    /// What it covers.
    pub summary: Summary,
    /// Its polygon (working CRS), for the map and the GeoJSON export.
    #[serde(skip)]
    pub geometry: MultiPolygon<f64>,
}

impl AreaReport {
    /// Designated units within it: 示范乡镇, 精品示范村 and 美丽村庄 counts.
    pub fn designated(&self, d: Designation) -> usize {
        self.summary.designated(d)
    }
}

/// Every area's summary and the county's review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoReport {
    /// Project name.
    pub project: String,
    /// True for synthetic sample data: every output must say so.
    pub synthetic: bool,
    /// The area basis of every number.
    pub basis: String,
    /// How population inside is counted.
    pub population_rule: &'static str,
    /// What the project lacks (and the summaries therefore do not show).
    pub notes: Vec<String>,
    /// The demonstration areas, in layer order.
    pub areas: Vec<AreaReport>,
    /// The county's progress against the targets and the designated units.
    pub review: Review,
}

fn area_report(context: &SummaryContext, area: DemoArea) -> Result<AreaReport> {
    let project = context.project();
    let layer = project
        .layer(&area.layer_id)
        .ok_or_else(|| Error::NoLayer {
            id: area.layer_id.clone(),
        })?;
    let geometry = layer.features()[area.position]
        .geometry
        .as_ref()
        .and_then(as_multipolygon)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "layer '{}', feature {} ('{}') has no polygon to summarise",
                layer.name, area.feature_id, area.name
            ))
        })?;
    Ok(AreaReport {
        summary: context.summarise(&geometry)?,
        name: area.name,
        kind: area
            .kind
            .map(|k| k.name_zh().to_string())
            .unwrap_or_default(),
        theme: area.theme,
        width_m: area.corridor.as_ref().map(|c| c.width_m),
        ends: area.corridor.as_ref().map(|c| c.ends.name_zh().to_string()),
        layer_id: area.layer_id,
        feature_id: area.feature_id,
        geometry,
    })
}

/// The report of the area named `only` (every area when `None`) on `basis`, with the
/// designations reviewed against `classification` (its source given beside it) and
/// `checks` when given.
pub fn demo_report(
    project: &Project,
    basis: AreaBasis,
    only: Option<&str>,
    classification: Option<(&Classification, &str)>,
    checks: Option<&CheckReport>,
) -> Result<DemoReport> {
    let context = SummaryContext::new(project, basis)?;
    let areas = match only {
        Some(name) => vec![find_demo_area(project, name)?],
        None => demo_areas(project)?,
    };
    let areas = areas
        .into_iter()
        .map(|a| area_report(&context, a))
        .collect::<Result<Vec<_>>>()?;
    let mut county = review(project, context.designations(), classification, checks)?;
    for unit in &mut county.units {
        unit.areas = areas
            .iter()
            .filter(|a| {
                let s = &a.summary;
                match unit.designation {
                    Designation::Township => s.townships.iter().any(|t| t.code == unit.code),
                    Designation::Village => s.villages.iter().any(|v| v.unit.code == unit.code),
                    Designation::NaturalVillage => {
                        s.natural_villages.iter().any(|n| n.code == unit.code)
                    }
                }
            })
            .map(|a| a.name.clone())
            .collect();
    }
    Ok(DemoReport {
        project: project.name.clone(),
        synthetic: project.settings.synthetic,
        basis: format!(
            "{}; {}",
            basis.describe_zh(project.crs),
            basis.describe_en(project.crs)
        ),
        population_rule: POPULATION_RULE_ZH,
        notes: context.notes.clone(),
        areas,
        review: county,
    })
}
