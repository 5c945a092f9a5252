//! Compliance alerts, computed locally from the chart: each says what is wrong and what
//! to do about it.

use crate::chart::Chart;
use crate::compliance::{progress_status, therapy_allowed_this_year};
use crate::error::Result;
use crate::payers::Payer;
use crate::plans::Certification;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

/// Which rule an alert comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AlertKind {
    /// A progress report is due at the next visit, or overdue.
    ProgressReport,
    /// The physician has not certified the plan of care.
    CertificationUnsigned,
    /// The plan of care is expiring or expired.
    PlanExpiring,
    /// The episode has no plan of care.
    NoPlan,
    /// Authorized visits, units or dates are running out.
    Authorization,
    /// The KX threshold is approaching or reached.
    KxThreshold,
    /// A draft note has been unsigned for more than a day.
    UnsignedNote,
}

/// How urgent it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Urgency {
    /// Coming up: act soon.
    Warning,
    /// Past due: claims are at risk now.
    Overdue,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Alert {
    /// Which rule.
    pub kind: AlertKind,
    /// How urgent.
    pub urgency: Urgency,
    /// The patient.
    pub patient_id: String,
    /// The episode.
    pub episode_id: String,
    /// The note, for note alerts.
    pub note_id: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Days before a plan's end at which to warn.
const PLAN_WARN_DAYS: i64 = 7;
/// Days after the first visit by which the physician must certify.
const CERT_DAYS: i64 = 30;
/// Days after the first visit at which to start warning about certification.
const CERT_WARN_DAYS: i64 = 21;

impl Chart {
    /// Every alert for open episodes as of `now` (with `today` the clinic's local date).
    pub fn alerts(&self, now: DateTime<Utc>, today: NaiveDate) -> Result<Vec<Alert>> {
        self.alerts_where("status = 'open'", "", now, today)
    }

    /// The alerts of one patient's open episodes: what the chart and the schedule show,
    /// without computing the whole clinic's.
    pub fn patient_alerts(&self, patient_id: &str, now: DateTime<Utc>, today: NaiveDate) -> Result<Vec<Alert>> {
        self.alerts_where("status = 'open' AND patient_id = ?1", patient_id, now, today)
    }

    fn alerts_where(&self, filter: &str, arg: &str, now: DateTime<Utc>, today: NaiveDate) -> Result<Vec<Alert>> {
        let mut alerts = Vec::new();
        let mut kx_checked = std::collections::HashSet::new();
        let sql = format!("SELECT id FROM episode WHERE {filter} ORDER BY start_date");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let episodes: Vec<String> = if filter.contains("?1") {
            stmt.query_map([arg], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        } else {
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        for episode_id in episodes {
            let episode = self.episode(&episode_id)?;
            let payer = self.payer(&episode.payer_id)?;
            let mut push = |kind, urgency, note_id: Option<String>, message: String| {
                alerts.push(Alert {
                    kind,
                    urgency,
                    patient_id: episode.patient_id.clone(),
                    episode_id: episode.id.clone(),
                    note_id,
                    message,
                })
            };
            progress_alert(self, &episode_id, &payer, &mut push)?;
            plan_alerts(self, &episode_id, today, &mut push)?;
            authorization_alerts(self, &episode_id, today, &mut push)?;
            if payer.kx_applies && kx_checked.insert(episode.patient_id.clone()) {
                kx_alert(self, &episode.patient_id, today, &mut push)?;
            }
            unsigned_note_alerts(self, &episode_id, now, &mut push)?;
        }
        // Most urgent first; otherwise in episode order.
        alerts.sort_by_key(|a| std::cmp::Reverse(a.urgency));
        Ok(alerts)
    }
}

type Push<'a> = dyn FnMut(AlertKind, Urgency, Option<String>, String) + 'a;

fn progress_alert(chart: &Chart, episode_id: &str, payer: &Payer, push: &mut Push<'_>) -> Result<()> {
    let status = progress_status(chart, episode_id)?;
    let every = payer.progress_interval_visits;
    if status.treatment_days >= every {
        push(
            AlertKind::ProgressReport,
            Urgency::Overdue,
            None,
            format!(
                "Progress report overdue: {} treatment days since {} ({} requires one every {every}). Write it at the next visit{}.",
                status.treatment_days,
                crate::words::date(status.start),
                payer.name,
                if payer.block_sign_when_overdue {
                    "; until then the payer's claims for these visits are held for review"
                } else {
                    ""
                }
            ),
        );
    } else if status.treatment_days + 1 == every {
        push(
            AlertKind::ProgressReport,
            Urgency::Warning,
            None,
            format!(
                "Progress report due at the next visit (treatment day {every} since {}).",
                crate::words::date(status.start)
            ),
        );
    }
    Ok(())
}

fn plan_alerts(chart: &Chart, episode_id: &str, today: NaiveDate, push: &mut Push<'_>) -> Result<()> {
    let first_visit: Option<String> = chart
        .connection()
        .prepare_cached("SELECT min(date_of_service) FROM note WHERE episode_id = ?1")?
        .query_row([episode_id], |r| r.get(0))?;
    let first_visit = first_visit.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let Some(plan) = chart.plans_of(episode_id)?.into_iter().next() else {
        if first_visit.is_some() {
            push(
                AlertKind::NoPlan,
                Urgency::Warning,
                None,
                "No plan of care: write one with the evaluation so the physician can certify it.".into(),
            );
        }
        return Ok(());
    };
    // An initial plan is due 30 days after the first visit; a recertification 30 days
    // after its own first day.
    let cert_clock = match &plan.recertifies {
        Some(_) => NaiveDate::parse_from_str(&plan.cert_start, "%Y-%m-%d").ok(),
        None => first_visit,
    };
    if plan.physician_signed_on.is_none()
        && let Some(first) = cert_clock
    {
        let days = (today - first).num_days();
        let due = first + chrono::Duration::days(CERT_DAYS);
        if days >= CERT_DAYS {
            push(
                AlertKind::CertificationUnsigned,
                Urgency::Overdue,
                None,
                format!(
                    "Plan of care not certified {days} days after the first visit ({}); it was due by {}. Get the physician's signature and document why it is late.",
                    crate::words::date(first),
                    crate::words::date(due)
                ),
            );
        } else if days >= CERT_WARN_DAYS {
            push(
                AlertKind::CertificationUnsigned,
                Urgency::Warning,
                None,
                format!(
                    "Plan of care not yet certified: the physician must sign by {}. Send it for signature.",
                    crate::words::date(due)
                ),
            );
        }
    }
    match plan.certification_on(today) {
        Ok(Certification::Expired { ended }) => push(
            AlertKind::PlanExpiring,
            Urgency::Overdue,
            None,
            format!(
                "Plan of care expired on {}: re-evaluate and send a recertification before the next visit.",
                crate::words::date(ended)
            ),
        ),
        Ok(Certification::Certified { through: end } | Certification::Unsigned { ends: end }) => {
            let left = (end - today).num_days();
            if left <= PLAN_WARN_DAYS {
                push(
                    AlertKind::PlanExpiring,
                    Urgency::Warning,
                    None,
                    format!(
                        "Plan of care ends on {} ({left} days): plan the recertification.",
                        crate::words::date(end)
                    ),
                );
            }
        }
        // A damaged end date raises no alert of its own: the plan's other checks stand.
        Err(_) => {}
    }
    Ok(())
}

fn authorization_alerts(chart: &Chart, episode_id: &str, today: NaiveDate, push: &mut Push<'_>) -> Result<()> {
    let Some(auth) = chart
        .authorizations(episode_id)?
        .into_iter()
        .max_by(|a, b| a.valid_to.cmp(&b.valid_to))
    else {
        return Ok(());
    };
    let (visits_used, units_used) = chart.authorization_use(episode_id, &auth.valid_from, &auth.valid_to)?;
    if let Ok(end) = NaiveDate::parse_from_str(&auth.valid_to, "%Y-%m-%d") {
        let left = (end - today).num_days();
        if left < 0 {
            push(
                AlertKind::Authorization,
                Urgency::Overdue,
                None,
                format!(
                    "Authorization ended on {}: request a new one before the next visit.",
                    crate::words::date(end)
                ),
            );
        } else if left <= PLAN_WARN_DAYS {
            push(
                AlertKind::Authorization,
                Urgency::Warning,
                None,
                format!(
                    "Authorization ends on {} ({left} days): request an extension.",
                    crate::words::date(end)
                ),
            );
        }
    }
    if let Some(visits) = auth.visits {
        let left = i64::from(visits) - i64::from(visits_used);
        if left <= 0 {
            push(
                AlertKind::Authorization,
                Urgency::Overdue,
                None,
                format!("All {visits} authorized visits are used: request more before the next visit."),
            );
        } else if left <= 2 {
            push(
                AlertKind::Authorization,
                Urgency::Warning,
                None,
                format!("{left} of {visits} authorized visits left: request more now."),
            );
        }
    }
    if let Some(units) = auth.units {
        let left = i64::from(units) - i64::from(units_used);
        if left <= 0 {
            push(
                AlertKind::Authorization,
                Urgency::Overdue,
                None,
                format!("All {units} authorized units are used: request more before billing further units."),
            );
        } else if left * 10 <= i64::from(units) {
            push(
                AlertKind::Authorization,
                Urgency::Warning,
                None,
                format!("{left} of {units} authorized units left: request more now."),
            );
        }
    }
    Ok(())
}

fn kx_alert(chart: &Chart, patient_id: &str, today: NaiveDate, push: &mut Push<'_>) -> Result<()> {
    let Some(thresholds) = chart.rules.thresholds.for_year(today.year()) else {
        return Ok(());
    };
    let ytd = stride_coding::Cents(therapy_allowed_this_year(chart, patient_id, today)?);
    if ytd >= thresholds.kx {
        push(
            AlertKind::KxThreshold,
            Urgency::Warning,
            None,
            format!(
                "Therapy this year has reached {ytd}, past the {} KX threshold: KX goes on every claim line, and each note must show why therapy is still medically necessary.",
                thresholds.kx
            ),
        );
    } else if ytd.0 * 100 >= thresholds.kx.0 * 85 {
        push(
            AlertKind::KxThreshold,
            Urgency::Warning,
            None,
            format!(
                "Therapy this year is at {ytd}, approaching the {} KX threshold: document medical necessity for continued care.",
                thresholds.kx
            ),
        );
    }
    Ok(())
}

fn unsigned_note_alerts(chart: &Chart, episode_id: &str, now: DateTime<Utc>, push: &mut Push<'_>) -> Result<()> {
    let cutoff = crate::chart::timestamp(now - chrono::Duration::hours(24));
    let mut stmt = chart.connection().prepare_cached(
        "SELECT id, date_of_service FROM note WHERE episode_id = ?1 AND signed_at IS NULL AND created_at < ?2",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map((episode_id, cutoff), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, dos) in rows {
        push(
            AlertKind::UnsignedNote,
            Urgency::Warning,
            Some(id),
            format!(
                "The note for {} has been unsigned for more than 24 hours: finish and sign it.",
                crate::words::date_text(&dos)
            ),
        );
    }
    Ok(())
}
