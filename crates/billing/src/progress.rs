//! The progress-report period: Medicare asks for a progress report at least once every
//! 10 treatment days (Pub 100-02 Ch.15 §220.3 D; a payer may set another interval). A
//! treatment day is a date with a signed note; a progress report, re-evaluation or
//! discharge summary ends a period, and the next starts the day after it.
//!
//! One rule for every caller: the chart's alerts (is a report due?) and the claim
//! scrubber (was one overdue on this date of service?) both count with
//! [`progress_period`].

use chrono::NaiveDate;

/// What kind of visit a signed note records, as the progress-report rule counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitKind {
    /// Initial evaluation.
    Evaluation,
    /// Daily treatment note.
    Daily,
    /// A progress report, re-evaluation or discharge summary: each ends a period.
    Report,
}

/// Where an episode stands in its progress-report period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressPeriod {
    /// First day of the period: the episode's first day, or the day after the last report.
    pub start: NaiveDate,
    /// Distinct treatment days in the period.
    pub treatment_days: u32,
}

/// The period an episode is in. `signed` holds the episode's signed notes as (date, kind),
/// in any order; `first_day` is the episode's first day. With `on`, the period is counted
/// as of that date of service: only notes dated before it, and `on` itself as a treatment
/// day (a report written on `on` does not end the period `on` belongs to). Without it,
/// every signed note counts.
pub fn progress_period(
    first_day: NaiveDate,
    signed: &[(NaiveDate, VisitKind)],
    on: Option<NaiveDate>,
) -> ProgressPeriod {
    let counted = |d: NaiveDate| on.is_none_or(|on| d < on);
    let start = signed
        .iter()
        .filter(|(d, k)| *k == VisitKind::Report && counted(*d))
        .map(|(d, _)| *d)
        .max()
        .map_or(first_day, |report| report.succ_opt().unwrap_or(report));
    let mut days: Vec<NaiveDate> = signed
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| *d >= start && counted(*d))
        .chain(on.filter(|on| *on >= start))
        .collect();
    days.sort_unstable();
    days.dedup();
    ProgressPeriod {
        start,
        treatment_days: u32::try_from(days.len()).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).expect("date")
    }

    #[test]
    fn ten_treatment_days_then_a_report_starts_again() {
        // §220.3 D: the report is due on or before the 10th treatment day.
        let mut signed = vec![(d(2), VisitKind::Evaluation)];
        signed.extend((3..=11).map(|n| (d(n), VisitKind::Daily)));
        let now = progress_period(d(2), &signed, None);
        assert_eq!((now.start, now.treatment_days), (d(2), 10));
        assert_eq!(progress_period(d(2), &signed, Some(d(12))).treatment_days, 11);
        signed.push((d(12), VisitKind::Report));
        // On the report's own date the old period is still counted...
        assert_eq!(progress_period(d(2), &signed, Some(d(12))).treatment_days, 11);
        // ...and the next visit starts a new one.
        let after = progress_period(d(2), &signed, Some(d(13)));
        assert_eq!((after.start, after.treatment_days), (d(13), 1));
        assert_eq!(progress_period(d(2), &signed, None).treatment_days, 0);
    }

    #[test]
    fn two_notes_on_one_date_are_one_treatment_day() {
        let signed = [
            (d(3), VisitKind::Daily),
            (d(3), VisitKind::Daily),
            (d(4), VisitKind::Daily),
        ];
        assert_eq!(progress_period(d(2), &signed, None).treatment_days, 2);
        assert_eq!(progress_period(d(2), &signed, Some(d(4))).treatment_days, 2);
    }
}
