//! The schedule as the desk shows it: a day or a week, by therapist, each visit with what
//! the clinician needs to see; booking single visits and recurring series (clashes shown
//! first), moving, checking in and cancelling (see `stride_chart::schedule` and
//! `stride_chart::series`).

use crate::desk::Desk;
use crate::error::{CommandError, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use stride_chart::calendar::{ClosedDay, ClosureMade};
use stride_chart::schedule::{Appointment, AppointmentStatus, StatusStep};
use stride_chart::series::{BookedSeries, PlannedVisit, SeriesRequest};
use stride_chart::signing::NoteStatus;
use stride_chart::{Chart, Session};
use stride_protocol::hours::{ClinicHours, Closure};

/// The longest span the schedule shows at once.
const MAX_DAYS: u32 = 14;

/// Which part of the schedule to show.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
pub struct ScheduleQuery {
    /// The first day, `YYYY-MM-DD` (default: today).
    #[ts(optional)]
    pub first: Option<String>,
    /// How many days: 1 for a day, 7 for a week (default 1).
    #[ts(optional)]
    pub days: Option<u32>,
}

impl ScheduleQuery {
    /// One day's schedule for everyone.
    pub fn day(day: &str) -> ScheduleQuery {
        ScheduleQuery {
            first: Some(day.to_owned()),
            ..ScheduleQuery::default()
        }
    }
}

/// A clinician visits can be booked with.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Clinician {
    /// User id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// The schedule for a span of days: everyone's visits (the screen shows one therapist's
/// or all of them without asking again).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScheduleView {
    /// The first day shown, `YYYY-MM-DD`.
    pub first: String,
    /// The last day shown.
    pub last: String,
    /// Every clinician, for the columns and for booking.
    pub clinicians: Vec<Clinician>,
    /// The signed-in user's id when they treat patients ("my day").
    pub me: Option<String>,
    /// The visits, by start time.
    pub rows: Vec<ScheduleRow>,
    /// The clinic's opening hours, which the grid is laid out on.
    pub hours: ClinicHours,
    /// The days shown on which the clinic is closed, each with its closure's reason (none
    /// when the weekly hours leave the day out).
    pub closed: Vec<ClosedDay>,
}

/// A schedule row: the appointment and what the therapist needs to see.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScheduleRow {
    /// The appointment.
    pub appointment: Appointment,
    /// The patient's name.
    pub patient_name: String,
    /// The patient's most urgent alert, if any.
    pub alert: Option<String>,
    /// The treating therapist's name.
    pub therapist: String,
    /// Where the visit's note stands, in words ("no note yet", "note in progress", ...).
    pub note: String,
    /// Whether it may be moved (dragged, or by the keyboard): `Appointment::movable`.
    pub movable: bool,
    /// The statuses it may be set to, with the buttons' words: `Appointment::steps_now`.
    pub steps: Vec<StatusStep>,
    /// Its status in words ("booked", "no-show").
    pub status_words: String,
}

/// A series as the booking form plans it: each visit and, in words, what it clashes with.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SeriesPlanView {
    /// The visits, in order.
    pub visits: Vec<PlannedVisitView>,
    /// How many clash.
    pub clashing: usize,
}

/// One planned visit.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlannedVisitView {
    /// Start, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// What it clashes with, one phrase each ("Ann Lee with maria at 09:00").
    pub clashes: Vec<String>,
    /// Why the clinic is closed that day, when it is ("the clinic is closed: Christmas
    /// Day").
    pub closed: Option<String>,
}

impl Desk {
    /// The schedule for a day or a week.
    pub fn schedule(&self, query: ScheduleQuery) -> Result<ScheduleView> {
        self.as_reader(|chart, me| {
            let first = match query.first {
                Some(d) => stride_chart::validate::date("day", &d)?,
                None => chrono::Local::now().date_naive(),
            };
            let days = query.days.unwrap_or(1).clamp(1, MAX_DAYS);
            let last = first + chrono::Duration::days(i64::from(days) - 1);
            let today = chrono::Local::now().date_naive();
            let rows = chart
                .schedule_between(first, last, None)?
                .into_iter()
                .map(|a| schedule_row(chart, a, today))
                .collect::<Result<_>>()?;
            let calendar = chart.clinic_calendar(first, last)?;
            Ok(ScheduleView {
                first: first.to_string(),
                last: last.to_string(),
                clinicians: clinicians(chart)?,
                me: me.is_clinician().then(|| me.user_id.clone()),
                rows,
                closed: first
                    .iter_days()
                    .take_while(|d| *d <= last)
                    .filter_map(|d| calendar.closed_on(d))
                    .collect(),
                hours: calendar.hours,
            })
        })
    }

    /// The days the clinic is closed from today on, for the hours form.
    pub fn clinic_closures(&self) -> Result<Vec<Closure>> {
        let today = chrono::Local::now().date_naive();
        self.as_reader(|chart, _| Ok(chart.closures_from(today)?))
    }

    /// Closes the clinic on a day (administrators); says how many visits are booked then.
    pub fn close_clinic_on(&self, day: &str, reason: &str) -> Result<ClosureMade> {
        self.as_user(|chart, me| Ok(chart.close_clinic_on(me, day, reason)?))
    }

    /// Opens the clinic again on a day it was closed (administrators).
    pub fn reopen_clinic_on(&self, day: &str) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.reopen_clinic_on(me, day)?))
    }

    /// Sets the clinic's opening hours (administrators); days as ISO weekday numbers.
    pub fn set_clinic_hours(&self, opens_at: &str, closes_at: &str, open_days: &[u8]) -> Result<ClinicHours> {
        let days = open_days.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        self.as_user(|chart, me| Ok(chart.set_clinic_hours(me, opens_at, closes_at, &days)?))
    }

    /// Books a visit: with `therapist_id`, or the signed-in clinician; for the patient's
    /// newest open episode when none is named.
    pub fn book(
        &self,
        patient_id: &str,
        episode_id: Option<&str>,
        therapist_id: Option<&str>,
        starts_at: &str,
        minutes: u32,
    ) -> Result<Appointment> {
        self.as_user(|chart, me| {
            let episode = match episode_id {
                Some(e) => Some(e.to_owned()),
                None => open_episode(chart, patient_id)?,
            };
            let therapist = therapist_id.unwrap_or(&me.user_id);
            let id = chart.add_appointment(me, patient_id, episode.as_deref(), therapist, starts_at, minutes)?;
            Ok(chart.appointment(&id)?)
        })
    }

    /// Plans a recurring series: each visit and what it would clash with.
    pub fn plan_series(&self, request: SeriesRequest) -> Result<SeriesPlanView> {
        self.as_reader(|chart, me| {
            let request = with_episode(chart, request)?;
            let visits = chart
                .plan_series(me, &request)?
                .into_iter()
                .map(|v| planned_view(chart, v))
                .collect::<Result<Vec<_>>>()?;
            Ok(SeriesPlanView {
                clashing: visits
                    .iter()
                    .filter(|v| !v.clashes.is_empty() || v.closed.is_some())
                    .count(),
                visits,
            })
        })
    }

    /// Books a recurring series; clashing visits are left out only when `skip_clashes`.
    pub fn book_series(&self, request: SeriesRequest, skip_clashes: bool) -> Result<BookedSeries> {
        self.as_user(|chart, me| {
            let request = with_episode(chart, request)?;
            Ok(chart.book_series(me, &request, skip_clashes)?)
        })
    }

    /// Cancels the rest of a series, from one of its visits on.
    pub fn cancel_series(&self, series_id: &str, from: &str) -> Result<usize> {
        self.as_user(|chart, me| Ok(chart.cancel_series(me, series_id, from)?))
    }

    /// Moves a booked visit to another time (and therapist).
    pub fn move_appointment(&self, id: &str, starts_at: &str, therapist_id: Option<&str>) -> Result<Appointment> {
        self.as_user(|chart, me| Ok(chart.move_appointment(me, id, starts_at, therapist_id)?))
    }

    /// Checks in, marks a no-show, or cancels.
    pub fn set_appointment_status(&self, id: &str, status: &str) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_appointment_status(me, id, AppointmentStatus::parse(status)?)?))
    }
}

fn schedule_row(chart: &Chart, a: Appointment, today: chrono::NaiveDate) -> Result<ScheduleRow> {
    let p = chart.patient(&a.patient_id)?;
    let alerts = chart.patient_alerts(&a.patient_id, chrono::Utc::now(), today)?;
    // One lookup answers both where the note stands and whether undoing a check-in is
    // still allowed.
    let note_status = chart.visit_note_status(&a.id)?;
    let note = note_status.map_or("no note yet", NoteStatus::words).to_owned();
    Ok(ScheduleRow {
        patient_name: format!("{} {}", p.first_name, p.last_name),
        therapist: chart.user_name(&a.therapist_id)?,
        alert: alerts.first().map(|x| x.message.clone()),
        note,
        movable: a.movable(),
        steps: a.steps_now(note_status.is_some()),
        status_words: a.status.words().to_owned(),
        appointment: a,
    })
}

fn clinicians(chart: &Chart) -> Result<Vec<Clinician>> {
    Ok(chart
        .users()?
        .into_iter()
        .filter(Session::is_clinician)
        .map(|u| Clinician {
            id: u.user_id,
            name: u.name,
        })
        .collect())
}

/// The patient's newest open episode of care, if any.
fn open_episode(chart: &Chart, patient_id: &str) -> Result<Option<String>> {
    Ok(chart
        .episodes_of(patient_id)?
        .into_iter()
        .find(|e| e.status == "open")
        .map(|e| e.id))
}

/// A series for the patient's open episode when the request names none; one is needed,
/// since a series carries out a plan of care.
fn with_episode(chart: &Chart, mut request: SeriesRequest) -> Result<SeriesRequest> {
    if request.episode_id.is_none() {
        request.episode_id = Some(open_episode(chart, &request.patient_id)?.ok_or_else(|| {
            CommandError::new(
                ErrorKind::State,
                "this patient has no open episode of care: open one in their chart before booking a series",
            )
        })?);
    }
    Ok(request)
}

fn planned_view(chart: &Chart, v: PlannedVisit) -> Result<PlannedVisitView> {
    let clashes = v
        .clashes
        .iter()
        .map(|a| {
            let p = chart.patient(&a.patient_id)?;
            let time = a.starts_at.get(11..).unwrap_or(&a.starts_at);
            Ok(format!(
                "{} {} with {} at {time}",
                p.first_name,
                p.last_name,
                chart.user_name(&a.therapist_id)?
            ))
        })
        .collect::<Result<_>>()?;
    Ok(PlannedVisitView {
        starts_at: v.starts_at,
        clashes,
        closed: v.closed,
    })
}
