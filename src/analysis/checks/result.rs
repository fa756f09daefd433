//! What a check run returns: located results, rules skipped for lack of data or targets, and
//! the merge that makes re-checking an edited area incremental.

use geo::{BoundingRect, Geometry, Rect};
use serde::Serialize;

use super::rules::Severity;
use crate::units;

/// The village a result lies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VillageRef {
    /// 12-digit code (XZQDM).
    pub code: String,
    /// Name (XZQMC).
    pub name: String,
}

/// One problem found by one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// The rule that found it.
    pub rule_id: String,
    /// The rule's Chinese name (for grouping in panels and reports).
    pub rule_name_zh: String,
    /// Error or warning.
    pub severity: Severity,
    /// The village containing the problem, when villages are known.
    pub village: Option<VillageRef>,
    /// The layer the features belong to.
    pub layer_id: String,
    /// Feature ids (OGF FIDs, stable across save/load), sorted.
    pub feature_ids: Vec<i64>,
    /// The features' BSM where the layer has one, sorted.
    pub bsms: Vec<String>,
    /// The geometry of the problem itself (overlap polygon, gap polygon, self-intersection
    /// point …) in the working CRS; the feature itself when the problem is the whole feature.
    #[serde(skip)]
    pub geometry: Option<Geometry<f64>>,
    /// The measure of the problem in m² (overlap, gap, shortfall), where it has one.
    pub area_m2: Option<f64>,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// Stable key: rule + layer + sorted BSMs/ids (+ detail). Exceptions are keyed by it.
    pub key: String,
    /// The reviewer's reason when the result is an accepted exception.
    pub exception: Option<String>,
}

impl CheckResult {
    /// The measure in 亩.
    pub fn area_mu(&self) -> Option<f64> {
        self.area_m2.map(units::mu)
    }

    /// True for an error that is not an accepted exception: what makes a check fail.
    pub fn is_blocking(&self) -> bool {
        self.severity == Severity::Error && self.exception.is_none()
    }

    /// The bounding box of the problem geometry (working CRS).
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.geometry.as_ref().and_then(|g| g.bounding_rect())
    }
}

/// A rule that could not run, and why ("not configured" rather than a failure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRule {
    /// The rule.
    pub rule_id: String,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
}

/// Which part of the project a run covers.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckScope {
    /// Everything.
    All,
    /// One village by its 12-digit code.
    Village(String),
    /// Results whose problem geometry intersects this box (the current view, or the bounding
    /// box of an edit).
    Window(Rect<f64>),
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    /// Results, ordered by key (which starts with the rule id).
    pub results: Vec<CheckResult>,
    /// Rules that did not run, with the reason.
    pub skipped: Vec<SkippedRule>,
    /// How many enabled rules ran.
    pub rules_run: usize,
    /// Which area the measures are (planar GK, with the EPSG code).
    pub area_basis: String,
}

impl CheckReport {
    /// Errors that are not accepted exceptions.
    pub fn blocking_count(&self) -> usize {
        self.results.iter().filter(|r| r.is_blocking()).count()
    }

    /// Replaces the results a scoped run covered by that run's results, leaving the rest:
    /// for [`CheckScope::Window`], every result whose geometry intersects the window; for
    /// [`CheckScope::Village`], every result of that village; for [`CheckScope::All`],
    /// everything. This is the incremental re-check after an edit: run with
    /// `CheckScope::Window(bbox of the edit)` and merge.
    pub fn merge(&mut self, scope: &CheckScope, newer: CheckReport) {
        self.results.retain(|r| !in_scope(r, scope));
        self.results.extend(newer.results);
        self.results.sort_by(|a, b| a.key.cmp(&b.key));
        self.results.dedup_by(|a, b| a.key == b.key);
        let newer_ids: Vec<&str> = newer.skipped.iter().map(|s| s.rule_id.as_str()).collect();
        self.skipped
            .retain(|s| !newer_ids.contains(&s.rule_id.as_str()));
        self.skipped.extend(newer.skipped);
    }
}

/// True when a run with `scope` is responsible for `result`.
pub fn in_scope(result: &CheckResult, scope: &CheckScope) -> bool {
    match scope {
        CheckScope::All => true,
        CheckScope::Village(code) => result.village.as_ref().is_some_and(|v| &v.code == code),
        CheckScope::Window(window) => result.bbox().is_some_and(|b| rects_intersect(&b, window)),
    }
}

/// Closed-box intersection (touching counts).
pub(crate) fn rects_intersect(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}
