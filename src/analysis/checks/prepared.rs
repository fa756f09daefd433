//! A large polygon (village, red line, farmland zone) prepared for many small queries.
//!
//! Villages and control-line zones have thousands of vertices; parcels have tens. Handing
//! every parcel/zone pair to a general overlay costs O(zone size) each time. Instead the
//! zone is cut once into a quadtree of tiles (Sutherland–Hodgman clipping, O(m log m)):
//! tiles entirely inside or outside the zone answer at once, and only tiles its boundary
//! crosses keep the clipped rings (at most [`LEAF_VERTICES`] vertices each). A query then
//! touches a few small tiles.
//!
//! *Validity*: holes and parts are combined with the even-odd rule, as GEOS and i_overlay do
//! for valid input. *Tolerance*: none here; callers compare the measured area with their
//! rule's tolerance.

use geo::{
    Area, BooleanOps, BoundingRect, Coord, Geometry, LineString, MultiPolygon, Polygon, Rect,
};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::geometry::polygons_of;

/// Tiles the boundary crosses are split until they hold at most this many vertices.
const LEAF_VERTICES: usize = 64;
/// Deepest split (a safety net for pathological, e.g. duplicated-vertex, rings).
const MAX_DEPTH: u32 = 24;

/// A tile of the quadtree.
#[derive(Debug, Clone)]
enum Tile {
    /// Entirely inside the zone.
    Full,
    /// Entirely outside.
    Empty,
    /// The boundary crosses: the zone's rings clipped to the tile, and the clipped edges that
    /// are the zone's own boundary (not the tile's sides), with their bounding boxes.
    Partial {
        rings: Vec<Vec<Coord>>,
        edges: Vec<(Coord, Coord)>,
    },
}

/// A polygonal geometry cut into tiles for fast point and overlay queries.
#[derive(Debug, Clone)]
pub struct PreparedArea {
    tiles: Vec<(Rect<f64>, Tile)>,
    index: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    bbox: Rect<f64>,
    area: f64,
}

/// How a query polygon's bounding box relates to the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// All of the box is inside the zone.
    Inside,
    /// No part of the box is inside the zone.
    Outside,
    /// The box holds some of the zone and some of what is outside it.
    Crossing,
}

impl PreparedArea {
    /// Prepares the polygonal parts of `geometry`; `None` when it has none.
    pub fn new(geometry: &Geometry<f64>) -> Option<PreparedArea> {
        Self::with_tile_side(geometry, f64::INFINITY)
    }

    /// The same with tiles the boundary crosses split until their longer side is at most
    /// `max_side` (m) as well: for a long thin zone (a corridor), whose few vertices would
    /// otherwise leave tiles much larger than the zone is wide, so that
    /// [`PreparedArea::occupied_tiles`] covers it tightly.
    pub fn with_tile_side(geometry: &Geometry<f64>, max_side: f64) -> Option<PreparedArea> {
        let polygons = polygons_of(geometry);
        let mut rings: Vec<Vec<Coord>> = Vec::new();
        for p in &polygons {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let mut pts: Vec<Coord> = ring.0.clone();
                if pts.len() > 1 && pts.first() == pts.last() {
                    pts.pop();
                }
                if pts.len() >= 3 {
                    rings.push(pts);
                }
            }
        }
        let bbox = MultiPolygon(polygons.clone()).bounding_rect()?;
        let area = MultiPolygon(polygons).unsigned_area();
        let mut tiles = Vec::new();
        split(bbox, rings, 0, max_side, &mut tiles);
        let index = RTree::bulk_load(
            tiles
                .iter()
                .enumerate()
                .map(|(i, (r, _))| {
                    GeomWithData::new(Rectangle::from_corners(r.min().into(), r.max().into()), i)
                })
                .collect(),
        );
        Some(PreparedArea {
            tiles,
            index,
            bbox,
            area,
        })
    }

    /// The bounding box of the zone.
    pub fn bbox(&self) -> Rect<f64> {
        self.bbox
    }

    /// The zone's area in m².
    pub fn area(&self) -> f64 {
        self.area
    }

    /// The tiles the zone reaches into (inside or crossed by its boundary): together they
    /// cover the zone much more tightly than its bounding box does — a diagonal corridor's
    /// box is mostly empty — so a query of a layer's index tile by tile finds only the
    /// features near the zone.
    pub fn occupied_tiles(&self) -> impl Iterator<Item = Rect<f64>> + '_ {
        self.tiles
            .iter()
            .filter(|(_, tile)| !matches!(tile, Tile::Empty))
            .map(|(r, _)| *r)
    }

    fn tiles_in(&self, r: Rect<f64>) -> impl Iterator<Item = &(Rect<f64>, Tile)> {
        self.index
            .locate_in_envelope_intersecting(&AABB::from_corners(r.min().into(), r.max().into()))
            .map(|e| &self.tiles[e.data])
    }

    /// True when `c` is inside the zone (points on the boundary may go either way).
    pub fn contains(&self, c: Coord) -> bool {
        let point = Rect::new(c, c);
        let Some((_, tile)) = self.tiles_in(point).next() else {
            return false;
        };
        match tile {
            Tile::Full => true,
            Tile::Empty => false,
            Tile::Partial { rings, .. } => even_odd_inside(rings, c),
        }
    }

    /// True when no part of the box `r` is inside the zone, so nothing within it can
    /// share area with the zone (exact: decided by the tiles and the zone's own edges).
    pub fn misses(&self, r: Rect<f64>) -> bool {
        matches!(self.relation(r), Relation::Outside)
    }

    /// Where the box `r` lies: wholly inside the zone, wholly outside, or across its
    /// boundary (exact, as [`PreparedArea::misses`]).
    pub fn relation(&self, r: Rect<f64>) -> Relation {
        let within = r.min().x >= self.bbox.min().x
            && r.min().y >= self.bbox.min().y
            && r.max().x <= self.bbox.max().x
            && r.max().y <= self.bbox.max().y;
        let (mut inside, mut outside) = (false, !within);
        for (tile_rect, tile) in self.tiles_in(r) {
            match tile {
                Tile::Full => inside = true,
                Tile::Empty => outside = true,
                Tile::Partial { rings, edges } => {
                    if edges.iter().any(|&(a, b)| segment_box_hit(a, b, r)) {
                        return Relation::Crossing;
                    }
                    // No zone edge in the box: the part of the box in this tile is on one
                    // side; its centre decides which.
                    let part = clip_rect(r, *tile_rect);
                    if even_odd_inside(rings, part.center()) {
                        inside = true;
                    } else {
                        outside = true;
                    }
                }
            }
            if inside && outside {
                return Relation::Crossing;
            }
        }
        match (inside, outside) {
            (true, false) => Relation::Inside,
            (false, _) => Relation::Outside,
            _ => Relation::Crossing,
        }
    }

    /// The part of `subject` inside the zone; `None` when they share no area.
    pub fn intersection(&self, subject: &MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
        let r = subject.bounding_rect()?;
        match self.relation(r) {
            Relation::Inside => Some(subject.clone()),
            Relation::Outside => None,
            Relation::Crossing => {
                let clip = self.clip_pieces(r);
                let out = subject.intersection(&clip);
                (!out.0.is_empty()).then_some(out)
            }
        }
    }

    /// Area of `subject` inside the zone.
    pub fn intersection_area(&self, subject: &MultiPolygon<f64>) -> f64 {
        self.intersection(subject)
            .map_or(0.0, |m| m.unsigned_area())
    }

    /// The part of `subject` outside the zone; `None` when nothing is outside.
    pub fn difference(&self, subject: &MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
        let r = subject.bounding_rect()?;
        match self.relation(r) {
            Relation::Inside => None,
            Relation::Outside => Some(subject.clone()),
            Relation::Crossing => {
                let out = subject.difference(&self.clip_pieces(r));
                (!out.0.is_empty()).then_some(out)
            }
        }
    }

    /// The zone restricted to the tiles meeting `r`, as even-odd rings.
    fn clip_pieces(&self, r: Rect<f64>) -> MultiPolygon<f64> {
        let mut out = Vec::new();
        for (tile_rect, tile) in self.tiles_in(r) {
            match tile {
                Tile::Full => out.push(tile_rect.to_polygon()),
                Tile::Empty => {}
                Tile::Partial { rings, .. } => {
                    out.extend(
                        rings
                            .iter()
                            .map(|ring| Polygon::new(LineString::from(ring.clone()), Vec::new())),
                    );
                }
            }
        }
        MultiPolygon(out)
    }
}

fn clip_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.max(b.min().x),
            y: a.min().y.max(b.min().y),
        },
        Coord {
            x: a.max().x.min(b.max().x),
            y: a.max().y.min(b.max().y),
        },
    )
}

fn signed_area(ring: &[Coord]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum::<f64>()
        / 2.0
}

fn ring_contains(ring: &[Coord], c: Coord) -> bool {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a.y > c.y) != (b.y > c.y) {
            let x = a.x + (c.y - a.y) / (b.y - a.y) * (b.x - a.x);
            if x > c.x {
                inside = !inside;
            }
        }
    }
    inside
}

fn even_odd_inside(rings: &[Vec<Coord>], c: Coord) -> bool {
    rings.iter().filter(|r| ring_contains(r, c)).count() % 2 == 1
}

/// True when segment a–b meets the closed box `r` (bounding-box test: conservative, a
/// false "yes" only costs an exact overlay).
fn segment_box_hit(a: Coord, b: Coord, r: Rect<f64>) -> bool {
    a.x.min(b.x) <= r.max().x
        && a.x.max(b.x) >= r.min().x
        && a.y.min(b.y) <= r.max().y
        && a.y.max(b.y) >= r.min().y
}

/// Sutherland–Hodgman clip of a ring against one side of a box.
fn clip_side(
    ring: &[Coord],
    inside: impl Fn(Coord) -> bool,
    cut: impl Fn(Coord, Coord) -> Coord,
) -> Vec<Coord> {
    let n = ring.len();
    let mut out = Vec::with_capacity(n + 4);
    for i in 0..n {
        let (cur, next) = (ring[i], ring[(i + 1) % n]);
        match (inside(cur), inside(next)) {
            (true, true) => out.push(next),
            (true, false) => out.push(cut(cur, next)),
            (false, true) => {
                out.push(cut(cur, next));
                out.push(next);
            }
            (false, false) => {}
        }
    }
    out
}

/// The ring clipped to the box (area-exact; may contain zero-width runs along the sides).
fn clip_ring(ring: &[Coord], r: Rect<f64>) -> Vec<Coord> {
    let (x0, y0, x1, y1) = (r.min().x, r.min().y, r.max().x, r.max().y);
    // The cut point is computed from the segment in ring order, so two tiles sharing a side
    // compute bit-identical points and their pieces fit together exactly.
    let at_x = |x: f64| {
        move |a: Coord, b: Coord| Coord {
            x,
            y: a.y + (x - a.x) * (b.y - a.y) / (b.x - a.x),
        }
    };
    let at_y = |y: f64| {
        move |a: Coord, b: Coord| Coord {
            x: a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y),
            y,
        }
    };
    let ring = clip_side(ring, |c| c.x >= x0, at_x(x0));
    let ring = clip_side(&ring, |c| c.x <= x1, at_x(x1));
    let ring = clip_side(&ring, |c| c.y >= y0, at_y(y0));
    clip_side(&ring, |c| c.y <= y1, at_y(y1))
}

fn ring_bbox_hits(ring: &[Coord], r: Rect<f64>) -> bool {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for c in ring {
        x0 = x0.min(c.x);
        y0 = y0.min(c.y);
        x1 = x1.max(c.x);
        y1 = y1.max(c.y);
    }
    x0 <= r.max().x && x1 >= r.min().x && y0 <= r.max().y && y1 >= r.min().y
}

/// The clipped edges that belong to the zone's boundary, not to the tile's sides.
fn boundary_edges(rings: &[Vec<Coord>], r: Rect<f64>) -> Vec<(Coord, Coord)> {
    let on_side = |a: Coord, b: Coord| {
        (a.x == r.min().x && b.x == r.min().x)
            || (a.x == r.max().x && b.x == r.max().x)
            || (a.y == r.min().y && b.y == r.min().y)
            || (a.y == r.max().y && b.y == r.max().y)
    };
    let mut out = Vec::new();
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if a != b && !on_side(a, b) {
                out.push((a, b));
            }
        }
    }
    out
}

fn split(
    r: Rect<f64>,
    rings: Vec<Vec<Coord>>,
    depth: u32,
    max_side: f64,
    out: &mut Vec<(Rect<f64>, Tile)>,
) {
    let tile_area = r.width() * r.height();
    let edges = boundary_edges(&rings, r);
    if edges.is_empty() {
        // No zone edge inside: every clipped ring that is left runs round the whole tile
        // (the rest are zero-width runs along its sides), so the tile is in the zone when an
        // odd number of rings surround it (even-odd rule: a shell, or a shell with a part
        // inside one of its holes).
        let surrounding = rings
            .iter()
            .filter(|ring| signed_area(ring).abs() > 0.5 * tile_area)
            .count();
        let full = surrounding % 2 == 1;
        out.push((r, if full { Tile::Full } else { Tile::Empty }));
        return;
    }
    let vertices: usize = rings.iter().map(Vec::len).sum();
    let small = r.width().max(r.height()) <= max_side;
    if (vertices <= LEAF_VERTICES && small) || depth >= MAX_DEPTH || tile_area <= 0.0 {
        out.push((r, Tile::Partial { rings, edges }));
        return;
    }
    let c = r.center();
    let quadrants = [
        Rect::new(r.min(), c),
        Rect::new(
            Coord {
                x: c.x,
                y: r.min().y,
            },
            Coord {
                x: r.max().x,
                y: c.y,
            },
        ),
        Rect::new(
            Coord {
                x: r.min().x,
                y: c.y,
            },
            Coord {
                x: c.x,
                y: r.max().y,
            },
        ),
        Rect::new(c, r.max()),
    ];
    for q in quadrants {
        let clipped: Vec<Vec<Coord>> = rings
            .iter()
            .filter(|ring| ring_bbox_hits(ring, q))
            .map(|ring| clip_ring(ring, q))
            .filter(|ring| ring.len() >= 3 && signed_area(ring) != 0.0)
            .collect();
        split(q, clipped, depth + 1, max_side, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    fn donut() -> PreparedArea {
        // A 100 × 100 square with a 20 × 20 hole and a jagged edge (many vertices).
        let mut outer: Vec<Coord> = (0..=200)
            .map(|i| Coord {
                x: i as f64 * 0.5,
                y: if i % 2 == 0 { 0.0 } else { -0.25 },
            })
            .collect();
        outer.extend([Coord { x: 100.0, y: 100.0 }, Coord { x: 0.0, y: 100.0 }]);
        let hole = wkt!(LINESTRING(40. 40.,40. 60.,60. 60.,60. 40.,40. 40.));
        let p = Polygon::new(LineString::from(outer), vec![hole]);
        PreparedArea::new(&Geometry::Polygon(p)).unwrap()
    }

    #[test]
    fn points_and_areas_match_the_polygon() {
        let zone = donut();
        let exact = 100.0 * 100.0 - 400.0 + 100.0 * 0.25 / 2.0;
        assert!((zone.area() - exact).abs() < 1e-6, "{}", zone.area());
        assert!(zone.tiles.len() > 4, "the jagged edge forces splits");
        assert!(zone.contains(Coord { x: 10.0, y: 10.0 }));
        assert!(!zone.contains(Coord { x: 50.0, y: 50.0 }), "in the hole");
        assert!(!zone.contains(Coord { x: 150.0, y: 50.0 }));

        let square = |x: f64, y: f64, s: f64| {
            MultiPolygon(vec![
                Rect::new(Coord { x, y }, Coord { x: x + s, y: y + s }).to_polygon(),
            ])
        };
        // Wholly inside, wholly in the hole, across the hole's edge, across the outer edge.
        assert_eq!(zone.intersection_area(&square(10.0, 10.0, 5.0)), 25.0);
        assert_eq!(zone.intersection_area(&square(45.0, 45.0, 5.0)), 0.0);
        assert!((zone.intersection_area(&square(35.0, 45.0, 10.0)) - 50.0).abs() < 1e-9);
        assert!((zone.intersection_area(&square(95.0, 90.0, 10.0)) - 50.0).abs() < 1e-9);
        let outside = zone.difference(&square(95.0, 90.0, 10.0)).unwrap();
        assert!((outside.unsigned_area() - 50.0).abs() < 1e-9);
        assert!(zone.difference(&square(10.0, 10.0, 5.0)).is_none());
    }

    /// A box misses the zone only when no part of it is inside: boxes in the hole or
    /// beyond the edge miss; one inside, across the edge or around the hole does not.
    #[test]
    fn a_box_misses_the_zone_only_when_wholly_outside() {
        let zone = donut();
        let rect = |x0: f64, y0: f64, x1: f64, y1: f64| {
            Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 })
        };
        assert!(zone.misses(rect(45.0, 45.0, 55.0, 55.0)), "in the hole");
        assert!(
            zone.misses(rect(120.0, 10.0, 130.0, 20.0)),
            "beyond the edge"
        );
        assert!(zone.misses(rect(-10.0, -10.0, -1.0, -1.0)));
        assert!(!zone.misses(rect(10.0, 10.0, 20.0, 20.0)), "inside");
        assert!(
            !zone.misses(rect(95.0, 50.0, 105.0, 60.0)),
            "across the edge"
        );
        assert!(
            !zone.misses(rect(35.0, 35.0, 65.0, 65.0)),
            "around the hole"
        );
        // A box that only touches the edge shares no area with the zone: either answer is
        // exact for what callers ask (areas), so it is not pinned down here.
    }

    #[test]
    fn small_tiles_cover_a_thin_diagonal_zone_tightly_and_measure_the_same() {
        // A 2 × 100 strip along the diagonal of its 72 × 72 box: four vertices, so one
        // tile without a side limit.
        let strip = Polygon::new(
            LineString::from(vec![(0.0, 1.4), (1.4, 0.0), (72.0, 70.6), (70.6, 72.0)]),
            vec![],
        );
        let g = Geometry::Polygon(strip.clone());
        let coarse = PreparedArea::new(&g).unwrap();
        let fine = PreparedArea::with_tile_side(&g, 5.0).unwrap();
        let covered = |z: &PreparedArea| {
            z.occupied_tiles()
                .map(|r| r.width() * r.height())
                .sum::<f64>()
        };
        assert_eq!(coarse.occupied_tiles().count(), 1);
        assert!(
            covered(&fine) < 0.2 * covered(&coarse),
            "{} vs {}",
            covered(&fine),
            covered(&coarse)
        );
        assert!(
            fine.occupied_tiles()
                .all(|r| r.width().max(r.height()) <= 5.0)
        );
        let square = MultiPolygon(vec![
            Rect::new(Coord { x: 30.0, y: 30.0 }, Coord { x: 40.0, y: 45.0 }).to_polygon(),
        ]);
        let exact = MultiPolygon(vec![strip])
            .intersection(&square)
            .unsigned_area();
        for z in [&coarse, &fine] {
            let area = z.intersection_area(&square);
            // i_overlay snaps to its own integer grid per call: equal to ~10⁻⁷.
            assert!((area - exact).abs() < 1e-6 * exact, "{area} vs {exact}");
        }
    }
}
