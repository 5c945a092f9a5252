//! `stride note ...`: drafts, services, signing, co-signing, addenda, showing.

use crate::context::{Global, open, out, print_json};
use anyhow::Result;
use clap::Subcommand;
use stride_chart::goals::GoalStatus;
use stride_chart::notes::{EvalComplexity, NoteEdit, NoteKind};

/// `stride note ...`.
#[derive(Subcommand)]
pub enum NoteCommand {
    /// Start a draft note; prints the id.
    Create {
        /// The episode.
        #[arg(long)]
        episode: String,
        /// daily, eval, progress, reeval or discharge.
        #[arg(long)]
        kind: String,
        /// Date of service, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// The appointment it documents.
        #[arg(long)]
        appointment: Option<String>,
    },
    /// Edit a draft's fields.
    Edit {
        /// The note.
        id: String,
        /// Subjective.
        #[arg(long)]
        subjective: Option<String>,
        /// Objective.
        #[arg(long)]
        objective: Option<String>,
        /// Assessment.
        #[arg(long)]
        assessment: Option<String>,
        /// Plan.
        #[arg(long)]
        plan: Option<String>,
        /// Evaluation complexity: low, moderate or high.
        #[arg(long)]
        complexity: Option<String>,
        /// Total treatment minutes, timed and untimed.
        #[arg(long)]
        total_minutes: Option<u32>,
    },
    /// Set a service's minutes on a draft (adds the code if new).
    Service {
        /// The note.
        id: String,
        /// CPT or HCPCS code.
        #[arg(long)]
        code: String,
        /// Minutes.
        #[arg(long)]
        minutes: u32,
        /// Of which a PTA furnished alone.
        #[arg(long)]
        pta_minutes: Option<u32>,
        /// The episode's diagnoses it treats, as their positions in claim order (2,1);
        /// default: the episode's first four in order.
        #[arg(long)]
        dx: Option<String>,
    },
    /// Mark two services of a draft as done in separate, distinct time intervals (an NCCI
    /// pair then bills with 59 or XU), or take the mark back with --undo.
    Distinct {
        /// The note.
        id: String,
        /// The two codes.
        #[arg(long, num_args = 2, value_names = ["CODE", "CODE"])]
        pair: Vec<String>,
        /// Take the mark back.
        #[arg(long)]
        undo: bool,
    },
    /// Record where a draft's visit happened when not at the clinic's usual place: 02 or 10
    /// telehealth, 12 home, ... (leave --code out for the usual place).
    Place {
        /// The note.
        id: String,
        /// The place-of-service code.
        #[arg(long)]
        code: Option<String>,
    },
    /// Say in a draft where a goal of the plan stands: progressing, partially-met, met,
    /// not-met or discontinued (leave --status out to take the draft's word back).
    Goal {
        /// The note.
        id: String,
        /// The goal (`stride plan goals` lists them).
        #[arg(long)]
        goal: String,
        /// Where it stands.
        #[arg(long)]
        status: Option<String>,
        /// What was measured or seen.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Sign a draft; prints the content hash.
    Sign {
        /// The note.
        id: String,
    },
    /// Co-sign a PTA's signed note (PTs).
    Cosign {
        /// The note.
        id: String,
    },
    /// Add a signed addendum to a signed note; prints the addendum id.
    Addendum {
        /// The note.
        id: String,
        /// The addendum's text.
        #[arg(long)]
        text: String,
    },
    /// Show a note: status, fields, services, charge lines, hash, addenda.
    Show {
        /// The note.
        id: String,
    },
}

/// Runs `stride note`.
pub fn run(g: &Global, c: &NoteCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        NoteCommand::Create {
            episode,
            kind,
            date,
            appointment,
        } => {
            let kind = NoteKind::parse(kind)?;
            out!(
                "{}",
                chart.create_note(&me, episode, kind, date, appointment.as_deref())?
            )?;
        }
        NoteCommand::Edit {
            id,
            subjective,
            objective,
            assessment,
            plan,
            complexity,
            total_minutes,
        } => {
            let edit = NoteEdit {
                subjective: subjective.clone(),
                objective: objective.clone(),
                assessment: assessment.clone(),
                plan: plan.clone(),
                eval_complexity: complexity.as_deref().map(EvalComplexity::parse).transpose()?,
                total_treatment_minutes: *total_minutes,
            };
            chart.edit_note(&me, id, &edit)?;
        }
        NoteCommand::Service {
            id,
            code,
            minutes,
            pta_minutes,
            dx,
        } => {
            let pointers = dx
                .as_deref()
                .map(|dx| {
                    dx.split(',')
                        .map(|p| {
                            p.trim()
                                .parse::<u8>()
                                .map_err(|_| anyhow::anyhow!("{p:?} is not a diagnosis position: use 1, 2, ..."))
                        })
                        .collect::<Result<Vec<u8>>>()
                })
                .transpose()?;
            // The minutes and the diagnoses together, or neither.
            chart.batch(|c| {
                c.set_service(&me, id, code, *minutes, *pta_minutes)?;
                match &pointers {
                    Some(pointers) => c.set_service_diagnoses(&me, id, code, pointers),
                    None => Ok(()),
                }
            })?;
        }
        NoteCommand::Distinct { id, pair, undo } => {
            let [a, b] = pair.as_slice() else {
                anyhow::bail!("--pair takes two codes, for example --pair 97530 97140");
            };
            chart.set_distinct_pair(&me, id, [a, b], !undo)?;
        }
        NoteCommand::Place { id, code } => chart.set_place_of_service(&me, id, code.as_deref())?,
        NoteCommand::Goal {
            id,
            goal,
            status,
            comment,
        } => {
            let status = status.as_deref().map(GoalStatus::parse).transpose()?;
            chart.assess_goal(&me, id, goal, status.map(|s| (s, comment.as_str())))?;
        }
        NoteCommand::Sign { id } => out!("{}", chart.sign_note(&me, id)?)?,
        NoteCommand::Cosign { id } => chart.cosign_note(&me, id)?,
        NoteCommand::Addendum { id, text } => out!("{}", chart.add_addendum(&me, id, text)?)?,
        NoteCommand::Show { id } => {
            let note = chart.open_note(&me, id)?;
            if g.json {
                print_json(&note)?;
            } else {
                print_note(&note)?;
            }
        }
    }
    Ok(())
}

fn print_note(n: &stride_chart::signing::NoteView) -> Result<()> {
    out!(
        "{} note {} on {} ({:?})",
        n.kind.as_str(),
        n.id,
        n.date_of_service,
        n.status
    )?;
    for (label, text) in [
        ("S", &n.subjective),
        ("O", &n.objective),
        ("A", &n.assessment),
        ("P", &n.plan),
    ] {
        if !text.is_empty() {
            out!("{label}: {text}")?;
        }
    }
    for s in &n.services {
        out!("  {} {} min (PTA {})", s.code, s.minutes, s.pta_minutes)?;
    }
    for l in &n.charge_lines {
        out!(
            "  bill {} x{} {}",
            l.code,
            l.units,
            stride_coding::Modifier::join(&l.modifiers)
        )?;
    }
    if let Some(hash) = &n.content_hash {
        let verified = if n.hash_verified == Some(true) {
            "verified"
        } else {
            "DOES NOT VERIFY"
        };
        out!(
            "signed {} by {}; sha256 {hash} ({verified})",
            n.signed_at.as_deref().unwrap_or(""),
            n.signed_by.as_deref().unwrap_or("")
        )?;
    }
    for a in &n.addenda {
        out!("addendum {} by {}: {}", a.signed_at, a.author_id, a.text)?;
    }
    Ok(())
}
