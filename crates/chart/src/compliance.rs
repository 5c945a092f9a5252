//! Counting what Medicare's documentation rules count: treatment days since the last
//! progress report (Pub 100-02 Ch.15 §220.3 D), and the year's therapy allowed amounts
//! toward the KX threshold.

use crate::chart::Chart;
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;

/// Where an episode stands in its progress-report period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressStatus {
    /// First day of the current period: the episode's start, or the day after the last
    /// progress report (a re-evaluation or discharge summary counts as one).
    pub period_start: NaiveDate,
    /// Distinct treatment days with a signed note in the period.
    pub treatment_days: u32,
}

/// The episode's progress-report period, counting `also` as a treatment day if given
/// (the note about to be signed).
pub fn progress_status(chart: &Chart, episode_id: &str, also: Option<NaiveDate>) -> Result<ProgressStatus> {
    let conn = chart.connection();
    let last_report: Option<String> = conn
        .prepare_cached(
            "SELECT max(date_of_service) FROM note WHERE episode_id = ?1 AND signed_at IS NOT NULL
               AND kind IN ('progress', 'reeval', 'discharge')",
        )?
        .query_row([episode_id], |r| r.get(0))
        .optional()?
        .flatten();
    let period_start = match last_report
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        Some(d) => d.succ_opt().unwrap_or(d),
        None => {
            // The first period starts on the episode's first day, or on its first note
            // if one was dated earlier.
            let start: String = conn
                .prepare_cached(
                    "SELECT min(e.start_date, coalesce((SELECT min(date_of_service) FROM note WHERE episode_id = e.id), e.start_date))
                     FROM episode e WHERE e.id = ?1",
                )?
                .query_row([episode_id], |r| r.get(0))?;
            NaiveDate::parse_from_str(&start, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
        }
    };
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT date_of_service FROM note WHERE episode_id = ?1 AND signed_at IS NOT NULL
           AND date_of_service >= ?2",
    )?;
    let mut days: Vec<String> = stmt
        .query_map((episode_id, period_start.to_string()), |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    if let Some(d) = also.filter(|d| *d >= period_start) {
        let d = d.to_string();
        if !days.contains(&d) {
            days.push(d);
        }
    }
    Ok(ProgressStatus {
        period_start,
        treatment_days: u32::try_from(days.len()).unwrap_or(u32::MAX),
    })
}

/// Allowed cents of the patient's therapy this calendar year up to `date` (inclusive):
/// the amounts other providers billed, as recorded for that year, and the clinic's signed
/// charges under payers where the KX threshold applies. Each signed note holds its whole
/// day's lines as coded when it was signed, so a date counts once: by its most recently
/// signed note.
pub fn therapy_allowed_this_year(chart: &Chart, patient_id: &str, date: NaiveDate) -> Result<i64> {
    let year_start = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
    let outside: i64 = chart
        .connection()
        .prepare_cached(
            "SELECT coalesce((SELECT outside_therapy_cents FROM patient WHERE id = ?1 AND outside_therapy_year = ?2), 0)",
        )?
        .query_row((patient_id, date.year()), |r| r.get(0))?;
    Ok(outside
        + chart
            .connection()
            .prepare_cached(
                "SELECT coalesce(sum(c.allowed_cents), 0) FROM charge_line c
         JOIN note n ON n.id = c.note_id JOIN episode e ON e.id = n.episode_id JOIN payer p ON p.id = e.payer_id
         WHERE e.patient_id = ?1 AND p.kx_applies = 1 AND n.signed_at IS NOT NULL
           AND n.date_of_service BETWEEN ?2 AND ?3
           AND NOT EXISTS (SELECT 1 FROM note later JOIN episode le ON le.id = later.episode_id
                           WHERE le.patient_id = e.patient_id AND le.payer_id = e.payer_id
                             AND later.date_of_service = n.date_of_service AND later.signed_at IS NOT NULL
                             AND (later.signed_at, later.id) > (n.signed_at, n.id))",
            )?
            .query_row((patient_id, year_start.to_string(), date.to_string()), |r| {
                r.get::<_, i64>(0)
            })?)
}

/// Allowed cents of the patient's therapy this calendar year before `date`: what KX counts
/// from when `date` itself is coded as a whole day.
pub fn therapy_allowed_before(chart: &Chart, patient_id: &str, date: NaiveDate) -> Result<i64> {
    match date.pred_opt().filter(|d| d.year() == date.year()) {
        Some(day_before) => therapy_allowed_this_year(chart, patient_id, day_before),
        None => Ok(0),
    }
}
