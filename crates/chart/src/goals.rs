//! Goals with their progress: a note says where each goal of the episode's plan of care
//! stands (progress reports and discharge summaries must; a daily note may), and a goal's
//! status is the newest signed note's word on it. The assessment is part of the note,
//! signed and locked with it (`note_goal`).

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::Session;
use serde::{Deserialize, Serialize};
use stride_protocol::policy::GOAL_COMMENT_MAX;

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum GoalStatus {
    /// Being worked toward, with progress.
    Progressing,
    /// Part of it met.
    PartiallyMet,
    /// Met.
    Met,
    /// Not met (at a discharge or a re-evaluation).
    NotMet,
    /// Set aside: no longer relevant, or replaced.
    Discontinued,
}

impl GoalStatus {
    /// Every status, in the order a form offers them.
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::Progressing,
        GoalStatus::PartiallyMet,
        GoalStatus::Met,
        GoalStatus::NotMet,
        GoalStatus::Discontinued,
    ];

    /// Parses `progressing`, `partially_met` (or `partially-met`), `met`, `not_met` or
    /// `discontinued`.
    pub fn parse(s: &str) -> Result<GoalStatus> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        GoalStatus::ALL.into_iter().find(|g| g.as_str() == key).ok_or_else(|| {
            ChartError::invalid(
                "goal status",
                format!("{s:?} is not a goal status; use progressing, partially met, met, not met or discontinued"),
            )
        })
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Progressing => "progressing",
            Self::PartiallyMet => "partially_met",
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::Discontinued => "discontinued",
        }
    }

    /// In words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Progressing => "progressing",
            Self::PartiallyMet => "partially met",
            Self::Met => "met",
            Self::NotMet => "not met",
            Self::Discontinued => "discontinued",
        }
    }

    /// Whether the goal is settled: met, not met at the end, or set aside.
    pub fn settled(self) -> bool {
        matches!(self, Self::Met | Self::NotMet | Self::Discontinued)
    }
}

/// A note's word on one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoalAssessment {
    /// The goal.
    pub goal_id: String,
    /// Where it stands.
    pub status: GoalStatus,
    /// What the clinician adds ("ambulates 300 ft with a cane"); may be empty.
    pub comment: String,
}

/// A goal of the plan and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoalProgress {
    /// The goal.
    pub goal_id: String,
    /// `short` or `long`.
    pub term: String,
    /// The goal, as the plan words it.
    pub text: String,
    /// When it should be met, YYYY-MM-DD.
    pub target_date: Option<String>,
    /// The newest signed assessment; `None`: not yet assessed.
    pub status: Option<GoalStatus>,
    /// Its status in words ("met", "not yet assessed").
    pub status_words: String,
    /// The date of service of the note that assessed it.
    pub assessed_on: Option<String>,
    /// That note's comment.
    pub comment: String,
    /// The assessment in the draft being written, when asked for a draft.
    pub draft: Option<GoalAssessment>,
}

/// An episode's goals taken together: "2 of 5 goals met".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GoalSummary {
    /// Each goal of the current plan, short-term first.
    pub goals: Vec<GoalProgress>,
    /// How many are met.
    pub met: u32,
    /// In words.
    pub words: String,
}

impl GoalSummary {
    fn of(goals: Vec<GoalProgress>) -> GoalSummary {
        let met = goals.iter().filter(|g| g.status == Some(GoalStatus::Met)).count();
        let words = match goals.len() {
            0 => "no goals set".to_owned(),
            n => format!("{met} of {n} goal{} met", if n == 1 { "" } else { "s" }),
        };
        GoalSummary {
            met: u32::try_from(met).unwrap_or(u32::MAX),
            goals,
            words,
        }
    }
}

impl Chart {
    /// The goals of the episode's current plan of care (its newest certification) with
    /// the newest signed note's word on each; with `draft`, that draft's own assessments
    /// beside them.
    pub fn goal_progress(&self, episode_id: &str, draft: Option<&str>) -> Result<GoalSummary> {
        let Some(plan) = self.plans_of(episode_id)?.into_iter().next() else {
            return Ok(GoalSummary::of(Vec::new()));
        };
        let drafted = match draft {
            Some(note_id) => self.goal_assessments(note_id)?,
            None => Vec::new(),
        };
        let mut goals = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.id, g.term, g.text, g.target_date,
                    (SELECT json_array(a.status, n.date_of_service, a.comment)
                       FROM note_goal a JOIN note n ON n.id = a.note_id
                      WHERE a.goal_id = g.id AND n.signed_at IS NOT NULL
                      ORDER BY n.date_of_service DESC, n.signed_at DESC LIMIT 1)
               FROM goal g WHERE g.plan_id = ?1 ORDER BY g.term DESC, g.rowid",
        )?;
        let rows = stmt.query_map([&plan.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        for row in rows {
            let (goal_id, term, text, target_date, newest) = row?;
            let newest = newest.as_deref().map(serde_json::from_str::<(String, String, String)>);
            let (status, assessed_on, comment) = match newest {
                Some(Ok((status, date, comment))) => (Some(GoalStatus::parse(&status)?), Some(date), comment),
                Some(Err(e)) => return Err(ChartError::State(format!("a goal's assessment is damaged: {e}"))),
                None => (None, None, String::new()),
            };
            let draft = drafted.iter().find(|a| a.goal_id == goal_id).cloned();
            goals.push(GoalProgress {
                status_words: status.map_or("not yet assessed", GoalStatus::words).to_owned(),
                goal_id,
                term,
                text,
                target_date,
                status,
                assessed_on,
                comment,
                draft,
            });
        }
        Ok(GoalSummary::of(goals))
    }

    /// A note's assessments of goals, in the plan's order.
    pub fn goal_assessments(&self, note_id: &str) -> Result<Vec<GoalAssessment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.goal_id, a.status, a.comment FROM note_goal a JOIN goal g ON g.id = a.goal_id
              WHERE a.note_id = ?1 ORDER BY g.term DESC, g.rowid",
        )?;
        let rows = stmt.query_map([note_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        rows.map(|row| {
            let (goal_id, status, comment) = row?;
            Ok(GoalAssessment {
                goal_id,
                status: GoalStatus::parse(&status)?,
                comment,
            })
        })
        .collect()
    }

    /// Says in a draft where a goal of its episode's plan stands; `None` takes the draft's
    /// word on it back.
    pub fn assess_goal(
        &mut self,
        by: &Session,
        note_id: &str,
        goal_id: &str,
        assessment: Option<(GoalStatus, &str)>,
    ) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let of_episode: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM goal g JOIN plan_of_care p ON p.id = g.plan_id
                                  JOIN note n ON n.episode_id = p.episode_id
                                 WHERE g.id = ?1 AND n.id = ?2)",
            )?
            .query_row([goal_id, note_id], |r| r.get(0))?;
        if !of_episode {
            return Err(ChartError::invalid(
                "goal",
                "that goal is not in this episode's plan of care",
            ));
        }
        let assessment = assessment.map(|(status, comment)| (status, comment.trim().to_owned()));
        if let Some((_, comment)) = &assessment
            && comment.chars().count() > GOAL_COMMENT_MAX
        {
            return Err(ChartError::invalid(
                "goal comment",
                format!("keep it under {GOAL_COMMENT_MAX} characters; write the rest in the assessment"),
            ));
        }
        self.write(Some(by), |w| {
            match &assessment {
                Some((status, comment)) => w.exec(
                    "INSERT INTO note_goal (note_id, goal_id, status, comment) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (note_id, goal_id) DO UPDATE SET status = ?3, comment = ?4",
                    (note_id, goal_id, status.as_str(), comment),
                )?,
                None => w.exec(
                    "DELETE FROM note_goal WHERE note_id = ?1 AND goal_id = ?2",
                    (note_id, goal_id),
                )?,
            };
            w.exec("UPDATE note SET updated_at = ?1 WHERE id = ?2", (&w.at, note_id))?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "goal": goal_id, "status": assessment.as_ref().map(|a| a.0) }),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::GoalStatus;

    #[test]
    fn the_statuses_are_those_the_clinic_server_accepts() {
        let stored: Vec<&str> = GoalStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(stored, stride_protocol::policy::GOAL_STATUSES);
    }
}
