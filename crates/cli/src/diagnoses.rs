//! `stride codes`: the ICD-10-CM code set the chart checks diagnoses against.

use crate::context::{Global, open, out, print_json};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
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
    /// Import CMS's ICD-10-CM tabular list of a new release (icd10cm-tabular-*.xml, or
    /// the same gzip-compressed) into the chart: diagnoses on dates of service from its
    /// effective date are checked against it.
    #[command(name = "import-icd10cm")]
    ImportIcd10cm {
        /// The tabular list file.
        file: PathBuf,
        /// The first date of service it applies to (default: October 1 before the fiscal
        /// year it names; give April 1 for an April update).
        #[arg(long)]
        effective: Option<String>,
    },
    /// The releases the chart checks diagnoses against, and the dates each covers.
    Releases,
}

/// Runs `stride codes`.
pub fn codes(g: &Global, c: &CodesCommand) -> Result<()> {
    match c {
        CodesCommand::Search { text, limit } => {
            // The chart's newest release when a chart is given, else the one Stride ships.
            let chart = match &g.db {
                Some(_) => Some(open(g)?.0),
                None => None,
            };
            let releases = chart.as_ref().map(|chart| chart.diagnosis_codes()).transpose()?;
            let set: &CodeSet = match &releases {
                Some(releases) => &releases.newest().codes,
                None => CodeSet::builtin(),
            };
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
        CodesCommand::ImportIcd10cm { file, effective } => {
            let (mut chart, me) = open(g)?;
            let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let release = chart.import_icd10cm(&me, &bytes, effective.as_deref())?;
            if g.json {
                print_json(&release)?;
            } else {
                out!(
                    "ICD-10-CM {} imported: {} codes, for dates of service from {}",
                    release.version,
                    release.codes,
                    release.effective_from
                )?;
            }
        }
        CodesCommand::Releases => {
            let (chart, _) = open(g)?;
            let releases = chart.icd10_releases()?;
            if g.json {
                print_json(&releases)?;
            } else {
                for r in &releases {
                    let through = r.covers_through.map(|d| format!(" through {d}")).unwrap_or_default();
                    let source = if r.shipped { "shipped" } else { "imported" };
                    out!(
                        "{}  {} codes  dates of service from {}{through}  ({source})",
                        r.version,
                        r.codes,
                        r.effective_from
                    )?;
                }
            }
        }
    }
    Ok(())
}
