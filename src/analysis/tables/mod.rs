//! The standard planning tables (docs/domain.md §6) for a village, rolled up for a township
//! and the county: 现状指标表, 空间功能结构调整表, 规划指标一览表, 国土空间管控表,
//! 土地利用现状分类面积汇总表 and 近期建设项目表.
//!
//! Areas are counted as the survey counts them ([`accounting`]: the 田坎 deduction, on the
//! chosen [`AreaBasis`]), rows come from data files in `assets/tables/` (a province's variant
//! is a file), and the shown values are rounded so the rows add up to the totals
//! ([`rounding`]). Townships and the county are sums of their villages' m², never of
//! rounded village rows. Every table states its basis and the deduction rule that held per
//! layer ([`PlanTables::layers`]).
//!
//! *Performance*: [`TableBook::new`] measures and places every parcel once (all cores for
//! the ellipsoidal areas); each [`TableBook::tables`] call then only sums its villages and
//! intersects their polygons with the two lines.

pub mod accounting;
pub mod control;
pub mod export;
pub mod indicators;
pub mod projects;
pub mod rounding;
pub mod rows;
pub mod structure;
pub mod survey;
pub mod villages;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::areas::{AreaBasis, AreaMeasure};
use crate::error::{Error, Result};
use crate::model::admin::{AdminUnits, township_names};
use crate::model::{LayerRole, Project};
use accounting::{ClassSums, LayerAccount, ParcelAccounting, VillageLocator, Year};
use control::{ControlRows, ControlTable, control_table};
use indicators::{IndicatorInputs, IndicatorRows, IndicatorTable, indicator_table};
use projects::{ProjectTable, project_table};
use rows::StructureRows;
use structure::{StructureTable, structure_table};
use survey::{AdminLevel, SurveyLayout, SurveyTable};

pub use rounding::AreaUnit;

/// One of the six tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 现状指标表.
    Current,
    /// 空间功能结构调整表.
    Structure,
    /// 规划指标一览表.
    Indicators,
    /// 国土空间管控表.
    Control,
    /// 土地利用现状分类面积汇总表.
    Survey,
    /// 近期建设项目表.
    Projects,
}

impl TableKind {
    /// Every table, in workbook order.
    pub const ALL: [TableKind; 6] = [
        TableKind::Current,
        TableKind::Structure,
        TableKind::Indicators,
        TableKind::Control,
        TableKind::Survey,
        TableKind::Projects,
    ];

    /// The sheet name: the table's own name.
    pub fn sheet_name(self) -> &'static str {
        match self {
            TableKind::Current => "现状指标表",
            TableKind::Structure => "空间功能结构调整表",
            TableKind::Indicators => "规划指标一览表",
            TableKind::Control => "国土空间管控表",
            TableKind::Survey => "土地利用现状分类面积汇总表",
            TableKind::Projects => "近期建设项目表",
        }
    }

    /// Parses the short names of the command line (现状, 结构调整, 指标, 管控, 三调汇总, 项目),
    /// the sheet names and the English keys.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        TableKind::ALL.into_iter().find(|k| {
            k.sheet_name() == t
                || k.short_name() == t
                || serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s == t))
                    == Some(true)
        })
    }

    /// The command line's short name.
    pub fn short_name(self) -> &'static str {
        match self {
            TableKind::Current => "现状",
            TableKind::Structure => "结构调整",
            TableKind::Indicators => "指标",
            TableKind::Control => "管控",
            TableKind::Survey => "三调汇总",
            TableKind::Projects => "项目",
        }
    }
}

/// Which 行政区域 the tables are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One village (12-digit code).
    Village(String),
    /// One township (9-digit code): the sum of its villages.
    Township(String),
    /// Every village of the project.
    County,
}

/// The 行政区域 a set of tables describes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeInfo {
    /// Village, township or county.
    pub level: AdminLevel,
    /// 12, 9 or 6 digits (the county's from its villages' codes).
    pub code: String,
    /// The name.
    pub name: String,
    /// The villages it sums, by code.
    pub villages: Vec<String>,
    /// How many of them have planned parcels.
    pub planned_villages: usize,
}

/// What a land-use layer contributed and which deduction rule held, for the 说明.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerNote {
    /// The layer's name.
    pub layer: String,
    /// Base or target year.
    pub year: Year,
    /// The code column read.
    pub code_field: String,
    /// The deduction rules that held, in Chinese, with parcel counts.
    pub deduction_zh: String,
    /// The same in English.
    pub deduction_en: String,
}

/// The six tables of one scope, with what a reader needs to trust them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanTables {
    /// The project's name.
    pub project: String,
    /// True for the synthetic sample: every output says so.
    pub synthetic: bool,
    /// What the tables cover.
    pub scope: ScopeInfo,
    /// The area basis.
    pub basis: AreaBasis,
    /// It, in words (Chinese).
    pub basis_zh: String,
    /// It, in words (English).
    pub basis_en: String,
    /// The land-use layers read and the deduction rules that held.
    pub layers: Vec<LayerNote>,
    /// The row-structure files used.
    pub sources: Vec<String>,
    /// The tool and its version.
    pub tool: String,
    /// The scope's village polygons' area (m², on the basis), to compare with the 总计.
    pub village_area_m2: f64,
    /// What the planner must know (missing fields and what was assumed, villages without
    /// parcels or a plan, 待细分 classes, unknown codes), one line each.
    pub notes: Vec<String>,
    /// 空间功能结构调整表 (its base columns are the 现状指标表).
    pub structure: StructureTable,
    /// 规划指标一览表.
    pub indicators: IndicatorTable,
    /// 国土空间管控表.
    pub control: ControlTable,
    /// 土地利用现状分类面积汇总表.
    pub survey: SurveyTable,
    /// 近期建设项目表.
    pub projects: ProjectTable,
}

/// A project measured once, from which the tables of any scope are drawn.
pub struct TableBook<'a> {
    project: &'a Project,
    measure: AreaMeasure,
    accounting: ParcelAccounting,
    villages: AdminUnits<'a>,
    locator: VillageLocator<'a>,
    zones: Option<(String, BTreeMap<String, BTreeMap<String, f64>>)>,
    structure_rows: StructureRows,
    control_rows: ControlRows,
    indicator_rows: IndicatorRows,
    survey: SurveyLayout,
}

/// A parcel-less or plan-less village in a message: `勐佑村 (530921103201)`.
fn village_label(units: &AdminUnits, code: &str) -> String {
    match units.by_code(code).map(|u| u.name.as_str()) {
        Some(name) if !name.is_empty() => format!("{name} ({code})"),
        _ => code.to_string(),
    }
}

impl<'a> TableBook<'a> {
    /// Measures and places every parcel of `project` on `basis` with the bundled row
    /// structures. Errors: no 行政村界 layer (the tables are per village), no 现状地类图斑
    /// layer, a layer without its code column, a deduction outside 0–1.
    pub fn new(project: &'a Project, basis: AreaBasis) -> Result<Self> {
        let villages = AdminUnits::villages(project).map_err(|e| match e {
            Error::MissingLayer { project, .. } => Error::MissingLayer {
                project,
                role: "行政村界 (village boundary) — the tables are drawn per village".into(),
            },
            other => other,
        })?;
        project.required_layer(LayerRole::CurrentLandUse)?;
        let measure = AreaMeasure::new(basis, project.crs);
        let accounting = ParcelAccounting::of(project, basis)?;
        let locator = VillageLocator::new(project);
        let zones = villages::control_zone_areas(project, &locator, &measure)?;
        Ok(TableBook {
            project,
            measure,
            accounting,
            villages,
            locator,
            zones,
            structure_rows: StructureRows::bundled()?,
            control_rows: ControlRows::bundled()?,
            indicator_rows: IndicatorRows::bundled()?,
            survey: SurveyLayout::bundled(),
        })
    }

    /// The parcel accounting the tables are drawn from.
    pub fn accounting(&self) -> &ParcelAccounting {
        &self.accounting
    }

    /// Every village code of the village layer, in layer order.
    pub fn village_codes(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.villages
            .list
            .iter()
            .filter(|u| seen.insert(u.code.clone()))
            .map(|u| u.code.clone())
            .collect()
    }

    fn base(&self) -> Option<&LayerAccount> {
        self.accounting.base.as_ref()
    }

    fn target(&self) -> Option<&LayerAccount> {
        self.accounting.target.as_ref()
    }

    /// The villages of a scope, its name and code; errors for an unknown village or a
    /// township with no village.
    fn resolve(&self, scope: &Scope) -> Result<(AdminLevel, String, String, Vec<String>)> {
        let all = self.village_codes();
        Ok(match scope {
            Scope::Village(code) => {
                let code = code.trim();
                let unit = self
                    .villages
                    .by_code(code)
                    .ok_or_else(|| Error::NoVillage {
                        layer: self.villages.layer.name.clone(),
                        code: code.to_string(),
                    })?;
                (
                    AdminLevel::Village,
                    unit.code.clone(),
                    unit.name.clone(),
                    vec![unit.code.clone()],
                )
            }
            Scope::Township(code) => {
                let code = code.trim();
                let members: Vec<String> = all
                    .into_iter()
                    .filter(|v| code.len() == 9 && v.starts_with(code))
                    .collect();
                if members.is_empty() {
                    return Err(Error::NoTownship {
                        layer: self.villages.layer.name.clone(),
                        code: code.to_string(),
                    });
                }
                let name = township_names(self.project)
                    .get(code)
                    .cloned()
                    .unwrap_or_default();
                (AdminLevel::Township, code.to_string(), name, members)
            }
            Scope::County => {
                let county: String = all
                    .first()
                    .map(|c| c.chars().take(6).collect())
                    .unwrap_or_default();
                (AdminLevel::County, county, self.project.name.clone(), all)
            }
        })
    }

    fn sums(&self, account: Option<&LayerAccount>, codes: &[String]) -> ClassSums {
        let mut sums = ClassSums::default();
        if let Some(account) = account {
            for code in codes {
                if let Some(v) = account.villages.get(code) {
                    sums.absorb(v);
                }
            }
        }
        sums
    }

    /// The six tables of a scope.
    pub fn tables(&self, scope: &Scope) -> Result<PlanTables> {
        let (level, code, name, codes) = self.resolve(scope)?;
        let mut notes: Vec<String> = Vec::new();
        for account in [self.base(), self.target()].into_iter().flatten() {
            notes.extend(account.notes.iter().cloned());
        }
        let base_layer = self.base().map(|a| a.layer.clone()).unwrap_or_default();
        let with_parcels = |account: Option<&LayerAccount>, v: &String| {
            account.is_some_and(|a| a.villages.get(v).is_some_and(|s| s.parcels > 0))
        };
        let empty: Vec<&String> = codes
            .iter()
            .filter(|v| !with_parcels(self.base(), v))
            .collect();
        if level == AdminLevel::Village && !empty.is_empty() {
            return Err(Error::NoParcels {
                layer: base_layer,
                village: village_label(&self.villages, &code),
            });
        }
        if !empty.is_empty() {
            notes.push(format!(
                "{} 个行政村在图层“{base_layer}”中没有图斑：{} ({} villages have no parcels)",
                empty.len(),
                empty
                    .iter()
                    .map(|v| village_label(&self.villages, v))
                    .collect::<Vec<_>>()
                    .join("、"),
                empty.len()
            ));
        }
        let planned = codes
            .iter()
            .filter(|v| with_parcels(self.target(), v))
            .count();
        let has_plan = planned == codes.len() && planned > 0;
        if !has_plan {
            notes.push(match (self.target(), planned) {
                (None, _) => {
                    "项目没有规划地类图斑图层：只有规划基期年，规划目标年为“—” (the project has \
                              no planned land-use layer: base year only, target year “—”)"
                        .to_string()
                }
                (Some(_), 0) => "范围内的行政村没有规划地类图斑：规划目标年为“—” (no village in \
                                 scope has planned parcels: target year “—”)"
                    .to_string(),
                (Some(_), n) => format!(
                    "{} 个行政村中只有 {n} 个有规划地类图斑：汇总的规划目标年为“—” (only {n} of {} \
                     villages have planned parcels; the rolled-up target year is “—”)",
                    codes.len(),
                    codes.len()
                ),
            });
        }
        let base = self.sums(self.base(), &codes);
        let target = has_plan.then(|| self.sums(self.target(), &codes));
        let structure = structure_table(&self.structure_rows, &base, target.as_ref());
        for listed in &structure.listed {
            notes.push(format!(
                "{}：{} {}{} → {}（{}，{:.4} 公顷，{} 个图斑）",
                listed.year.name_zh(),
                listed.code,
                listed.name,
                if listed.in_town { "（城镇）" } else { "" },
                listed.row,
                listed.reason,
                listed.area_m2 / 10_000.0,
                listed.parcels
            ));
        }

        let facts = villages::village_facts(self.project, &self.villages, &codes, &self.measure)?;
        let sum_opt = |f: &dyn Fn(&villages::VillageFacts) -> Option<f64>| -> Option<f64> {
            let values: Vec<Option<f64>> = codes.iter().map(|c| facts.get(c).and_then(f)).collect();
            values
                .iter()
                .all(Option::is_some)
                .then(|| values.iter().flatten().sum())
        };
        let village_area_m2: f64 = facts.values().map(|f| f.area_m2).sum();
        if let Some(total) = structure.total() {
            let gap = total.base.area.m2 - village_area_m2;
            if village_area_m2 > 0.0 && (gap / village_area_m2).abs() > 0.001 {
                notes.push(format!(
                    "现状地类图斑合计 {:.4} 公顷与行政村面积 {:.4} 公顷相差超过 0.1% (the parcels \
                     add up to {:.4} ha, the village polygons to {:.4} ha)",
                    total.base.area.m2 / 1e4,
                    village_area_m2 / 1e4,
                    total.base.area.m2 / 1e4,
                    village_area_m2 / 1e4
                ));
            }
        }
        let zones: BTreeMap<String, f64> = match &self.zones {
            Some((_, by_village)) => {
                let mut out = BTreeMap::new();
                for code in &codes {
                    for (zone, m2) in by_village.get(code).into_iter().flatten() {
                        *out.entry(zone.clone()).or_default() += m2;
                    }
                }
                out
            }
            None => BTreeMap::new(),
        };
        if self.zones.is_none() {
            notes.push("项目没有管控边界图层：国土空间管控表为空 (no 管控边界 layer)".into());
        }
        let control = control_table(
            &self.control_rows,
            self.zones.as_ref().map(|(l, _)| l.as_str()),
            &zones,
        );
        let zone_m2 = |zone: &str| {
            (self.zones.is_some() && has_plan).then(|| zones.get(zone).copied().unwrap_or(0.0))
        };
        let inputs = IndicatorInputs {
            resident_population: sum_opt(&|f| f.resident_population),
            planned_population: sum_opt(&|f| f.planned_population),
            red_line_m2: sum_opt(&|f| f.red_line_m2),
            farmland_m2: sum_opt(&|f| f.farmland_m2),
            planned_red_line_m2: zone_m2("0102"),
            planned_farmland_m2: zone_m2("0202"),
            heritage: {
                let counts: Vec<Option<usize>> = codes
                    .iter()
                    .map(|c| facts.get(c).and_then(|f| f.heritage))
                    .collect();
                counts
                    .iter()
                    .all(Option::is_some)
                    .then(|| counts.iter().flatten().sum())
            },
        };
        let indicators = indicator_table(&self.indicator_rows, &structure, &inputs);

        let survey = self.survey_table(level, &code, &name, &codes);
        for (unknown, m2) in &survey.unknown_codes {
            notes.push(format!(
                "未知三调地类编码 {} （{:.4} 公顷）列入“未知编码” (unknown 三调 code)",
                if unknown.is_empty() {
                    "（空）"
                } else {
                    unknown
                },
                m2 / 1e4
            ));
        }
        let set: BTreeSet<String> = codes.iter().cloned().collect();
        let in_scope = (level != AdminLevel::County).then_some(&set);
        let projects = project_table(self.project, &self.locator, &self.measure, in_scope)?;

        let layers = [self.base(), self.target()]
            .into_iter()
            .flatten()
            .map(|a| LayerNote {
                layer: a.layer.clone(),
                year: a.year,
                code_field: a.code_field.clone(),
                deduction_zh: a.rules_zh(),
                deduction_en: a.rules_en(),
            })
            .collect();
        let basis = self.accounting.basis;
        Ok(PlanTables {
            project: self.project.name.clone(),
            synthetic: self.project.settings.synthetic,
            scope: ScopeInfo {
                level,
                code,
                name,
                villages: codes,
                planned_villages: planned,
            },
            basis,
            basis_zh: basis.describe_zh(self.project.crs),
            basis_en: basis.describe_en(self.project.crs),
            layers,
            sources: vec![
                self.structure_rows.source.clone(),
                "assets/tables/indicators.toml".into(),
                "assets/tables/control.toml".into(),
                "assets/landuse/sandiao_dlbm.csv".into(),
                "assets/landuse/sandiao_to_ydyh2023_codes.csv".into(),
            ],
            tool: format!("VillagePlan {}", env!("CARGO_PKG_VERSION")),
            village_area_m2,
            notes,
            structure,
            indicators,
            control,
            survey,
            projects,
        })
    }

    /// The 三调 summary rows: the villages, then the townships, then the county, as the
    /// scope holds them.
    fn survey_table(
        &self,
        level: AdminLevel,
        code: &str,
        name: &str,
        codes: &[String],
    ) -> SurveyTable {
        let mut unknown = BTreeMap::new();
        let mut rows = Vec::new();
        let names = township_names(self.project);
        let base = self.base();
        for v in codes {
            let sums = self.sums(base, std::slice::from_ref(v));
            let village_name = self
                .villages
                .by_code(v)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            rows.push(
                self.survey
                    .row(AdminLevel::Village, v, &village_name, &sums, &mut unknown),
            );
        }
        let townships: BTreeSet<String> =
            codes.iter().map(|c| c.chars().take(9).collect()).collect();
        if level != AdminLevel::Village {
            for t in &townships {
                let members: Vec<String> = codes
                    .iter()
                    .filter(|c| c.starts_with(t.as_str()))
                    .cloned()
                    .collect();
                let sums = self.sums(base, &members);
                let t_name = names.get(t).cloned().unwrap_or_default();
                // Unknown codes were already counted with the villages.
                rows.push(self.survey.row(
                    AdminLevel::Township,
                    t,
                    &t_name,
                    &sums,
                    &mut BTreeMap::new(),
                ));
            }
        }
        if level == AdminLevel::County {
            let sums = self.sums(base, codes);
            rows.push(
                self.survey
                    .row(AdminLevel::County, code, name, &sums, &mut BTreeMap::new()),
            );
        }
        self.survey.table(rows, unknown)
    }
}
