//! `stride codes`: the ICD-10-CM code set the chart checks diagnoses against.

use crate::context::{Global, out, print_json};
use anyhow::Result;
use clap::Subcommand;
use stride_icd10::CodeSet;

/// `stride codes ...`.
#[derive(Subcommand)]
pub enum CodesCommand {
    /// Find ICD-10-CM codes by code (M54.5) or by words of their description (low back
    /// pain); billable codes first.
    Search {
        /// What to look for.
        text: String,
        /// Most results.
        #[arg(long, default_value_t = 25)]
        limit: usize,
    },
}

/// Runs `stride codes`.
pub fn codes(g: &Global, c: &CodesCommand) -> Result<()> {
    match c {
        CodesCommand::Search { text, limit } => {
            let set = CodeSet::builtin();
            let found = set.search(text, *limit);
            if g.json {
                let rows: Vec<serde_json::Value> = found
                    .iter()
                    .map(
                        |c| serde_json::json!({ "code": c.code, "description": c.description, "billable": c.billable }),
                    )
                    .collect();
                print_json(&rows)?;
            } else {
                for c in found {
                    let note = if c.billable {
                        ""
                    } else {
                        "  (heading: pick a code below it)"
                    };
                    out!("{:<9} {}{note}", c.code, c.description)?;
                }
            }
        }
    }
    Ok(())
}
