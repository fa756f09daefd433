//! A 示范区's geometry: whole townships and villages dissolved into one (multi)polygon,
//! a drawn polygon, or both — the 一区 of the seed plan is two whole towns and six villages
//! of a third.

use geo::{MultiPolygon, Polygon, unary_union};

use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::Project;
use crate::model::admin::AdminUnits;

/// The dissolved union (`geo` unary union) of the townships with the 9-digit codes
/// `townships`, the villages with the 12-digit codes `villages` and the `drawn` polygon.
/// A code that is not in its layer is an error naming the layer; nothing at all is one too.
pub fn zone_geometry(
    project: &Project,
    townships: &[&str],
    villages: &[&str],
    drawn: Option<&MultiPolygon<f64>>,
) -> Result<MultiPolygon<f64>> {
    let mut parts: Vec<Polygon<f64>> = Vec::new();
    if !townships.is_empty() {
        let units = AdminUnits::townships(project)?;
        add_units(&units, townships, "township (9 digits)", &mut parts)?;
    }
    if !villages.is_empty() {
        let units = AdminUnits::villages(project)?;
        add_units(&units, villages, "village (12 digits)", &mut parts)?;
    }
    if let Some(d) = drawn {
        parts.extend(d.0.iter().cloned());
    }
    if parts.is_empty() {
        return Err(Error::Invalid(
            "a 示范区 needs townships, villages or a drawn polygon".into(),
        ));
    }
    Ok(unary_union(&parts))
}

fn add_units(
    units: &AdminUnits,
    codes: &[&str],
    what: &str,
    parts: &mut Vec<Polygon<f64>>,
) -> Result<()> {
    for code in codes {
        let unit = units.by_code(code).ok_or_else(|| {
            Error::Invalid(format!(
                "layer '{}' has no {what} with code '{}'",
                units.layer.name,
                code.trim()
            ))
        })?;
        if let Some(g) = units.geometry(unit) {
            parts.extend(polygons_of(g));
        }
    }
    Ok(())
}
