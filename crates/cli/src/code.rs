//! `stride code`: one visit as JSON on stdin, the coded visit as JSON on stdout.

use anyhow::{Context, Result};
use clap::Args;
use std::io::{Read, Write};
use std::path::PathBuf;
use stride_coding::RuleSet;
use stride_coding::mue::MueTable;
use stride_coding::ncci::PtpTable;
use stride_coding::request::{CodingReport, code_json};

const FORMAT_HELP: &str = r#"INPUT (stdin), one visit:
  {
    "date": "2026-03-02",                 date of service, YYYY-MM-DD
    "method": "cms" | "ama",              CMS total time (8-minute rule) or AMA per code
    "services": [                         documented services; a code may repeat (merged)
      {"code": "97110", "minutes": 33,    minutes 0..=1440
       "pta_minutes": 0}                  part of minutes a PTA furnished alone (default 0)
    ],
    optional:
    "payer": {"medicare": bool,           default: true for cms, false for ama
              "cq": bool,                 apply CQ for PTA minutes (default true)
              "kx": bool,                 apply the KX threshold (default: medicare)
              "distinct_modifier": "59" | "XU"},
    "ytd_allowed_cents": 150000,          therapy allowed amounts already this year (for KX)
    "fees": {"97110": 3215},              allowed amount per unit, integer cents
    "distinct_intervals": [["97530","97140"]],  NCCI pairs done in distinct time intervals
    "total_treatment_minutes": 60,        documented total treatment time
    "tie_break": ["97112"]                codes to prefer for a tied unit, best first
  }

OUTPUT (stdout):
  {"lines": [{"code": "97110", "units": 2, "modifiers": ["GP"], "minutes": 33,
              "allowed_cents": 6430, "explanation": "..."}],
   "timed_minutes": 40, "timed_units": 3, "total_units": 3,
   "warnings": ["..."], "errors": ["..."],
   "findings": [{"severity": "warning", "kind": "...", "codes": [...], "message": "..."}],
   "unbilled": [{"code": "...", "minutes": 5, "reason": "..."}]}
  Only lines with at least one unit appear; a code appears on two lines when their
  modifiers differ (a PTA's CQ units apart from the PT's).

Bad input exits with status 1 and one line on stderr naming the problem."#;

/// Code one visit: documented minutes in, billed units, modifiers and warnings out.
#[derive(Args)]
#[command(after_long_help = FORMAT_HELP)]
pub struct CodeArgs {
    /// Print a table for people instead of JSON.
    #[arg(long)]
    explain: bool,
    /// A CMS practitioner PTP (NCCI) file for the current quarter; repeat for all four.
    /// Without it, Stride's small sample table is used.
    #[arg(long = "ptp", value_name = "FILE")]
    ptp_files: Vec<PathBuf>,
    /// A CMS practitioner MUE table (CSV). Without it, Stride's sample table is used.
    #[arg(long = "mue", value_name = "FILE")]
    mue_file: Option<PathBuf>,
}

/// Runs `stride code`.
pub fn run(args: &CodeArgs) -> Result<()> {
    let rules = load_rules(args)?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("could not read the visit from standard input (is it UTF-8 text?)")?;
    let report = code_json(&input, &rules)?;
    let mut out = std::io::stdout().lock();
    if args.explain {
        write!(out, "{}", render_table(&report))?;
    } else {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    }
    Ok(())
}

fn load_rules(args: &CodeArgs) -> Result<RuleSet> {
    let mut rules = RuleSet::builtin().context("Stride's built-in rule data is damaged")?;
    if !args.ptp_files.is_empty() {
        let mut ptp = PtpTable::default();
        for path in &args.ptp_files {
            let bytes = std::fs::read(path).with_context(|| format!("could not read PTP file {}", path.display()))?;
            ptp.add_cms_practitioner(&bytes)
                .with_context(|| format!("could not import PTP file {}", path.display()))?;
        }
        rules.ptp = ptp;
    }
    if let Some(path) = &args.mue_file {
        let bytes = std::fs::read(path).with_context(|| format!("could not read MUE file {}", path.display()))?;
        rules.mue = MueTable::parse_cms_practitioner(&bytes)
            .with_context(|| format!("could not import MUE file {}", path.display()))?;
    }
    Ok(rules)
}

/// A plain-text table of the lines, then the explanations and findings.
fn render_table(report: &CodingReport) -> String {
    let mut s = format!(
        "{:<7} {:>5} {:>7}  {:<14} {:>10}\n",
        "CODE", "UNITS", "MINUTES", "MODIFIERS", "ALLOWED"
    );
    for line in &report.lines {
        let allowed = line.allowed_cents.map(|c| c.to_string()).unwrap_or_default();
        s.push_str(&format!(
            "{:<7} {:>5} {:>7}  {:<14} {:>10}\n",
            line.code,
            line.units,
            line.minutes,
            stride_coding::Modifier::join(&line.modifiers),
            allowed
        ));
    }
    s.push_str(&format!(
        "\nTimed minutes {} -> {} timed units; {} units in all.\n",
        report.timed_minutes, report.timed_units, report.total_units
    ));
    for line in &report.lines {
        s.push_str(&format!(
            "\n{} {}: {}\n",
            line.code,
            stride_coding::Modifier::join(&line.modifiers),
            line.explanation
        ));
    }
    for u in &report.unbilled {
        s.push_str(&format!("\nNot billed: {} ({} min): {}\n", u.code, u.minutes, u.reason));
    }
    for e in &report.errors {
        s.push_str(&format!("\nERROR: {e}\n"));
    }
    for w in &report.warnings {
        s.push_str(&format!("\nWarning: {w}\n"));
    }
    s
}
