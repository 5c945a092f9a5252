//! Recurring series: a plan of care's visits booked at once ("Mondays and Thursdays at
//! 9:00 for 6 weeks"), with every clash shown before anything is booked, and the series
//! cancelled together when the plan changes.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::schedule::{Appointment, AppointmentStatus, Booking, START_FORMAT, insert_appointment, parse_start};
use crate::users::{Role, Session};
use chrono::{Datelike, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

/// The longest series one booking makes: a year of weeks.
pub const MAX_WEEKS: u32 = 52;

/// What a recurring series asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeriesRequest {
    /// The patient.
    pub patient_id: String,
    /// The episode the visits treat, if known.
    pub episode_id: Option<String>,
    /// The treating therapist.
    pub therapist_id: String,
    /// The first visit, `YYYY-MM-DDTHH:MM`; every visit is at this time of day.
    pub first: String,
    /// The days of the week it repeats on (`mon` … `sun`); the first visit's day when empty.
    pub weekdays: Vec<String>,
    /// How many weeks, counted from the first visit's day.
    pub weeks: u32,
    /// Each visit's length in minutes.
    pub minutes: u32,
}

/// One visit of a series as planned, and what it clashes with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedVisit {
    /// Start, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// The booked visits (the therapist's or the patient's) it would overlap.
    pub clashes: Vec<Appointment>,
    /// Why the clinic is closed that day, in words, when it is.
    pub closed: Option<String>,
}

impl PlannedVisit {
    /// Whether the visit can be booked: the clinic is open and nothing clashes.
    pub fn bookable(&self) -> bool {
        self.clashes.is_empty() && self.closed.is_none()
    }
}

/// A series as booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BookedSeries {
    /// The series' id, on each of its visits.
    pub series_id: String,
    /// The visits booked.
    pub booked: Vec<Appointment>,
    /// The start times left out because they clashed or the clinic is closed then.
    pub skipped: Vec<String>,
}

/// Reads a day of the week: `mon`, `Monday`, `thu` and so on.
pub fn parse_weekday(day: &str) -> Result<Weekday> {
    day.trim().parse::<Weekday>().map_err(|_| {
        ChartError::invalid(
            "weekdays",
            format!("{day:?} is not a day of the week; write mon, tue, wed, thu, fri, sat or sun"),
        )
    })
}

/// The start times of a series: over `weeks` weeks from `first`'s day, every day that falls
/// on one of `weekdays`, at `first`'s time. Exactly `weeks` × the distinct weekdays, since
/// every seven days hold each weekday once.
pub fn occurrences(first: NaiveDateTime, weekdays: &[Weekday], weeks: u32) -> Vec<NaiveDateTime> {
    (0..i64::from(weeks) * 7)
        .map(|d| first + chrono::Duration::days(d))
        .filter(|t| weekdays.contains(&t.weekday()))
        .collect()
}

impl SeriesRequest {
    /// The start times asked for, checked: a readable first visit, known weekdays, and
    /// between 1 and [`MAX_WEEKS`] weeks.
    pub fn starts(&self) -> Result<Vec<NaiveDateTime>> {
        let first = parse_start(&self.first)?;
        if !(1..=MAX_WEEKS).contains(&self.weeks) {
            return Err(ChartError::invalid("weeks", format!("between 1 and {MAX_WEEKS} weeks")));
        }
        let mut days = self
            .weekdays
            .iter()
            .map(|d| parse_weekday(d))
            .collect::<Result<Vec<_>>>()?;
        if days.is_empty() {
            days.push(first.weekday());
        }
        Ok(occurrences(first, &days, self.weeks))
    }
}

impl Chart {
    /// Plans a series without booking it: each start time with what it would clash with.
    pub fn plan_series(&self, by: &Session, request: &SeriesRequest) -> Result<Vec<PlannedVisit>> {
        Ok(self.planned(by, request)?.1)
    }

    /// The booking a series makes (checked) and its visits with their clashes.
    fn planned(&self, by: &Session, request: &SeriesRequest) -> Result<(Booking, Vec<PlannedVisit>)> {
        let booking = self.check_booking(
            by,
            &request.patient_id,
            request.episode_id.as_deref(),
            &request.therapist_id,
            request.minutes,
        )?;
        let starts = request.starts()?;
        let calendar = match (starts.first(), starts.last()) {
            (Some(first), Some(last)) => Some(self.clinic_calendar(first.date(), last.date())?),
            _ => None,
        };
        let visits = starts
            .into_iter()
            .map(|start| {
                Ok(PlannedVisit {
                    starts_at: start.format(START_FORMAT).to_string(),
                    clashes: self.clashes(&booking.therapist_id, &booking.patient_id, start, booking.minutes)?,
                    closed: calendar
                        .as_ref()
                        .and_then(|c| c.closed_on(start.date()))
                        .map(|c| c.words()),
                })
            })
            .collect::<Result<_>>()?;
        Ok((booking, visits))
    }

    /// Books a series in one transaction. With clashes (or days the clinic is closed),
    /// nothing is booked unless `skip_clashes` says to book the rest and leave those times
    /// out.
    pub fn book_series(&mut self, by: &Session, request: &SeriesRequest, skip_clashes: bool) -> Result<BookedSeries> {
        let (booking, plan) = self.planned(by, request)?;
        let clashing: Vec<&PlannedVisit> = plan.iter().filter(|v| !v.bookable()).collect();
        if !clashing.is_empty() && !skip_clashes {
            let times: Vec<&str> = clashing.iter().map(|v| v.starts_at.as_str()).collect();
            return Err(ChartError::invalid(
                "series",
                format!(
                    "{} of the {} visits clash with visits already booked or fall on days the clinic is closed ({}); move the series, or book the rest without them",
                    clashing.len(),
                    plan.len(),
                    times.join(", ")
                ),
            ));
        }
        let series_id = new_id();
        let ids = self.write(Some(by), |w| {
            plan.iter()
                .filter(|v| v.bookable())
                .map(|v| insert_appointment(w, &booking, parse_start(&v.starts_at)?, Some(&series_id)))
                .collect::<Result<Vec<_>>>()
        })?;
        Ok(BookedSeries {
            booked: ids.iter().map(|id| self.appointment(id)).collect::<Result<_>>()?,
            skipped: clashing.iter().map(|v| v.starts_at.clone()).collect(),
            series_id,
        })
    }

    /// Cancels a series' visits still booked from `from` (`YYYY-MM-DDTHH:MM`) on, in one
    /// transaction; visits already seen stay as they are. Returns how many were cancelled.
    pub fn cancel_series(&mut self, by: &Session, series_id: &str, from: &str) -> Result<usize> {
        by.require(
            "cancelling a series of visits",
            &[Role::Frontdesk, Role::Pt, Role::Pta, Role::Admin],
        )?;
        let from = parse_start(from)?.format(START_FORMAT).to_string();
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM appointment WHERE series_id = ?1 AND starts_at >= ?2 AND status = ?3 ORDER BY starts_at",
            )?
            .query_map((series_id, &from, AppointmentStatus::Scheduled.as_str()), |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        self.write(Some(by), |w| {
            for id in &ids {
                w.exec(
                    "UPDATE appointment SET status = 'cancelled', updated_at = ?1 WHERE id = ?2",
                    (&w.at, id),
                )?;
                w.record(
                    "update",
                    "appointment",
                    id,
                    serde_json::json!({ "id": id, "status": AppointmentStatus::Cancelled }),
                )?;
            }
            Ok(ids.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_start(s).expect("a start time")
    }

    #[test]
    fn twice_a_week_for_six_weeks_is_twelve_visits_at_the_same_time() {
        let starts = occurrences(at("2026-12-07T09:00"), &[Weekday::Mon, Weekday::Thu], 6);
        assert_eq!(starts.len(), 12);
        assert_eq!(starts[0], at("2026-12-07T09:00"));
        assert_eq!(starts[1], at("2026-12-10T09:00"));
        assert_eq!(starts[11], at("2027-01-14T09:00"));
    }

    #[test]
    fn a_series_starting_mid_week_takes_the_days_after_it_first() {
        // First visit on a Thursday, repeating Mondays and Thursdays: Thu, Mon, Thu, Mon.
        let starts = occurrences(at("2026-12-10T14:30"), &[Weekday::Mon, Weekday::Thu], 2);
        let days: Vec<Weekday> = starts.iter().map(|s| s.weekday()).collect();
        assert_eq!(days, [Weekday::Thu, Weekday::Mon, Weekday::Thu, Weekday::Mon]);
    }

    #[test]
    fn bad_requests_are_refused_in_words() {
        let mut r = SeriesRequest {
            patient_id: "p".into(),
            episode_id: None,
            therapist_id: "t".into(),
            first: "2026-12-07T09:00".into(),
            weekdays: vec!["mon".into(), "funday".into()],
            weeks: 6,
            minutes: 45,
        };
        assert!(
            r.starts()
                .expect_err("refused")
                .to_string()
                .contains("not a day of the week")
        );
        r.weekdays = vec![];
        assert_eq!(
            r.starts().expect("starts").len(),
            6,
            "no weekdays: the first visit's day"
        );
        r.weeks = 0;
        assert!(
            r.starts()
                .expect_err("refused")
                .to_string()
                .contains("between 1 and 52 weeks")
        );
    }

    proptest! {
        #[test]
        fn a_series_has_weeks_times_days_visits_all_on_those_days(
            offset in 0i64..3000,
            hour in 6u32..20,
            days in proptest::sample::subsequence(
                vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun], 1..=7),
            weeks in 1u32..=MAX_WEEKS,
        ) {
            let first = at("2025-01-01T00:00") + chrono::Duration::days(offset) + chrono::Duration::hours(i64::from(hour));
            let starts = occurrences(first, &days, weeks);
            prop_assert_eq!(starts.len(), days.len() * weeks as usize);
            prop_assert!(starts.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(starts.iter().all(|s| days.contains(&s.weekday()) && s.time() == first.time()));
            prop_assert!(starts.iter().all(|s| *s >= first && *s < first + chrono::Duration::weeks(i64::from(weeks))));
        }

        #[test]
        fn overlap_is_symmetric_and_touching_visits_do_not_overlap(
            a in 0i64..1000, am in 5u32..=480, b in 0i64..1000, bm in 5u32..=480,
        ) {
            let base = at("2026-12-07T07:00");
            let (sa, sb) = (base + chrono::Duration::minutes(a), base + chrono::Duration::minutes(b));
            use crate::schedule::overlaps;
            prop_assert_eq!(overlaps(sa, am, sb, bm), overlaps(sb, bm, sa, am));
            let end_a = sa + chrono::Duration::minutes(i64::from(am));
            prop_assert!(!overlaps(sa, am, end_a, bm));
        }
    }
}
