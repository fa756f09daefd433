//! 乡镇驻地: the township seats as a point layer, for routing a 示范线 through them and for
//! finding a township by its seat.
//!
//! The generator builds each township's first village (lowest code, `XZZD` = 1) around the
//! approximate seat, but the borders wander, so the approximate position can fall in a
//! neighbouring village. The point must agree with the village layer: a seat outside its
//! `XZZD` village is moved to the nearest parcel of that village (and listed, see
//! [`SeatLayer::moved`]).

use geo::{Coord, Geometry, Point};

use super::layers::{features, fields, text};
use super::world::World;
use crate::model::{FieldKind, Layer, LayerRole};

/// The layer and what had to be adjusted.
#[derive(Debug, Clone)]
pub struct SeatLayer {
    /// 乡镇驻地, one point per township in code order.
    pub layer: Layer,
    /// Townships (full names) whose approximate seat lay outside their seat village.
    pub moved: Vec<String>,
    /// The seat of each township (by index in the division table), where it has one.
    pub points: Vec<Option<Coord>>,
}

/// The seats: MC (full township name), XZDM (9-digit township code), XZQDM / XZQMC (the
/// village the seat lies in, the township's `XZZD` village).
pub fn seat_layer(world: &World) -> SeatLayer {
    use FieldKind::Text;
    let inputs = &world.inputs;
    let mut moved = Vec::new();
    let mut rows = Vec::new();
    let mut points = vec![None; inputs.townships.len()];
    for (t, town) in inputs.townships.iter().enumerate() {
        let Some(village) = inputs.villages.iter().position(|v| v.township == t) else {
            continue;
        };
        let at = town.seat_in_gk;
        let inside = world
            .parcel_at(at)
            .is_some_and(|i| world.village_of[i] == village);
        let point = if inside {
            at
        } else {
            moved.push(town.name.clone());
            nearest_parcel_point(world, village, at)
        };
        points[t] = Some(point);
        let rec = &inputs.villages[village];
        rows.push((
            Geometry::Point(Point(point)),
            vec![
                text(&town.name),
                text(&town.code),
                text(&rec.code),
                text(&rec.name),
            ],
        ));
    }
    let layer = Layer::new(
        "seats",
        "乡镇驻地（近似位置）",
        LayerRole::TownshipSeat,
        fields(&[
            ("MC", Text),
            ("XZDM", Text),
            ("XZQDM", Text),
            ("XZQMC", Text),
        ]),
        features(rows),
    );
    SeatLayer {
        layer,
        moved,
        points,
    }
}

/// The inner point of the village's parcel nearest to `at`.
fn nearest_parcel_point(world: &World, village: usize, at: Coord) -> Coord {
    let d = |i: usize| (world.pos[i] - at).x.hypot((world.pos[i] - at).y);
    world
        .parcels_of_village(village)
        .into_iter()
        .min_by(|&a, &b| d(a).total_cmp(&d(b)).then(a.cmp(&b)))
        .map_or(at, |i| world.pos[i])
}
