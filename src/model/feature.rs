//! A feature: geometry in the working CRS plus attribute values aligned with the layer's
//! fields.

use std::sync::Arc;

use geo::Geometry;
use serde::{Deserialize, Serialize};

/// The type of an attribute column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Whole number (OGR Integer / Integer64).
    Integer,
    /// Floating point (OGR Real).
    Real,
    /// Text, already decoded to UTF-8.
    Text,
    /// Date or date-time, kept as the ISO text GDAL gives.
    Date,
}

/// A column of a layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Column name as in the source (e.g. `DLBM`).
    pub name: String,
    /// Column type.
    pub kind: FieldKind,
}

impl FieldDef {
    /// Convenience constructor.
    pub fn new(name: impl Into<String>, kind: FieldKind) -> Self {
        FieldDef {
            name: name.into(),
            kind,
        }
    }
}

/// One attribute value, 16 bytes.
///
/// Text is shared: a survey repeats a few hundred codes and names over hundreds of
/// thousands of parcels, and the reader hands every repeat of a value the same allocation,
/// so a county's attributes cost a pointer per cell rather than a string each. The pointer
/// is a thin one (`Arc<String>`, not the two-word `Arc<str>`), which keeps a cell at 16
/// bytes: a 200 000-parcel survey of twelve columns holds 2.4 million cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// Missing / SQL NULL.
    Null,
    /// Whole number.
    Integer(i64),
    /// Floating point.
    Real(f64),
    /// Text (also dates, in ISO form).
    Text(Arc<String>),
}

impl AttrValue {
    /// A text value (not shared with any other).
    pub fn text(s: impl Into<String>) -> Self {
        AttrValue::Text(Arc::new(s.into()))
    }

    /// The value as text for display and matching; `None` for NULL.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            AttrValue::Null => None,
            AttrValue::Integer(i) => Some(i.to_string().into()),
            AttrValue::Real(r) => Some(r.to_string().into()),
            AttrValue::Text(s) => Some(s.as_str().into()),
        }
    }

    /// The value as a number when it is one (text that parses counts, since DBF
    /// files often store numbers as text).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Null => None,
            AttrValue::Integer(i) => Some(*i as f64),
            AttrValue::Real(r) => Some(*r),
            AttrValue::Text(s) => s.trim().parse().ok(),
        }
    }
}

/// A feature of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature id from the source (OGR FID), stable across save/load.
    pub id: i64,
    /// Geometry in the project's working CRS; `None` only in attribute-only tables.
    pub geometry: Option<Geometry<f64>>,
    /// One value per field of the layer, in field order.
    pub attributes: Vec<AttrValue>,
}
