//! A 示范线 routed through township seats, in the order given: straight from seat to seat
//! ([`line_through_seats`]), or along the roads of the project's 道路中心线 layer
//! ([`line_along_roads`]: the shortest road path between consecutive seats, with a straight
//! access from each seat to the road vertex nearest it).

use geo::{Coord, LineString, MultiLineString};

use super::corridor::check_centre_line;
use super::road_network::RoadNetwork;
use crate::error::{Error, Result};
use crate::model::settlements::{TownshipSeat, TownshipSeats};
use crate::model::{LayerRole, Project};

/// A seat farther than this (m) from every road is refused by [`line_along_roads`]: the
/// straight access would be a line across country, not along a road.
pub const MAX_ACCESS_M: f64 = 1_000.0;

/// The seats named in `seats`, in order; the errors of both routings.
fn seats_in_order(project: &Project, seats: &[&str]) -> Result<Vec<TownshipSeat>> {
    if seats.len() < 2 {
        return Err(Error::Invalid(format!(
            "a line through seats needs at least 2 seats; got {}",
            seats.len()
        )));
    }
    let layer = TownshipSeats::read(project)?;
    let mut out: Vec<TownshipSeat> = Vec::with_capacity(seats.len());
    for name in seats {
        let seat = layer.find(name)?;
        if out.last().map(|s| s.feature_id) == Some(seat.feature_id) {
            return Err(Error::Invalid(format!(
                "seat '{}' is named twice in a row: a corridor cannot go from a seat to itself",
                seat.label()
            )));
        }
        out.push(seat.clone());
    }
    Ok(out)
}

/// The straight polyline through the seats named in `seats` (code, full or short name, see
/// [`TownshipSeats::find`]), in that order. Errors: the project has no seat layer, a name
/// is unknown or ambiguous, fewer than two seats are given, or a seat is named twice in a
/// row.
pub fn line_through_seats(project: &Project, seats: &[&str]) -> Result<MultiLineString<f64>> {
    let coords = seats_in_order(project, seats)?
        .iter()
        .map(|s| s.point)
        .collect();
    Ok(MultiLineString(vec![LineString(coords)]))
}

/// The line through the seats named in `seats`, in that order, along the roads: from each
/// seat to its nearest road vertex, then the shortest road path to the next seat's (the
/// first and the last seat are joined to the road straight; the others are passed at
/// their road vertex). Where the road to the next seat would cross the line so far or
/// leave a seat the way it came (a seat at the end of a spur road), the line is split there
/// into two parts that meet at the seat: the corridor reaches every seat, and no part
/// crosses or doubles back on itself. Besides
/// [`line_through_seats`]' errors: the project has no 道路中心线 layer, a seat is more than
/// [`MAX_ACCESS_M`] from every road, or no road joins two consecutive seats — each naming
/// the seats and the layer.
pub fn line_along_roads(project: &Project, seats: &[&str]) -> Result<MultiLineString<f64>> {
    let seats = seats_in_order(project, seats)?;
    let layer = project.layer_by_role(LayerRole::Road).ok_or_else(|| {
        Error::Invalid(format!(
            "project '{}' has no 道路中心线 (road centre line) layer to route along: import \
             one with --role road, or route straight from seat to seat",
            project.name
        ))
    })?;
    let network = RoadNetwork::from_layer(layer)?;
    let mut access = Vec::with_capacity(seats.len());
    for seat in &seats {
        let near = network
            .nearest(seat.point)
            .filter(|n| n.distance_m <= MAX_ACCESS_M)
            .ok_or_else(|| {
                let how_far = network.nearest(seat.point).map_or(String::new(), |n| {
                    format!(" (nearest {:.0} m)", n.distance_m)
                });
                Error::Invalid(format!(
                    "seat '{}' is more than {MAX_ACCESS_M:.0} m from every road of layer \
                     '{}'{how_far}: route straight from seat to seat, or draw the line",
                    seat.label(),
                    layer.name
                ))
            })?;
        access.push(near);
    }
    let mut parts: Vec<LineString<f64>> = Vec::new();
    let mut coords: Vec<Coord<f64>> = vec![seats[0].point];
    for (i, pair) in access.windows(2).enumerate() {
        let path = network
            .shortest_path(pair[0].node, pair[1].node)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "no road of layer '{}' joins '{}' and '{}': route straight from seat \
                     to seat, or draw the line",
                    layer.name,
                    seats[i].label(),
                    seats[i + 1].label()
                ))
            })?;
        // Where this leg would cross or double back on the part so far (a seat at the end
        // of a spur road, roads that cross), the part ends at the seat and the next starts
        // there: a corridor's parts may overlap, a part may not cross itself.
        let mut joined = coords.clone();
        joined.extend(path.iter().copied());
        joined.dedup();
        let crosses = check_centre_line(&MultiLineString(vec![LineString(joined)])).is_err();
        if crosses && coords.len() >= 2 {
            coords.push(seats[i].point);
            coords.dedup();
            parts.push(LineString(std::mem::replace(
                &mut coords,
                vec![seats[i].point],
            )));
        }
        coords.extend(path);
        coords.dedup();
    }
    coords.extend(seats.last().map(|s| s.point));
    coords.dedup();
    parts.push(LineString(coords));
    Ok(MultiLineString(parts))
}
