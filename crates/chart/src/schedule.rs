//! Appointments and their statuses (scheduled, arrived, no-show, cancelled), and the
//! clinic's opening hours the schedule is laid out on.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use stride_protocol::hours::ClinicHours;

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AppointmentStatus {
    /// Booked.
    Scheduled,
    /// Checked in.
    Arrived,
    /// Did not come.
    NoShow,
    /// Called off.
    Cancelled,
}

impl AppointmentStatus {
    /// Parses `scheduled`, `arrived`, `no_show` (or `no-show`) or `cancelled`.
    pub fn parse(s: &str) -> Result<AppointmentStatus> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "scheduled" => Ok(Self::Scheduled),
            "arrived" => Ok(Self::Arrived),
            "no_show" => Ok(Self::NoShow),
            "cancelled" | "canceled" => Ok(Self::Cancelled),
            other => Err(ChartError::invalid(
                "status",
                format!("{other:?} is not a status; use scheduled, arrived, no-show or cancelled"),
            )),
        }
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Arrived => "arrived",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    /// The statuses a visit in this status may be set to, each with the button's words:
    /// a booked visit is checked in, marked a no-show or cancelled; a check-in or a no-show
    /// made by mistake is undone (a check-in only while no note documents the visit:
    /// [`Chart::status_steps`]); a cancelled visit is booked again, not revived.
    pub fn steps(self) -> &'static [StatusStep] {
        const BOOKED: &[StatusStep] = &[
            StatusStep::new(AppointmentStatus::Arrived, "Check in", false),
            StatusStep::new(AppointmentStatus::NoShow, "No-show", false),
            StatusStep::new(AppointmentStatus::Cancelled, "Cancel visit", true),
        ];
        const ARRIVED: &[StatusStep] = &[StatusStep::new(AppointmentStatus::Scheduled, "Undo check-in", false)];
        const NO_SHOW: &[StatusStep] = &[StatusStep::new(AppointmentStatus::Scheduled, "Undo no-show", false)];
        match self {
            Self::Scheduled => BOOKED,
            Self::Arrived => ARRIVED,
            Self::NoShow => NO_SHOW,
            Self::Cancelled => &[],
        }
    }

    /// What the status is called on the schedule.
    pub fn words(self) -> &'static str {
        match self {
            Self::Scheduled => "booked",
            Self::Arrived => "arrived",
            Self::NoShow => "no-show",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A status a visit may be set to, as the schedule offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusStep {
    /// The status it sets.
    pub to: AppointmentStatus,
    /// The button's words ("Check in", "Undo no-show").
    pub label: &'static str,
    /// Whether it calls the visit off (shown as a destructive act).
    pub destructive: bool,
}

impl StatusStep {
    const fn new(to: AppointmentStatus, label: &'static str, destructive: bool) -> StatusStep {
        StatusStep { to, label, destructive }
    }
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Appointment {
    /// Id.
    pub id: String,
    /// The patient.
    pub patient_id: String,
    /// The episode, if known.
    pub episode_id: Option<String>,
    /// The treating therapist.
    pub therapist_id: String,
    /// Local start, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// Length in minutes.
    pub minutes: u32,
    /// Status.
    pub status: AppointmentStatus,
    /// The recurring series it was booked in, if any.
    pub series_id: Option<String>,
}

impl Appointment {
    /// Whether the visit may move to another time or therapist: only one still to come
    /// (booked, not checked in, a no-show or cancelled). The schedule asks this too.
    pub fn movable(&self) -> bool {
        self.status == AppointmentStatus::Scheduled
    }

    /// The steps the visit may take now, given whether a note (draft or signed) documents
    /// it: those its status offers, less undoing a check-in that a note documents.
    pub fn steps_now(&self, documented: bool) -> Vec<StatusStep> {
        let documented = documented && self.status == AppointmentStatus::Arrived;
        self.status
            .steps()
            .iter()
            .filter(|step| !(documented && step.to == AppointmentStatus::Scheduled))
            .copied()
            .collect()
    }
}

impl Chart {
    /// The clinic's opening hours (weekdays 7:00 to 19:00 until an administrator sets them).
    pub fn clinic_hours(&self) -> Result<ClinicHours> {
        let (opens, closes, days): (String, String, String) = self
            .conn
            .prepare_cached("SELECT opens_at, closes_at, open_days FROM clinic WHERE id = ?1")?
            .query_row([self.clinic_id()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        ClinicHours::parse(&opens, &closes, &days)
            .map_err(|why| ChartError::State(format!("the clinic's stored hours cannot be read: {why}")))
    }

    /// Sets the clinic's opening hours (administrators): two times and the ISO weekdays
    /// (`1,2,3,4,5`) it is open.
    pub fn set_clinic_hours(
        &mut self,
        by: &Session,
        opens_at: &str,
        closes_at: &str,
        open_days: &str,
    ) -> Result<ClinicHours> {
        by.require("setting the clinic's hours", &[Role::Admin])?;
        let hours =
            ClinicHours::parse(opens_at, closes_at, open_days).map_err(|why| ChartError::invalid("hours", why))?;
        let clinic_id = self.clinic_id().to_owned();
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE clinic SET opens_at = ?2, closes_at = ?3, open_days = ?4 WHERE id = ?1",
                (&clinic_id, &hours.opens_at, &hours.closes_at, hours.days_stored()),
            )?;
            w.record("hours", "clinic", &clinic_id, serde_json::json!({ "id": clinic_id }))
        })?;
        Ok(hours)
    }

    /// Books an appointment; returns its id.
    pub fn add_appointment(
        &mut self,
        by: &Session,
        patient_id: &str,
        episode_id: Option<&str>,
        therapist_id: &str,
        starts_at: &str,
        minutes: u32,
    ) -> Result<String> {
        let booking = self.check_booking(by, patient_id, episode_id, therapist_id, minutes)?;
        let start = parse_start(starts_at)?;
        self.write(Some(by), |w| insert_appointment(w, &booking, start, None))
    }

    /// Checks who may book, and what: the patient, the episode, a clinician to treat, a
    /// sensible length. Shared by single visits and recurring series.
    pub(crate) fn check_booking(
        &self,
        by: &Session,
        patient_id: &str,
        episode_id: Option<&str>,
        therapist_id: &str,
        minutes: u32,
    ) -> Result<Booking> {
        by.require(
            "booking an appointment",
            &[Role::Frontdesk, Role::Pt, Role::Pta, Role::Admin],
        )?;
        self.patient(patient_id)?;
        if let Some(e) = episode_id {
            self.episode(e)?;
        }
        let therapist = self.session_for(therapist_id)?;
        if !therapist.is_clinician() {
            return Err(ChartError::invalid(
                "therapist",
                format!("{} is not a PT or PTA", therapist.name),
            ));
        }
        if !(5..=480).contains(&minutes) {
            return Err(ChartError::invalid("length", "between 5 and 480 minutes"));
        }
        Ok(Booking {
            patient_id: patient_id.to_owned(),
            episode_id: episode_id.map(str::to_owned),
            therapist_id: therapist_id.to_owned(),
            minutes,
        })
    }

    /// Moves a visit to another time, and to another therapist when one is named. Only a
    /// visit still to come (booked, not checked in or closed) moves.
    pub fn move_appointment(
        &mut self,
        by: &Session,
        id: &str,
        starts_at: &str,
        therapist_id: Option<&str>,
    ) -> Result<Appointment> {
        let current = self.appointment(id)?;
        if !current.movable() {
            return Err(ChartError::invalid(
                "appointment",
                "only a booked visit moves; this one is checked in, a no-show or cancelled",
            ));
        }
        let therapist_id = therapist_id.unwrap_or(&current.therapist_id);
        self.check_booking(
            by,
            &current.patient_id,
            current.episode_id.as_deref(),
            therapist_id,
            current.minutes,
        )?;
        let starts_at = parse_start(starts_at)?.format(START_FORMAT).to_string();
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE appointment SET starts_at = ?1, therapist_id = ?2, updated_at = ?3 WHERE id = ?4",
                (&starts_at, therapist_id, &w.at, id),
            )?;
            w.record(
                "update",
                "appointment",
                id,
                serde_json::json!({ "id": id, "starts_at": starts_at, "therapist_id": therapist_id }),
            )
        })?;
        self.appointment(id)
    }

    /// The booked and checked-in visits that overlap `minutes` from `start` for the
    /// therapist or the patient: what booking there would clash with.
    pub fn clashes(
        &self,
        therapist_id: &str,
        patient_id: &str,
        start: NaiveDateTime,
        minutes: u32,
    ) -> Result<Vec<Appointment>> {
        // A visit is at most 480 minutes, so anything overlapping starts within that of ours.
        let from = (start - chrono::Duration::minutes(480))
            .format(START_FORMAT)
            .to_string();
        let to = (start + chrono::Duration::minutes(i64::from(minutes)))
            .format(START_FORMAT)
            .to_string();
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE starts_at > ?1 AND starts_at < ?2 AND status IN ('scheduled', 'arrived')
             AND (therapist_id = ?3 OR patient_id = ?4) ORDER BY starts_at"
        ))?;
        let near: Vec<Appointment> = stmt
            .query_map((from, to, therapist_id, patient_id), from_row)?
            .collect::<std::result::Result<_, _>>()?;
        Ok(near
            .into_iter()
            .filter(|a| parse_start(&a.starts_at).is_ok_and(|s| overlaps(start, minutes, s, a.minutes)))
            .collect())
    }

    /// Checks a patient in, marks a no-show, or cancels.
    pub fn set_appointment_status(&mut self, by: &Session, id: &str, status: AppointmentStatus) -> Result<()> {
        by.require(
            "changing an appointment",
            &[Role::Frontdesk, Role::Pt, Role::Pta, Role::Admin],
        )?;
        let current = self.appointment(id)?;
        if current.status == status {
            return Ok(());
        }
        if !self.status_steps(&current)?.iter().any(|step| step.to == status) {
            let undoing_check_in =
                current.status == AppointmentStatus::Arrived && status == AppointmentStatus::Scheduled;
            return Err(ChartError::State(if undoing_check_in {
                "this visit has a note, so its check-in stands: the note documents that the patient came".into()
            } else {
                format!(
                    "a visit that is {} cannot be set to {}{}",
                    current.status.words(),
                    status.words(),
                    if current.status == AppointmentStatus::Cancelled {
                        ": book a new visit instead"
                    } else {
                        ""
                    }
                )
            }));
        }
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE appointment SET status = ?1, updated_at = ?2 WHERE id = ?3",
                (status.as_str(), &w.at, id),
            )?;
            w.record(
                "update",
                "appointment",
                id,
                serde_json::json!({ "id": id, "status": status }),
            )
        })
    }

    /// The steps a visit may take now ([`Appointment::steps_now`], the chart looking up
    /// whether a note documents it). The schedule shows exactly these.
    pub fn status_steps(&self, appointment: &Appointment) -> Result<Vec<StatusStep>> {
        let documented = appointment.status == AppointmentStatus::Arrived && self.visit_documented(&appointment.id)?;
        Ok(appointment.steps_now(documented))
    }

    /// Whether a note (draft or signed) documents the visit.
    fn visit_documented(&self, appointment_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM note WHERE appointment_id = ?1)")?
            .query_row([appointment_id], |r| r.get(0))?)
    }

    /// One appointment.
    pub fn appointment(&self, id: &str) -> Result<Appointment> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or_else(|| ChartError::not_found("appointment", id))
    }

    /// The patient's next visit still to happen: the first booked or checked-in
    /// appointment starting at or after `from` (`YYYY-MM-DDTHH:MM`).
    pub fn next_appointment(&self, patient_id: &str, from: &str) -> Result<Option<Appointment>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "{SELECT} WHERE patient_id = ?1 AND starts_at >= ?2 AND status IN ('scheduled', 'arrived')
                 ORDER BY starts_at LIMIT 1"
            ))?
            .query_row((patient_id, from), from_row)
            .optional()?)
    }

    /// A day's appointments (`YYYY-MM-DD`), optionally for one therapist, by start time.
    pub fn schedule(&self, day: chrono::NaiveDate, therapist_id: Option<&str>) -> Result<Vec<Appointment>> {
        self.schedule_between(day, day, therapist_id)
    }

    /// The appointments from `first` to `last` (both included), optionally for one
    /// therapist, by start time: a week's schedule.
    pub fn schedule_between(
        &self,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        therapist_id: Option<&str>,
    ) -> Result<Vec<Appointment>> {
        let from = format!("{first}T00:00");
        let to = format!("{last}T23:59");
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE starts_at BETWEEN ?1 AND ?2 AND (?3 IS NULL OR therapist_id = ?3) ORDER BY starts_at"
        ))?;
        Ok(stmt
            .query_map((from, to, therapist_id), from_row)?
            .collect::<std::result::Result<_, _>>()?)
    }
}

/// Who books what: checked by [`Chart::check_booking`].
#[derive(Debug, Clone)]
pub(crate) struct Booking {
    pub(crate) patient_id: String,
    pub(crate) episode_id: Option<String>,
    pub(crate) therapist_id: String,
    pub(crate) minutes: u32,
}

/// How start times are written and stored: local civil time to the minute.
pub(crate) const START_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Reads a start time, `YYYY-MM-DDTHH:MM`.
pub(crate) fn parse_start(starts_at: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(starts_at.trim(), START_FORMAT).map_err(|_| {
        ChartError::invalid(
            "start",
            format!("{starts_at:?} is not a start time; write YYYY-MM-DDTHH:MM"),
        )
    })
}

/// Whether two visits overlap (one ending as the other starts does not).
pub fn overlaps(a: NaiveDateTime, a_minutes: u32, b: NaiveDateTime, b_minutes: u32) -> bool {
    let a_end = a + chrono::Duration::minutes(i64::from(a_minutes));
    let b_end = b + chrono::Duration::minutes(i64::from(b_minutes));
    a < b_end && b < a_end
}

/// Writes one booked visit, in a series or alone; returns its id.
pub(crate) fn insert_appointment(
    w: &crate::chart::Write<'_>,
    b: &Booking,
    start: NaiveDateTime,
    series_id: Option<&str>,
) -> Result<String> {
    let id = new_id();
    let starts_at = start.format(START_FORMAT).to_string();
    w.exec(
        "INSERT INTO appointment (id, patient_id, episode_id, therapist_id, starts_at, minutes, status,
            series_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', ?7, ?8, ?8)",
        rusqlite::params![
            id,
            b.patient_id,
            b.episode_id,
            b.therapist_id,
            starts_at,
            b.minutes,
            series_id,
            w.at
        ],
    )?;
    w.record(
        "create",
        "appointment",
        &id,
        serde_json::json!({ "id": id, "patient_id": b.patient_id, "episode_id": b.episode_id,
            "therapist_id": b.therapist_id, "starts_at": starts_at, "minutes": b.minutes, "series_id": series_id }),
    )?;
    Ok(id)
}

const SELECT: &str =
    "SELECT id, patient_id, episode_id, therapist_id, starts_at, minutes, status, series_id FROM appointment";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    let status: String = r.get(6)?;
    Ok(Appointment {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        episode_id: r.get(2)?,
        therapist_id: r.get(3)?,
        starts_at: r.get(4)?,
        minutes: r.get(5)?,
        status: AppointmentStatus::parse(&status).unwrap_or(AppointmentStatus::Scheduled),
        series_id: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(status: AppointmentStatus) -> Appointment {
        Appointment {
            id: "a1".into(),
            patient_id: "p1".into(),
            episode_id: None,
            therapist_id: "t1".into(),
            starts_at: "2026-12-07T09:00".into(),
            minutes: 45,
            status,
            series_id: None,
        }
    }

    fn steps(status: AppointmentStatus, documented: bool) -> Vec<AppointmentStatus> {
        visit(status).steps_now(documented).iter().map(|s| s.to).collect()
    }

    #[test]
    fn a_check_in_is_undone_only_while_no_note_documents_the_visit() {
        use AppointmentStatus::*;
        assert_eq!(steps(Arrived, false), [Scheduled]);
        assert_eq!(steps(Arrived, true), []);
        // A note documents only a visit that was checked in: elsewhere it changes nothing.
        assert_eq!(steps(Scheduled, true), [Arrived, NoShow, Cancelled]);
        assert_eq!(steps(NoShow, true), [Scheduled]);
        assert_eq!(steps(Cancelled, false), []);
    }
}
