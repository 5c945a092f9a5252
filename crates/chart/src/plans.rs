//! Plans of care: goals, frequency and duration, a certification period of at most 90
//! days, the physician's signature (signed or verbal), and recertification.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// Longest certification interval, in calendar days counting both ends.
pub const MAX_CERT_DAYS: i64 = 90;

/// A goal of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Goal {
    /// `short` or `long`.
    pub term: String,
    /// The goal, measurable and functional.
    pub text: String,
    /// When it should be met, YYYY-MM-DD.
    pub target_date: Option<String>,
}

/// What it takes to write a plan of care.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewPlan {
    /// The episode.
    pub episode_id: String,
    /// First day certified.
    pub cert_start: String,
    /// Last day certified (at most 90 days including the first).
    pub cert_end: String,
    /// Visits per week.
    pub frequency_per_week: u32,
    /// Weeks of treatment.
    pub duration_weeks: u32,
    /// Goals.
    pub goals: Vec<Goal>,
    /// The plan this one recertifies, if any.
    pub recertifies: Option<String>,
}

/// A plan of care as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    /// Id.
    pub id: String,
    /// The episode.
    pub episode_id: String,
    /// First day certified.
    pub cert_start: String,
    /// Last day certified.
    pub cert_end: String,
    /// Visits per week.
    pub frequency_per_week: u32,
    /// Weeks.
    pub duration_weeks: u32,
    /// When the physician signed, if they have.
    pub physician_signed_on: Option<String>,
    /// `signed` or `verbal`.
    pub signature_method: Option<String>,
    /// The plan this recertifies.
    pub recertifies: Option<String>,
    /// Goals.
    pub goals: Vec<Goal>,
}

/// Where a plan of care's certification stands on a day: the one reading of its dates and
/// signature that the alerts and the patient banner share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certification {
    /// The certified period ended before the day.
    Expired {
        /// Its last day.
        ended: NaiveDate,
    },
    /// Signed by the physician, and in force through its last day.
    Certified {
        /// Its last day.
        through: NaiveDate,
    },
    /// Not yet signed by the physician; the period runs to its last day.
    Unsigned {
        /// Its last day.
        ends: NaiveDate,
    },
}

impl Plan {
    /// Where its certification stands on `day`.
    pub fn certification_on(&self, day: NaiveDate) -> Result<Certification> {
        let end = validate::date("certification end", &self.cert_end)?;
        Ok(if end < day {
            Certification::Expired { ended: end }
        } else if self.physician_signed_on.is_some() {
            Certification::Certified { through: end }
        } else {
            Certification::Unsigned { ends: end }
        })
    }
}

impl Chart {
    /// Writes a plan of care (PTs only); returns its id.
    pub fn add_plan(&mut self, by: &Session, p: &NewPlan) -> Result<String> {
        by.require("writing a plan of care", &[Role::Pt])?;
        self.episode(&p.episode_id)?;
        let start = validate::date("certification start", &p.cert_start)?;
        let end = validate::date("certification end", &p.cert_end)?;
        let days = (end - start).num_days() + 1;
        if days < 1 {
            return Err(ChartError::invalid("certification end", "ends before it starts"));
        }
        if days > MAX_CERT_DAYS {
            return Err(ChartError::invalid(
                "certification end",
                format!("the certification period is {days} days; Medicare certifies at most {MAX_CERT_DAYS}"),
            ));
        }
        if !(1..=14).contains(&p.frequency_per_week) {
            return Err(ChartError::invalid("frequency", "between 1 and 14 visits a week"));
        }
        if !(1..=52).contains(&p.duration_weeks) {
            return Err(ChartError::invalid("duration", "between 1 and 52 weeks"));
        }
        let mut goals = Vec::new();
        for g in &p.goals {
            let term = g.term.trim().to_ascii_lowercase();
            if term != "short" && term != "long" {
                return Err(ChartError::invalid("goal term", "use short or long"));
            }
            let target = match g.target_date.as_deref() {
                Some(t) if !t.trim().is_empty() => Some(validate::date("goal target date", t)?.to_string()),
                _ => None,
            };
            goals.push(Goal {
                term,
                text: validate::required("goal", &g.text)?,
                target_date: target,
            });
        }
        if let Some(prior) = &p.recertifies {
            let prior_plan = self.plan(prior)?;
            if prior_plan.episode_id != p.episode_id {
                return Err(ChartError::invalid(
                    "recertifies",
                    "that plan belongs to another episode",
                ));
            }
        }
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO plan_of_care (id, episode_id, cert_start, cert_end, frequency_per_week, duration_weeks,
                    recertifies, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    id,
                    p.episode_id,
                    start.to_string(),
                    end.to_string(),
                    p.frequency_per_week,
                    p.duration_weeks,
                    p.recertifies,
                    w.at
                ],
            )?;
            for g in &goals {
                w.exec(
                    "INSERT INTO goal (id, plan_id, term, text, target_date) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (new_id(), &id, &g.term, &g.text, &g.target_date),
                )?;
            }
            w.record(
                "create",
                "plan_of_care",
                &id,
                serde_json::json!({ "id": id, "episode_id": p.episode_id, "cert_start": start, "cert_end": end,
                    "frequency_per_week": p.frequency_per_week, "duration_weeks": p.duration_weeks,
                    "goals": goals, "recertifies": p.recertifies }),
            )?;
            Ok(id)
        })
    }

    /// Records the physician's certification of a plan: the date and whether signed or
    /// verbal.
    pub fn certify_plan(&mut self, by: &Session, plan_id: &str, signed_on: &str, method: &str) -> Result<()> {
        by.require(
            "recording a physician's certification",
            &[Role::Pt, Role::Frontdesk, Role::Admin],
        )?;
        let plan = self.plan(plan_id)?;
        if plan.physician_signed_on.is_some() {
            return Err(ChartError::State("this plan of care is already certified".into()));
        }
        let date = validate::date("physician signature date", signed_on)?;
        let method = method.trim().to_ascii_lowercase();
        if method != "signed" && method != "verbal" {
            return Err(ChartError::invalid("signature method", "use signed or verbal"));
        }
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE plan_of_care SET physician_signed_on = ?1, signature_method = ?2 WHERE id = ?3",
                (date.to_string(), &method, plan_id),
            )?;
            w.record(
                "certify",
                "plan_of_care",
                plan_id,
                serde_json::json!({ "id": plan_id, "physician_signed_on": date, "signature_method": method }),
            )
        })
    }

    /// One plan with its goals.
    pub fn plan(&self, id: &str) -> Result<Plan> {
        let mut plan = self
            .conn
            .prepare_cached(
                "SELECT id, episode_id, cert_start, cert_end, frequency_per_week, duration_weeks, physician_signed_on,
                    signature_method, recertifies FROM plan_of_care WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Plan {
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    cert_start: r.get(2)?,
                    cert_end: r.get(3)?,
                    frequency_per_week: r.get(4)?,
                    duration_weeks: r.get(5)?,
                    physician_signed_on: r.get(6)?,
                    signature_method: r.get(7)?,
                    recertifies: r.get(8)?,
                    goals: Vec::new(),
                })
            })
            .optional()?
            .ok_or_else(|| ChartError::not_found("plan of care", id))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term, text, target_date FROM goal WHERE plan_id = ?1 ORDER BY term DESC, rowid")?;
        plan.goals = stmt
            .query_map([id], |r| {
                Ok(Goal {
                    term: r.get(0)?,
                    text: r.get(1)?,
                    target_date: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(plan)
    }

    /// An episode's plans, newest certification first.
    pub fn plans_of(&self, episode_id: &str) -> Result<Vec<Plan>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM plan_of_care WHERE episode_id = ?1 ORDER BY cert_start DESC, id DESC")?;
        let ids: Vec<String> = stmt
            .query_map([episode_id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        ids.iter().map(|id| self.plan(id)).collect()
    }
}
