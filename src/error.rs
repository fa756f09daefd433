//! The library's error type.
//!
//! Every variant names what a user needs to find the problem: the file, the layer and,
//! where there is one, the feature. Messages are shown verbatim by the CLI and the GUI,
//! so they are written for a planner, not for a developer.

use std::path::{Path, PathBuf};

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a file on disk and a [`crate::Project`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path does not exist or cannot be read at all.
    #[error("{path}: file not found or not readable")]
    NotFound { path: PathBuf },

    /// GDAL could not open the path as a vector source.
    #[error("{path}: not a readable vector data source ({detail})")]
    Unreadable { path: PathBuf, detail: String },

    /// The named layer is not in the source.
    #[error("{path}: no layer named '{layer}' (layers: {available})")]
    NoSuchLayer {
        path: PathBuf,
        layer: String,
        available: String,
    },

    /// The layer carries no coordinate reference system and the user gave none.
    #[error(
        "{path}, layer '{layer}': no coordinate reference system (.prj missing or empty); \
         say which CRS to assume, e.g. --assume-crs EPSG:4542"
    )]
    MissingCrs { path: PathBuf, layer: String },

    /// A CRS was found or given but PROJ cannot use it.
    #[error("{context}: unknown or unusable coordinate reference system: {detail}")]
    UnknownCrs { context: String, detail: String },

    /// Coordinates could not be transformed between two CRSs. The `crs` transforms
    /// return it without a source; a reader that knows the file, layer and feature adds
    /// them with [`Error::in_source`].
    #[error("{}cannot transform coordinates: {detail}", source_place(.path, .layer, .fid))]
    Transform {
        path: Option<PathBuf>,
        layer: Option<String>,
        fid: Option<i64>,
        detail: String,
    },

    /// Text attributes do not decode in the chosen encoding.
    #[error(
        "{path}, layer '{layer}', feature {fid}, field '{field}': text is not valid {encoding}; \
         choose the encoding explicitly (--encoding GBK|UTF-8|...)"
    )]
    Undecodable {
        path: PathBuf,
        layer: String,
        fid: i64,
        field: String,
        encoding: String,
    },

    /// A text encoding name the user gave is not known.
    #[error("unknown text encoding '{0}' (try GBK, UTF-8, Big5, ISO-8859-1)")]
    UnknownEncoding(String),

    /// A feature's geometry type cannot be represented.
    #[error("{path}, layer '{layer}', feature {fid}: unsupported geometry type {kind}")]
    UnsupportedGeometry {
        path: PathBuf,
        layer: String,
        fid: i64,
        kind: String,
    },

    /// A project file is missing VillagePlan's metadata or has a newer format.
    #[error("{path}: not a VillagePlan project: {detail}")]
    NotAProject { path: PathBuf, detail: String },

    /// A folder or archive given as a BagIt bag (the review package) is not one.
    #[error("{path}: not a readable BagIt bag: {detail}")]
    NotABag { path: PathBuf, detail: String },

    /// Writing a file failed; the previous version of the file is untouched.
    #[error("{path}: cannot write: {detail} (the previous file, if any, is unchanged)")]
    Write { path: PathBuf, detail: String },

    /// A save would replace the project's own file, which another window or program has
    /// saved or changed since the project was read; nothing was written.
    #[error(
        "{path}: the project was changed by another program or window since it was opened, \
         so nothing was saved and the file keeps the other changes. Save under another name, \
         or open the project again and redo your changes (for a command: run it again)"
    )]
    ChangedOnDisk { path: PathBuf },

    /// A bundled or user-supplied table (codes, rules) is malformed.
    #[error("{source_name}, line {line}: {detail}")]
    Table {
        source_name: String,
        line: usize,
        detail: String,
    },

    /// The project has no layer of a role an operation needs.
    #[error("project '{project}' has no {role} layer")]
    MissingLayer { project: String, role: String },

    /// A layer lacks a field an operation needs; `accepted` lists the names that would do.
    #[error("layer '{layer}' has no {field} field{}", accepted_names(.field, .accepted))]
    MissingField {
        layer: String,
        field: String,
        accepted: String,
    },

    /// No layer of the project has this id.
    #[error("no layer '{id}' in the project")]
    NoLayer { id: String },

    /// A layer has no feature at this position.
    #[error("layer '{layer}': no feature at {position}")]
    NoFeature { layer: String, position: usize },

    /// A layer has no field at this column.
    #[error("layer '{layer}': no field at column {column}")]
    NoColumn { layer: String, column: usize },

    /// A feature id is already used in the layer (ids are unique within a layer, so that a
    /// selection or a check result can name a feature by it).
    #[error("layer '{layer}': feature id {id} is already used")]
    DuplicateFeatureId { layer: String, id: i64 },

    /// An edit was refused because its geometry is invalid; `at` is where the problem is
    /// (a crossing, the first point of a degenerate ring) when it could be located.
    #[error(
        "layer '{layer}'{}: the geometry is invalid: {reason}{}",
        feature_place(.feature),
        at_place(.at)
    )]
    InvalidGeometry {
        layer: String,
        feature: Option<i64>,
        reason: String,
        at: Option<geo::Coord<f64>>,
    },

    /// A polygon cannot be clipped by a neighbour whose geometry is invalid (clipping would
    /// give a wrong result, skipping it would hide an overlap).
    #[error(
        "layer '{layer}': neighbour feature {feature} is invalid ({reason}{}); \
         fix it before drawing against it",
        at_place(.at)
    )]
    InvalidNeighbour {
        layer: String,
        feature: i64,
        reason: String,
        at: Option<geo::Coord<f64>>,
    },

    /// A geometric edit cannot be made as drawn (a split line that cuts nothing, a reshape
    /// line off the outline, a hole outside its feature): the sketch stays for another try.
    /// Geometry functions leave the place empty; [`Error::in_feature`] fills it.
    #[error("{}{reason}", edit_place(.layer, .feature))]
    Refused {
        layer: Option<String>,
        feature: Option<i64>,
        reason: String,
    },

    /// GEOS (through GDAL) failed on an overlay or conversion.
    #[error("{}GEOS could not {operation}{}", edit_place(.layer, .feature), detail_place(.detail))]
    Geos {
        layer: Option<String>,
        feature: Option<i64>,
        operation: String,
        detail: String,
    },

    /// No village of the layer has this code.
    #[error("layer '{layer}': no village with code {code}")]
    NoVillage { layer: String, code: String },

    /// No village of the layer lies in this township (no village code starts with it).
    #[error(
        "layer '{layer}': no village lies in township {code} (a township code has 9 digits, the first 9 of its villages' codes)"
    )]
    NoTownship { layer: String, code: String },

    /// A village has no parcels in a land-use layer, so its tables would be empty.
    #[error("layer '{layer}' has no parcels in village {village}: its tables would be empty")]
    NoParcels { layer: String, village: String },

    /// A feature's attribute cannot be used (a missing or unknown code); `detail` says
    /// what is wrong with the value of `field`.
    #[error("layer '{layer}', feature {feature}: {detail}")]
    BadAttribute {
        layer: String,
        feature: i64,
        field: String,
        detail: String,
    },

    /// An attribute or table cell is not the kind of value its column holds.
    #[error("'{text}' is not {expected}")]
    NotAValue { text: String, expected: String },

    /// A classification rule's condition cannot be read.
    #[error("condition '{condition}': {detail}")]
    Condition { condition: String, detail: String },

    /// A reason template names something that is not an indicator.
    #[error("reason '{template}': {detail}")]
    Template { template: String, detail: String },

    /// A problem inside a rule of a rule file: where, and the problem itself.
    #[error("{source_name}: {context}: {source}")]
    InRule {
        source_name: String,
        context: String,
        #[source]
        source: Box<Error>,
    },

    /// An argument or setting is out of range.
    #[error("{0}")]
    Invalid(String),

    /// An operating-system I/O error on a named path.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// A failed write of `path`, whose previous version is untouched.
    pub fn write(path: &Path, detail: impl Into<String>) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    /// The error with the file, layer and feature its coordinates came from, for errors
    /// raised before they were known ([`Error::Transform`]); others are returned as they are.
    pub fn in_source(self, path: &Path, layer: Option<&str>, fid: Option<i64>) -> Self {
        match self {
            Error::Transform {
                path: None, detail, ..
            } => Error::Transform {
                path: Some(path.to_path_buf()),
                layer: layer.map(str::to_string),
                fid,
                detail,
            },
            other => other,
        }
    }

    /// The error with the layer and feature it concerns, for errors of geometry functions
    /// that do not know them ([`Error::Refused`], [`Error::Geos`]); others are returned as
    /// they are.
    pub fn in_feature(self, layer: &str, feature: i64) -> Self {
        let place = |l: Option<String>, f: Option<i64>| {
            (l.or_else(|| Some(layer.to_string())), f.or(Some(feature)))
        };
        match self {
            Error::Refused {
                layer: l,
                feature: f,
                reason,
            } => {
                let (layer, feature) = place(l, f);
                Error::Refused {
                    layer,
                    feature,
                    reason,
                }
            }
            Error::Geos {
                layer: l,
                feature: f,
                operation,
                detail,
            } => {
                let (layer, feature) = place(l, f);
                Error::Geos {
                    layer,
                    feature,
                    operation,
                    detail,
                }
            }
            Error::Transform {
                path,
                layer: l,
                fid,
                detail,
            } => {
                let (layer, fid) = place(l, fid);
                Error::Transform {
                    path,
                    layer,
                    fid,
                    detail,
                }
            }
            other => other,
        }
    }

    /// A refusal with no place yet (see [`Error::in_feature`]).
    pub fn refused(reason: impl Into<String>) -> Self {
        Error::Refused {
            layer: None,
            feature: None,
            reason: reason.into(),
        }
    }

    /// A GEOS failure with no place yet (see [`Error::in_feature`]).
    pub fn geos(operation: impl Into<String>, detail: impl std::fmt::Display) -> Self {
        Error::Geos {
            layer: None,
            feature: None,
            operation: operation.into(),
            detail: detail.to_string(),
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `path, layer 'L', feature F: ` with the parts that are known.
fn source_place(path: &Option<PathBuf>, layer: &Option<String>, fid: &Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some(p) = path {
        parts.push(p.display().to_string());
    }
    if let Some(l) = layer {
        parts.push(format!("layer '{l}'"));
    }
    if let Some(f) = fid {
        parts.push(format!("feature {f}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}: ", parts.join(", "))
    }
}

/// `layer 'L', feature F: `, `layer 'L': ` or nothing.
fn edit_place(layer: &Option<String>, feature: &Option<i64>) -> String {
    match (layer, feature) {
        (Some(l), Some(f)) => format!("layer '{l}', feature {f}: "),
        (Some(l), None) => format!("layer '{l}': "),
        (None, Some(f)) => format!("feature {f}: "),
        (None, None) => String::new(),
    }
}

fn feature_place(feature: &Option<i64>) -> String {
    feature
        .map(|f| format!(", feature {f}"))
        .unwrap_or_default()
}

fn at_place(at: &Option<geo::Coord<f64>>) -> String {
    at.map(|c| format!(" (at {:.2}, {:.2})", c.x, c.y))
        .unwrap_or_default()
}

fn detail_place(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

/// `; accepted names: A, B` unless the field has only its own name.
fn accepted_names(field: &str, accepted: &str) -> String {
    if accepted.is_empty() || accepted == field {
        String::new()
    } else {
        format!(" (accepted names: {accepted})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_is_known() {
        let refused = Error::refused("the line changes nothing");
        assert_eq!(refused.to_string(), "the line changes nothing");
        assert_eq!(
            refused.in_feature("三生空间", 7).to_string(),
            "layer '三生空间', feature 7: the line changes nothing"
        );
        let transform = Error::Transform {
            path: None,
            layer: None,
            fid: None,
            detail: "outside the domain".into(),
        };
        assert_eq!(
            transform
                .in_source(Path::new("a.shp"), Some("a"), None)
                .to_string(),
            "a.shp, layer 'a': cannot transform coordinates: outside the domain"
        );
        let invalid = Error::InvalidGeometry {
            layer: "yjjbnt".into(),
            feature: Some(3),
            reason: "self-intersection".into(),
            at: Some(geo::coord! { x: 1.0, y: 2.0 }),
        };
        assert_eq!(
            invalid.to_string(),
            "layer 'yjjbnt', feature 3: the geometry is invalid: self-intersection (at 1.00, 2.00)"
        );
        let missing = Error::MissingField {
            layer: "村".into(),
            field: "village code".into(),
            accepted: "XZQDM, CUNDM".into(),
        };
        assert_eq!(
            missing.to_string(),
            "layer '村' has no village code field (accepted names: XZQDM, CUNDM)"
        );
    }
}
