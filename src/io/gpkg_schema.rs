//! Field aliases in a GeoPackage: the Schema extension's `gpkg_data_columns` table
//! (OGC GeoPackage 1.3, Annex "Schema"), which QGIS reads as field aliases.
//!
//! GDAL 3.6's GeoPackage driver does not write a field's alternative name, so the tables
//! are made and filled here by SQL, with the extension registered in `gpkg_extensions`
//! for both its tables, as GDAL's `validate_gpkg.py` expects.

use gdal::Dataset;
use gdal::vector::sql::Dialect;

const EXTENSION: &str =
    "'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write'";

/// Gives every `(table, [(column, alias)])` its aliases; the error is SQLite's (via GDAL).
pub(crate) fn write_field_aliases<'a>(
    ds: &Dataset,
    tables: impl IntoIterator<Item = (&'a str, Vec<(&'a str, &'a str)>)>,
) -> Result<(), String> {
    let run = |sql: &str| {
        ds.execute_sql(sql, None, Dialect::DEFAULT)
            .map(|_| ())
            .map_err(|e| format!("{e} ({sql})"))
    };
    run(
        "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, \
         extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, \
         CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
    )?;
    run(
        "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, \
         column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, \
         constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), \
         CONSTRAINT gdc_tn UNIQUE (table_name, name))",
    )?;
    run(
        "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, \
         constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, \
         max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, \
         CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))",
    )?;
    for table in ["gpkg_data_columns", "gpkg_data_column_constraints"] {
        run(&format!(
            "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, \
             definition, scope) VALUES ('{table}', NULL, {EXTENSION})"
        ))?;
    }
    for (table, columns) in tables {
        for (column, alias) in columns {
            run(&format!(
                "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title) \
                 VALUES ({}, {}, {}, {})",
                quoted(table),
                quoted(column),
                quoted(alias),
                quoted(alias)
            ))?;
        }
    }
    Ok(())
}

/// QGIS's `layer_styles` table (the one QGIS itself creates on "save style to database"),
/// with one default style per `(table, style name, QML)`. The row takes its geometry column
/// from `gpkg_geometry_columns`, so a table without geometry gets none.
pub(crate) fn write_layer_styles<'a>(
    ds: &Dataset,
    styles: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> Result<(), String> {
    let run = |sql: &str| {
        ds.execute_sql(sql, None, Dialect::DEFAULT)
            .map(|_| ())
            .map_err(|e| format!("{e} ({})", sql.chars().take(200).collect::<String>()))
    };
    run(
        "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, \
         f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), \
         f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, \
         useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), \
         update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
    )?;
    for (table, name, qml) in styles {
        run(&format!(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, \
             f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner) \
             SELECT '', '', table_name, column_name, {}, {}, '', 1, {}, 'VillagePlan' \
             FROM gpkg_geometry_columns WHERE table_name = {}",
            quoted(name),
            quoted(qml),
            quoted("VillagePlan 样式 style"),
            quoted(table)
        ))?;
    }
    Ok(())
}

/// `text` as an SQL string literal.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_in_literals() {
        assert_eq!(quoted("村级调查区"), "'村级调查区'");
        assert_eq!(quoted("O'Brien"), "'O''Brien'");
    }
}
