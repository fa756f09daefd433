//! The delivery database's attribute tables (docs/domain.md §9.2) from the standard planning
//! tables of each delivered village ([`crate::analysis::tables`], §6): 规划指标表 `GHZBB`
//! (§6.2), 空间功能结构调整表 `KJGNJGTZB` (§6.1) and 近期建设项目表 `JQJSXMJHB` (§6.5).
//!
//! §9.2 names the columns but not their types: codes and names are text, areas (公顷, as the
//! tables show them) and shares (%) doubles. The indicators' values stay text because one
//! column holds areas, counts, m²/人 and "—" for what cannot be measured. `KJGNJGTZB` has no
//! village column in §9.2, so a delivery of several villages holds their rows one village
//! after the other, in code order.

use crate::analysis::tables::PlanTables;
use crate::analysis::tables::rounding::AreaUnit;
use crate::io::{FieldType, TypedField, TypedRow, TypedTable};
use crate::model::{AttrValue, GeometryKind};

fn field(name: &str, alias: &str, field_type: FieldType) -> TypedField {
    TypedField {
        name: name.into(),
        alias: alias.into(),
        field_type,
    }
}

fn table(name: &str, alias: &str, fields: Vec<TypedField>) -> TypedTable {
    TypedTable {
        name: name.into(),
        alias: alias.into(),
        dataset: None,
        geometry: GeometryKind::None,
        fields,
        rows: Vec::new(),
    }
}

fn text(s: &str) -> AttrValue {
    if s.is_empty() {
        AttrValue::Null
    } else {
        AttrValue::text(s)
    }
}

fn row(values: Vec<AttrValue>) -> TypedRow {
    TypedRow {
        geometry: None,
        values,
    }
}

/// The three tables of `villages` (each village's [`PlanTables`], in code order).
pub fn attribute_tables(villages: &[PlanTables]) -> Vec<TypedTable> {
    use FieldType::{Double, Text};
    let unit = AreaUnit::Hectare;
    let mut ghzbb = table(
        "GHZBB",
        "规划指标表",
        vec![
            field("XZQDM", "行政区代码", Text(12)),
            field("XZQMC", "行政区名称", Text(60)),
            field("ZBMC", "指标名称", Text(100)),
            field("ZBSX", "指标属性", Text(20)),
            field("ZBDW", "指标单位", Text(20)),
            field("XZJQN", "现状基期年", Text(30)),
            field("GHMBN", "规划目标年", Text(30)),
        ],
    );
    let mut kjgnjgtzb = table(
        "KJGNJGTZB",
        "空间功能结构调整表",
        vec![
            field("YDLXBM", "用地类型编码", Text(60)),
            field("YDLXMC", "用地类型名称", Text(60)),
            field("JQXZNMJ", "基期现状年面积", Double),
            field("JQXZNBZ", "基期现状年比重", Double),
            field("GHMBNMJ", "规划目标年面积", Double),
            field("GHMBNBZ", "规划目标年比重", Double),
            field("GHQNMJZJ", "规划期内面积增减", Double),
        ],
    );
    let mut jqjsxmjhb = table(
        "JQJSXMJHB",
        "近期建设项目表",
        vec![
            field("XMLX", "项目类型", Text(60)),
            field("XMMC", "项目名称", Text(100)),
            field("YDMJ", "用地面积", Double),
            field("GDCS", "高度层数", Text(20)),
            field("FMGK", "风貌管控", Text(255)),
            field("JSNX", "建设年限", Text(20)),
            field("TZE", "投资额", Double),
            field("JYZJLY", "建议资金来源", Text(100)),
            field("BZ", "备注", Text(255)),
        ],
    );
    for tables in villages {
        let scope = &tables.scope;
        for line in &tables.indicators.lines {
            ghzbb.rows.push(row(vec![
                text(&scope.code),
                text(&scope.name),
                text(&line.name),
                text(&line.attribute),
                text(line.kind.unit_zh(unit)),
                text(&line.base.text(unit)),
                text(&line.target.text(unit)),
            ]));
        }
        for line in &tables.structure.lines {
            let real = |v: Option<f64>| v.map_or(AttrValue::Null, AttrValue::Real);
            let target = line.target.as_ref();
            kjgnjgtzb.rows.push(row(vec![
                text(&line.code),
                text(&line.display),
                real(Some(line.base.area.ha.value())),
                real(Some(line.base.share_percent.value())),
                real(target.map(|t| t.area.ha.value())),
                real(target.map(|t| t.share_percent.value())),
                real(line.change.as_ref().map(|c| c.ha.value())),
            ]));
        }
        for p in &tables.projects.lines {
            jqjsxmjhb.rows.push(row(vec![
                text(&p.kind),
                text(&p.name),
                p.land
                    .as_ref()
                    .map_or(AttrValue::Null, |a| AttrValue::Real(a.ha.value())),
                text(&p.floors),
                text(&p.style),
                text(&p.period),
                p.investment
                    .map_or(AttrValue::Null, |v| AttrValue::Real(v.value())),
                text(&p.funding),
                text(&p.note),
            ]));
        }
    }
    vec![ghzbb, kjgnjgtzb, jqjsxmjhb]
}
