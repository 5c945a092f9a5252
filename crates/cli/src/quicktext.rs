//! `stride quicktext`: the clinic's phrases (typed as `;shortcut` and a space in a note)
//! and its note templates.

use crate::context::{Global, open, out, print_json};
use anyhow::{Result, anyhow};
use clap::Subcommand;
use stride_chart::quicktext::QuickTextUse;

/// `stride quicktext`.
#[derive(Subcommand)]
pub enum QuickTextCommand {
    /// Add a phrase (--shortcut) or a template line (--template KIND --field PART); one
    /// with the same shortcut, or for the same part, is replaced. Prints the id.
    Add {
        /// The phrase's shortcut: letters and digits (hep).
        #[arg(long, conflicts_with_all = ["template", "field"])]
        shortcut: Option<String>,
        /// The kind of note the template is for: eval, daily, progress, reeval, discharge.
        #[arg(long, requires = "field")]
        template: Option<String>,
        /// The part of the note it fills: subjective, objective, assessment or plan.
        #[arg(long, requires = "template")]
        field: Option<String>,
        /// The words.
        #[arg(long)]
        text: String,
    },
    /// The clinic's quick text in use, as JSON.
    List,
    /// Retire a phrase or template line.
    Retire {
        /// Its id.
        id: String,
    },
}

/// Runs `stride quicktext`.
pub fn run(g: &Global, c: &QuickTextCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        QuickTextCommand::Add {
            shortcut,
            template,
            field,
            text,
        } => {
            let used_as = match (shortcut, template, field) {
                (Some(shortcut), None, None) => QuickTextUse::Phrase {
                    shortcut: shortcut.clone(),
                },
                (None, Some(note_kind), Some(field)) => QuickTextUse::Template {
                    note_kind: note_kind.clone(),
                    field: field.clone(),
                },
                _ => {
                    return Err(anyhow!(
                        "give --shortcut for a phrase, or --template and --field for a template"
                    ));
                }
            };
            out!("{}", chart.add_quick_text(&me, &used_as, text)?)?;
        }
        QuickTextCommand::List => print_json(&chart.quick_texts()?)?,
        QuickTextCommand::Retire { id } => chart.retire_quick_text(&me, id)?,
    }
    Ok(())
}
