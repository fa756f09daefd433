//! Plain geometry that checks, classification and editing all need: the polygonal parts of
//! any geometry, and where an invalid polygon's rings cross or touch themselves.
//!
//! A leaf module: it knows `geo` and `rstar`, nothing of layers or projects, so any part of
//! the library can use it without pulling in another's concepts.

mod defects;
mod ellipsoid;
mod polygons;

pub use defects::{Defect, defects};
pub use ellipsoid::AuthalicSphere;
pub use polygons::{as_multipolygon, for_each_polygon, is_polygonal, polygons_of};
