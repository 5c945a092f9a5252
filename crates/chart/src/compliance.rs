//! Counting what Medicare's documentation rules count: treatment days since the last
//! progress report (Pub 100-02 Ch.15 §220.3 D), and the year's therapy allowed amounts
//! toward the KX threshold.

use crate::chart::Chart;
use crate::error::Result;
use crate::notes::NoteKind;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use stride_billing::progress::{ProgressPeriod, VisitKind, progress_period};

/// Where an episode stands in its progress-report period, counted by
/// `stride_billing::progress::progress_period` over its signed notes: the period's first
/// day, and its treatment days so far.
pub fn progress_status(chart: &Chart, episode_id: &str) -> Result<ProgressPeriod> {
    let conn = chart.connection();
    // The first period starts on the episode's first day, or on its first note if one was
    // dated earlier.
    let first: String = conn
        .prepare_cached(
            "SELECT min(e.start_date, coalesce((SELECT min(date_of_service) FROM note WHERE episode_id = e.id), e.start_date))
             FROM episode e WHERE e.id = ?1",
        )?
        .query_row([episode_id], |r| r.get(0))?;
    let first_day = NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
    Ok(progress_period(first_day, &signed_visits(chart, episode_id)?, None))
}

/// An episode's signed notes as (date of service, kind), oldest first.
pub fn signed_visits(chart: &Chart, episode_id: &str) -> Result<Vec<(NaiveDate, VisitKind)>> {
    let mut stmt = chart.connection().prepare_cached(
        "SELECT date_of_service, kind FROM note WHERE episode_id = ?1 AND signed_at IS NOT NULL
         ORDER BY date_of_service",
    )?;
    let rows = stmt.query_map([episode_id], |r| {
        let kind: String = r.get(1)?;
        let kind = match NoteKind::parse(&kind).unwrap_or(NoteKind::Daily) {
            NoteKind::Eval => VisitKind::Evaluation,
            NoteKind::Daily => VisitKind::Daily,
            NoteKind::Progress | NoteKind::Reeval | NoteKind::Discharge => VisitKind::Report,
        };
        let date: String = r.get(0)?;
        Ok((
            NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or(NaiveDate::MIN),
            kind,
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The patient's (`?1`) signed allowed amounts by date between `?2` and `?3`, under payers
/// where KX applies. The payers come first (`CROSS JOIN` keeps them outside), so that each
/// payer's days are a range of the heads' key (patient, payer, date): a patient with years
/// of visits costs only the days of the year asked for. It runs on every save of a note.
pub(crate) const THERAPY_YEAR: &str =
    "SELECT d.date_of_service, coalesce(sum(d.allowed_cents), 0) FROM payer p CROSS JOIN day_line d ON d.payer_id = p.id
     WHERE d.patient_id = ?1 AND p.kx_applies = 1 AND d.date_of_service BETWEEN ?2 AND ?3
     GROUP BY d.date_of_service";

/// A patient's therapy allowed amounts in one calendar year, as the KX threshold counts
/// them: what other providers billed (as recorded for that year), and the clinic's signed
/// charges under payers where the threshold applies, each date once (the `day_line` view).
/// Read with one query, then asked for any date of the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TherapyYear {
    outside: i64,
    by_date: BTreeMap<NaiveDate, i64>,
}

impl TherapyYear {
    /// Reads a patient's year.
    pub fn read(chart: &Chart, patient_id: &str, year: i32) -> Result<TherapyYear> {
        let conn = chart.connection();
        let outside: i64 = conn
            .prepare_cached(
                "SELECT coalesce((SELECT outside_therapy_cents FROM patient WHERE id = ?1 AND outside_therapy_year = ?2), 0)",
            )?
            .query_row((patient_id, year), |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(THERAPY_YEAR)?;
        let rows = stmt.query_map(
            (patient_id, format!("{year:04}-01-01"), format!("{year:04}-12-31")),
            |r| {
                let date: String = r.get(0)?;
                Ok((date, r.get::<_, i64>(1)?))
            },
        )?;
        let mut by_date = BTreeMap::new();
        for row in rows {
            let (date, cents) = row?;
            if let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
                by_date.insert(date, cents);
            }
        }
        Ok(TherapyYear { outside, by_date })
    }

    /// The year's amounts before `date`: what KX counts from when `date` is coded whole.
    pub fn before(&self, date: NaiveDate) -> i64 {
        self.outside + self.by_date.range(..date).map(|(_, c)| c).sum::<i64>()
    }

    /// The year's amounts through `date`, `date` included.
    pub fn through(&self, date: NaiveDate) -> i64 {
        self.outside + self.by_date.range(..=date).map(|(_, c)| c).sum::<i64>()
    }
}

/// Allowed cents of the patient's therapy this calendar year up to `date` (inclusive).
pub fn therapy_allowed_this_year(chart: &Chart, patient_id: &str, date: NaiveDate) -> Result<i64> {
    Ok(TherapyYear::read(chart, patient_id, date.year())?.through(date))
}
