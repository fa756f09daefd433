//! Attributes (属性): mandatory fields present and filled, BSM unique, administrative codes
//! of the right form.
//!
//! *Rule source*: docs/domain.md §1 (field names of 三调 / 村级调查区) and §5.7.

use std::collections::BTreeMap;

use geo::{Geometry, GeometryCollection};

use super::{Ctx, Finding, RuleOutput, missing_role};
use crate::model::LayerRole;

/// Fields missing from a layer (one result per field) or empty in a feature (one result per
/// feature, naming the empty fields).
pub(crate) fn required(ctx: &Ctx, role: LayerRole, fields: &[String]) -> RuleOutput {
    let mut out = RuleOutput::default();
    if ctx.layers(role).next().is_none() {
        out.skipped.push(missing_role(role));
    }
    for layer in ctx.layers(role) {
        let mut present = Vec::new();
        for field in fields {
            match layer.field_index(field) {
                Some(col) => present.push((field.as_str(), col)),
                None => out.findings.push(
                    Finding::new(
                        layer,
                        Vec::new(),
                        format!("图层“{}”缺少必填字段 {field}", layer.name),
                        format!("layer '{}' lacks the mandatory field {field}", layer.name),
                    )
                    .detail(format!("field:{field}")),
                ),
            }
        }
        for i in ctx.candidates(layer) {
            let f = &layer.features()[i];
            let empty: Vec<&str> = present
                .iter()
                .filter(|(_, col)| {
                    f.attributes[*col]
                        .as_text()
                        .is_none_or(|t| t.trim().is_empty())
                })
                .map(|(name, _)| *name)
                .collect();
            if !empty.is_empty() {
                out.findings.push(
                    Finding::new(
                        layer,
                        vec![i],
                        format!(
                            "“{}”要素 {}：必填字段为空：{}",
                            layer.name,
                            f.id,
                            empty.join("、")
                        ),
                        format!(
                            "'{}' feature {}: mandatory fields empty: {}",
                            layer.name,
                            f.id,
                            empty.join(", ")
                        ),
                    )
                    .at(f.geometry.clone()),
                );
            }
        }
    }
    out
}

/// Values of `field` shared by several features (one result per value).
pub(crate) fn unique(ctx: &Ctx, role: LayerRole, field: &str) -> RuleOutput {
    let mut out = RuleOutput::default();
    if ctx.layers(role).next().is_none() {
        out.skipped.push(missing_role(role));
    }
    for layer in ctx.layers(role) {
        let Some(col) = layer.field_index(field) else {
            // The mandatory-fields rule reports a missing field.
            continue;
        };
        // The whole layer: a duplicate of an edited feature may be anywhere.
        let mut by_value: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, f) in layer.features().iter().enumerate() {
            if let Some(v) = f.attributes[col].as_text() {
                let v = v.trim();
                if !v.is_empty() {
                    by_value.entry(v.to_string()).or_default().push(i);
                }
            }
        }
        for (value, members) in by_value.into_iter().filter(|(_, m)| m.len() > 1) {
            let ids: Vec<String> = members
                .iter()
                .map(|&i| layer.features()[i].id.to_string())
                .collect();
            let parts: Vec<Geometry<f64>> = members
                .iter()
                .filter_map(|&i| layer.features()[i].geometry.clone())
                .collect();
            out.findings.push(
                Finding::new(
                    layer,
                    members.clone(),
                    format!(
                        "“{}”{field} = {value} 重复：要素 {}",
                        layer.name,
                        ids.join("、")
                    ),
                    format!(
                        "'{}': {field} = {value} is shared by features {}",
                        layer.name,
                        ids.join(", ")
                    ),
                )
                .at((!parts.is_empty())
                    .then_some(Geometry::GeometryCollection(GeometryCollection(parts))))
                .detail(format!("fid:{}", ids.join(","))),
            );
        }
    }
    out
}

/// Codes that are not `digits` digits (or, with `prefix`, do not start with them).
pub(crate) fn code_format(
    ctx: &Ctx,
    role: LayerRole,
    field: &str,
    digits: usize,
    prefix: bool,
) -> RuleOutput {
    let mut out = RuleOutput::default();
    if ctx.layers(role).next().is_none() {
        out.skipped.push(missing_role(role));
    }
    for layer in ctx.layers(role) {
        let Some(col) = layer.field_index(field) else {
            continue;
        };
        for i in ctx.candidates(layer) {
            let f = &layer.features()[i];
            let Some(v) = f.attributes[col].as_text() else {
                continue;
            };
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let head: String = v.chars().take(digits).collect();
            let ok = head.chars().count() == digits
                && head.chars().all(|c| c.is_ascii_digit())
                && (prefix || v.chars().count() == digits);
            if ok {
                continue;
            }
            let (want_zh, want_en) = if prefix {
                (
                    format!("前 {digits} 位应为数字"),
                    format!("must start with {digits} digits"),
                )
            } else {
                (
                    format!("应为 {digits} 位数字"),
                    format!("must be {digits} digits"),
                )
            };
            out.findings.push(
                Finding::new(
                    layer,
                    vec![i],
                    format!("“{}”要素 {}：{field} = {v} {want_zh}", layer.name, f.id),
                    format!("'{}' feature {}: {field} = {v} {want_en}", layer.name, f.id),
                )
                .at(f.geometry.clone()),
            );
        }
    }
    out
}
