//! `villageplan classify <project>`: the five village types with the rule and reason for
//! each village, as a table, CSV, JSON or GeoJSON; `--write` stores them in the project.

use std::path::Path;

use geojson::{JsonObject, JsonValue};
use villageplan::analysis::areas::{AreaBasis, AreaMeasure};
use villageplan::analysis::classify::{
    self, Classification, Indicator, RuleSet, VillageTable, VillageType, apply_classification,
    project_rules, set_project_rules,
};
use villageplan::analysis::review;
use villageplan::io::{self, GeoJsonVariant, OutFeature};
use villageplan::{LayerRole, Progress, Project};

use super::table::{Align, render};

/// Output formats of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Geojson,
}

/// What `classify` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    pub rules: Option<&'a Path>,
    pub table: Option<&'a Path>,
    pub format: Format,
    pub out: Option<&'a Path>,
    pub write: bool,
}

/// Classifies, optionally stores the result in the project, and formats it.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let mut project = io::load_project(request.project, progress)?;
    let rules = match request.rules {
        Some(path) => RuleSet::from_file(path)?,
        None => project_rules(&project)?,
    };
    let table = request.table.map(VillageTable::read).transpose()?;
    let result = classify::classify(&project, &rules, table.as_ref())?;
    if request.write {
        apply_classification(&mut project, &result)?;
        if request.rules.is_some() {
            set_project_rules(&mut project, &rules);
        }
        io::save_project(&project, request.project, progress)?;
    }
    for w in &result.warnings {
        eprintln!("villageplan: {w}");
    }
    let text = match request.format {
        Format::Table => table_text(&result),
        Format::Csv => csv_text(&result)?,
        Format::Json => serde_json::to_string_pretty(&result)? + "\n",
        Format::Geojson => return geojson(&project, &result, request.out),
    };
    match request.out {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            Ok(format!(
                "{} villages classified; written to {}\n",
                result.villages.len(),
                path.display()
            ))
        }
        None => Ok(text),
    }
}

fn override_text(v: &classify::VillageResult) -> String {
    v.override_
        .as_ref()
        .map(|o| format!("{}（{}）", o.village_type, o.reason))
        .unwrap_or_default()
}

fn table_text(result: &Classification) -> String {
    let mut out = String::new();
    if result.synthetic {
        out.push_str("注意：合成示例数据 (SYNTHETIC sample data, not a real survey)\n");
    }
    out.push_str(&format!("规则 Rules: {}\n\n", result.rules_source));
    let rows: Vec<Vec<String>> = result
        .villages
        .iter()
        .map(|v| {
            vec![
                v.code.clone(),
                v.name.clone(),
                v.township.clone(),
                v.final_type().to_string(),
                v.rule.clone().unwrap_or_else(|| "—".into()),
                v.reason_zh.clone(),
                override_text(v),
            ]
        })
        .collect();
    use Align::Left as L;
    out.push_str(&render(
        &[
            "村代码",
            "村名称",
            "乡镇",
            "类型",
            "规则",
            "理由",
            "规划师覆盖",
        ],
        &[L; 7],
        &rows,
    ));
    out.push('\n');
    let counts = result.counts();
    let counts: Vec<Vec<String>> = VillageType::ALL
        .iter()
        .map(|t| vec![t.to_string(), counts[t].to_string()])
        .collect();
    out.push_str(&render(&["类型", "村数"], &[L, Align::Right], &counts));
    let review = result.villages.iter().filter(|v| v.needs_review()).count();
    if review > 0 {
        out.push_str(&format!(
            "\n⚠ {review} 个村证据冲突，需规划师判定 (conflicts to review)\n"
        ));
    }
    if !result.orphan_overrides.is_empty() {
        out.push_str(&format!(
            "\n覆盖所指村代码不在村界图层中 (overrides for unknown villages): {}\n",
            result.orphan_overrides.join(", ")
        ));
    }
    out
}

fn csv_text(result: &Classification) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "村代码",
        "村名称",
        "乡镇",
        "类型",
        "规则计算类型",
        "决定规则",
        "理由",
        "reason_en",
        "覆盖类型",
        "覆盖理由",
        "冲突",
    ]
    .map(String::from)
    .to_vec();
    header.extend(Indicator::ALL.iter().map(|i| i.key().to_string()));
    w.write_record(&header)?;
    for v in &result.villages {
        let mut row = vec![
            v.code.clone(),
            v.name.clone(),
            v.township.clone(),
            v.final_type().to_string(),
            v.computed_type.to_string(),
            v.rule.clone().unwrap_or_default(),
            v.reason_zh.clone(),
            v.reason_en.clone(),
            v.override_
                .as_ref()
                .map(|o| o.village_type.to_string())
                .unwrap_or_default(),
            v.override_
                .as_ref()
                .map(|o| o.reason.clone())
                .unwrap_or_default(),
            v.conflicts
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ];
        row.extend(Indicator::ALL.iter().map(|i| {
            v.indicators
                .get(i)
                .map(|x| format!("{x}"))
                .unwrap_or_default()
        }));
        w.write_record(&row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The villages with their results as RFC 7946 GeoJSON (lon/lat): code, name, township,
/// type, rule, reason and the village's ellipsoidal area (m², 公顷, 亩).
fn geojson(
    project: &Project,
    result: &Classification,
    out: Option<&Path>,
) -> anyhow::Result<String> {
    let villages = project
        .layer_by_role(LayerRole::Village)
        .ok_or_else(|| anyhow::anyhow!("project has no village layer"))?;
    let basis = AreaBasis::Ellipsoidal;
    let areas = AreaMeasure::new(basis, project.crs).layer_areas(villages)?;
    let basis_text = basis.describe_zh(project.crs);
    let features = result.villages.iter().map(|v| {
        let mut properties = JsonObject::new();
        let mut put = |key: &str, value: JsonValue| {
            properties.insert(key.to_string(), value);
        };
        put("code", v.code.clone().into());
        put("name", v.name.clone().into());
        put("township", v.township.clone().into());
        put("type", v.final_type().name_zh().into());
        put("computed_type", v.computed_type.name_zh().into());
        put(
            "rule",
            v.rule.clone().map_or(JsonValue::Null, JsonValue::from),
        );
        put("reason_zh", v.reason_zh.clone().into());
        put("reason_en", v.reason_en.clone().into());
        put(
            "override_type",
            v.override_
                .as_ref()
                .map_or(JsonValue::Null, |o| o.village_type.name_zh().into()),
        );
        put(
            "override_reason",
            v.override_
                .as_ref()
                .map_or(JsonValue::Null, |o| o.reason.clone().into()),
        );
        put(
            "conflicts",
            v.conflicts
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(";")
                .into(),
        );
        if let Some(area) = areas.get(v.feature_index) {
            review::add_area(&mut properties, *area, &basis_text);
        }
        OutFeature {
            id: v.feature_id,
            geometry: villages
                .features()
                .get(v.feature_index)
                .and_then(|f| f.geometry.clone()),
            properties,
        }
    });
    let output =
        io::feature_collection("村庄分类", features, project.crs, GeoJsonVariant::Rfc7946)?;
    for line in &output.left_out {
        eprintln!("villageplan: {line}");
    }
    match out {
        Some(path) => {
            io::write_geojson(path, &output.collection)?;
            Ok(format!(
                "{} villages classified; written to {}\n",
                result.villages.len(),
                path.display()
            ))
        }
        None => Ok(serde_json::to_string(&output.collection)? + "\n"),
    }
}
