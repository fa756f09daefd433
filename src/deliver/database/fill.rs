//! One delivered layer from one project layer: the features of the delivered villages, each
//! field filled as the structure file says (copied, padded, computed), every value checked
//! against its field's type and length — a value that does not fit is an error naming the
//! feature, never cut silently.

use std::collections::BTreeSet;

use geo::Validation;

use super::bsm::BsmNumbering;
use super::schema::{Compute, FieldSpec, LayerSpec, TypeCode};
use crate::analysis::areas::AreaMeasure;
use crate::analysis::tables::accounting::VillageLocator;
use crate::crs::Transformer;
use crate::error::{Error, Result};
use crate::io::{TypedField, TypedRow, TypedTable};
use crate::model::{AttrValue, Layer};

/// The fields a feature's village code is read from, most specific first.
const CODE_FIELDS: [&str; 4] = ["ZLDWDM", "CZDM", "XZQDM", "QSDWDM"];

/// How a layer was filled, for the report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filled {
    /// Delivered fields no project field fills (written empty).
    pub empty_fields: Vec<String>,
    /// Features whose `BSM` was given anew.
    pub renumbered: usize,
    /// Features written with a geometry that is not valid (one line each).
    pub invalid: Vec<String>,
}

/// What the filling needs besides the layer.
pub struct Context<'a> {
    pub villages: &'a BTreeSet<String>,
    pub locator: &'a VillageLocator<'a>,
    pub measure: AreaMeasure,
    /// To the delivery's CRS when it is not the working CRS.
    pub to_crs: Option<&'a Transformer>,
}

/// The delivered table's fields.
pub fn typed_fields(spec: &LayerSpec) -> Vec<TypedField> {
    spec.fields
        .iter()
        .map(|f| TypedField {
            name: f.name.clone(),
            alias: f.alias.clone(),
            field_type: f.field_type(),
        })
        .collect()
}

/// The delivered table of `spec`, with no rows yet.
pub fn empty_table(spec: &LayerSpec) -> TypedTable {
    TypedTable {
        name: spec.name.clone(),
        alias: spec.alias.clone(),
        dataset: Some(spec.dataset.clone()),
        geometry: spec.geometry.kind(),
        fields: typed_fields(spec),
        rows: Vec::new(),
    }
}

/// The rows of `spec` from `layer`'s features in the delivered villages.
pub fn fill_layer(spec: &LayerSpec, layer: &Layer, cx: &Context) -> Result<(TypedTable, Filled)> {
    let code_col = CODE_FIELDS.iter().find_map(|f| layer.field_index(f));
    let sources: Vec<Option<usize>> = spec
        .fields
        .iter()
        .map(|f| f.from.iter().find_map(|name| layer.field_index(name)))
        .collect();
    let mut filled = Filled {
        empty_fields: spec
            .fields
            .iter()
            .zip(&sources)
            .filter(|(f, s)| s.is_none() && f.compute.is_none())
            .map(|(f, _)| f.name.clone())
            .collect(),
        ..Filled::default()
    };
    let bsm_col = layer.field_index("BSM");
    let mut numbering = BsmNumbering::default();
    let mut picked = Vec::new();
    for (i, feature) in layer.features().iter().enumerate() {
        let code = code_col
            .and_then(|c| feature.attributes.get(c))
            .and_then(AttrValue::as_text);
        let place = cx
            .locator
            .village_of(code.as_deref(), feature.geometry.as_ref());
        let Some(village) = place.village().filter(|v| cx.villages.contains(*v)) else {
            continue;
        };
        let own = bsm_col
            .and_then(|c| feature.attributes.get(c))
            .and_then(AttrValue::as_text)
            .map(|t| t.trim().to_string());
        numbering.offer(village, own.as_deref());
        picked.push((i, village.to_string(), own));
    }
    let mut table = empty_table(spec);
    table.rows.reserve(picked.len());
    for (i, village, own) in picked {
        let feature = &layer.features()[i];
        let (bsm, renumbered) = numbering.assign(&village, own.as_deref());
        filled.renumbered += usize::from(renumbered);
        let mut values = Vec::with_capacity(spec.fields.len());
        for (field, source) in spec.fields.iter().zip(&sources) {
            let copied = source
                .and_then(|c| feature.attributes.get(c))
                .filter(|v| !matches!(v, AttrValue::Null));
            let value = match (field.compute, copied) {
                (Some(Compute::Bsm), _) => AttrValue::text(bsm.as_str()),
                (Some(Compute::Ysdm), _) => AttrValue::text(spec.ysdm.as_str()),
                (_, Some(v)) => v.clone(),
                (Some(Compute::Area), None) => match &feature.geometry {
                    Some(g) => AttrValue::Real((cx.measure.area(g)? * 100.0).round() / 100.0),
                    None => AttrValue::Null,
                },
                (None, None) => AttrValue::Null,
            };
            let typed = typed_value(field, value).map_err(|detail| Error::BadAttribute {
                layer: format!("{} → {}", layer.name, spec.name),
                feature: feature.id,
                field: field.name.clone(),
                detail,
            })?;
            values.push(typed);
        }
        let mut geometry = feature.geometry.clone();
        if geometry.as_ref().is_some_and(|g| !g.is_valid()) {
            filled.invalid.push(format!(
                "{} feature {}: geometry not valid",
                layer.name, feature.id
            ));
        }
        if let (Some(g), Some(t)) = (geometry.as_mut(), cx.to_crs) {
            t.transform_geometry(g)?;
        }
        table.rows.push(TypedRow { geometry, values });
    }
    Ok((table, filled))
}

/// `value` as the field stores it, or why it cannot be.
fn typed_value(field: &FieldSpec, value: AttrValue) -> std::result::Result<AttrValue, String> {
    if value == AttrValue::Null {
        return Ok(value);
    }
    match field.code {
        TypeCode::C => {
            let mut text = value.as_text().unwrap_or_default().trim().to_string();
            if let Some(width) = field.pad_to
                && text.len() < width
                && text.bytes().all(|b| b.is_ascii_digit())
            {
                text += &"0".repeat(width - text.len());
            }
            let max = field.length.unwrap_or(255) as usize;
            let chars = text.chars().count();
            if chars > max {
                return Err(format!(
                    "{} holds {chars} characters, the delivered field {max}: '{text}'",
                    field.name
                ));
            }
            Ok(AttrValue::text(text))
        }
        TypeCode::D | TypeCode::F => value
            .as_f64()
            .map(AttrValue::Real)
            .ok_or_else(|| format!("{} is not a number: {value:?}", field.name)),
        TypeCode::I16 => match value.as_f64().filter(|n| n.fract() == 0.0) {
            Some(n) if (f64::from(i16::MIN)..=f64::from(i16::MAX)).contains(&n) => {
                Ok(AttrValue::Integer(n as i64))
            }
            _ => Err(format!("{} is not a short integer: {value:?}", field.name)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::database::schema::DeliverySchema;

    fn field(layer: &str, name: &str) -> FieldSpec {
        let schema = DeliverySchema::bundled().unwrap();
        let l = schema.layers.iter().find(|l| l.name == layer).unwrap();
        l.fields.iter().find(|f| f.name == name).unwrap().clone()
    }

    #[test]
    fn a_village_code_is_padded_to_the_19_digit_zldwdm() {
        let f = field("CJDCQ", "ZLDWDM");
        let v = typed_value(&f, AttrValue::text("530921106201")).unwrap();
        assert_eq!(v, AttrValue::text("5309211062010000000"));
    }

    #[test]
    fn too_long_text_and_out_of_range_numbers_are_named_not_cut() {
        let f = field("JQDLTB", "JQDLBM");
        let err = typed_value(&f, AttrValue::text("0101010")).unwrap_err();
        assert!(
            err.contains("JQDLBM") && err.contains("7 characters"),
            "{err}"
        );
        let f = field("JQDLTB", "SJNF");
        assert_eq!(
            typed_value(&f, AttrValue::text("2023")).unwrap(),
            AttrValue::Integer(2023)
        );
        assert!(typed_value(&f, AttrValue::Integer(40000)).is_err());
    }
}
