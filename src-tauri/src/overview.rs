//! What the chart's overview shows besides the banner: the patient's next visit, and the
//! outcome measures of the active episode as trends against their MCID.

use crate::error::{CommandError, ErrorKind, Result};
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

/// One outcome measure's scores over the active episode.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MeasureTrend {
    /// The measure's id, e.g. `lefs`.
    pub measure_id: String,
    /// Its short name, e.g. `LEFS`.
    pub short_name: String,
    /// Its MCID in score units, when it has one.
    pub mcid: Option<f64>,
    /// Whether a higher score is better.
    pub higher_is_better: bool,
    /// The scores by date, oldest first (administrations with no score left out).
    pub points: Vec<TrendPoint>,
    /// The change since the first administration, in one sentence, once there are two.
    pub since_first: Option<String>,
}

/// A score on a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The score (for plotting only).
    pub value: f64,
}

/// A measure's MCID in score units, as a number to plot, when it has one.
pub(crate) fn mcid_of(def: &stride_measures::MeasureDef) -> Option<f64> {
    def.mcid().and_then(|t| t.value).map(|v| v.to_f64())
}

/// Whether a higher score is the better one.
pub(crate) fn higher_is_better(def: &stride_measures::MeasureDef) -> bool {
    def.direction() == stride_measures::Direction::HigherIsBetter
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
    let catalog =
        stride_measures::MeasureCatalog::builtin().map_err(|e| CommandError::new(ErrorKind::State, e.to_string()))?;
    chart
        .measures_given(&active.id)?
        .into_iter()
        .filter_map(|id| catalog.require(&id).ok())
        .map(|def| {
            let history = chart.measure_history(&active.id, def.id())?;
            Ok(MeasureTrend {
                measure_id: def.id().to_owned(),
                short_name: def.short_name().to_owned(),
                mcid: mcid_of(def),
                higher_is_better: higher_is_better(def),
                since_first: history
                    .last()
                    .and_then(|h| h.since_first.as_ref())
                    .map(|c| c.sentence.clone()),
                points: history
                    .into_iter()
                    .filter_map(|h| {
                        h.plotted.map(|value| TrendPoint {
                            date: h.administered_on,
                            value,
                        })
                    })
                    .collect(),
            })
        })
        .collect()
}
