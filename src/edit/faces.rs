//! The faces a drawn line makes with a polygon's boundary. Splitting and reshaping both need
//! the linework noded at every crossing and polygonised; `geo` has no polygoniser, so this
//! one step goes to GEOS through GDAL (`OGR_G_Union` nodes the lines, `OGR_G_Polygonize`
//! builds the faces). Everything around it stays in `geo`.

use gdal::vector::ToGdal;
use geo::{Coord, Geometry, LineString, MultiLineString, Polygon};

/// Every ring of `polygons` as a line.
pub(crate) fn rings(polygons: &[Polygon<f64>]) -> Vec<LineString<f64>> {
    polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .cloned()
        .collect()
}

/// The faces of `boundary` and `line` noded together. Dangling pieces of the line (outside
/// any face) are ignored, as a planner expects of a line drawn a little past an edge.
pub(crate) fn faces(
    boundary: &[LineString<f64>],
    line: &[Coord<f64>],
) -> Result<Vec<Polygon<f64>>, String> {
    let error = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
    let boundary = MultiLineString(boundary.to_vec())
        .to_gdal()
        .map_err(|e| error("boundary", &e))?;
    let line = LineString(line.to_vec())
        .to_gdal()
        .map_err(|e| error("line", &e))?;
    let noded = boundary
        .union(&line)
        .ok_or_else(|| "GEOS could not node the line with the boundary".to_string())?;
    // SAFETY: `noded` owns a valid OGR geometry for the duration of the call. The returned
    // handle is owned by us: it is read through an unowned wrapper (which never frees it)
    // and destroyed exactly once below.
    let raw = unsafe { gdal_sys::OGR_G_Polygonize(noded.c_geometry()) };
    if raw.is_null() {
        return Err("GEOS could not build faces from the line".into());
    }
    let converted = {
        // SAFETY: `raw` is non-null and stays alive until destroyed after this block.
        let wrapper = unsafe {
            let g = gdal::vector::Geometry::lazy_feature_geometry();
            g.set_c_geometry(raw);
            g
        };
        Geometry::<f64>::try_from(&wrapper).map_err(|e| error("faces", &e))
    };
    // SAFETY: `raw` came from OGR_G_Polygonize and was not freed by the wrapper.
    unsafe { gdal_sys::OGR_G_DestroyGeometry(raw) };
    Ok(crate::analysis::checks::polygons_of(&converted?))
}
