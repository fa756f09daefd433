//! Rules as data: what each check looks at, how strict it is and where the requirement comes
//! from. The defaults are `assets/rules/checks.toml` (compiled in); a project may carry its
//! own rule file text (saved in the project) and the CLI takes `--rules FILE`. Both are
//! *overrides*: a rule with an existing id replaces it, a new id is added, and an
//! `[[override]]` entry changes only the severity or switches a rule off.

use serde::{Deserialize, Serialize};

use crate::analysis::areas::AreaBasis;
use crate::error::{Error, Result};
use crate::landuse::{CodeBook, Standard};
use crate::model::{Layer, LayerRole, ProjectSettings};

/// The bundled default rules.
const BUNDLED: &str = include_str!("../../../assets/rules/checks.toml");

/// Key in [`ProjectSettings::extra`] holding the project's own rule text (TOML).
pub const PROJECT_RULES_KEY: &str = "check_rules";

/// How serious a result is. Only errors make `villageplan check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed (or accepted as an exception) before the plan is submitted.
    Error,
    /// Should be looked at; does not block.
    Warning,
}

impl Severity {
    /// 错误 / 警告.
    pub fn name_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }

    /// `error` / `warning`.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Which features of a layer a rule looks at: a role, optionally narrowed by land-use class
/// (construction or not, code prefixes) or by the value of a field (三生空间 type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureFilter {
    /// Layers with this role.
    pub role: LayerRole,
    /// Field holding the land-use code (needed by `construction` and `codes`).
    #[serde(default)]
    pub code_field: Option<String>,
    /// The classification the codes belong to.
    #[serde(default)]
    pub standard: Option<Standard>,
    /// Keep only construction (true) or non-construction (false) land.
    #[serde(default)]
    pub construction: Option<bool>,
    /// Keep only codes starting with one of these (empty: all).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Drop codes starting with one of these (e.g. 06 农业设施建设用地).
    #[serde(default)]
    pub exclude_codes: Vec<String>,
    /// A field whose value must be one of `values` (e.g. KJLX = 生活空间).
    #[serde(default)]
    pub field: Option<String>,
    /// Accepted values of `field`.
    #[serde(default)]
    pub values: Vec<String>,
}

impl FeatureFilter {
    /// Whether feature `i` of `layer` is selected, as a function of `i`: the columns are
    /// looked up by name once, not once per feature (a rule filters every parcel of a
    /// county). A layer lacking a named field selects nothing: the rule then reports the
    /// missing field instead of guessing.
    pub fn selector<'a>(
        &'a self,
        layer: &'a Layer,
        book: &'a CodeBook,
    ) -> impl Fn(usize) -> bool + Sync + 'a {
        let column = |name: &Option<String>| name.as_deref().map(|n| layer.field_index(n));
        let field = column(&self.field);
        let code_field = column(&self.code_field);
        let needs_code =
            self.construction.is_some() || !self.codes.is_empty() || !self.exclude_codes.is_empty();
        let role_matches = layer.role == self.role;
        move |i| {
            let text = |col: usize| layer.features().get(i)?.attributes.get(col)?.as_text();
            if !role_matches {
                return false;
            }
            if let Some(col) = field {
                let Some(value) = col.and_then(text) else {
                    return false;
                };
                if !self.values.iter().any(|v| v.trim() == value.trim()) {
                    return false;
                }
            }
            if !needs_code {
                return true;
            }
            let Some(Some(code)) = code_field.map(|col| col.and_then(text)) else {
                return false;
            };
            self.code_selected(code.trim(), book)
        }
    }

    fn code_selected(&self, code: &str, book: &CodeBook) -> bool {
        if !self.codes.is_empty() && !self.codes.iter().any(|p| code.starts_with(p.as_str())) {
            return false;
        }
        if self
            .exclude_codes
            .iter()
            .any(|p| code.starts_with(p.as_str()))
        {
            return false;
        }
        match (self.construction, self.standard) {
            (None, _) => true,
            (Some(want), Some(standard)) => book
                .lookup(standard, code)
                .is_some_and(|c| c.is_construction() == want),
            (Some(_), None) => false,
        }
    }

    /// The fields this filter reads that `layer` lacks.
    pub fn missing_fields(&self, layer: &Layer) -> Vec<String> {
        self.code_field
            .iter()
            .chain(self.field.iter())
            .filter(|f| layer.field_index(f).is_none())
            .cloned()
            .collect()
    }
}

/// A quantity compared per village against the targets stored in the project or, where
/// the village has a plan, against the base year (docs/domain.md §5.6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Planned 耕地 (用地用海 01, after the 田坎 deduction) ≥ target 耕地保有量.
    CultivatedLand,
    /// Planned 永久基本农田 (§5.6.2; without a plan the line's area) ≥ the stored baseline.
    PermanentFarmland,
    /// 生态保护红线 area in the village ≥ the baseline (not reduced).
    RedLine,
    /// Planned 村域建设用地 ≤ the configured cap, or the base year where there is a plan.
    ConstructionLand,
    /// 机动指标 ≤ `max_share` of planned 村域建设用地.
    ReserveQuota,
    /// Planned 永久基本农田 ≥ the base year's, where the village has a plan (§5.6.2).
    PlannedFarmland,
}

impl Measure {
    /// The 用地用海 2023 code prefixes the measure counts when a rule names none
    /// (docs/domain.md §5.6.1): 耕地 01; 村域建设用地 07–16 and 2301 空闲地.
    fn default_land_codes(self) -> Vec<String> {
        let codes: &[&str] = match self {
            Measure::CultivatedLand | Measure::PermanentFarmland | Measure::PlannedFarmland => {
                &["01"]
            }
            Measure::ConstructionLand | Measure::ReserveQuota => &[
                "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "2301",
            ],
            Measure::RedLine => &[],
        };
        codes.iter().map(|c| c.to_string()).collect()
    }
}

/// The parameters of a quantity rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityParams {
    /// What is measured.
    pub measure: Measure,
    /// For `reserve_quota`: the largest allowed share of construction land.
    #[serde(default = "default_reserve_share")]
    pub max_share: f64,
    /// The area basis of the measure (ellipsoidal by default, as the tables).
    #[serde(default)]
    pub basis: AreaBasis,
    /// Differences up to this many m² are not reported.
    #[serde(default = "default_overlap_tolerance")]
    pub tolerance_m2: f64,
    /// 用地用海 2023 code prefixes counted (empty: the measure's default).
    #[serde(default)]
    pub land_codes: Vec<String>,
}

impl QuantityParams {
    /// The code prefixes counted.
    pub fn land_codes(&self) -> Vec<String> {
        if self.land_codes.is_empty() {
            self.measure.default_land_codes()
        } else {
            self.land_codes.clone()
        }
    }
}

/// One side of an area balance: the parcels of a role, assigned to villages by the first
/// 12 characters of `village_field`, or by where they lie when it is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceSide {
    /// The parcel layer.
    pub role: LayerRole,
    /// Field whose first 12 characters are the village code (坐落单位代码).
    #[serde(default)]
    pub village_field: Option<String>,
}

/// The dictionary a codes rule looks codes up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dictionary {
    /// A land-use classification (`standard = "sandiao"`).
    Standard(Standard),
    /// Another code list (`code_list = "public_facility"`).
    CodeList(CodeList),
}

/// Code lists other than land-use classifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeList {
    /// 公共服务设施类型 (docs/domain.md §6.6).
    PublicFacility,
}

/// Which column of the minimum-mapped-area table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MinAreaColumn {
    /// `lx_min_m2`: 200 / 400 / 600 m² (the 三调 上图 thresholds).
    #[default]
    #[serde(rename = "lx_min_m2")]
    Lx,
    /// `jz_min_m2`: the stricter 400 / 800 / 1200 m² column.
    #[serde(rename = "jz_min_m2")]
    Jz,
}

fn default_overlap_tolerance() -> f64 {
    0.01
}

fn default_gap_tolerance() -> f64 {
    0.01
}

fn default_balance_share() -> f64 {
    0.001
}

fn default_balance_basis() -> AreaBasis {
    AreaBasis::Planar
}

fn default_village_role() -> LayerRole {
    LayerRole::Village
}

fn default_reserve_share() -> f64 {
    0.05
}

/// What a rule checks, with its parameters (the `kind` key of a rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// Polygons valid per GEOS (no self-intersection, closed rings, enough points).
    Validity {
        /// Layers checked; empty means every polygon layer.
        #[serde(default)]
        roles: Vec<LayerRole>,
    },
    /// Two or more features with the same geometry.
    Duplicates {
        /// Layers checked; empty means every layer.
        #[serde(default)]
        roles: Vec<LayerRole>,
    },
    /// Features of one layer whose interiors overlap by more than `tolerance_m2`.
    Overlap {
        /// Layers checked.
        roles: Vec<LayerRole>,
        /// Overlaps up to this area are digitising noise.
        #[serde(default = "default_overlap_tolerance")]
        tolerance_m2: f64,
    },
    /// Parts of each boundary polygon (village) not covered by the layer.
    Gap {
        /// The layer that must cover the boundary.
        role: LayerRole,
        /// The covered boundary (the village).
        #[serde(default = "default_village_role")]
        boundary: LayerRole,
        /// Gaps up to this area are ignored.
        #[serde(default = "default_gap_tolerance")]
        tolerance_m2: f64,
    },
    /// Selected features intersecting a protected zone (红线, 永久基本农田).
    Conflict {
        /// The features that must stay out.
        subject: FeatureFilter,
        /// The zone layer's role.
        zone: LayerRole,
        /// Intersections up to this area are ignored.
        #[serde(default = "default_overlap_tolerance")]
        tolerance_m2: f64,
    },
    /// Selected features reaching outside a boundary (村庄建设边界).
    Containment {
        /// The features that must stay inside.
        subject: FeatureFilter,
        /// The boundary layer's role.
        boundary: LayerRole,
        /// Parts outside up to this area are ignored.
        #[serde(default = "default_overlap_tolerance")]
        tolerance_m2: f64,
    },
    /// Σ area of the parcels of a village = the village's area, or (`against`) Σ area of
    /// another layer's parcels of the village (现状 total = 规划 total).
    AreaBalance {
        /// The parcel layer.
        role: LayerRole,
        /// Field whose first 12 characters are the village code (坐落单位代码); without
        /// it a parcel belongs to the village it lies in.
        #[serde(default)]
        village_field: Option<String>,
        /// The other side; the village polygon when absent.
        #[serde(default)]
        against: Option<BalanceSide>,
        /// Allowed relative difference (0.001 = 0.1 %).
        #[serde(default = "default_balance_share")]
        tolerance_share: f64,
        /// The area basis of both sides.
        #[serde(default = "default_balance_basis")]
        basis: AreaBasis,
    },
    /// A per-village quantity against the project's targets or the base year.
    Quantity(QuantityParams),
    /// Codes in the dictionary; names agreeing with codes.
    Codes {
        /// The layer.
        role: LayerRole,
        /// The code field (DLBM, GHDLBM, SSLXDM).
        code_field: String,
        /// The name field (DLMC, GHDLMC, SSLXMC), if names are checked.
        #[serde(default)]
        name_field: Option<String>,
        /// The dictionary: `standard = …` or `code_list = …`.
        #[serde(flatten)]
        dictionary: Dictionary,
    },
    /// Fields that must exist and be filled.
    RequiredFields {
        /// The layer.
        role: LayerRole,
        /// Field names.
        fields: Vec<String>,
    },
    /// A field whose values must be unique (BSM).
    Unique {
        /// The layer.
        role: LayerRole,
        /// The field.
        field: String,
    },
    /// Administrative codes made of digits: exactly `digits`, or at least `digits` leading
    /// digits when `prefix` (坐落单位代码 starts with the 12-digit village code).
    CodeFormat {
        /// The layer.
        role: LayerRole,
        /// The field.
        field: String,
        /// Number of digits.
        digits: usize,
        /// Only the first `digits` characters are checked.
        #[serde(default)]
        prefix: bool,
    },
    /// Parcels smaller than the minimum mapped area of their class.
    Sliver {
        /// The parcel layer.
        role: LayerRole,
        /// The 三调 code field.
        code_field: String,
        /// Which threshold column applies.
        #[serde(default)]
        column: MinAreaColumn,
    },
}

impl Check {
    /// The `kind` key as written in rule files.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Validity { .. } => "validity",
            Check::Duplicates { .. } => "duplicates",
            Check::Overlap { .. } => "overlap",
            Check::Gap { .. } => "gap",
            Check::Conflict { .. } => "conflict",
            Check::Containment { .. } => "containment",
            Check::AreaBalance { .. } => "area_balance",
            Check::Quantity(_) => "quantity",
            Check::Codes { .. } => "codes",
            Check::RequiredFields { .. } => "required_fields",
            Check::Unique { .. } => "unique",
            Check::CodeFormat { .. } => "code_format",
            Check::Sliver { .. } => "sliver",
        }
    }
}

/// One rule: identity, names, severity, provenance and the check with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable id, part of every result key (so exceptions survive re-runs).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Error or warning.
    pub severity: Severity,
    /// The standard and clause the rule implements, or "[I] default" when it is ours.
    pub source: String,
    /// False switches the rule off.
    #[serde(default = "enabled_default")]
    pub enabled: bool,
    /// What is checked.
    #[serde(flatten)]
    pub check: Check,
}

fn enabled_default() -> bool {
    true
}

/// A partial change to an existing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// The rule changed.
    pub id: String,
    /// New severity.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Switch on or off.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A rule file as written on disk.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Rule>,
    #[serde(default, rename = "override")]
    overrides: Vec<RuleOverride>,
}

/// The rules of one run, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    /// Every rule, enabled or not.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The bundled defaults (`assets/rules/checks.toml`).
    pub fn bundled() -> Result<RuleSet> {
        let mut set = RuleSet::default();
        set.apply_text(BUNDLED, "assets/rules/checks.toml")?;
        Ok(set)
    }

    /// The text of the bundled rule file, so that an output can record (by its hash) which
    /// rules it was checked with.
    pub fn bundled_text() -> &'static str {
        BUNDLED
    }

    /// The defaults with the project's own rule text applied on top.
    pub fn for_project(settings: &ProjectSettings) -> Result<RuleSet> {
        let mut set = RuleSet::bundled()?;
        if let Some(text) = project_rules_text(settings)? {
            set.apply_text(&text, "project rules (check_rules)")?;
        }
        Ok(set)
    }

    /// Applies a rule file: rules with a known id replace it, new ids are appended, and
    /// `[[override]]` entries change severity or switch rules on/off. `source_name` names the
    /// file in errors.
    pub fn apply_text(&mut self, text: &str, source_name: &str) -> Result<()> {
        let file: RuleFile = toml::from_str(text).map_err(|e| Error::Table {
            source_name: source_name.to_string(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0),
            detail: e.message().to_string(),
        })?;
        for rule in file.rule {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        for o in file.overrides {
            let rule = self
                .rules
                .iter_mut()
                .find(|r| r.id == o.id)
                .ok_or_else(|| {
                    Error::Invalid(format!("{source_name}: no rule '{}' to override", o.id))
                })?;
            if let Some(s) = o.severity {
                rule.severity = s;
            }
            if let Some(e) = o.enabled {
                rule.enabled = e;
            }
        }
        Ok(())
    }

    /// Reads and applies a rule file from disk.
    pub fn apply_file(&mut self, path: &std::path::Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.apply_text(&text, &path.display().to_string())
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The enabled rules.
    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.enabled)
    }
}

/// The project's own rule text, if any.
pub fn project_rules_text(settings: &ProjectSettings) -> Result<Option<String>> {
    match settings.extra.get(PROJECT_RULES_KEY) {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Error::Invalid(format!(
            "project setting '{PROJECT_RULES_KEY}' must be the text of a TOML rule file"
        ))),
    }
}

/// Stores rule text in the project (validated first, so a broken file never reaches the
/// saved project); `None` removes it.
pub fn set_project_rules(settings: &mut ProjectSettings, text: Option<&str>) -> Result<()> {
    match text {
        Some(text) => {
            RuleSet::bundled()?.apply_text(text, "project rules")?;
            settings.extra.insert(
                PROJECT_RULES_KEY.into(),
                serde_json::Value::String(text.into()),
            );
        }
        None => {
            settings.extra.remove(PROJECT_RULES_KEY);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_parse_with_unique_ids() {
        let set = RuleSet::bundled().unwrap();
        assert!(set.rules.len() >= 13);
        let mut ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), set.rules.len());
        for kind in [
            "validity",
            "duplicates",
            "overlap",
            "gap",
            "conflict",
            "containment",
            "area_balance",
            "quantity",
            "codes",
            "required_fields",
            "unique",
            "code_format",
            "sliver",
        ] {
            assert!(set.rules.iter().any(|r| r.check.kind() == kind), "{kind}");
        }
    }

    #[test]
    fn overrides_replace_and_switch_off() {
        let mut set = RuleSet::bundled().unwrap();
        let first = set.rules[0].id.clone();
        set.apply_text(
            &format!("[[override]]\nid = \"{first}\"\nenabled = false\nseverity = \"warning\"\n"),
            "t",
        )
        .unwrap();
        let r = set.rule(&first).unwrap();
        assert!(!r.enabled);
        assert_eq!(r.severity, Severity::Warning);
        let err = set
            .apply_text("[[override]]\nid = \"nope\"\n", "mine.toml")
            .unwrap_err();
        assert!(err.to_string().contains("mine.toml"), "{err}");
        let err = set
            .apply_text("[[rule]]\nid = 3\n", "bad.toml")
            .unwrap_err();
        assert!(err.to_string().contains("bad.toml, line 2"), "{err}");
    }
}
