//! Appointments and their statuses: scheduled, arrived, no-show, cancelled.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl Chart {
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
        let start = NaiveDateTime::parse_from_str(starts_at.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
            ChartError::invalid(
                "start",
                format!("{starts_at:?} is not a start time; write YYYY-MM-DDTHH:MM"),
            )
        })?;
        if !(5..=480).contains(&minutes) {
            return Err(ChartError::invalid("length", "between 5 and 480 minutes"));
        }
        let starts_at = start.format("%Y-%m-%dT%H:%M").to_string();
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO appointment (id, patient_id, episode_id, therapist_id, starts_at, minutes, status,
                    created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', ?7, ?7)",
                rusqlite::params![id, patient_id, episode_id, therapist_id, starts_at, minutes, w.at],
            )?;
            w.record(
                "create",
                "appointment",
                &id,
                serde_json::json!({ "id": id, "patient_id": patient_id, "episode_id": episode_id,
                    "therapist_id": therapist_id, "starts_at": starts_at, "minutes": minutes }),
            )?;
            Ok(id)
        })
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

    /// One appointment.
    pub fn appointment(&self, id: &str) -> Result<Appointment> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or_else(|| ChartError::not_found("appointment", id))
    }

    /// A day's appointments (`YYYY-MM-DD`), optionally for one therapist, by start time.
    pub fn schedule(&self, day: chrono::NaiveDate, therapist_id: Option<&str>) -> Result<Vec<Appointment>> {
        let from = format!("{day}T00:00");
        let to = format!("{day}T23:59");
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE starts_at BETWEEN ?1 AND ?2 AND (?3 IS NULL OR therapist_id = ?3) ORDER BY starts_at"
        ))?;
        Ok(stmt
            .query_map((from, to, therapist_id), from_row)?
            .collect::<std::result::Result<_, _>>()?)
    }
}

const SELECT: &str = "SELECT id, patient_id, episode_id, therapist_id, starts_at, minutes, status FROM appointment";

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
    })
}
