//! The generated parcels with everything later stages read, in one place.

use geo::Coord;

use super::inputs::Inputs;
use super::landuse::LandUse;

/// All parcels of the sample and their assignments (parallel vectors, parcel order).
#[derive(Debug, Clone)]
pub struct World {
    /// The real inputs.
    pub inputs: Inputs,
    /// Parcel rings (counter-clockwise, not closed), bit-identical on shared edges.
    pub rings: Vec<Vec<Coord>>,
    /// A point inside each parcel.
    pub pos: Vec<Coord>,
    /// Planar area, m².
    pub area: Vec<f64>,
    /// Elevation, m.
    pub elevation: Vec<f64>,
    /// Slope, m/m.
    pub slope: Vec<f64>,
    /// Neighbours with shared boundary length.
    pub adjacency: Vec<Vec<(usize, f64)>>,
    /// Village of each parcel (position in `inputs.villages`).
    pub village_of: Vec<usize>,
    /// Land use of each parcel.
    pub land_use: Vec<LandUse>,
    /// Village centres (position in `inputs.villages`).
    pub village_centre: Vec<Coord>,
    /// Parcels whose seed was the settlement nucleus of a village, per village.
    pub nucleus: Vec<usize>,
    /// BSM of each parcel.
    pub bsm: Vec<String>,
}

impl World {
    /// Township of a parcel.
    pub fn township_of(&self, parcel: usize) -> usize {
        self.inputs.villages[self.village_of[parcel]].township
    }

    /// Parcels of a village, in parcel order.
    pub fn parcels_of_village(&self, village: usize) -> Vec<usize> {
        (0..self.rings.len())
            .filter(|&i| self.village_of[i] == village)
            .collect()
    }

    /// Rings of a set of parcels, for [`super::dissolve::dissolve`].
    pub fn rings_of<'a>(&'a self, parcels: &'a [usize]) -> impl Iterator<Item = &'a [Coord]> {
        parcels.iter().map(|&i| self.rings[i].as_slice())
    }

    /// True when `p` lies inside parcel `i` (even-odd rule on its ring).
    pub fn parcel_contains(&self, i: usize, p: Coord) -> bool {
        let ring = &self.rings[i];
        let mut inside = false;
        for (k, a) in ring.iter().enumerate() {
            let b = ring[(k + 1) % ring.len()];
            if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
                inside = !inside;
            }
        }
        inside
    }

    /// The parcel `p` lies in, if any (a linear scan: for a handful of look-ups).
    pub fn parcel_at(&self, p: Coord) -> Option<usize> {
        (0..self.rings.len()).find(|&i| self.parcel_contains(i, p))
    }

    /// Position of the first village whose name contains `fragment` in the township whose
    /// name starts with `township_prefix`.
    pub fn find_village(&self, township_prefix: &str, fragment: &str) -> Option<usize> {
        self.inputs.villages.iter().position(|v| {
            self.inputs.townships[v.township]
                .name
                .starts_with(township_prefix)
                && v.name.contains(fragment)
        })
    }
}
