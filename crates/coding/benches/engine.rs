//! Engine benchmarks: `cargo bench -p stride-coding`.

use chrono::NaiveDate;
use divan::{Bencher, black_box};
use stride_coding::{Day, DayNote, PayerRules, RuleSet, Service, UnitMethod, Visit, code_day, code_visit};

fn main() {
    divan::main();
}

fn service(code: &str, minutes: u32, pta_minutes: u32) -> Service {
    Service {
        code: code.to_owned(),
        minutes,
        pta_minutes,
    }
}

/// A typical daily note: four codes, one with PTA minutes, a fee schedule and KX data.
fn typical_visit(method: UnitMethod) -> Visit {
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date");
    let mut visit = Visit::new(
        date,
        method,
        vec![
            service("97110", 18, 0),
            service("97140", 13, 0),
            service("97116", 10, 6),
            service("97035", 8, 0),
        ],
    );
    visit.fees = [("97110", 3215), ("97140", 2980), ("97116", 3010), ("97035", 1450)]
        .into_iter()
        .map(|(c, f)| (c.to_owned(), stride_coding::Cents(f)))
        .collect();
    visit.ytd_allowed = Some(stride_coding::Cents(240_000));
    visit
}

#[divan::bench(args = [UnitMethod::Cms, UnitMethod::Ama])]
fn typical_four_code_visit(bencher: Bencher, method: UnitMethod) {
    let rules = RuleSet::builtin().expect("builtin rules");
    let visit = typical_visit(method);
    bencher.bench(|| code_visit(black_box(&visit), black_box(&rules)));
}

/// A day of three notes: the PT's morning visit, the PTA's afternoon session and an
/// evaluation-free re-check, pooled and coded as one date of service.
#[divan::bench]
fn day_of_three_notes(bencher: Bencher) {
    let rules = RuleSet::builtin().expect("builtin rules");
    let typical = typical_visit(UnitMethod::Cms);
    let note = |services: Vec<Service>| DayNote {
        services,
        ..DayNote::default()
    };
    let day = Day {
        date: typical.date,
        method: UnitMethod::Cms,
        payer: PayerRules::default_for(UnitMethod::Cms),
        ytd_allowed: typical.ytd_allowed,
        fees: typical.fees.clone(),
        notes: vec![
            note(vec![service("97110", 18, 0), service("97140", 13, 0)]),
            note(vec![service("97116", 10, 10), service("97110", 8, 8)]),
            note(vec![service("97035", 8, 0), service("97530", 12, 0)]),
        ],
    };
    bencher.bench(|| code_day(black_box(&day), black_box(&rules)));
}

/// One million visits of varied minutes through the library, on one core.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn one_million_visits(bencher: Bencher) {
    let rules = RuleSet::builtin().expect("builtin rules");
    let mut visit = typical_visit(UnitMethod::Cms);
    bencher.bench_local(|| {
        let mut units = 0u64;
        for i in 0..1_000_000u32 {
            visit.services[0].minutes = 5 + i % 40;
            visit.services[1].minutes = i % 23;
            let coding = code_visit(black_box(&visit), &rules).expect("valid visit");
            units += u64::from(coding.total_units());
        }
        units
    });
}

#[divan::bench]
fn parse_builtin_rules() -> RuleSet {
    RuleSet::builtin().expect("builtin rules")
}

/// The typical visit coded and rendered as `stride code` prints it, explanations included.
#[divan::bench]
fn typical_visit_with_explanations_as_json(bencher: Bencher) {
    let rules = RuleSet::builtin().expect("builtin rules");
    let visit = typical_visit(UnitMethod::Cms);
    bencher.bench(|| {
        let coding = code_visit(black_box(&visit), black_box(&rules)).expect("valid visit");
        let report = stride_coding::request::CodingReport::from(coding);
        serde_json::to_string(&report).expect("serializes")
    });
}
