//! A demo clinic of realistic, entirely synthetic data: staff, payers with fee schedules,
//! patients with insurance, episodes, certified plans of care, signed evaluations, daily
//! notes and progress reports, a week of schedule and a few drafts. Also used, at scale,
//! for the performance benchmarks. Deterministic: the same options give the same clinic.
//! With `billing_history`, the month before "today" is already billed and paid, with the
//! insurance cases a clinic meets in its first month (`demo/month.rs`).

mod month;

pub use month::payer_remittance;

use crate::Chart;
use crate::billing::profile::{BillingProfile, PayerBilling};
use crate::episodes::NewEpisode;
use crate::error::Result;
use crate::goals::GoalStatus;
use crate::notes::{EvalComplexity, FlowsheetRow, NoteEdit, NoteKind};
use crate::patients::NewPatient;
use crate::payers::Payer;
use crate::plans::{Goal, NewPlan};
use crate::users::{Role, Session};
use crate::validate;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use stride_coding::UnitMethod;

/// How big a demo clinic to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Patients to register.
    pub patients: u32,
    /// Signed visits per patient's episode (the first an evaluation, every tenth a
    /// progress report).
    pub visits_per_patient: u32,
    /// The clinic's "today": visits end before it, the schedule starts on it.
    pub today: NaiveDate,
    /// Also give one patient five years of weekly-ish visits (the chart-open benchmark).
    pub long_history: bool,
    /// Patients per transaction.
    pub batch_size: u32,
    /// Physical therapists on staff, the owner included (at least 2: the owner and
    /// "jordan"; more are named pt3, pt4, ...).
    pub therapists: u32,
    /// Add the first month's insurance cases (`demo/month.rs`) and bill, send and post everything signed
    /// more than two weeks before `today`, leaving the last two weeks to bill.
    pub billing_history: bool,
}

impl DemoOptions {
    /// The demo clinic a newcomer opens (the app's "open the demo", `stride demo tour`):
    /// 60 patients of 8 visits, one with five years of history, two therapists, and the
    /// weeks before `today` already billed and paid.
    pub fn newcomer(today: NaiveDate) -> DemoOptions {
        DemoOptions {
            patients: 60,
            visits_per_patient: 8,
            today,
            long_history: true,
            batch_size: 50,
            therapists: 2,
            billing_history: true,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoReport {
    /// Patients registered.
    pub patients: u32,
    /// Notes written (signed and drafts).
    pub notes: u32,
    /// Appointments booked.
    pub appointments: u32,
    /// The patient with five years of history, if made.
    pub long_history_patient: Option<String>,
    /// Claims billed, sent and paid before `today` (with `billing_history`).
    pub claims_billed: u32,
    /// Payments posted from the payers' 835 files (with `billing_history`).
    pub payments_posted: u32,
}

/// The password of every demo user besides the owner.
pub const DEMO_PASSWORD: &str = "demo-password";

const FIRST: [&str; 24] = [
    "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Isla", "Lucas", "Nora", "Mateo", "Ruth", "Omar", "Grace", "Hiro",
    "Leah", "Sam", "Ines", "Caleb", "Priya", "Jonah", "Elena", "Theo", "Amara", "Felix",
];
const LAST: [&str; 24] = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Brennan",
    "Alvarez",
    "Kowalski",
    "Haddad",
    "Nguyen",
    "Fischer",
    "Osei",
    "Rossi",
    "Schmidt",
    "Delgado",
    "Patel",
    "Novak",
    "Ibarra",
    "Larsen",
    "Mendes",
    "Quinn",
    "Varga",
    "Whitfield",
    "Yilmaz",
    "Zhou",
];
const DIAGNOSES: [&str; 8] = [
    "M54.50", "M25.561", "S83.511A", "M75.101", "M17.11", "G89.29", "M62.81", "R26.89",
];
/// Medicare's fee for one unit of each code the demo bills; other payers pay more.
const MEDICARE_FEES: [(&str, i64); 9] = [
    ("97110", 3215),
    ("97112", 3650),
    ("97140", 2980),
    ("97530", 3710),
    ("97116", 3170),
    ("97535", 3560),
    ("97161", 10_450),
    ("97162", 10_450),
    ("97163", 10_450),
];
const TIMED: [&str; 6] = ["97110", "97112", "97140", "97530", "97116", "97535"];
const STREETS: [&str; 6] = ["Maple", "Oak", "Walnut", "Cedar", "Elm", "Lincoln"];
const EXERCISES: [&str; 6] = [
    "Bridge",
    "Clamshell",
    "Sit to stand",
    "Row, band",
    "Step-up",
    "Heel raise",
];

/// A small deterministic generator (SplitMix64): demo data needs variety, not security.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u32) as usize]
    }
}

/// The demo staff and payers, made once.
struct Setting {
    therapists: Vec<Session>,
    /// "bill", the clinic's biller.
    biller: Session,
    medicare: String,
    commercial: String,
    referring: String,
}

/// Marks `chart` as a demo clinic (done by [`seed`]; also by the demo's openers, for a
/// demo chart made before the mark existed).
pub fn mark(chart: &mut Chart, by: &Session) -> Result<()> {
    chart.write(Some(by), |w| {
        w.exec(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('demo_clinic', '1')",
            [],
        )
    })?;
    Ok(())
}

/// Whether `chart` holds a demo clinic (made by [`seed`]): only there does the demo payer
/// pay.
pub fn is_demo(chart: &Chart) -> Result<bool> {
    use rusqlite::OptionalExtension;
    Ok(chart
        .conn
        .prepare_cached("SELECT 1 FROM meta WHERE key = 'demo_clinic'")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Seeds a demo clinic into `chart` as `owner` (who must be a PT and admin).
pub fn seed(chart: &mut Chart, owner: &Session, options: &DemoOptions) -> Result<DemoReport> {
    let mut dice = Dice(0x5354_5249_4445);
    mark(chart, owner)?;
    let setting = chart.batch(|c| setting(c, owner, options.therapists))?;
    let mut report = DemoReport::default();
    let batch = options.batch_size.max(1);
    let mut next = 0;
    while next < options.patients {
        let end = (next + batch).min(options.patients);
        chart.batch(|c| {
            for i in next..end {
                let notes = patient(c, &setting, &mut dice, i, options.visits_per_patient, options.today)?;
                report.patients += 1;
                report.notes += notes;
            }
            Ok(())
        })?;
        next = end;
    }
    if options.long_history {
        let (id, notes) = chart.batch(|c| long_history(c, &setting, &mut dice, options.today))?;
        report.long_history_patient = Some(id);
        report.patients += 1;
        report.notes += notes;
    }
    if options.billing_history {
        report.notes += chart.batch(|c| month::cases(c, &setting, &mut dice, options.today))?;
        report.patients += month::CASES;
    }
    let (appointments, drafts) = chart.batch(|c| schedule_week(c, &setting, options.today))?;
    report.appointments = appointments;
    report.notes += drafts;
    if options.billing_history {
        let billed = month::bill_the_past(chart, &setting, options.today)?;
        report.claims_billed = billed.claims;
        report.payments_posted = billed.payments;
    }
    Ok(report)
}

fn setting(chart: &mut Chart, owner: &Session, therapists_wanted: u32) -> Result<Setting> {
    let mut therapists = vec![owner.clone()];
    let mut biller = None;
    chart.set_user_npi(owner, &owner.user_id, &validate::npi_from_base(100_300_012))?;
    for (n, (name, roles)) in [
        ("jordan", &[Role::Pt][..]),
        ("pat", &[Role::Pta][..]),
        ("dee", &[Role::Frontdesk][..]),
        ("bill", &[Role::Biller][..]),
    ]
    .into_iter()
    .enumerate()
    {
        let id = chart.add_user(owner, name, DEMO_PASSWORD, roles)?;
        if roles[0] == Role::Pt {
            chart.set_user_npi(owner, &id, &validate::npi_from_base(100_300_020 + n as u32))?;
            therapists.push(chart.session_for(&id)?);
        }
        if roles[0] == Role::Biller {
            biller = Some(chart.session_for(&id)?);
        }
    }
    for n in 3..=therapists_wanted {
        let id = chart.add_user(owner, &format!("pt{n}"), DEMO_PASSWORD, &[Role::Pt])?;
        chart.set_user_npi(owner, &id, &validate::npi_from_base(100_300_100 + n))?;
        therapists.push(chart.session_for(&id)?);
    }
    chart.set_billing_profile(owner, &demo_billing_profile(chart)?)?;
    let referring = chart.add_referring_provider(owner, "Grace Okafor MD", &validate::npi_from_base(124_531_959))?;
    let medicare = chart.add_payer(owner, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))?;
    let commercial = chart.add_payer(owner, &Payer::with_defaults("Blue Cross PPO", UnitMethod::Ama))?;
    for (code, cents) in MEDICARE_FEES {
        chart.set_fee(owner, &medicare, code, cents)?;
        chart.set_fee(owner, &commercial, code, cents * 13 / 10)?;
        chart.set_clinic_fee(owner, code, cents * 16 / 10)?;
    }
    for (payer, code, filing) in [(&medicare, "00952", "MB"), (&commercial, "BCBS1", "BL")] {
        let billing = PayerBilling {
            payer_code: Some(code.into()),
            claim_filing: filing.into(),
            self_pay: false,
        };
        chart.set_payer_billing(owner, payer, &billing)?;
    }
    Ok(Setting {
        therapists,
        biller: biller.unwrap_or_else(|| owner.clone()),
        medicare,
        commercial,
        referring,
    })
}

/// The demo clinic's billing details: a made-up address, tax id and clearinghouse.
fn demo_billing_profile(chart: &Chart) -> Result<BillingProfile> {
    Ok(BillingProfile {
        npi: Some(validate::npi_from_base(123_456_789)),
        tax_id: Some("12-3456789".into()),
        address_line: Some("100 Riverside Drive".into()),
        city: Some("Springfield".into()),
        state: Some("IL".into()),
        zip: Some("62701-1234".into()),
        phone: Some("217-555-0100".into()),
        billing_contact: Some("Billing Office".into()),
        submitter_id: Some("STRIDEDEMO".into()),
        receiver_id: Some("DEMOCLEARING".into()),
        receiver_name: Some("Demo Clearinghouse".into()),
        ..chart.billing_profile()?
    })
}

fn new_patient(chart: &mut Chart, s: &Setting, dice: &mut Dice, i: u32) -> Result<String> {
    let owner = &s.therapists[0];
    let dob = NaiveDate::from_ymd_opt(1935 + dice.below(70) as i32, 1 + dice.below(12), 1 + dice.below(28))
        .unwrap_or(NaiveDate::MIN);
    chart.add_patient(
        owner,
        &NewPatient {
            first_name: dice.pick(&FIRST).to_owned(),
            last_name: dice.pick(&LAST).to_owned(),
            dob: dob.to_string(),
            phone: Some(format!("555-{:03}-{:04}", i / 10_000 % 1000, i % 10_000)),
            sex: Some(["female", "male"][dice.below(2) as usize].to_owned()),
            address: Some(format!("{} {} Street", 10 + dice.below(980), dice.pick(&STREETS))),
            city: Some("Springfield".into()),
            state: Some("IL".into()),
            zip: Some(format!("627{:02}", dice.below(100))),
            ..NewPatient::default()
        },
    )
}

/// One patient with one episode of `visits` signed notes ending before `today`.
fn patient(chart: &mut Chart, s: &Setting, dice: &mut Dice, i: u32, visits: u32, today: NaiveDate) -> Result<u32> {
    let owner = s.therapists[0].clone();
    let id = new_patient(chart, s, dice, i)?;
    let medicare = dice.below(2) == 0;
    let payer = if medicare {
        s.medicare.clone()
    } else {
        s.commercial.clone()
    };
    chart.add_coverage(&owner, &id, &payer, &format!("M{:09}", i), 1)?;
    // Two or three visits a week, ending yesterday (or earlier for some).
    let span = i64::from(visits) * 7 / 3 + 1;
    let start = today - Duration::days(span + i64::from(dice.below(30)));
    let shape = EpisodeShape {
        patient_id: &id,
        payer: &payer,
        start,
        visits,
        discharge: false,
        therapist: None,
        diagnosis: None,
    };
    episode(chart, s, dice, shape)
}

/// The shape of one demo episode.
struct EpisodeShape<'a> {
    patient_id: &'a str,
    payer: &'a str,
    start: NaiveDate,
    visits: u32,
    discharge: bool,
    /// Who treats: one of the staff at random when `None`.
    therapist: Option<&'a Session>,
    /// The episode's diagnosis: one at random when `None`.
    diagnosis: Option<&'a str>,
}

/// An episode starting on `start` with `visits` signed notes (evaluation first, a progress
/// report every tenth visit, a discharge summary last when `discharge`) and a certified
/// plan of care.
fn episode(chart: &mut Chart, s: &Setting, dice: &mut Dice, e: EpisodeShape<'_>) -> Result<u32> {
    let EpisodeShape {
        patient_id,
        payer,
        start,
        visits,
        discharge,
        therapist,
        diagnosis,
    } = e;
    let owner = s.therapists[0].clone();
    let random = s.therapists[dice.below(s.therapists.len() as u32) as usize].clone();
    let therapist = therapist.cloned().unwrap_or(random);
    let episode = chart.add_episode(
        &owner,
        &NewEpisode {
            patient_id: patient_id.to_owned(),
            payer_id: payer.to_owned(),
            diagnoses: vec![diagnosis.unwrap_or_else(|| dice.pick(&DIAGNOSES)).to_owned()],
            referring_provider_id: Some(s.referring.clone()),
            start_date: Some(start.to_string()),
            ..NewEpisode::default()
        },
    )?;
    let plan = chart.add_plan(
        &owner,
        &NewPlan {
            episode_id: episode.clone(),
            cert_start: start.to_string(),
            cert_end: (start + Duration::days(83)).to_string(),
            frequency_per_week: 2,
            duration_weeks: 12,
            goals: vec![
                Goal {
                    term: "short".into(),
                    text: "Independent with home exercise program".into(),
                    target_date: Some((start + Duration::days(28)).to_string()),
                },
                Goal {
                    term: "long".into(),
                    text: "Return to prior level of function without pain".into(),
                    target_date: Some((start + Duration::days(83)).to_string()),
                },
            ],
            recertifies: None,
        },
    )?;
    chart.certify_plan(
        &owner,
        &plan,
        &(start + Duration::days(3 + i64::from(dice.below(10)))).to_string(),
        "signed",
    )?;
    let mut day = start;
    for v in 0..visits {
        let kind = match v {
            0 => NoteKind::Eval,
            v if discharge && v + 1 == visits => NoteKind::Discharge,
            v if v % 10 == 9 => NoteKind::Progress,
            _ => NoteKind::Daily,
        };
        // The owner evaluates and writes the reports of the clinic's patients; a
        // therapist billing in her own name does all of her own.
        let by = if kind == NoteKind::Daily || s.therapists.iter().all(|t| t.user_id != therapist.user_id) {
            &therapist
        } else {
            &owner
        };
        visit(chart, dice, by, &episode, kind, day, v)?;
        day += Duration::days(2 + i64::from(dice.below(2)));
    }
    Ok(visits)
}

fn visit(
    chart: &mut Chart,
    dice: &mut Dice,
    by: &Session,
    episode: &str,
    kind: NoteKind,
    day: NaiveDate,
    v: u32,
) -> Result<()> {
    let note = chart.create_note(by, episode, kind, &day.to_string(), None)?;
    let mut total = 0;
    // An evaluation also bills its own code (moderate complexity here).
    let mut codes: Vec<&str> = if kind == NoteKind::Eval {
        vec!["97162"]
    } else {
        Vec::new()
    };
    for _ in 0..2 + dice.below(2) {
        let minutes = 8 + dice.below(20);
        let code = dice.pick(&TIMED);
        // Leave out codes that would make an NCCI pair with one already done: the demo's
        // notes do not mark services as done in distinct intervals.
        if codes
            .iter()
            .any(|c| chart.rules.ptp.edit_between(c, code, day).is_some())
        {
            continue;
        }
        codes.push(code);
        total += minutes;
        chart.set_service(by, &note, code, minutes, None)?;
    }
    let edit = NoteEdit {
        subjective: Some(format!("Reports pain {}/10 since last visit.", 2 + dice.below(6))),
        objective: Some("Tolerated session; cues for form.".into()),
        assessment: Some("Progressing toward goals.".into()),
        plan: Some("Continue plan of care.".into()),
        eval_complexity: (kind == NoteKind::Eval).then_some(EvalComplexity::Moderate),
        total_treatment_minutes: Some(total + 5),
    };
    chart.edit_note(by, &note, &edit)?;
    if v % 5 == 1 {
        let rows: Vec<FlowsheetRow> = (0..3)
            .map(|_| FlowsheetRow {
                exercise: dice.pick(&EXERCISES).to_owned(),
                sets: Some(2 + dice.below(2)),
                reps: Some(10 + dice.below(6)),
                load: None,
                carried: false,
            })
            .collect();
        chart.set_flowsheet(by, &note, &rows)?;
    }
    // The LEFS at the evaluation and every fourth visit, rising as the episode goes on, so
    // the chart's outcome trend has something to show.
    if v.is_multiple_of(4) && by.is_clinician() {
        // No dice here: the demo's other draws stay as they were.
        let level = i32::try_from((1 + v / 4).min(4)).unwrap_or(4);
        let answers: Vec<Option<i32>> = (0..20)
            .map(|i| Some(if i % 4 == 0 { (level - 1).max(0) } else { level }))
            .collect();
        chart.record_measure(
            by,
            episode,
            Some(&note),
            "lefs",
            &day.to_string(),
            &stride_measures::Answers::whole(&answers),
        )?;
    }
    // Progress reports and discharge summaries say where the plan's goals stand: the
    // short-term goal met by the first report, the long-term one by the discharge.
    if matches!(kind, NoteKind::Progress | NoteKind::Discharge) {
        let goals: Vec<String> = chart
            .goal_progress(episode, None)?
            .goals
            .into_iter()
            .map(|g| g.goal_id)
            .collect();
        for (i, goal) in goals.iter().enumerate() {
            let (status, comment) = match (kind, i) {
                (NoteKind::Discharge, _) | (_, 0) => (GoalStatus::Met, "Met as the plan set it."),
                _ => (GoalStatus::Progressing, "Pain with stairs down to 3/10."),
            };
            chart.assess_goal(by, &note, goal, Some((status, comment)))?;
        }
    }
    chart.sign_note(by, &note)?;
    Ok(())
}

/// One patient with about five years of visits in repeated episodes.
fn long_history(chart: &mut Chart, s: &Setting, dice: &mut Dice, today: NaiveDate) -> Result<(String, u32)> {
    let id = new_patient(chart, s, dice, 999_999)?;
    chart.add_coverage(&s.therapists[0], &id, &s.medicare, "M999999999", 1)?;
    let mut start = today - Duration::days(5 * 365);
    let mut notes = 0;
    while start + Duration::days(60) < today {
        let last = start + Duration::days(135) >= today;
        let shape = EpisodeShape {
            patient_id: &id,
            payer: &s.medicare,
            start,
            visits: 20,
            discharge: !last,
            therapist: None,
            diagnosis: None,
        };
        notes += episode(chart, s, dice, shape)?;
        start += Duration::days(75);
    }
    Ok((id, notes))
}

/// A week of appointments for the first patients, today and the clinic's next open days,
/// a staff training day after them (the clinic closed), and a couple of drafts.
fn schedule_week(chart: &mut Chart, s: &Setting, today: NaiveDate) -> Result<(u32, u32)> {
    let owner = s.therapists[0].clone();
    let patients = chart.patients()?;
    let calendar = chart.clinic_calendar(today, today + Duration::days(14))?;
    let mut open_days = today.iter_days().skip(1).filter(|d| calendar.open_on(*d));
    let days: Vec<NaiveDate> = std::iter::once(today).chain(open_days.by_ref().take(4)).collect();
    if let Some(training) = open_days.next().filter(|_| owner.has(Role::Admin)) {
        chart.close_clinic_on(&owner, &training.to_string(), "Staff training day")?;
    }
    let mut booked = 0;
    for (i, p) in patients.iter().take(40).enumerate() {
        let therapist = &s.therapists[i % s.therapists.len()];
        let day = days[(i / 8) % days.len()];
        let at = format!("{day}T{:02}:{:02}", 8 + (i % 8), if i % 2 == 0 { 0 } else { 30 });
        let episode = chart.episodes_of(&p.id)?.into_iter().next().map(|e| e.id);
        chart.add_appointment(&owner, &p.id, episode.as_deref(), &therapist.user_id, &at, 45)?;
        booked += 1;
    }
    let mut drafts = 0;
    for p in patients.iter().take(2) {
        if let Some(e) = chart.episodes_of(&p.id)?.into_iter().next() {
            chart.create_note(&owner, &e.id, NoteKind::Daily, &today.to_string(), None)?;
            drafts += 1;
        }
    }
    Ok((booked, drafts))
}
