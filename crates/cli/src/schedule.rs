//! `stride appointment`: booking, recurring series with their clashes, moves, statuses,
//! the schedule of a day or a week, the clinic's hours and the days it is closed.

use crate::context::{Global, open, out, print_json, today};
use anyhow::Result;
use clap::Subcommand;
use stride_chart::schedule::AppointmentStatus;
use stride_chart::series::SeriesRequest;

/// `stride appointment`.
#[derive(Subcommand)]
pub enum AppointmentCommand {
    /// Book an appointment; prints the id.
    Add {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// The episode.
        #[arg(long)]
        episode: Option<String>,
        /// The therapist's user id.
        #[arg(long)]
        therapist: String,
        /// Start, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        at: String,
        /// Minutes.
        #[arg(long, default_value_t = 45)]
        minutes: u32,
    },
    /// Book a recurring series (say Mondays and Thursdays for 6 weeks); prints what was
    /// booked as JSON. With clashes nothing is booked, unless --skip-clashes.
    Series {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// The episode the visits treat.
        #[arg(long)]
        episode: Option<String>,
        /// The therapist's user id.
        #[arg(long)]
        therapist: String,
        /// The first visit, YYYY-MM-DDTHH:MM; every visit is at this time of day.
        #[arg(long)]
        first: String,
        /// The days it repeats on: mon,thu (default: the first visit's day).
        #[arg(long, value_delimiter = ',')]
        days: Vec<String>,
        /// How many weeks.
        #[arg(long)]
        weeks: u32,
        /// Each visit's length in minutes.
        #[arg(long, default_value_t = 45)]
        minutes: u32,
        /// Book the visits that do not clash, and leave those that do out.
        #[arg(long)]
        skip_clashes: bool,
        /// Only list the visits and their clashes; book nothing.
        #[arg(long)]
        plan: bool,
    },
    /// Move a booked visit to another time (and therapist).
    Move {
        /// The appointment.
        id: String,
        /// The new start, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        at: String,
        /// Another therapist's user id.
        #[arg(long)]
        therapist: Option<String>,
    },
    /// Cancel a series' visits still booked from a start time on; prints how many.
    CancelSeries {
        /// The series.
        series: String,
        /// From this start on, YYYY-MM-DDTHH:MM.
        #[arg(long)]
        from: String,
    },
    /// Set the status: arrived (check in), no-show or cancelled; scheduled undoes a check-in
    /// or a no-show.
    Status {
        /// The appointment.
        id: String,
        /// The new status.
        status: String,
    },
    /// The clinic's opening hours, as JSON; with --opens, --closes and --days, set them
    /// (administrators).
    Hours {
        /// Opening time, HH:MM.
        #[arg(long, requires_all = ["closes", "days"])]
        opens: Option<String>,
        /// Closing time, HH:MM.
        #[arg(long, requires_all = ["opens", "days"])]
        closes: Option<String>,
        /// The days it is open: mon,tue,wed,thu,fri (or 1 to 7, Monday 1).
        #[arg(long, requires_all = ["opens", "closes"])]
        days: Option<String>,
    },
    /// The days the clinic is closed besides its hours (holidays), as JSON, from a day
    /// (default today) for a year and a little; with --on and --reason, close it that day; with
    /// --reopen, open it again (administrators).
    Closed {
        /// A day to close, YYYY-MM-DD.
        #[arg(long, requires = "reason", conflicts_with = "reopen")]
        on: Option<String>,
        /// Why it is closed ("Christmas Day").
        #[arg(long, requires = "on")]
        reason: Option<String>,
        /// A closed day to open again, YYYY-MM-DD.
        #[arg(long)]
        reopen: Option<String>,
        /// The first day listed, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
    },
    /// The schedule from a day (default today), for one day or more.
    List {
        /// The first day, YYYY-MM-DD.
        #[arg(long)]
        day: Option<String>,
        /// How many days (7 for a week).
        #[arg(long, default_value_t = 1)]
        days: u32,
    },
}

/// Runs `stride appointment`.
pub fn appointment(g: &Global, c: &AppointmentCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        AppointmentCommand::Add {
            patient,
            episode,
            therapist,
            at,
            minutes,
        } => out!(
            "{}",
            chart.add_appointment(&me, patient, episode.as_deref(), therapist, at, *minutes)?
        )?,
        AppointmentCommand::Series {
            patient,
            episode,
            therapist,
            first,
            days,
            weeks,
            minutes,
            skip_clashes,
            plan,
        } => {
            let request = SeriesRequest {
                patient_id: patient.clone(),
                episode_id: episode.clone(),
                therapist_id: therapist.clone(),
                first: first.clone(),
                weekdays: days.clone(),
                weeks: *weeks,
                minutes: *minutes,
            };
            if *plan {
                print_json(&chart.plan_series(&me, &request)?)?;
            } else {
                print_json(&chart.book_series(&me, &request, *skip_clashes)?)?;
            }
        }
        AppointmentCommand::Move { id, at, therapist } => {
            print_json(&chart.move_appointment(&me, id, at, therapist.as_deref())?)?;
        }
        AppointmentCommand::CancelSeries { series, from } => {
            out!("{}", chart.cancel_series(&me, series, from)?)?;
        }
        AppointmentCommand::Status { id, status } => {
            chart.set_appointment_status(&me, id, AppointmentStatus::parse(status)?)?
        }
        AppointmentCommand::Hours { opens, closes, days } => match (opens, closes, days) {
            (Some(opens), Some(closes), Some(days)) => print_json(&chart.set_clinic_hours(&me, opens, closes, days)?)?,
            _ => print_json(&chart.clinic_hours()?)?,
        },
        AppointmentCommand::Closed {
            on,
            reason,
            reopen,
            from,
        } => match (on, reason, reopen) {
            (Some(on), Some(reason), _) => print_json(&chart.close_clinic_on(&me, on, reason)?)?,
            (_, _, Some(day)) => chart.reopen_clinic_on(&me, day)?,
            _ => {
                let first = match from {
                    Some(d) => stride_chart::validate::date("from", d)?,
                    None => today(),
                };
                print_json(&chart.closures_from(first)?)?;
            }
        },
        AppointmentCommand::List { day, days } => {
            let first = match day {
                Some(d) => stride_chart::validate::date("day", d)?,
                None => today(),
            };
            let last = first + chrono::Duration::days(i64::from((*days).clamp(1, 31)) - 1);
            print_json(&chart.schedule_between(first, last, None)?)?;
        }
    }
    Ok(())
}
