//! The library's error type.
//!
//! Every variant names what a user needs to find the problem: the file, the layer and,
//! where there is one, the feature. Messages are shown verbatim by the CLI and the GUI,
//! so they are written for a planner, not for a developer.

use std::path::PathBuf;

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

    /// Coordinates could not be transformed between two CRSs.
    #[error("{path}, layer '{layer}', feature {fid}: cannot transform coordinates: {detail}")]
    Transform {
        path: PathBuf,
        layer: String,
        fid: i64,
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
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
