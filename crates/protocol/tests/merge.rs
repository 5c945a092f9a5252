//! Properties of the field merge: it never drops a side's change without reporting it,
//! and it agrees with either side when the other did nothing.

use proptest::prelude::*;
use serde_json::{Map, Value};
use stride_protocol::{Image, merge};

/// Images over a few fields with a few values, so that sides often touch the same field.
fn image() -> impl Strategy<Value = Image> {
    proptest::collection::btree_map(
        prop::sample::select(vec!["subjective", "objective", "plan", "note_service/1", "updated_at"]),
        prop::sample::select(vec!["a", "b", "c", "2026-01-01", "2026-02-01"]),
        0..5,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect::<Map<_, _>>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn an_unchanged_side_takes_the_other_sides_version(base in image(), other in image()) {
        prop_assert_eq!(merge(&base, &base, &other).image, other.clone());
        prop_assert_eq!(merge(&base, &other, &base).image, other.clone());
        prop_assert!(merge(&base, &other, &base).conflicts.is_empty());
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict(base in image(), both in image()) {
        let m = merge(&base, &both, &both);
        prop_assert_eq!(m.image, both);
        prop_assert!(m.conflicts.is_empty());
    }

    #[test]
    fn every_field_comes_from_a_side_and_every_lost_change_is_reported(base in image(), mine in image(), theirs in image()) {
        let m = merge(&base, &mine, &theirs);
        let fields: std::collections::BTreeSet<&String> = base.keys().chain(mine.keys()).chain(theirs.keys()).collect();
        for f in fields {
            let (b, mi, th, out) = (base.get(f), mine.get(f), theirs.get(f), m.image.get(f));
            prop_assert!(out == mi || out == th, "{f}: the result is one side's value");
            if mi != b && out != mi {
                // My change did not survive: it must be reported (or be a timestamp).
                prop_assert!(f == "updated_at" || m.conflicts.iter().any(|c| &c.field == f && c.other.as_ref() == mi));
            }
            if th != b {
                // The server's change survives unless mine replaced it as the later timestamp.
                prop_assert!(out == th || f == "updated_at");
            }
        }
    }

    #[test]
    fn changes_to_different_fields_never_conflict(base in image(), mine in image(), theirs in image()) {
        let changed = |side: &Image| -> std::collections::BTreeSet<String> {
            base.keys().chain(side.keys()).filter(|k| base.get(*k) != side.get(*k)).cloned().collect()
        };
        if changed(&mine).is_disjoint(&changed(&theirs)) {
            prop_assert!(merge(&base, &mine, &theirs).conflicts.is_empty());
        }
    }
}
