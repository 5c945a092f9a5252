//! The records sync carries, and their images: one JSON object per record holding its
//! row's columns and, under `"child_table/key"` names, the rows it owns (a note's
//! services, flowsheet and charge lines; a user's roles). The server merges images field
//! by field; the client writes pulled images back into its tables.

use crate::error::{ChartError, Result};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

/// A record image: column or child key to value.
pub type Image = Map<String, Value>;

pub use stride_protocol::kinds::{KINDS, OwnedRows, RecordKind};

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static RecordKind> {
    stride_protocol::kinds::kind_named(name)
}

/// The kind of record an op changes (see [`stride_protocol::kinds::kind_for_op`]).
pub fn kind_for_op(op_type: &str) -> Option<&'static RecordKind> {
    stride_protocol::kinds::kind_for_op(op_type).and_then(kind)
}

/// The current image of one record, or `None` if there is no such record.
pub fn read_image(conn: &Connection, kind: &RecordKind, id: &str) -> Result<Option<Image>> {
    let sql = format!("SELECT * FROM \"{}\" WHERE id = ?1", kind.name);
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let Some(mut image) = stmt.query_row([id], |r| row_object(r, &names, None)).optional()? else {
        return Ok(None);
    };
    for c in kind.owned {
        let sql = format!("SELECT * FROM \"{}\" WHERE \"{}\" = ?1", c.table, c.parent);
        let mut stmt = conn.prepare_cached(&sql)?;
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let rows = stmt.query_map([id], |r| row_object(r, &names, Some(c.parent)))?;
        for row in rows {
            let row = row?;
            image.insert(child_field(c, &row), Value::Object(row));
        }
    }
    Ok(Some(image))
}

/// Writes a pulled image over the record's rows, touching only what differs (a signed
/// note's unchanged rows are never rewritten, so its triggers stay quiet).
pub fn write_image(conn: &Connection, kind: &RecordKind, id: &str, image: &Image) -> Result<()> {
    if image.get("id").and_then(Value::as_str) != Some(id) {
        return Err(invalid(kind, "its id does not match"));
    }
    // An owned row carrying its own parent column would be written under that other
    // record (SQLite keeps the first of two values for one column): refused whole.
    if let Some(problem) = image.iter().find_map(|(field, v)| kind.field_problem(field, v)) {
        return Err(invalid(kind, &problem));
    }
    let current = read_image(conn, kind, id)?.unwrap_or_default();
    let root: Image = image
        .iter()
        .filter(|(k, _)| !k.contains('/'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let root_changed = root.iter().any(|(k, v)| current.get(k) != Some(v));
    // Owned rows first, then the record: a note arriving signed gets its charge lines
    // while it is still unsigned here, as on the device that signed it. (The caller
    // defers foreign keys, so owned rows of a new record may come first.)
    for c in kind.owned {
        let prefix = format!("{}/", c.table);
        for (field, old) in current.iter().filter(|(k, _)| k.starts_with(&prefix)) {
            if image.get(field) != Some(old) {
                delete_child(conn, c, id, old)?;
            }
        }
        for (field, new) in image.iter().filter(|(k, _)| k.starts_with(&prefix)) {
            if current.get(field) != Some(new) {
                let row = new
                    .as_object()
                    .ok_or_else(|| invalid(kind, "an owned row is not an object"))?;
                insert_child(conn, kind, c, id, row)?;
            }
        }
    }
    if root_changed {
        upsert_root(conn, kind, &root)?;
    }
    Ok(())
}

/// Checks that a record just written, and the rows it owns, refer only to records this
/// chart holds (SQLite checks deferred references only at commit, for the whole page).
pub fn references_hold(conn: &Connection, kind: &RecordKind, id: &str) -> Result<()> {
    let tables = std::iter::once((kind.name, "id")).chain(kind.owned.iter().map(|o| (o.table, o.parent)));
    for (table, by) in tables {
        let keys: Vec<(String, String, String)> = conn
            .prepare_cached(&format!(
                "SELECT \"table\", \"from\", coalesce(\"to\", 'id') FROM pragma_foreign_key_list('{table}')"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<std::result::Result<_, _>>()?;
        for (parent, column, parent_column) in keys {
            let sql = format!(
                "SELECT 1 FROM \"{table}\" t WHERE t.\"{by}\" = ?1 AND t.\"{column}\" IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM \"{parent}\" p WHERE p.\"{parent_column}\" = t.\"{column}\") LIMIT 1"
            );
            if conn
                .prepare_cached(&sql)?
                .query_row([id], |_| Ok(()))
                .optional()?
                .is_some()
            {
                return Err(invalid(
                    kind,
                    &format!("its {column} names a {parent} this chart does not have"),
                ));
            }
        }
    }
    Ok(())
}

/// The image field name of an owned row: `table/key[/key…]`.
fn child_field(c: &OwnedRows, row: &Image) -> String {
    let mut name = c.table.to_owned();
    for k in c.key {
        name.push('/');
        match row.get(*k) {
            Some(Value::String(s)) => name.push_str(s),
            Some(v) => name.push_str(&v.to_string()),
            None => {}
        }
    }
    name
}

fn row_object(r: &rusqlite::Row<'_>, names: &[String], skip: Option<&str>) -> rusqlite::Result<Image> {
    let mut out = Map::new();
    for (i, name) in names.iter().enumerate() {
        if Some(name.as_str()) == skip {
            continue;
        }
        let value = match r.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::from(n),
            ValueRef::Real(f) => Value::from(f),
            ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::String(hex::encode(b)),
        };
        out.insert(name.clone(), value);
    }
    Ok(out)
}

/// The table's column names: the only names an image may use, since they go into SQL.
/// (A cached statement's columns: no query runs.)
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let stmt = conn.prepare_cached(&format!("SELECT * FROM \"{table}\" LIMIT 0"))?;
    Ok(stmt.column_names().map(str::to_owned).collect())
}

fn sql_value(kind: &RecordKind, v: &Value) -> Result<SqlValue> {
    Ok(match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => return Err(invalid(kind, "a field holds a list or object")),
    })
}

fn checked_columns<'a>(
    conn: &Connection,
    kind: &RecordKind,
    table: &str,
    row: &'a Image,
) -> Result<(Vec<&'a str>, Vec<SqlValue>)> {
    let known = columns(conn, table)?;
    let mut names = Vec::with_capacity(row.len());
    let mut values = Vec::with_capacity(row.len());
    for (k, v) in row {
        if !known.iter().any(|c| c == k) {
            return Err(invalid(kind, &format!("it has an unknown field {k:?}")));
        }
        names.push(k.as_str());
        values.push(sql_value(kind, v)?);
    }
    Ok((names, values))
}

fn upsert_root(conn: &Connection, kind: &RecordKind, root: &Image) -> Result<()> {
    let (names, values) = checked_columns(conn, kind, kind.name, root)?;
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = quoted
        .iter()
        .filter(|n| *n != "\"id\"")
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        kind.name,
        quoted.join(", "),
        marks.join(", "),
        if updates.is_empty() {
            "id = id".to_owned()
        } else {
            updates.join(", ")
        }
    );
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn delete_child(conn: &Connection, c: &OwnedRows, parent_id: &str, row: &Value) -> Result<()> {
    let mut sql = format!("DELETE FROM \"{}\" WHERE \"{}\" = ?1", c.table, c.parent);
    let mut values = vec![SqlValue::Text(parent_id.to_owned())];
    for (i, k) in c.key.iter().enumerate() {
        sql.push_str(&format!(" AND \"{k}\" = ?{}", i + 2));
        let v = row.get(*k).cloned().unwrap_or(Value::Null);
        values.push(match v {
            Value::Number(n) => SqlValue::Integer(n.as_i64().unwrap_or_default()),
            Value::String(s) => SqlValue::Text(s),
            _ => SqlValue::Null,
        });
    }
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn insert_child(conn: &Connection, kind: &RecordKind, c: &OwnedRows, parent_id: &str, row: &Image) -> Result<()> {
    // Any row with the same key (an older version) was deleted by the caller.
    let (mut names, mut values) = checked_columns(conn, kind, c.table, row)?;
    names.push(c.parent);
    values.push(SqlValue::Text(parent_id.to_owned()));
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ({})",
        c.table,
        quoted.join(", "),
        marks.join(", ")
    );
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn invalid(kind: &RecordKind, why: &str) -> ChartError {
    ChartError::State(format!("a synced {} could not be stored: {why}", kind.name))
}
