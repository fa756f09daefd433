//! The roads of a 道路中心线 layer as a network to route a 示范线 on: every vertex a node,
//! every segment an edge weighted by its length, and shortest paths by Dijkstra.
//!
//! *Joining*: lines that share an end vertex meet (vertices are matched on a 1 cm grid),
//! and a dangling end within [`JOIN_M`] of another line's vertex is joined to it, because
//! digitised road ends rarely land exactly on the road they meet. Lines that cross without
//! a shared vertex do not meet (a bridge over a road is no junction).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use geo::Coord;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::error::{Error, Result};
use crate::model::Layer;
use crate::model::demonstration::line_of;

/// A dangling road end this close (m) to another road's vertex meets that road.
pub const JOIN_M: f64 = 20.0;

/// Grid (m) on which two vertices are the same node.
const GRID_M: f64 = 0.01;

type Node = GeomWithData<[f64; 2], usize>;

/// The road network of one layer.
#[derive(Debug)]
pub struct RoadNetwork {
    /// Node positions (working CRS).
    points: Vec<Coord<f64>>,
    /// Per node: (neighbour, length in m).
    edges: Vec<Vec<(usize, f64)>>,
    tree: RTree<Node>,
}

/// A node and its distance from the point it was looked up for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearestNode {
    /// The node.
    pub node: usize,
    /// Its position.
    pub point: Coord<f64>,
    /// Distance (m).
    pub distance_m: f64,
}

fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

impl RoadNetwork {
    /// The network of the line features of `layer` (other geometries are skipped). An error
    /// when the layer has no line with two vertices.
    pub fn from_layer(layer: &Layer) -> Result<Self> {
        let mut points: Vec<Coord<f64>> = Vec::new();
        let mut edges: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut index: HashMap<(i64, i64), usize> = HashMap::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut node_of = |c: Coord<f64>, points: &mut Vec<Coord<f64>>, edges: &mut Vec<_>| {
            let key = ((c.x / GRID_M).round() as i64, (c.y / GRID_M).round() as i64);
            *index.entry(key).or_insert_with(|| {
                points.push(c);
                edges.push(Vec::new());
                points.len() - 1
            })
        };
        for feature in layer.features() {
            let Some(lines) = feature.geometry.as_ref().and_then(line_of) else {
                continue;
            };
            for line in lines.0 {
                let finite: Vec<Coord<f64>> = line
                    .0
                    .into_iter()
                    .filter(|c| c.x.is_finite() && c.y.is_finite())
                    .collect();
                let nodes: Vec<usize> = finite
                    .iter()
                    .map(|&c| node_of(c, &mut points, &mut edges))
                    .collect();
                for w in nodes.windows(2) {
                    if w[0] != w[1] {
                        let d = distance(points[w[0]], points[w[1]]);
                        edges[w[0]].push((w[1], d));
                        edges[w[1]].push((w[0], d));
                    }
                }
                if let (Some(&first), Some(&last)) = (nodes.first(), nodes.last()) {
                    ends.extend([first, last]);
                }
            }
        }
        if edges.iter().all(Vec::is_empty) {
            return Err(Error::Invalid(format!(
                "layer '{}' has no road line with two vertices to route on",
                layer.name
            )));
        }
        let tree = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(i, c)| Node::new([c.x, c.y], i))
                .collect(),
        );
        let mut network = RoadNetwork {
            points,
            edges,
            tree,
        };
        network.join_dangling_ends(&ends);
        Ok(network)
    }

    /// Joins each end with a single edge to the nearest node within [`JOIN_M`] that is not
    /// already its neighbour or itself.
    fn join_dangling_ends(&mut self, ends: &[usize]) {
        let mut joins = Vec::new();
        for &end in ends {
            if self.edges[end].len() != 1 {
                continue;
            }
            let at = self.points[end];
            let near = self
                .tree
                .locate_within_distance([at.x, at.y], JOIN_M * JOIN_M)
                .map(|n| n.data)
                .filter(|&n| n != end && !self.edges[end].iter().any(|&(m, _)| m == n))
                .min_by(|&a, &b| {
                    distance(self.points[a], at)
                        .total_cmp(&distance(self.points[b], at))
                        .then(a.cmp(&b))
                });
            if let Some(n) = near {
                joins.push((end, n, distance(self.points[n], at)));
            }
        }
        for (a, b, d) in joins {
            if !self.edges[a].iter().any(|&(m, _)| m == b) {
                self.edges[a].push((b, d));
                self.edges[b].push((a, d));
            }
        }
    }

    /// The node nearest `p` that lies on a road (has an edge).
    pub fn nearest(&self, p: Coord<f64>) -> Option<NearestNode> {
        self.tree
            .nearest_neighbor_iter(&[p.x, p.y])
            .map(|n| n.data)
            .find(|&n| !self.edges[n].is_empty())
            .map(|node| NearestNode {
                node,
                point: self.points[node],
                distance_m: distance(self.points[node], p),
            })
    }

    /// The vertices of the shortest road path from node `from` to node `to` (both
    /// included), or `None` when no road joins them.
    pub fn shortest_path(&self, from: usize, to: usize) -> Option<Vec<Coord<f64>>> {
        let mut best = vec![f64::INFINITY; self.points.len()];
        let mut previous = vec![usize::MAX; self.points.len()];
        let mut queue = BinaryHeap::new();
        best[from] = 0.0;
        queue.push(Visit {
            cost: 0.0,
            node: from,
        });
        while let Some(Visit { cost, node }) = queue.pop() {
            if node == to {
                break;
            }
            if cost > best[node] {
                continue;
            }
            for &(next, length) in &self.edges[node] {
                let c = cost + length;
                if c < best[next] {
                    best[next] = c;
                    previous[next] = node;
                    queue.push(Visit {
                        cost: c,
                        node: next,
                    });
                }
            }
        }
        if !best[to].is_finite() {
            return None;
        }
        let mut path = vec![to];
        while let Some(&last) = path.last() {
            if last == from {
                break;
            }
            path.push(previous[last]);
        }
        path.reverse();
        Some(path.into_iter().map(|n| self.points[n]).collect())
    }
}

/// A node on the Dijkstra queue, cheapest first (ties by node, so paths are deterministic).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Visit {
    cost: f64,
    node: usize,
}

impl Eq for Visit {}

impl Ord for Visit {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then(other.node.cmp(&self.node))
    }
}

impl PartialOrd for Visit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, LayerRole};
    use geo::{Geometry, LineString};

    fn roads(lines: Vec<Vec<(f64, f64)>>) -> Layer {
        let features = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| Feature {
                id: i as i64 + 1,
                geometry: Some(Geometry::LineString(LineString::from(l))),
                attributes: vec![],
            })
            .collect();
        Layer::new("roads", "roads", LayerRole::Road, Vec::new(), features)
    }

    #[test]
    fn takes_the_shorter_of_two_roads_and_joins_near_ends() {
        // A long way round (via y = 1000) and a short way (via y = 100) from (0,0) to
        // (1000,0); the short way's last line stops 5 m short of the end vertex.
        let layer = roads(vec![
            vec![(0.0, 0.0), (0.0, 1000.0), (1000.0, 1000.0), (1000.0, 0.0)],
            vec![(0.0, 0.0), (500.0, 100.0)],
            vec![(500.0, 100.0), (995.0, 0.0)],
        ]);
        let network = RoadNetwork::from_layer(&layer).unwrap();
        let a = network.nearest(Coord { x: -3.0, y: 0.0 }).unwrap();
        let b = network.nearest(Coord { x: 1000.0, y: -2.0 }).unwrap();
        assert_eq!(a.point, Coord { x: 0.0, y: 0.0 });
        assert_eq!(b.point, Coord { x: 1000.0, y: 0.0 });
        let path = network.shortest_path(a.node, b.node).unwrap();
        let xs: Vec<(f64, f64)> = path.iter().map(|c| (c.x, c.y)).collect();
        assert_eq!(
            xs,
            vec![(0.0, 0.0), (500.0, 100.0), (995.0, 0.0), (1000.0, 0.0)]
        );
    }

    #[test]
    fn separate_roads_have_no_path_and_an_empty_layer_is_refused() {
        let layer = roads(vec![
            vec![(0.0, 0.0), (100.0, 0.0)],
            vec![(0.0, 500.0), (100.0, 500.0)],
        ]);
        let network = RoadNetwork::from_layer(&layer).unwrap();
        let a = network.nearest(Coord { x: 0.0, y: 0.0 }).unwrap();
        let b = network.nearest(Coord { x: 0.0, y: 500.0 }).unwrap();
        assert!(network.shortest_path(a.node, b.node).is_none());
        let err = RoadNetwork::from_layer(&roads(vec![])).unwrap_err();
        assert!(err.to_string().contains("no road line"), "{err}");
    }
}
