//! The workbook read back through GDAL's XLSX driver equals the JSON.

use std::collections::BTreeMap;
use std::path::Path;

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::export::json_value;
use villageplan::analysis::tables::xlsx::write_workbook;
use villageplan::analysis::tables::{AreaUnit, Scope, TableKind};

use super::*;

/// Every cell of every sheet of a workbook, as GDAL's XLSX driver reads it (all text).
fn read_workbook(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    use gdal::vector::LayerAccess;
    let ds = gdal::Dataset::open_ex(
        path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR,
            allowed_drivers: Some(&["XLSX"]),
            open_options: Some(&["FIELD_TYPES=STRING", "HEADERS=DISABLE"]),
            ..Default::default()
        },
    )
    .unwrap();
    let mut out = BTreeMap::new();
    for mut layer in ds.layers() {
        let width = layer.defn().fields().count();
        let rows: Vec<Vec<String>> = layer
            .features()
            .map(|f| {
                (0..width)
                    .map(|i| f.field_as_string(i).ok().flatten().unwrap_or_default())
                    .collect()
            })
            .collect();
        out.insert(layer.name(), rows);
    }
    out
}

fn as_number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("'{cell}' is not a number"))
}

#[test]
fn the_workbook_read_back_through_gdal_equals_the_json() {
    let p = project();
    let t = tables(&p, AreaBasis::Ellipsoidal, Scope::Village(V1.into()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tables.xlsx");
    write_workbook(&t, None, AreaUnit::Hectare, &path).unwrap();
    let book = read_workbook(&path);
    let names: Vec<&str> = book.keys().map(String::as_str).collect();
    for kind in TableKind::ALL {
        assert!(names.contains(&kind.sheet_name()), "{names:?}");
    }
    assert!(names.contains(&"说明"));
    let json = json_value(&t, None).unwrap();

    let sheet = &book["空间功能结构调整表"];
    assert_eq!(sheet[0][0], "勐佑村空间功能结构调整表");
    assert_eq!(sheet[1][0], "单位：公顷、%");
    assert_eq!(sheet[2][0], "用地类型名称及编码");
    assert_eq!(
        (
            sheet[2][4].as_str(),
            sheet[2][6].as_str(),
            sheet[2][8].as_str()
        ),
        ("规划基期年", "规划目标年", "规划期内面积增减")
    );
    assert_eq!(
        (sheet[3][4].as_str(), sheet[3][5].as_str()),
        ("面积", "比重")
    );
    let lines = json["structure"]["lines"].as_array().unwrap();
    assert_eq!(sheet.len(), 4 + lines.len());
    for (i, line) in lines.iter().enumerate() {
        let row = &sheet[4 + i];
        let depth = line["label"].as_array().unwrap().len();
        let own = if line["kind"] == "subtotal" {
            "小计".to_string()
        } else {
            line["display"].as_str().unwrap().to_string()
        };
        assert_eq!(row[depth - 1], own, "row {i}");
        let cells = [
            (4, &line["base"]["area"]["ha"]),
            (5, &line["base"]["share_percent"]),
            (6, &line["target"]["area"]["ha"]),
            (7, &line["target"]["share_percent"]),
            (8, &line["change"]["ha"]),
        ];
        for (c, value) in cells {
            assert_eq!(
                as_number(&row[c]),
                value.as_f64().unwrap(),
                "row {i} col {c}"
            );
        }
    }
    // The nesting: 村域建设用地 heads its first row, its other rows leave the merged cell.
    let first = lines
        .iter()
        .position(|l| l["label"][0] == "村域建设用地")
        .unwrap();
    assert_eq!(sheet[4 + first][0], "村域建设用地");
    assert_eq!(sheet[4 + first + 1][0], "");
    assert_eq!(sheet[4 + first][2], "城镇用地");

    let current = &book["现状指标表"];
    assert_eq!(current[0][0], "勐佑村现状指标表");
    assert_eq!(
        as_number(&current[4][4]),
        json["structure"]["lines"][0]["base"]["area"]["ha"]
            .as_f64()
            .unwrap()
    );

    let control = &book["国土空间管控表"];
    for (i, line) in json["control"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            as_number(&control[3 + i][1]),
            line["area"]["ha"].as_f64().unwrap()
        );
        assert_eq!(
            as_number(&control[3 + i][2]),
            line["share_percent"].as_f64().unwrap()
        );
    }
    assert_eq!(control[3][0], "城镇空间（0400）");

    let survey = &book["土地利用现状分类面积汇总表"];
    let row = &json["survey"]["rows"][0];
    assert_eq!(survey[4][0], V1, "codes are text");
    assert_eq!(
        as_number(&survey[4][2]),
        row["total"]["ha"].as_f64().unwrap()
    );
    for (j, v) in row["values"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            as_number(&survey[4][3 + j]),
            v["ha"].as_f64().unwrap(),
            "column {j}"
        );
    }

    let indicators = &book["规划指标一览表"];
    assert_eq!(indicators[3][0], "一、村庄发展性指标");
    let per_capita = indicators
        .iter()
        .find(|r| r[1] == "人均村庄建设用地面积")
        .unwrap();
    let json_line = json["indicators"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "人均村庄建设用地面积")
        .unwrap();
    assert_eq!(
        as_number(&per_capita[4]),
        json_line["base"]["value"].as_f64().unwrap()
    );
    let coast = indicators
        .iter()
        .find(|r| r[1] == "大陆自然海岸线保有率")
        .unwrap();
    assert_eq!((coast[4].as_str(), coast[5].as_str()), ("—", "—"));

    let projects = &book["近期建设项目表"];
    assert_eq!(projects[3][2], "村综合服务中心");
    assert_eq!(
        as_number(&projects[3][3]),
        0.9999,
        "ellipsoidal 用地面积 from the polygon"
    );

    let notes = &book["说明"];
    let text: String = notes
        .iter()
        .map(|r| r.join("|"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("椭球面积（CGCS2000 椭球）"), "{text}");
    assert!(text.contains("扣除面积比例 KCMJ/TBMJ：1 个图斑"), "{text}");
    assert!(text.contains("VillagePlan "), "{text}");

    // 亩: the same tables.
    write_workbook(&t, Some(TableKind::Structure), AreaUnit::Mu, &path).unwrap();
    let book = read_workbook(&path);
    assert_eq!(
        book.keys().collect::<Vec<_>>(),
        ["空间功能结构调整表", "说明"]
    );
    let sheet = &book["空间功能结构调整表"];
    assert_eq!(sheet[1][0], "单位：亩、%");
    let total = lines.iter().position(|l| l["kind"] == "total").unwrap();
    assert_eq!(
        as_number(&sheet[4 + total][4]),
        json["structure"]["lines"][total]["base"]["area"]["mu"]
            .as_f64()
            .unwrap()
    );
}
