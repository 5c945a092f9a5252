//! The three-way, field-by-field merge of record images. A field changed on one side
//! only takes that side's value; a field changed the same way on both sides is fine; a
//! field changed differently on both sides keeps the server's value and reports both, so
//! that a person can choose. Nothing is dropped.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// A record image: field name to value. Owned rows appear as `table/key` fields.
pub type Image = Map<String, Value>;

/// Bookkeeping fields whose concurrent changes are not a clinical conflict: the later
/// value is kept.
const LATEST_WINS: &[&str] = &["updated_at"];

/// An overlapping edit: both values, the one kept and the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field (a column, or `table/key` for an owned row).
    pub field: String,
    /// The value the record keeps (the one the server already had). `None`: removed.
    pub kept: Option<Value>,
    /// The incoming value that was not applied. `None`: removed.
    pub other: Option<Value>,
}

/// The result of a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The merged image.
    pub image: Image,
    /// Fields both sides changed differently.
    pub conflicts: Vec<FieldConflict>,
}

/// Merges `mine` (the incoming image) into `theirs` (the server's current image), both
/// descended from `base`.
pub fn merge(base: &Image, mine: &Image, theirs: &Image) -> Merge {
    let fields: BTreeSet<&String> = base.keys().chain(mine.keys()).chain(theirs.keys()).collect();
    let mut image = Map::new();
    let mut conflicts = Vec::new();
    for field in fields {
        let (b, m, t) = (base.get(field), mine.get(field), theirs.get(field));
        let chosen = if m == t || m == b {
            t
        } else if t == b {
            m
        } else if LATEST_WINS.contains(&field.as_str()) {
            later(m, t)
        } else {
            conflicts.push(FieldConflict {
                field: field.clone(),
                kept: t.cloned(),
                other: m.cloned(),
            });
            t
        };
        if let Some(v) = chosen {
            image.insert(field.clone(), v.clone());
        }
    }
    Merge { image, conflicts }
}

/// The later of two RFC 3339 UTC timestamps (they sort as text).
fn later<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> Option<&'a Value> {
    match (a.and_then(Value::as_str), b.and_then(Value::as_str)) {
        (Some(x), Some(y)) if x > y => a,
        (Some(_), None) => a,
        _ => b,
    }
}
