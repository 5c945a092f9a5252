//! Alerts, the audit trail, backup and restore.

use crate::context::{Global, open, out, print_json, today, with_key};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use stride_chart::backup;

/// `stride alerts`.
#[derive(Args)]
pub struct AlertsArgs {
    /// As of this day (default today).
    #[arg(long)]
    day: Option<String>,
}

/// Prints the compliance alerts.
pub fn alerts(g: &Global, args: &AlertsArgs) -> Result<()> {
    let (chart, _) = open(g)?;
    let day = match &args.day {
        Some(d) => stride_chart::validate::date("day", d)?,
        None => today(),
    };
    let alerts = chart.alerts(chrono::Utc::now(), day)?;
    if g.json {
        return print_json(&alerts);
    }
    for a in alerts {
        out!("{:?}\t{:?}\t{}\t{}", a.urgency, a.kind, a.patient_id, a.message)?;
    }
    Ok(())
}

/// `stride audit ...`.
#[derive(Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero when it is broken.
    Verify,
}

/// Runs `stride audit`.
pub fn audit(g: &Global, c: &AuditCommand) -> Result<()> {
    let AuditCommand::Verify = c;
    let (chart, _) = open(g)?;
    let report = chart.verify_audit()?;
    if g.json {
        print_json(&report)?;
    } else if report.ok() {
        out!("audit trail verified: {} events, chain intact", report.events)?;
    }
    if !report.ok() {
        let problems: Vec<String> = report.problems.iter().map(|p| format!("{p:?}")).collect();
        bail!("the audit trail is broken: {}", problems.join("; "));
    }
    Ok(())
}

/// `stride backup --to DIR` or `stride backup verify FILE`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    /// Write a backup into this folder (passphrase from STRIDE_BACKUP_PASSPHRASE, else
    /// STRIDE_PASSPHRASE).
    #[arg(long, value_name = "DIR")]
    to: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<BackupCommand>,
}

/// `stride backup verify`.
#[derive(Subcommand)]
enum BackupCommand {
    /// Check a backup: it opens, passes SQLite's integrity check, its audit chain
    /// verifies, and it matches its manifest.
    Verify {
        /// The backup file.
        file: PathBuf,
    },
}

fn backup_passphrase() -> Result<String> {
    for var in ["STRIDE_BACKUP_PASSPHRASE", "STRIDE_PASSPHRASE"] {
        if let Ok(p) = std::env::var(var)
            && !p.is_empty()
        {
            return Ok(p);
        }
    }
    Err(anyhow!(
        "no backup passphrase: set STRIDE_BACKUP_PASSPHRASE (keep it somewhere other than this computer)"
    ))
}

/// Runs `stride backup`.
pub fn backup(g: &Global, args: &BackupArgs) -> Result<()> {
    match (&args.to, &args.command) {
        (Some(dir), None) => {
            let (mut chart, me) = open(g)?;
            let (file, manifest) = chart.backup_to(&me, dir, &backup_passphrase()?)?;
            if g.json {
                print_json(&manifest)?;
            } else {
                out!("{}", file.display())?;
            }
            Ok(())
        }
        (None, Some(BackupCommand::Verify { file })) => {
            let check = backup::verify_backup(file, &backup_passphrase()?)?;
            if g.json {
                print_json(&check)?;
            } else if check.ok() {
                out!("backup verified: {} patients, {} notes", check.patients, check.notes)?;
            }
            if !check.ok() {
                bail!(
                    "the backup failed its checks (integrity {}, audit chain {}, manifest {:?})",
                    check.integrity_ok,
                    check.audit_ok,
                    check.manifest_ok
                );
            }
            Ok(())
        }
        _ => bail!("say where to write the backup (--to DIR) or which to check (verify FILE)"),
    }
}

/// `stride restore`.
#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file.
    #[arg(long)]
    from: PathBuf,
    /// Replace an existing chart at --db (it is kept beside, renamed).
    #[arg(long)]
    replace: bool,
}

/// Restores a backup into --db, keyed like a new chart (STRIDE_PASSPHRASE or keychain).
pub fn restore(g: &Global, args: &RestoreArgs) -> Result<()> {
    let target = g.db_path()?;
    let passphrase = backup_passphrase()?;
    with_key(|k| backup::restore(&args.from, &passphrase, &target, k, args.replace))?;
    out!("{}", target.display())?;
    Ok(())
}

/// `stride demo ...`.
#[derive(Subcommand)]
pub enum DemoCommand {
    /// Make (once) a demo clinic in demo.stride with demo credentials, and show around it:
    /// today's schedule, a patient's chart, a signed note with its charges, the alerts.
    /// The data is synthetic; the passphrase and passwords are the public demo ones.
    Tour,
    /// Fill a chart with a synthetic demo clinic. Creates the chart (owner from --user,
    /// password from STRIDE_PASSWORD) when there is none.
    Seed {
        /// Patients.
        #[arg(long, default_value_t = 60)]
        patients: u32,
        /// Signed visits per patient.
        #[arg(long, default_value_t = 8)]
        visits: u32,
        /// Also make one patient with five years of notes.
        #[arg(long)]
        long_history: bool,
        /// The clinic's "today" (default: today).
        #[arg(long)]
        today: Option<String>,
        /// Also add the insurance cases (a dependant, a therapist billing in her own
        /// name, Medicare second, a crossover, a reversal) and bill, send and post
        /// everything older than two weeks.
        #[arg(long)]
        billed: bool,
    },
    /// The demo clinic's made-up payers answer: write their 835 for every submitted
    /// claim, to post with `stride remit import-835` (demo clinics only).
    Payer {
        /// Where to write the 835 file.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs `stride demo`.
pub fn demo(g: &Global, c: &DemoCommand) -> Result<()> {
    if let DemoCommand::Payer { out: path } = c {
        let (chart, _) = open(g)?;
        let Some(text) = stride_chart::demo::payer_remittance(&chart, today())? else {
            bail!("no claim waits for payment: export some claims first (stride claim export-837)");
        };
        stride_chart::files::write_durably(path, text.as_bytes())
            .with_context(|| format!("cannot save {}", path.display()))?;
        out!("the demo payers' 835 is saved: {}", path.display())?;
        return Ok(());
    }
    let DemoCommand::Seed {
        patients,
        visits,
        long_history,
        today: day,
        billed,
    } = c
    else {
        return tour(g);
    };
    let path = g.db_path()?;
    if path.exists() {
        bail!(
            "{} already exists: demo data goes only into a new chart, never into a clinic's records",
            path.display()
        );
    }
    let name = g
        .user
        .clone()
        .ok_or_else(|| anyhow!("no owner given: pass --user NAME"))?;
    let password = crate::context::password()?;
    let (mut chart, owner) = with_key(|k| {
        stride_chart::Chart::create(&path, k, "Stride Demo Clinic", &name, &password, stride_chart::Role::Pt)
    })?;
    let options = stride_chart::demo::DemoOptions {
        patients: *patients,
        visits_per_patient: *visits,
        today: match day {
            Some(d) => stride_chart::validate::date("today", d)?,
            None => today(),
        },
        long_history: *long_history,
        batch_size: 50,
        therapists: 2,
        billing_history: *billed,
    };
    let report = stride_chart::demo::seed(&mut chart, &owner, &options)?;
    if g.json {
        print_json(&report)?;
    } else {
        out!(
            "demo clinic: {} patients, {} notes, {} appointments (staff password: {})",
            report.patients,
            report.notes,
            report.appointments,
            stride_chart::demo::DEMO_PASSWORD
        )?;
    }
    Ok(())
}

/// The demo chart's public credentials: synthetic data only.
const DEMO_PASSPHRASE: &str = "stride demo";
const DEMO_OWNER: &str = "demo";

/// Makes the demo clinic if needed and prints a short tour of it.
fn tour(g: &Global) -> Result<()> {
    let path = g.db.clone().unwrap_or_else(|| PathBuf::from("demo.stride"));
    let key = stride_chart::KeySource::Passphrase(DEMO_PASSPHRASE.into());
    let today = today();
    let (mut chart, owner) = if path.exists() {
        let mut chart = stride_chart::Chart::open(&path, &key)?;
        let owner = chart.authenticate(DEMO_OWNER, stride_chart::demo::DEMO_PASSWORD)?;
        stride_chart::demo::mark(&mut chart, &owner)?;
        (chart, owner)
    } else {
        let (mut chart, owner) = stride_chart::Chart::create(
            &path,
            &key,
            "Stride Demo Clinic",
            DEMO_OWNER,
            stride_chart::demo::DEMO_PASSWORD,
            stride_chart::Role::Pt,
        )?;
        stride_chart::demo::seed(&mut chart, &owner, &stride_chart::demo::DemoOptions::newcomer(today))?;
        (chart, owner)
    };
    out!("Stride demo clinic in {} (synthetic data).", path.display())?;
    out!(
        "Open it yourself: STRIDE_DB={} STRIDE_PASSPHRASE='{DEMO_PASSPHRASE}' STRIDE_USER={DEMO_OWNER} STRIDE_PASSWORD={} stride patient list",
        path.display(),
        stride_chart::demo::DEMO_PASSWORD
    )?;
    out!("\nToday's schedule ({today}):")?;
    for a in chart.schedule(today, None)? {
        let p = chart.patient(&a.patient_id)?;
        let time = a.starts_at.get(11..).unwrap_or(&a.starts_at);
        out!("  {time}  {} {}  {:?}", p.first_name, p.last_name, a.status)?;
    }
    let Some(first) = chart.patients()?.into_iter().next() else {
        return Ok(());
    };
    chart.record_chart_open(&owner, &first.id)?;
    out!(
        "\nChart of {} {} (MRN {}, born {}):",
        first.first_name,
        first.last_name,
        first.mrn,
        first.dob
    )?;
    let timeline = chart.timeline(&first.id)?;
    for t in timeline.iter().take(5) {
        out!(
            "  {}  {:<9} {:?}, {} units",
            t.date_of_service,
            t.kind.as_str(),
            t.status,
            t.units
        )?;
    }
    if let Some(signed) = timeline.iter().find(|t| t.units > 0) {
        let note = chart.note(&signed.note_id)?;
        out!(
            "\nNote of {} ({}), sha256 {}:",
            note.date_of_service,
            note.kind.as_str(),
            note.content_hash.as_deref().unwrap_or("-")
        )?;
        for l in &note.charge_lines {
            out!(
                "  {} x{} {}: {}",
                l.code,
                l.units,
                stride_coding::Modifier::join(&l.modifiers),
                l.explanation
            )?;
        }
    }
    out!("\nAlerts:")?;
    for a in chart.alerts(chrono::Utc::now(), today)?.iter().take(8) {
        out!("  [{:?}] {}", a.urgency, a.message)?;
    }
    Ok(())
}
