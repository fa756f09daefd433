//! Geometry is checked before an edit is committed: an invalid result is refused with a
//! message and the place of the problem, and the user's sketch stays as it was.

use geo::{Coord, Geometry, Validation};

use crate::geometry::{Defect, defects, polygons_of};

/// Why an edit's geometry was refused, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidEdit {
    /// What is wrong (from `geo`'s validation).
    pub message: String,
    /// Where: a crossing point, or the first point of a degenerate ring, when it can be
    /// located.
    pub at: Option<Coord<f64>>,
}

impl std::fmt::Display for InvalidEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some(c) => write!(f, "{} (at {:.2}, {:.2})", self.message, c.x, c.y),
            None => write!(f, "{}", self.message),
        }
    }
}

/// Checks a geometry about to be committed. Edited geometries are small (one feature, a
/// sketch), so `geo`'s exact validation is affordable here; the location comes from the
/// same locator the checks use.
pub fn validate_geometry(geometry: &Geometry<f64>) -> Result<(), InvalidEdit> {
    let Err(error) = geometry.check_validation() else {
        return Ok(());
    };
    let at = defects(&polygons_of(geometry))
        .into_iter()
        .find_map(|d| match d {
            Defect::TooFewPoints(c) => Some(c),
            Defect::Intersections(points) | Defect::Overlapping(points) => points.first().copied(),
        });
    Err(InvalidEdit {
        message: error.to_string(),
        at,
    })
}
