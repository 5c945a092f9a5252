//! The kinds of record sync carries: their creation ranks and the rows each owns. A
//! record only refers to records of a lower rank, so a snapshot sent in rank order never
//! refers forward. One catalogue for both sides: the server checks pushed images against
//! it, and the chart writes pulled images back with it.

use serde_json::Value;

/// Rows a record owns, carried in its image as `table/key` fields.
#[derive(Debug)]
pub struct OwnedRows {
    /// The table (and the prefix of the image fields).
    pub table: &'static str,
    /// The column naming the owning record. It never travels in the image: the owner is
    /// the record the image belongs to, so an owned row cannot be moved under another.
    pub parent: &'static str,
    /// The columns that tell the owned rows apart.
    pub key: &'static [&'static str],
}

/// One kind of synced record (its table has the same name and an `id` primary key).
#[derive(Debug)]
pub struct RecordKind {
    /// The name used in ops, on the wire and for the table (`patient`, `note`).
    pub name: &'static str,
    /// Creation rank: a record refers only to records of lower ranks.
    pub rank: i32,
    /// The rows it owns.
    pub owned: &'static [OwnedRows],
}

const fn owned(table: &'static str, parent: &'static str, key: &'static [&'static str]) -> OwnedRows {
    OwnedRows { table, parent, key }
}

const fn kind(name: &'static str, rank: i32, owned: &'static [OwnedRows]) -> RecordKind {
    RecordKind { name, rank, owned }
}

/// Every synced kind, in rank order.
pub const KINDS: &[RecordKind] = &[
    kind(
        "clinic",
        0,
        &[
            owned("clinic_fee", "clinic_id", &["code"]),
            owned("clinic_closure", "clinic_id", &["day"]),
        ],
    ),
    kind("user", 1, &[owned("user_role", "user_id", &["role"])]),
    kind("payer", 1, &[owned("fee_schedule", "payer_id", &["code"])]),
    kind("referring_provider", 1, &[]),
    kind("quick_text", 1, &[]),
    kind("patient", 2, &[]),
    kind("patient_payment", 3, &[]),
    kind("coverage", 3, &[]),
    kind("episode", 3, &[owned("episode_diagnosis", "episode_id", &["position"])]),
    kind("authorization", 4, &[]),
    kind("plan_of_care", 4, &[owned("goal", "plan_id", &["id"])]),
    kind("appointment", 4, &[]),
    kind(
        "note",
        5,
        &[
            owned("note_service", "note_id", &["position"]),
            owned("flowsheet_row", "note_id", &["position"]),
            owned("note_goal", "note_id", &["goal_id"]),
            owned("charge_line", "note_id", &["position"]),
        ],
    ),
    kind("addendum", 6, &[]),
    kind("measure_result", 6, &[]),
    kind(
        "claim",
        6,
        &[
            owned("claim_line", "claim_id", &["position"]),
            owned("claim_diagnosis", "claim_id", &["position"]),
            owned("claim_event", "claim_id", &["seq"]),
        ],
    ),
    kind("sync_issue", 7, &[]),
    kind("remittance", 7, &[owned("remit_claim", "remittance_id", &["position"])]),
    kind("denial", 8, &[]),
];

/// The columns by which a record refers to another, and the kinds they name. A record's
/// reference must name a record the clinic has: the server refuses an op whose reference
/// names none, since every device would then hold a record pointing nowhere.
pub const REFERENCES: &[(&str, &[&str])] = &[
    ("patient_id", &["patient"]),
    ("episode_id", &["episode"]),
    ("payer_id", &["payer"]),
    ("coverage_id", &["coverage"]),
    ("referring_provider_id", &["referring_provider"]),
    ("appointment_id", &["appointment"]),
    ("note_id", &["note"]),
    ("plan_id", &["plan_of_care"]),
    ("recertifies", &["plan_of_care"]),
    ("claim_id", &["claim"]),
    ("primary_claim_id", &["claim"]),
    ("remittance_id", &["remittance"]),
    ("author_id", &["user"]),
    ("therapist_id", &["user"]),
    ("signed_by", &["user"]),
    ("cosigned_by", &["user"]),
    ("rendering_id", &["user"]),
    ("created_by", &["user"]),
    ("imported_by", &["user"]),
    ("resolved_by", &["user"]),
    ("user_id", &["user"]),
];

/// Columns that have a default in every device's chart but that a record's version on the
/// server may lack: the server makes the clinic's record itself, naming only its id, name
/// and NPI, and a device's chart fills the rest with these values. A version without the
/// field and one holding this value say the same, so that a change of other fields is not
/// taken for a change of these.
pub const DEVICE_DEFAULTS: &[(&str, &str, &str)] = &[
    ("clinic", "taxonomy", "225100000X"),
    ("clinic", "place_of_service", "11"),
    ("clinic", "opens_at", "07:00"),
    ("clinic", "closes_at", "19:00"),
    ("clinic", "open_days", "1,2,3,4,5"),
];

/// The value a device's chart gives `field` of a `kind` record when the clinic's version
/// does not say, if the field has one (`DEVICE_DEFAULTS`).
pub fn device_default(kind: &str, field: &str) -> Option<&'static str> {
    DEVICE_DEFAULTS
        .iter()
        .find(|(k, f, _)| *k == kind && *f == field)
        .map(|(_, _, value)| *value)
}

/// The kinds a reference column names, if it is one.
pub fn referenced_kinds(field: &str) -> Option<&'static [&'static str]> {
    REFERENCES.iter().find(|(f, _)| *f == field).map(|(_, kinds)| *kinds)
}

/// The kind named `name`, if sync carries it.
pub fn kind_named(name: &str) -> Option<&'static RecordKind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The rank of a kind, if sync carries it.
pub fn rank(kind: &str) -> Option<i32> {
    kind_named(kind).map(|k| k.rank)
}

/// The kind of record an op changes: `note.addendum` makes an addendum; otherwise the
/// op type's first part names it (`note.sign` changes a note). `None`: not a synced kind.
pub fn kind_for_op(op_type: &str) -> Option<&'static str> {
    let name = if op_type == "note.addendum" {
        "addendum"
    } else {
        op_type.split('.').next().unwrap_or_default()
    };
    kind_named(name).map(|k| k.name)
}

impl RecordKind {
    /// The owned rows an image field holds (`note_service/2`), if it names one of this
    /// kind's owned tables.
    pub fn owned_rows_of(&self, field: &str) -> Option<&OwnedRows> {
        let (table, _) = field.split_once('/')?;
        self.owned.iter().find(|o| o.table == table)
    }

    /// Why an image field of this kind is malformed, if it is: an owned row must belong
    /// to one of this kind's owned tables, be an object, and never carry its parent
    /// column (which would move it under another record).
    pub fn field_problem(&self, field: &str, value: &Value) -> Option<String> {
        if !field.contains('/') {
            return (value.is_array() || value.is_object()).then(|| format!("{field:?} holds a list or object"));
        }
        let Some(rows) = self.owned_rows_of(field) else {
            return Some(format!("a {} owns no rows like {field:?}", self.name));
        };
        let Some(row) = value.as_object() else {
            return Some(format!("the owned row {field:?} is not a row"));
        };
        if row.contains_key(rows.parent) {
            return Some(format!(
                "the owned row {field:?} names its own {}: an owned row belongs to the record that carries it",
                rows.parent
            ));
        }
        // The field is named by the row's own key, so one row cannot pose as another.
        let mut named = rows.table.to_owned();
        for k in rows.key {
            named.push('/');
            match row.get(*k) {
                Some(Value::String(s)) => named.push_str(s),
                Some(v) => named.push_str(&v.to_string()),
                None => {}
            }
        }
        (named != field).then(|| format!("the owned row {field:?} holds the key of {named:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{KINDS, kind_named};
    use serde_json::json;

    #[test]
    fn kinds_are_in_rank_order_and_owned_rows_are_checked() {
        assert!(KINDS.windows(2).all(|w| w[0].rank <= w[1].rank));
        let plan = kind_named("plan_of_care").expect("plan kind");
        assert_eq!(
            plan.field_problem("goal/g1", &json!({ "id": "g1", "text": "walk" })),
            None
        );
        assert!(
            plan.field_problem("goal/g1", &json!({ "id": "g1", "plan_id": "other" }))
                .is_some()
        );
        assert!(
            plan.field_problem("note_service/1", &json!({ "code": "97110" }))
                .is_some()
        );
        assert!(plan.field_problem("goal/g1", &json!("text")).is_some());
        assert!(
            plan.field_problem("goal/g1", &json!({ "id": "g2" })).is_some(),
            "a row posing as another"
        );
        assert!(plan.field_problem("cert_start", &json!(["2026-01-01"])).is_some());
        assert_eq!(plan.field_problem("cert_start", &json!("2026-01-01")), None);
    }
}
