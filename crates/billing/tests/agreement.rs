//! The claim scrubber and the coding engine cannot disagree: for any day the engine codes,
//! the scrubber's NCCI, MUE and KX findings on the lines it built are exactly the engine's
//! (issue 13). Both call `stride_coding::edits`; this test would catch either side growing
//! a rule of its own.

use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::LazyLock;
use stride_billing::scrub::{LineFacts, PayerFacts, line_edits};
use stride_coding::mue::MueTable;
use stride_coding::{
    Cents, Coding, Day, DayNote, DistinctModifier, FindingKind, Modifier, PayerRules, RuleSet, Service, UnitMethod,
    code_day,
};

/// Codes that meet in the sample NCCI table (97530/97140, 97530/97116, 97161-97164 with
/// 97140 or 97530, 97163/97161) and in the MUE table, with plain timed codes around them.
const CODES: [&str; 10] = [
    "97110", "97112", "97116", "97140", "97530", "97161", "97163", "97164", "97032", "97035",
];

/// The built-in rules, and the same with MUEs of every indicator on common codes (MAI 1
/// on 97110, MAI 3 on 97140, MAI 2 on 97530), so every adjudication is reached.
static RULES: LazyLock<[RuleSet; 2]> = LazyLock::new(|| {
    let builtin = RuleSet::builtin().expect("rules");
    let mut strict = RuleSet::builtin().expect("rules");
    strict.mue = MueTable::parse_cms_practitioner(
        b"97110,2,1 Line Edit,x\n97140,1,3 Date of Service Edit: Clinical,x\n97530,1,\"2 Date of Service Edit: Policy\",x\n97161,1,\"2 Date of Service Edit: Policy\",x\n",
    )
    .expect("mue");
    [builtin, strict]
});

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 3).expect("date")
}

prop_compose! {
    fn a_note()(
        picks in proptest::sample::subsequence(CODES.to_vec(), 0..=4),
        minutes in proptest::collection::vec((0u32..=70, 0u32..=100), 4),
        distinct in proptest::option::of((0usize..10, 0usize..10)),
    ) -> DayNote {
        DayNote {
            services: picks
                .iter()
                .zip(minutes)
                .map(|(code, (m, pct))| Service {
                    code: (*code).to_owned(),
                    minutes: m,
                    // PTA minutes on an evaluation are an error the engine refuses to bill
                    // as coded; keep the day billable.
                    pta_minutes: if code.starts_with("9716") { 0 } else { m * pct / 100 },
                })
                .collect(),
            distinct_pairs: distinct
                .map(|(a, b)| vec![[CODES[a].to_owned(), CODES[b].to_owned()]])
                .unwrap_or_default(),
            ..DayNote::default()
        }
    }
}

prop_compose! {
    fn a_day()(
        notes in proptest::collection::vec(a_note(), 1..=3),
        method in prop_oneof![Just(UnitMethod::Cms), Just(UnitMethod::Ama)],
        kx in any::<bool>(),
        xu in any::<bool>(),
        ytd in 0i64..=300_000,
        fees in proptest::collection::vec(proptest::option::of(1_000i64..=60_000), 10),
    ) -> Day {
        let distinct_modifier = if xu { DistinctModifier::Xu } else { DistinctModifier::Distinct59 };
        Day {
            date: date(),
            method,
            payer: PayerRules { kx, distinct_modifier, ..PayerRules::default_for(method) },
            ytd_allowed: kx.then_some(Cents(ytd)),
            fees: CODES
                .iter()
                .zip(fees)
                .filter_map(|(c, f)| f.map(|f| ((*c).to_owned(), Cents(f))))
                .collect(),
            notes,
        }
    }
}

/// The engine's findings about the lines as billed, as (kind, codes), sorted.
fn engine_edits(coding: &Coding) -> Vec<(FindingKind, Vec<String>)> {
    let mut found: Vec<_> = coding
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::NcciNotAllowed
                    | FindingKind::NcciNeedsDistinct
                    | FindingKind::MueExceeded
                    | FindingKind::KxMissing
            )
        })
        .map(|f| (f.kind, f.codes.clone()))
        .collect();
    found.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn the_scrubber_finds_what_the_engine_finds(day in a_day(), strict in any::<bool>()) {
        let rules = &RULES[usize::from(strict)];
        let Ok(coding) = code_day(&day, rules) else {
            return Ok(());
        };
        let lines: Vec<LineFacts> = coding
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| LineFacts {
                position: u32::try_from(i + 1).unwrap_or(u32::MAX),
                date: day.date,
                code: l.code.clone(),
                modifiers: l.modifiers.clone(),
                units: l.units,
                charge_cents: 5000,
                allowed_cents: l.allowed_cents.map(|c| c.0),
                description: None,
            })
            .collect();
        let payer = PayerFacts {
            id: "payer".into(),
            name: "Payer".into(),
            payer_code: Some("00952".into()),
            method: day.method,
            medicare: day.payer.medicare,
            kx_applies: day.payer.kx,
            progress_interval: 10,
            denies_past_progress_period: true,
            distinct_modifier: day.payer.distinct_modifier.modifier(),
        };
        let ytd = day.ytd_allowed.unwrap_or(Cents(0));
        let mut scrubbed: Vec<_> = line_edits(rules, &payer, day.date, &lines, ytd)
            .into_iter()
            .map(|f| (f.kind, f.codes))
            .collect();
        scrubbed.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        prop_assert_eq!(scrubbed, engine_edits(&coding));
    }
}

#[test]
fn the_agreement_test_can_fail() {
    // A biller's edit the engine never makes (KX taken off a line past the threshold) is a
    // scrubber finding the engine does not have: the comparison above is not vacuous.
    let rules = &RULES[0];
    let day = Day {
        date: date(),
        method: UnitMethod::Cms,
        payer: PayerRules::default_for(UnitMethod::Cms),
        ytd_allowed: Some(Cents(300_000)),
        fees: [("97110".to_owned(), Cents(3_000))].into(),
        notes: vec![DayNote {
            services: vec![Service {
                code: "97110".into(),
                minutes: 30,
                pta_minutes: 0,
            }],
            ..DayNote::default()
        }],
    };
    let coding = code_day(&day, rules).expect("codes");
    assert!(coding.lines[0].modifiers.contains(&Modifier::KX));
    let line = LineFacts {
        position: 1,
        date: day.date,
        code: "97110".into(),
        modifiers: vec![Modifier::GP],
        units: 2,
        charge_cents: 5000,
        allowed_cents: Some(6000),
        description: None,
    };
    let payer = PayerFacts {
        id: "payer".into(),
        name: "Medicare".into(),
        payer_code: None,
        method: UnitMethod::Cms,
        medicare: true,
        kx_applies: true,
        progress_interval: 10,
        denies_past_progress_period: true,
        distinct_modifier: Modifier::DISTINCT_59,
    };
    let found = line_edits(rules, &payer, day.date, &[line], Cents(300_000));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, FindingKind::KxMissing);
    assert!(engine_edits(&coding).is_empty());
}
