//! `stride measure ...`: outcome measures given in an episode.

use crate::context::{Global, open, out, print_json};
use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use stride_measures::{Answers, Decimal};

/// `stride measure ...`.
#[derive(Subcommand)]
pub enum MeasureCommand {
    /// Score and record a measure; prints the id.
    Record {
        /// The episode.
        #[arg(long)]
        episode: String,
        /// lefs, odi, ndi, quickdash, psfs, berg, tug or 6mwt.
        #[arg(long)]
        measure: String,
        /// Date given (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// Item answers in form order, comma-separated; leave one empty for unanswered
        /// (e.g. `4,3,,4`). A timed test has one: `12.5`.
        #[arg(long, conflicts_with = "answers_json")]
        answers: Option<String>,
        /// Answers as JSON: `{"items": [4, null]}` or `{"activities": [{"id": "stairs",
        /// "text": "Stairs at home", "rating": 3}]}`.
        #[arg(long)]
        answers_json: Option<String>,
        /// The draft note it was given with.
        #[arg(long)]
        note: Option<String>,
    },
    /// An episode's scores for a measure, with change against the MCID.
    History {
        /// The episode.
        #[arg(long)]
        episode: String,
        /// The measure.
        #[arg(long)]
        measure: String,
    },
}

fn parse_items(text: &str) -> Result<Answers> {
    let items = text
        .split(',')
        .enumerate()
        .map(|(i, a)| {
            let a = a.trim();
            if a.is_empty() {
                Ok(None)
            } else {
                a.parse::<Decimal>()
                    .map(Some)
                    .map_err(|e| anyhow!("answer {} ({a:?}) is not a number: {e}", i + 1))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Answers::Items(items))
}

/// Runs `stride measure`.
pub fn run(g: &Global, c: &MeasureCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        MeasureCommand::Record {
            episode,
            measure,
            date,
            answers,
            answers_json,
            note,
        } => {
            let answers = match (answers, answers_json) {
                (Some(text), None) => parse_items(text)?,
                (None, Some(json)) => serde_json::from_str(json).context("--answers-json is not valid answers JSON")?,
                _ => return Err(anyhow!("give the answers with --answers or --answers-json")),
            };
            out!(
                "{}",
                chart.record_measure(&me, episode, note.as_deref(), measure, date, &answers)?
            )?;
        }
        MeasureCommand::History { episode, measure } => {
            let history = chart.measure_history(episode, measure)?;
            if g.json {
                print_json(&history)?;
            } else {
                for r in history {
                    let change = r.since_first.map(|c| format!("  {}", c.sentence)).unwrap_or_default();
                    out!("{}\t{}{change}", r.administered_on, r.display)?;
                }
            }
        }
    }
    Ok(())
}
