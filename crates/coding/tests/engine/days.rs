//! A date of service coded as one: every note a patient has that day under one payer,
//! pooled (Pub 100-04 Ch.5 §20.2, "the total number of minutes of service ... determines
//! the number of timed units billed"; billing-rules errata 2026-12).

use crate::properties::{billed, timed_services};
use crate::{day, rules, units_of};
use proptest::prelude::*;
use stride_coding::{Day, DayNote, PayerRules, Service, UnitMethod, Visit, code_day, code_visit};

fn service(code: &str, minutes: u32, pta_minutes: u32) -> Service {
    Service {
        code: code.to_owned(),
        minutes,
        pta_minutes,
    }
}

fn a_day(method: UnitMethod, notes: Vec<Vec<Service>>) -> Day {
    Day {
        date: day(),
        method,
        payer: PayerRules::default_for(method),
        ytd_allowed: None,
        fees: Default::default(),
        notes: notes
            .into_iter()
            .map(|services| DayNote {
                services,
                ..DayNote::default()
            })
            .collect(),
    }
}

#[test]
fn two_short_notes_on_one_date_bill_one_unit() {
    // A morning note with 7 minutes of 97110 and an afternoon note with 7 minutes of
    // 97112 (another clinician): each alone bills nothing, the day bills one unit, for
    // either code (§20.2: "bill one unit for the service performed for the most minutes";
    // equal here, so the lower code).
    let d = a_day(
        UnitMethod::Cms,
        vec![vec![service("97110", 7, 0)], vec![service("97112", 7, 7)]],
    );
    let c = code_day(&d, rules()).expect("codes");
    assert_eq!(c.timed_minutes, 14);
    assert_eq!(c.timed_units, 1);
    // The PTA furnished 97112: the tied unit is theirs, with CQ.
    assert_eq!(units_of(&c, "97112"), 1);
    assert!(c.lines[0].modifiers.contains(&stride_coding::Modifier::CQ));
}

#[test]
fn the_same_code_in_two_notes_is_one_line() {
    // §20.2 "If performing a single 15-minute code ... submit a line item for each date of
    // service, reporting the units performed each day": 20 + 18 minutes of 97110 on one
    // date are 38 minutes, three units, on one line.
    let d = a_day(
        UnitMethod::Cms,
        vec![vec![service("97110", 20, 0)], vec![service("97110", 18, 0)]],
    );
    let c = code_day(&d, rules()).expect("codes");
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].units, 3);
}

#[test]
fn total_treatment_time_is_known_only_when_every_note_gives_it() {
    let mut d = a_day(UnitMethod::Cms, vec![vec![service("97110", 20, 0)], vec![]]);
    d.notes[0].total_treatment_minutes = Some(25);
    assert_eq!(d.pooled().total_treatment_minutes, None);
    d.notes[1].total_treatment_minutes = Some(10);
    assert_eq!(d.pooled().total_treatment_minutes, Some(35));
}

/// Splits each service's minutes (and its PTA's part) across `notes` notes.
fn split(services: &[Service], cuts: &[(u32, u32, usize)], notes: usize) -> Vec<Vec<Service>> {
    let mut out = vec![Vec::new(); notes];
    for (s, &(pct, pta_pct, rotate)) in services.iter().zip(cuts) {
        let first = s.minutes * pct / 100;
        let first_pta = (s.pta_minutes * pta_pct / 100).min(first);
        let rest_pta = s.pta_minutes - first_pta;
        out[rotate % notes].push(service(&s.code, first, first_pta));
        out[(rotate + 1) % notes].push(service(&s.code, s.minutes - first, rest_pta));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Coding a day equals coding its notes pooled into one visit, however the minutes
    /// (PT's and PTA's) are split across notes and clinicians, and in whichever order the
    /// notes were written.
    #[test]
    fn a_day_bills_what_its_minutes_pooled_bill(
        services in timed_services(),
        cuts in proptest::collection::vec((0u32..=100, 0u32..=100, 0usize..3), 6),
        notes in 1usize..=3,
        method in prop_oneof![Just(UnitMethod::Cms), Just(UnitMethod::Ama)],
    ) {
        // Only splits that keep each part's PTA minutes within its minutes are real notes.
        let parts = split(&services, &cuts, notes);
        prop_assume!(parts.iter().flatten().all(|s| s.pta_minutes <= s.minutes));
        let whole = code_visit(&Visit::new(day(), method, services), rules()).expect("codes");
        let mut d = a_day(method, parts);
        let as_day = code_day(&d, rules()).expect("codes");
        prop_assert_eq!(billed(&as_day), billed(&whole));
        prop_assert_eq!(as_day.timed_units, whole.timed_units);
        d.notes.reverse();
        let reversed = code_day(&d, rules()).expect("codes");
        prop_assert_eq!(billed(&reversed), billed(&whole));
    }
}
