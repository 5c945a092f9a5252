//! What the chart's overview shows besides the banner: the patient's next visit, and the
//! outcome measures of the active episode as trends against their MCID.

use crate::error::Result;
use crate::trend::{MeasureTrend, measure_trend};
use serde::Serialize;
use stride_chart::Chart;
use stride_chart::episodes::Episode;

/// The next visit booked for a patient.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct NextVisit {
    /// Start, `YYYY-MM-DDTHH:MM` (local).
    pub starts_at: String,
    /// Length in minutes.
    pub minutes: u32,
    /// The therapist's name.
    pub therapist: String,
}

/// The patient's next visit from now on.
pub(crate) fn next_visit(chart: &Chart, patient_id: &str) -> Result<Option<NextVisit>> {
    let now = chrono::Local::now().naive_local().format("%Y-%m-%dT%H:%M").to_string();
    chart
        .next_appointment(patient_id, &now)?
        .map(|a| {
            Ok(NextVisit {
                therapist: chart.user_name(&a.therapist_id)?,
                starts_at: a.starts_at,
                minutes: a.minutes,
            })
        })
        .transpose()
}

/// The active episode: the newest open one (`episodes` come newest first).
pub(crate) fn active_episode(episodes: &[Episode]) -> Option<&Episode> {
    episodes.iter().find(|e| e.status == "open")
}

/// The trends of every measure given during the active episode.
pub(crate) fn trends(chart: &Chart, episodes: &[Episode]) -> Result<Vec<MeasureTrend>> {
    let Some(active) = active_episode(episodes) else {
        return Ok(Vec::new());
    };
    let catalog = crate::desk::measure_catalog()?;
    chart
        .measures_given(&active.id)?
        .into_iter()
        .filter_map(|id| catalog.require(&id).ok())
        .map(|def| {
            Ok(measure_trend(
                catalog,
                def,
                &chart.measure_history(&active.id, def.id())?,
            ))
        })
        .collect()
}
