//! The clinic's quick text: phrases by shortcut, templates by note kind and part, kept by
//! its PTs and admin, replaced rather than rewritten, and synced as ops.

use crate::Fixture;
use stride_chart::Role;
use stride_chart::quicktext::QuickTextUse;

fn phrase(shortcut: &str) -> QuickTextUse {
    QuickTextUse::Phrase {
        shortcut: shortcut.into(),
    }
}

#[test]
fn phrases_and_templates_are_kept_and_a_new_one_replaces_the_old() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    f.chart
        .add_quick_text(
            &owner,
            &phrase(";HEP"),
            "Reviewed and progressed the home exercise program.",
        )
        .expect("a phrase");
    let template = QuickTextUse::Template {
        note_kind: "daily".into(),
        field: "plan".into(),
    };
    f.chart
        .add_quick_text(&owner, &template, "Continue plan of care, 2x/week.")
        .expect("a template");
    let listed = f.chart.quick_texts().expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0].used_as,
        phrase("hep"),
        "stored without the semicolon, in lower case"
    );

    // The same shortcut again: the new words replace the old.
    f.chart
        .add_quick_text(&owner, &phrase("hep"), "HEP reviewed; patient independent.")
        .expect("replaced");
    let listed = f.chart.quick_texts().expect("list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].text, "HEP reviewed; patient independent.");

    f.chart.retire_quick_text(&owner, &listed[1].id).expect("retired");
    assert_eq!(f.chart.quick_texts().expect("list").len(), 1);
}

#[test]
fn quick_text_refuses_what_it_cannot_keep_and_who_may_not() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let bad = [
        (phrase("has space"), "x", "shortcut"),
        (phrase(""), "x", "shortcut"),
        (
            QuickTextUse::Template {
                note_kind: "weekly".into(),
                field: "plan".into(),
            },
            "x",
            "kind",
        ),
        (
            QuickTextUse::Template {
                note_kind: "daily".into(),
                field: "billing".into(),
            },
            "x",
            "field",
        ),
        (phrase("ok"), "   ", "text"),
    ];
    for (used_as, text, why) in bad {
        let err = f.chart.add_quick_text(&owner, &used_as, text).expect_err(why);
        assert!(matches!(err, stride_chart::ChartError::Invalid { .. }), "{why}: {err}");
    }
    let desk = f.user("frank", &[Role::Frontdesk]);
    let refused = f
        .chart
        .add_quick_text(&desk, &phrase("hi"), "Hello")
        .expect_err("front desk");
    assert!(refused.to_string().contains("quick text"), "{refused}");
    assert!(f.chart.quick_texts().expect("list").is_empty());
}
