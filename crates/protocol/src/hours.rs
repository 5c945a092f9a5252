//! The clinic's opening hours and the days it closes besides them (holidays): what the
//! schedule opens on, and what a `clinic.hours` change may carry. One reading of them for
//! the device that sets them and the server that accepts the change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// When the clinic sees patients: one span of the day, on some days of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClinicHours {
    /// Opening time, `HH:MM` (24-hour).
    pub opens_at: String,
    /// Closing time, `HH:MM`, after the opening.
    pub closes_at: String,
    /// The days it is open, ISO weekday numbers (Monday 1 to Sunday 7), ascending.
    pub open_days: Vec<u8>,
}

impl Default for ClinicHours {
    /// Weekdays, 7:00 to 19:00: what a chart has until its administrator says otherwise.
    fn default() -> Self {
        ClinicHours {
            opens_at: "07:00".into(),
            closes_at: "19:00".into(),
            open_days: vec![1, 2, 3, 4, 5],
        }
    }
}

impl ClinicHours {
    /// Reads hours as typed or as stored: two times (`7:00`, `07:00`, `19:30`) and the
    /// days separated by commas, as ISO weekday numbers (`1,2,3,4,5`) or names (`mon,sat`).
    /// The error says what to fix, in words.
    pub fn parse(opens_at: &str, closes_at: &str, open_days: &str) -> Result<ClinicHours, String> {
        let opens = minutes_of_day(opens_at).ok_or_else(|| format!("{opens_at:?} is not a time; write it as 07:30"))?;
        let closes =
            minutes_of_day(closes_at).ok_or_else(|| format!("{closes_at:?} is not a time; write it as 19:00"))?;
        if closes <= opens {
            return Err("the clinic must close after it opens".into());
        }
        let mut days = Vec::new();
        for part in open_days.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match weekday(part) {
                Some(day) if !days.contains(&day) => days.push(day),
                Some(_) => return Err(format!("{part} is listed twice")),
                None => return Err(format!("{part:?} is not a day of the week (mon or 1 to sun or 7)")),
            }
        }
        if days.is_empty() {
            return Err("the clinic must be open on at least one day".into());
        }
        days.sort_unstable();
        Ok(ClinicHours {
            opens_at: clock(opens),
            closes_at: clock(closes),
            open_days: days,
        })
    }

    /// The days as stored: `1,2,3,4,5`.
    pub fn days_stored(&self) -> String {
        self.open_days.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
    }

    /// Whether the clinic is open on the ISO weekday `day` (Monday 1).
    pub fn open_on(&self, day: u8) -> bool {
        self.open_days.contains(&day)
    }
}

/// The ISO weekday number (Monday 1) of `1` to `7`, or of a day's name or its first three
/// letters in any case.
fn weekday(text: &str) -> Option<u8> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if let Ok(day @ 1..=7) = text.parse::<u8>() {
        return Some(day);
    }
    let lower = text.to_ascii_lowercase();
    let position = NAMES.iter().position(|n| lower.get(..3) == Some(*n))?;
    u8::try_from(position + 1).ok()
}

/// The longest reason a closure may give, in characters.
pub const CLOSURE_REASON_MAX: usize = 80;

/// A day the clinic is closed although its weekly hours say open: a holiday, a training
/// day, the building's maintenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Closure {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Why, as the schedule shows it ("Thanksgiving").
    pub reason: String,
}

impl Closure {
    /// Reads a closure as typed or as stored: a calendar date and a short reason. The error
    /// says what to fix, in words.
    pub fn parse(day: &str, reason: &str) -> Result<(NaiveDate, Closure), String> {
        let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{day:?} is not a date; write it as 2026-12-25"))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err("say why the clinic is closed (for example \"Christmas Day\")".into());
        }
        if reason.chars().count() > CLOSURE_REASON_MAX {
            return Err(format!("the reason is longer than {CLOSURE_REASON_MAX} characters"));
        }
        Ok((
            date,
            Closure {
                day: date.to_string(),
                reason: reason.to_owned(),
            },
        ))
    }
}

/// Minutes since midnight of `HH:MM` or `H:MM`, if it is a time of day.
fn minutes_of_day(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

/// `HH:MM` of minutes since midnight.
fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_typed_and_come_back_as_stored() {
        let hours = ClinicHours::parse("7:30", "18:00", "5, 1,2,Wed,thursday").expect("hours");
        assert_eq!(hours.opens_at, "07:30");
        assert_eq!(hours.days_stored(), "1,2,3,4,5");
        assert!(hours.open_on(5) && !hours.open_on(6));
        assert_eq!(
            ClinicHours::parse(&hours.opens_at, &hours.closes_at, &hours.days_stored()),
            Ok(hours)
        );
        assert_eq!(ClinicHours::default().days_stored(), "1,2,3,4,5");
    }

    #[test]
    fn closures_read_as_typed_and_say_what_to_fix() {
        let (date, closure) = Closure::parse(" 2026-12-25", " Christmas Day ").expect("closure");
        assert_eq!(date, NaiveDate::from_ymd_opt(2026, 12, 25).expect("date"));
        assert_eq!(
            (closure.day.as_str(), closure.reason.as_str()),
            ("2026-12-25", "Christmas Day")
        );
        let long = "x".repeat(CLOSURE_REASON_MAX + 1);
        for (day, reason, says) in [
            ("2026-02-30", "Staff day", "not a date"),
            ("12/25/2026", "Christmas", "not a date"),
            ("2026-12-24", "  ", "say why"),
            ("2026-12-24", long.as_str(), "longer than"),
        ] {
            let err = Closure::parse(day, reason).expect_err(says);
            assert!(err.contains(says), "{day} {reason}: {err}");
        }
    }

    #[test]
    fn wrong_hours_say_what_to_fix() {
        for (opens, closes, days, says) in [
            ("7am", "19:00", "1", "not a time"),
            ("07:00", "24:00", "1", "not a time"),
            ("07:00", "07:60", "1", "not a time"),
            ("19:00", "07:00", "1", "close after it opens"),
            ("07:00", "19:00", "", "at least one day"),
            ("07:00", "19:00", "1,8", "not a day of the week"),
            ("07:00", "19:00", "mo", "not a day of the week"),
            ("07:00", "19:00", "1,mon", "listed twice"),
        ] {
            let err = ClinicHours::parse(opens, closes, days).expect_err(says);
            assert!(err.contains(says), "{opens} {closes} {days}: {err}");
        }
    }
}
