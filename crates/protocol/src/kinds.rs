//! The kinds of record sync carries, and their creation ranks: a record only refers to
//! records of a lower rank, so a snapshot sent in rank order never refers forward.

/// Every synced kind with its rank.
pub const RECORD_KINDS: &[(&str, i32)] = &[
    ("clinic", 0),
    ("user", 1),
    ("payer", 1),
    ("referring_provider", 1),
    ("patient", 2),
    ("patient_payment", 3),
    ("coverage", 3),
    ("episode", 3),
    ("authorization", 4),
    ("plan_of_care", 4),
    ("appointment", 4),
    ("note", 5),
    ("addendum", 6),
    ("measure_result", 6),
    ("claim", 6),
    ("sync_issue", 7),
    ("remittance", 7),
    ("denial", 8),
];

/// The rank of a kind, if sync carries it.
pub fn rank(kind: &str) -> Option<i32> {
    RECORD_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, r)| *r)
}

/// The kind of record an op changes: `note.addendum` makes an addendum; otherwise the
/// op type's first part names it (`note.sign` changes a note). `None`: not a synced kind.
pub fn kind_for_op(op_type: &str) -> Option<&'static str> {
    let name = if op_type == "note.addendum" {
        "addendum"
    } else {
        op_type.split('.').next().unwrap_or_default()
    };
    RECORD_KINDS.iter().find(|(k, _)| *k == name).map(|(k, _)| *k)
}
