//! The read of one layer as a pipeline: GDAL reads on this thread, workers convert.
//!
//! GDAL reads one feature at a time, so the calling thread only reads (and numbers each
//! distinct text, [`TextTable`]), handing batches of features to one worker per core. A
//! worker walks each geometry into `geo`, asks GEOS whether it is valid (the costly part),
//! notes the extent in the source CRS and — when the working CRS was known before the read —
//! moves the geometry into it at once, while GDAL still reads. Each worker builds its PROJ
//! transformer once (a transformer cannot cross threads, and building one per batch would
//! cost more than it saves). Batches come back in source order.

use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use gdal::vector::LayerAccess;
use geo::{BoundingRect, Rect};

use super::super::ogr::{self, RawValue};
use crate::crs::{TransformRecipe, Transformer};
use crate::error::Error;
use crate::model::{AttrValue, FieldKind};
use crate::progress::Progress;

/// A value as read, its text replaced by its number in the layer's [`TextTable`].
pub(super) type Cell = RawValue<usize>;

/// Every distinct text of a layer once, numbered in the order first read. A survey layer
/// repeats a few hundred codes and names over all its parcels: a repeat is looked up
/// straight from GDAL's buffer and never copied, each distinct text is decoded once, and
/// every cell holding it shares one string.
#[derive(Default)]
pub(super) struct TextTable {
    numbers: foldhash::HashMap<Vec<u8>, usize>,
}

impl TextTable {
    /// The number of `bytes`, given the next one if they are new.
    fn number(&mut self, bytes: &[u8]) -> usize {
        if let Some(&n) = self.numbers.get(bytes) {
            return n;
        }
        let n = self.numbers.len();
        self.numbers.insert(bytes.to_vec(), n);
        n
    }

    /// The distinct texts, each at its number.
    pub(super) fn into_texts(self) -> Vec<Vec<u8>> {
        let mut texts = vec![Vec::new(); self.numbers.len()];
        for (bytes, number) in self.numbers {
            texts[number] = bytes;
        }
        texts
    }
}

/// A feature's cells as its attribute values, each text the shared decoded string.
///
/// A cell and a value are the same size, so the collect writes the values over the cells
/// in their own allocation (std's in-place iteration): the load never holds both, and
/// allocates nothing here. Every text a kept feature holds was decoded (checked before).
pub(super) fn attribute_values(
    cells: Vec<Cell>,
    decoded: &[Option<Arc<String>>],
) -> Vec<AttrValue> {
    cells
        .into_iter()
        .map(|cell| match cell {
            Cell::Null => AttrValue::Null,
            Cell::Integer(i) => AttrValue::Integer(i),
            Cell::Real(r) => AttrValue::Real(r),
            Cell::Text(n) => decoded[n].clone().map_or(AttrValue::Null, AttrValue::Text),
        })
        .collect()
}

/// A feature as GDAL read it, its geometry not yet converted.
struct Pending {
    id: i64,
    values: Vec<Cell>,
    geometry: Option<ogr::OwnedGeometry>,
}

/// A feature whose geometry has been converted (or found unsupported).
pub(super) struct Converted {
    pub id: i64,
    pub values: Vec<Cell>,
    pub geometry: Result<ogr::Converted, ogr::UnsupportedType>,
}

/// What the pipeline read from a layer.
pub(super) struct Read {
    /// Every feature, in source order.
    pub features: Vec<Converted>,
    /// The layer's distinct texts.
    pub texts: TextTable,
    /// Extent of the geometries `[min_x, min_y, max_x, max_y]` in the source CRS.
    pub extent: Option<[f64; 4]>,
    /// The first feature in source order whose geometry could not be moved into the
    /// working CRS, with its id; `None` when all were (or none was asked to be).
    pub move_failure: Option<(Error, i64)>,
}

/// One batch, converted by a worker.
struct Done {
    seq: usize,
    features: Vec<Converted>,
    extent: Option<Rect<f64>>,
    move_failure: Option<(Error, i64)>,
}

/// Features per batch handed from the reading thread to the workers: large enough that the
/// hand-over costs nothing, small enough that few OGR geometries wait in memory.
const BATCH: usize = 2048;

/// Reads every feature of `layer` and converts it; with `recipe`, geometries are moved into
/// its target CRS as they are converted.
pub(super) fn read_and_convert(
    layer: &mut gdal::vector::Layer,
    defn_fields: &[(Vec<u8>, FieldKind)],
    recipe: Option<&TransformRecipe>,
    progress: &dyn Progress,
) -> Read {
    let (to_convert, batches) = sync_channel::<(usize, Vec<Pending>)>(8);
    let batches = Mutex::new(batches);
    let workers = rayon::current_num_threads().max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| convert_batches(&batches, recipe)))
            .collect();
        let mut texts = TextTable::default();
        let mut batch = Vec::with_capacity(BATCH);
        let mut seq = 0;
        for (row, mut feature) in layer.features().enumerate() {
            let id = feature.fid().map(|f| f as i64).unwrap_or(row as i64);
            let values = defn_fields
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| {
                    ogr::raw_value(&feature, i, *kind, |bytes| texts.number(bytes))
                })
                .collect();
            let geometry = ogr::take_geometry(&mut feature);
            batch.push(Pending {
                id,
                values,
                geometry,
            });
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // Workers only stop early by panicking, which the join re-raises.
                let _ = to_convert.send((seq, full));
                seq += 1;
                progress.advance(BATCH as u64);
            }
        }
        let _ = to_convert.send((seq, batch));
        drop(to_convert);
        let mut done: Vec<Done> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        done.sort_unstable_by_key(|d| d.seq);
        let extent = done
            .iter()
            .filter_map(|d| d.extent)
            .reduce(union)
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]);
        let mut features = Vec::with_capacity(done.iter().map(|d| d.features.len()).sum());
        let mut move_failure = None;
        for d in done {
            features.extend(d.features);
            move_failure = move_failure.or(d.move_failure);
        }
        Read {
            features,
            texts,
            extent,
            move_failure,
        }
    })
}

/// A worker: converts batches until the reading thread has sent the last one.
fn convert_batches(
    batches: &Mutex<Receiver<(usize, Vec<Pending>)>>,
    recipe: Option<&TransformRecipe>,
) -> Vec<Done> {
    let transformer = recipe.map(TransformRecipe::build);
    let mut done = Vec::new();
    loop {
        // The lock is held only to take the next batch; a poisoned lock means another
        // worker panicked, which the join reports.
        let next = match batches.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok((seq, batch)) = next else { break };
        let mut features: Vec<Converted> = batch
            .into_iter()
            .map(|p| Converted {
                id: p.id,
                values: p.values,
                geometry: ogr::convert_geometry(p.geometry.as_ref()),
            })
            .collect();
        let extent = features
            .iter()
            .filter_map(|f| f.geometry.as_ref().ok()?.geometry.as_ref()?.bounding_rect())
            .reduce(union);
        let move_failure = match &transformer {
            None => None,
            Some(Ok(t)) => move_geometries(&mut features, t),
            // Checked before the read, so not expected: every batch then reports it, and
            // the first in source order wins, at the layer's first feature.
            Some(Err(e)) => features.first().map(|f| {
                let detail = format!("cannot build the transformation: {e}");
                (Error::Invalid(detail), f.id)
            }),
        };
        done.push(Done {
            seq,
            features,
            extent,
            move_failure,
        });
    }
    done
}

/// Moves each converted geometry with `t`; the first failure stops the batch.
fn move_geometries(features: &mut [Converted], t: &Transformer) -> Option<(Error, i64)> {
    for f in features.iter_mut() {
        if let Ok(ogr::Converted {
            geometry: Some(g), ..
        }) = &mut f.geometry
            && let Err(e) = t.transform_geometry(g)
        {
            return Some((e, f.id));
        }
    }
    None
}

fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feature's cells become its values in their own allocation, so the load never holds
    /// a layer's attributes twice, and repeats share the decoded string. Fails if a change
    /// to either type makes their sizes differ.
    #[test]
    fn cells_become_values_in_place() {
        assert_eq!(std::mem::size_of::<AttrValue>(), 16);
        assert_eq!(
            std::mem::size_of::<Cell>(),
            std::mem::size_of::<AttrValue>()
        );
        let decoded = vec![Some(Arc::new("旱地".to_string()))];
        let cells = vec![
            Cell::Text(0),
            Cell::Integer(7),
            Cell::Null,
            Cell::Real(0.5),
            Cell::Text(0),
        ];
        let allocation = cells.as_ptr() as usize;
        let values = attribute_values(cells, &decoded);
        assert_eq!(values.as_ptr() as usize, allocation);
        assert_eq!(
            values,
            [
                AttrValue::text("旱地"),
                AttrValue::Integer(7),
                AttrValue::Null,
                AttrValue::Real(0.5),
                AttrValue::text("旱地"),
            ]
        );
        let (AttrValue::Text(first), AttrValue::Text(last)) = (&values[0], &values[4]) else {
            unreachable!("texts above")
        };
        assert!(Arc::ptr_eq(first, last));
    }
}
