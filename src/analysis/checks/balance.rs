//! Area balance (面积平衡): Σ area of the parcels a village claims (by 坐落单位代码) equals
//! the area of the village polygon.
//!
//! *Rule source*: docs/domain.md §5.4 — ±0.1 % (`tolerance_share`). *Area basis*: planar GK for
//! both sides, so the ellipsoidal TBMJ never enters the comparison.

use std::collections::BTreeMap;

use geo::Area;

use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::model::LayerRole;
use crate::units;

/// Villages whose parcels' total area differs from the village area by more than
/// `tolerance_share`.
pub(crate) fn area_balance(
    ctx: &Ctx,
    role: LayerRole,
    village_field: &str,
    tolerance_share: f64,
) -> RuleOutput {
    if let Some((zh, en)) = ctx.villages.unusable() {
        return RuleOutput::skip(zh, en);
    }
    let Some(villages) = ctx.villages.prepared.as_ref() else {
        let (zh, en) = missing_role(LayerRole::Village);
        return RuleOutput::skip(zh, en);
    };
    let layers: Vec<_> = ctx.layers(role).collect();
    let Some(first) = layers.first() else {
        let (zh, en) = missing_role(role);
        return RuleOutput::skip(zh, en);
    };
    let mut out = RuleOutput::default();
    let mut claimed: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for layer in &layers {
        let Some(col) = layer.field_index(village_field) else {
            out.skipped.push(missing_field(layer, village_field));
            continue;
        };
        for f in layer.features() {
            let (Some(g), Some(code)) = (&f.geometry, f.attributes[col].as_text()) else {
                continue;
            };
            let code: String = code.trim().chars().take(12).collect();
            let e = claimed.entry(code).or_default();
            e.0 += g.unsigned_area();
            e.1 += 1;
        }
    }
    for v in ctx.villages.in_window(ctx.window) {
        let (Some(village), Some(g)) = (
            ctx.villages.village(v),
            villages.layer.features()[v].geometry.as_ref(),
        ) else {
            continue;
        };
        let area = g.unsigned_area();
        let (sum, n) = claimed.get(&village.code).copied().unwrap_or_default();
        let diff = sum - area;
        if diff.abs() <= tolerance_share * area {
            continue;
        }
        let share = if area > 0.0 {
            diff / area * 100.0
        } else {
            100.0
        };
        let (code, name) = (&village.code, &village.name);
        let mut f = Finding::new(
            first,
            Vec::new(),
            format!(
                "{name}（{code}）{n} 个图斑面积之和 {} 与村域面积 {} 相差 {:+.2} 平方米（{:+.3}%，{:+.4} 亩）",
                units::format_area(sum),
                units::format_area(area),
                diff,
                share,
                units::mu(diff)
            ),
            format!(
                "{name} ({code}): Σ area of {n} parcels {:.2} m² vs village {:.2} m², difference {:+.2} m² ({:+.3} %)",
                sum, area, diff, share
            ),
        )
        .at(Some(g.clone()))
        .measuring(diff.abs())
        .detail(code.clone());
        f.village = Some(village.clone());
        out.findings.push(f);
    }
    out
}
