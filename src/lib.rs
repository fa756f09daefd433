//! VillagePlan: the library behind the 村庄规划 desktop GIS.
//!
//! Data comes in once through [`io`], is transformed once into the project's working CRS
//! (CGCS2000 3° Gauss-Kruger, [`crs`]) and indexed once ([`index`]); every consumer — the
//! CLI, the GUI, the checks — reads the same [`Project`]. Areas are m² internally and shown
//! in 公顷 and 亩 ([`units`]).
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
// Unsafe GDAL calls live in `io::ogr` only, each behind a safe function.
#![deny(unsafe_code)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod crs;
pub mod deliver;
pub mod edit;
mod error;
pub mod geometry;
pub mod index;
pub mod io;
pub mod landuse;
pub mod model;
mod progress;
pub mod render;
pub mod sample;
pub mod units;

pub use error::{Error, Result};

rust_i18n::i18n!("assets/locales", fallback = "zh-CN");
pub use model::{
    AttrValue, Feature, FieldDef, FieldKind, GeometryKind, Layer, LayerRole, LayerStyle, Project,
};
pub use progress::{Progress, Silent};
