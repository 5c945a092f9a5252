//! `stride`: headless access to Stride's timed-code engine and chart store, for scripts,
//! administrators and tests. A stable contract: tools outside the project depend on it.
//!
//! Every command is one user action: it either completes or changes nothing. Errors are one
//! line on stderr with a non-zero exit; ids are printed alone on stdout; `--json` prints
//! JSON.

mod admin;
mod billing;
mod code;
mod context;
mod diagnoses;
mod measures;
mod notes;
mod quicktext;
mod records;
mod schedule;
mod sync;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Stride, an offline-first EMR for outpatient physical therapy.
#[derive(Parser)]
#[command(name = "stride", version, about)]
struct Cli {
    #[command(flatten)]
    global: context::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Code(code::CodeArgs),
    /// Create a chart for a new clinic and its first user, the owner (who is also admin).
    Init(records::InitArgs),
    /// Users and their roles.
    #[command(subcommand)]
    User(records::UserCommand),
    /// Payers, their rules and fee schedules.
    #[command(subcommand)]
    Payer(records::PayerCommand),
    /// Patients: register, list, search, insurance.
    #[command(subcommand)]
    Patient(records::PatientCommand),
    /// The ICD-10-CM code set diagnoses are checked against.
    #[command(subcommand)]
    Codes(diagnoses::CodesCommand),
    /// Referring providers.
    #[command(subcommand)]
    Referrer(records::ReferrerCommand),
    /// Episodes of care and their authorizations.
    #[command(subcommand)]
    Episode(records::EpisodeCommand),
    /// Plans of care.
    #[command(subcommand)]
    Plan(records::PlanCommand),
    /// The schedule: visits, recurring series, moves, check-ins.
    #[command(subcommand)]
    Appointment(schedule::AppointmentCommand),
    /// The clinic's quick text: phrases (;shortcut in a note) and note templates.
    #[command(subcommand)]
    Quicktext(quicktext::QuickTextCommand),
    /// Notes: draft, edit, document services, sign, co-sign, addenda.
    #[command(subcommand)]
    Note(notes::NoteCommand),
    /// Outcome measures: record and follow them.
    #[command(subcommand)]
    Measure(measures::MeasureCommand),
    /// Compliance alerts for open episodes.
    Alerts(admin::AlertsArgs),
    /// The audit trail.
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Encrypted backups: write one, or check one.
    Backup(admin::BackupArgs),
    /// Restore a chart from a backup.
    Restore(admin::RestoreArgs),
    /// A synthetic demo clinic.
    #[command(subcommand)]
    Demo(admin::DemoCommand),
    /// Sign this device in to a clinic server (password from STRIDE_PASSWORD).
    Login(sync::LoginArgs),
    /// Sync with the clinic server, or show the sync state.
    Sync(sync::SyncArgs),
    /// Claims: build from signed notes, scrub, mark ready, edit, export as 837P.
    #[command(subcommand)]
    Claim(billing::ClaimCommand),
    /// Remittances: post an 835 file.
    #[command(subcommand)]
    Remit(billing::RemitCommand),
    /// The denial work queue.
    #[command(subcommand)]
    Denial(billing::DenialCommand),
    /// Billing details (clinic, charges, payers, addresses, NPIs), patient payments, superbills.
    #[command(subcommand)]
    Billing(billing::BillingCommand),
    /// Reports: A/R aging and production, as JSON or CSV.
    #[command(subcommand)]
    Report(billing::ReportCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(),
        Err(err) => {
            // clap's message spans lines (the missing arguments, usage, tips): keep the
            // message itself, on one line.
            let rendered = err.render().to_string();
            let message = rendered.split("Usage:").next().unwrap_or_default();
            let message = message.split("tip:").next().unwrap_or_default();
            let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("stride: {message} (see stride --help)");
            return ExitCode::from(2);
        }
    };
    let g = &cli.global;
    let result = match &cli.command {
        Command::Code(args) => code::run(args),
        Command::Codes(c) => diagnoses::codes(g, c),
        Command::Init(args) => records::init(g, args),
        Command::User(c) => records::user(g, c),
        Command::Payer(c) => records::payer(g, c),
        Command::Patient(c) => records::patient(g, c),
        Command::Referrer(c) => records::referrer(g, c),
        Command::Episode(c) => records::episode(g, c),
        Command::Plan(c) => records::plan(g, c),
        Command::Appointment(c) => schedule::appointment(g, c),
        Command::Quicktext(c) => quicktext::run(g, c),
        Command::Note(c) => notes::run(g, c),
        Command::Measure(c) => measures::run(g, c),
        Command::Alerts(args) => admin::alerts(g, args),
        Command::Audit(c) => admin::audit(g, c),
        Command::Backup(args) => admin::backup(g, args),
        Command::Restore(args) => admin::restore(g, args),
        Command::Demo(c) => admin::demo(g, c),
        Command::Login(args) => sync::login(g, args),
        Command::Sync(args) => sync::sync(g, args),
        Command::Claim(c) => billing::claim(g, c),
        Command::Remit(c) => billing::remit(g, c),
        Command::Denial(c) => billing::denial(g, c),
        Command::Billing(c) => billing::billing(g, c),
        Command::Report(c) => billing::report(g, c),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): not an error of ours.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, naming the problem; the chain of causes joined on it.
            let message = format!("{err:#}").replace('\n', " ");
            eprintln!("stride: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Whether an error is a write to a closed pipe.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
