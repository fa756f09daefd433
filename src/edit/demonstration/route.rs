//! A 示范线 routed through township seats: the polyline through the seats' points in the
//! order given — straight from seat to seat, *not* along the roads (there is no road
//! network to route on). Draw or pick the road's own line for a corridor that follows it.

use geo::{LineString, MultiLineString};

use crate::error::{Error, Result};
use crate::model::Project;
use crate::model::settlements::TownshipSeats;

/// The centre line through the seats named in `seats` (code, full or short name, see
/// [`TownshipSeats::find`]), in that order. Errors: the project has no seat layer, a name
/// is unknown or ambiguous, fewer than two seats are given, or a seat is named twice in a
/// row.
pub fn line_through_seats(project: &Project, seats: &[&str]) -> Result<MultiLineString<f64>> {
    if seats.len() < 2 {
        return Err(Error::Invalid(format!(
            "a line through seats needs at least 2 seats; got {}",
            seats.len()
        )));
    }
    let layer = TownshipSeats::read(project)?;
    let mut coords = Vec::with_capacity(seats.len());
    let mut previous: Option<i64> = None;
    for name in seats {
        let seat = layer.find(name)?;
        if previous == Some(seat.feature_id) {
            return Err(Error::Invalid(format!(
                "seat '{}' is named twice in a row: a corridor cannot go from a seat to itself",
                seat.label()
            )));
        }
        previous = Some(seat.feature_id);
        coords.push(seat.point);
    }
    Ok(MultiLineString(vec![LineString(coords)]))
}
