//! When the clinic is open: its weekly hours ([`ClinicHours`]) and the days it closes
//! besides them ([`Closure`]: holidays, a training day). The schedule shades closed days,
//! a recurring series leaves them out, and the demo books around them.

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use stride_protocol::hours::{ClinicHours, Closure};

/// How far ahead the closures are listed ([`Chart::closures_from`]).
const CLOSURES_AHEAD_DAYS: i64 = 400;

/// A day the clinic is closed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClosedDay {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// The closure's reason ("Christmas Day"); `None` when the weekly hours leave the day
    /// out.
    pub reason: Option<String>,
}

/// The clinic's hours and its closures over some span of days: whether it is open on each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicCalendar {
    /// The weekly hours.
    pub hours: ClinicHours,
    /// Closures by day, with their reasons.
    closures: BTreeMap<NaiveDate, String>,
}

impl ClinicCalendar {
    /// A calendar of the weekly hours and these closures.
    pub fn new(hours: ClinicHours, closures: impl IntoIterator<Item = (NaiveDate, String)>) -> ClinicCalendar {
        ClinicCalendar {
            hours,
            closures: closures.into_iter().collect(),
        }
    }

    /// Whether the clinic is closed on `day`, and why; `None` when it is open.
    pub fn closed_on(&self, day: NaiveDate) -> Option<ClosedDay> {
        if let Some(reason) = self.closures.get(&day) {
            return Some(ClosedDay {
                day: day.to_string(),
                reason: Some(reason.clone()),
            });
        }
        let weekday = u8::try_from(day.weekday().number_from_monday()).ok()?;
        (!self.hours.open_on(weekday)).then(|| ClosedDay {
            day: day.to_string(),
            reason: None,
        })
    }

    /// Whether the clinic is open on `day`.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.closed_on(day).is_none()
    }
}

impl ClosedDay {
    /// Why a visit cannot be booked that day, in words: "the clinic is closed: Christmas
    /// Day", or "the clinic is not open on Saturdays".
    pub fn words(&self) -> String {
        match &self.reason {
            Some(reason) => format!("the clinic is closed: {reason}"),
            None => {
                let day = NaiveDate::parse_from_str(&self.day, "%Y-%m-%d")
                    .map(|d| d.format("%As").to_string())
                    .unwrap_or_else(|_| "that day".into());
                format!("the clinic is not open on {day}")
            }
        }
    }
}

/// A day closed, and the visits still booked on it, which the front desk moves or
/// cancels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClosureMade {
    /// The closure as stored.
    pub closure: Closure,
    /// Visits booked that day and not cancelled.
    pub booked: usize,
}

impl Chart {
    /// The clinic's hours and its closures from `first` to `last` (both included).
    pub fn clinic_calendar(&self, first: NaiveDate, last: NaiveDate) -> Result<ClinicCalendar> {
        let closures = self
            .closures_between(first, last)?
            .into_iter()
            .map(|c| Ok((crate::validate::date("day", &c.day)?, c.reason)))
            .collect::<Result<Vec<_>>>()?;
        Ok(ClinicCalendar::new(self.clinic_hours()?, closures))
    }

    /// The days the clinic is closed from `first` on, for a year and a little (what an
    /// administrator plans ahead), by day.
    pub fn closures_from(&self, first: NaiveDate) -> Result<Vec<Closure>> {
        self.closures_between(first, first + chrono::Duration::days(CLOSURES_AHEAD_DAYS))
    }

    /// The days the clinic is closed from `first` to `last` (both included), by day.
    pub fn closures_between(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Closure>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, reason FROM clinic_closure WHERE clinic_id = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day",
        )?;
        Ok(stmt
            .query_map((self.clinic_id(), first.to_string(), last.to_string()), |r| {
                Ok(Closure {
                    day: r.get(0)?,
                    reason: r.get(1)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// Closes the clinic on `day` for `reason` (administrators), or gives a closed day
    /// another reason. Visits already booked that day stay booked, and are counted.
    pub fn close_clinic_on(&mut self, by: &Session, day: &str, reason: &str) -> Result<ClosureMade> {
        by.require("closing the clinic for a day", &[Role::Admin])?;
        let (date, closure) = Closure::parse(day, reason).map_err(|why| ChartError::invalid("closure", why))?;
        let clinic_id = self.clinic_id().to_owned();
        self.write(Some(by), |w| {
            w.exec(
                "INSERT INTO clinic_closure (clinic_id, day, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (clinic_id, day) DO UPDATE SET reason = ?3",
                (&clinic_id, &closure.day, &closure.reason),
            )?;
            w.record("hours", "clinic", &clinic_id, serde_json::json!({ "id": clinic_id }))
        })?;
        let booked = self
            .schedule(date, None)?
            .iter()
            .filter(|a| a.status != crate::schedule::AppointmentStatus::Cancelled)
            .count();
        Ok(ClosureMade { closure, booked })
    }

    /// Opens the clinic again on a day it was closed (administrators).
    pub fn reopen_clinic_on(&mut self, by: &Session, day: &str) -> Result<()> {
        by.require("opening the clinic on a closed day", &[Role::Admin])?;
        let date = crate::validate::date("day", day)?;
        let clinic_id = self.clinic_id().to_owned();
        self.write(Some(by), |w| {
            let removed = w.exec(
                "DELETE FROM clinic_closure WHERE clinic_id = ?1 AND day = ?2",
                (&clinic_id, date.to_string()),
            )?;
            if removed == 0 {
                return Err(ChartError::invalid(
                    "day",
                    format!("the clinic is not closed on {date}"),
                ));
            }
            w.record("hours", "clinic", &clinic_id, serde_json::json!({ "id": clinic_id }))
        })
    }
}
