//! Invariants over random visits.

use crate::{day, units_of};
use proptest::prelude::*;
use std::collections::BTreeMap;
use stride_coding::units::units_for_minutes;
use stride_coding::{Service, UnitMethod, Visit, code_visit};

const TIMED: [&str; 10] = [
    "97110", "97112", "97116", "97140", "97530", "97535", "97035", "97032", "97113", "97124",
];
const UNTIMED: [&str; 4] = ["97162", "97012", "G0283", "97016"];

/// Up to six distinct timed codes with minutes 0..=120, PTA minutes within them.
pub fn timed_services() -> impl Strategy<Value = Vec<Service>> {
    proptest::sample::subsequence(TIMED.to_vec(), 0..=6)
        .prop_flat_map(|codes| {
            let n = codes.len();
            (Just(codes), proptest::collection::vec((0u32..=120, 0u32..=100), n))
        })
        .prop_map(|(codes, mins)| {
            codes
                .into_iter()
                .zip(mins)
                .map(|(code, (minutes, pct))| Service {
                    code: code.to_owned(),
                    minutes,
                    pta_minutes: minutes * pct / 100,
                })
                .collect()
        })
}

/// Each line as (code, units, modifiers), sorted: what a claim would bill.
pub fn billed(c: &stride_coding::Coding) -> Vec<(String, u32, Vec<stride_coding::Modifier>)> {
    let mut lines: Vec<_> = c
        .lines
        .iter()
        .map(|l| (l.code.clone(), l.units, l.modifiers.clone()))
        .collect();
    lines.sort();
    lines
}

fn code(method: UnitMethod, services: Vec<Service>) -> stride_coding::Coding {
    code_visit(&Visit::new(day(), method, services), crate::rules()).expect("valid visit")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn cms_total_units_follow_the_pooled_minutes(services in timed_services()) {
        let total: u32 = services.iter().map(|s| s.minutes).sum();
        let c = code(UnitMethod::Cms, services);
        prop_assert_eq!(c.timed_minutes, total);
        prop_assert_eq!(c.timed_units, (total + 7) / 15);
        prop_assert_eq!(c.total_units(), c.timed_units);
    }

    #[test]
    fn cms_each_code_gets_its_full_units_and_at_most_one_more(services in timed_services()) {
        let c = code(UnitMethod::Cms, services.clone());
        for s in &services {
            let u = units_of(&c, &s.code);
            prop_assert!(u == s.minutes / 15 || u == s.minutes / 15 + 1, "{} {} -> {}", s.code, s.minutes, u);
        }
    }

    #[test]
    fn cms_extra_units_go_to_the_largest_leftovers(services in timed_services()) {
        let c = code(UnitMethod::Cms, services.clone());
        let extra = |s: &Service| units_of(&c, &s.code) > s.minutes / 15;
        for winner in services.iter().filter(|s| extra(s)) {
            for loser in services.iter().filter(|s| !extra(s) && s.minutes % 15 > 0) {
                prop_assert!(winner.minutes % 15 >= loser.minutes % 15,
                    "{} leftover {} took a unit over {} leftover {}",
                    winner.code, winner.minutes % 15, loser.code, loser.minutes % 15);
            }
        }
    }

    #[test]
    fn ama_is_per_code(services in timed_services()) {
        let c = code(UnitMethod::Ama, services.clone());
        for s in &services {
            prop_assert_eq!(units_of(&c, &s.code), units_for_minutes(s.minutes));
        }
    }

    #[test]
    fn lines_are_well_formed(services in timed_services()) {
        // Every line bills a unit, leads with GP, explains itself, and the units never
        // need more minutes than were documented (15 per unit, less the 7-minute grace).
        let c = code(UnitMethod::Cms, services);
        prop_assert!(c.lines.iter().all(|l| l.units >= 1));
        prop_assert!(c.lines.iter().all(|l| l.modifiers.first() == Some(&stride_coding::Modifier::GP)));
        prop_assert!(c.lines.iter().all(|l| !l.explanation.to_string().is_empty()));
        prop_assert!(15 * c.timed_units <= c.timed_minutes + 7);
    }

    #[test]
    fn cq_units_add_up_and_follow_the_assistant(services in timed_services(), method in prop_oneof![Just(UnitMethod::Cms), Just(UnitMethod::Ama)]) {
        let c = code(method, services.clone());
        let mut seen: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for l in &c.lines {
            let e = seen.entry(l.code.as_str()).or_default();
            if l.modifiers.iter().any(|m| m == "CQ") { e.1 += l.units } else { e.0 += l.units }
        }
        for s in &services {
            let (plain, cq) = seen.get(s.code.as_str()).copied().unwrap_or_default();
            if s.pta_minutes == 0 { prop_assert_eq!(cq, 0); }
            if s.pta_minutes == s.minutes { prop_assert_eq!(plain, 0); }
            prop_assert!(cq >= s.pta_minutes / 15, "a PTA's whole unit always carries CQ");
            prop_assert!(plain >= (s.minutes - s.pta_minutes) / 15, "the PT's whole units bill plain");
            prop_assert_eq!(plain + cq, units_of(&c, &s.code));
        }
    }

    #[test]
    fn untimed_codes_never_change_timed_units(services in timed_services(), extra in proptest::sample::subsequence(UNTIMED.to_vec(), 0..=4), minutes in 0u32..=90) {
        let base = code(UnitMethod::Cms, services.clone());
        let mut more = services;
        more.extend(extra.iter().map(|c| Service { code: (*c).to_owned(), minutes, pta_minutes: 0 }));
        let c = code(UnitMethod::Cms, more);
        prop_assert_eq!(c.timed_units, base.timed_units);
        for u in &extra {
            prop_assert_eq!(units_of(&c, u), 1);
        }
    }

    #[test]
    fn order_of_entry_never_changes_the_total(services in timed_services()) {
        let forward = code(UnitMethod::Cms, services.clone());
        let mut reversed = services;
        reversed.reverse();
        let backward = code(UnitMethod::Cms, reversed);
        prop_assert_eq!(forward.timed_units, backward.timed_units);
        // Ties are broken by who furnished the minutes and by code, never by typing order:
        // every code bills the same units, with and without CQ, either way.
        prop_assert_eq!(billed(&forward), billed(&backward));
    }
}
