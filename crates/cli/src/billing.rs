//! Billing commands: the clinic's billing details, claims (build, scrub, ready, edit,
//! export as 837P), remittances (import an 835), denials, patient payments, superbills
//! and reports (A/R aging, production) as JSON or CSV.

use crate::context::{Global, open, out, print_json, today};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use stride_billing::ClaimStatus;
use stride_chart::billing::claims::LineEdit;
use stride_chart::billing::profile::{BillingProfile, PayerBilling, PostalAddress};
use stride_chart::billing::scrub::Level;
use stride_chart::files::write_durably;
use stride_chart::validate;

/// `stride claim ...`.
#[derive(Subcommand)]
pub enum ClaimCommand {
    /// Build draft claims from the signed notes of a period (and secondary claims for
    /// settled primary claims).
    Build {
        /// First date of service, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last date of service, YYYY-MM-DD.
        #[arg(long)]
        to: String,
    },
    /// List claims, newest service first.
    List {
        /// Only claims in this status (draft, ready, submitted, paid, partially_paid,
        /// denied, void, appealed).
        #[arg(long)]
        status: Option<String>,
    },
    /// One claim with its lines, diagnoses and history.
    Show {
        /// The claim.
        id: String,
    },
    /// Scrub claims (one, or every draft and ready claim); exits non-zero when any has
    /// an error.
    Scrub {
        /// The claim (default: all open claims).
        id: Option<String>,
    },
    /// Mark clean draft claims ready (the given ones, or every clean draft).
    Ready {
        /// The claims (default: every draft).
        ids: Vec<String>,
    },
    /// Move a claim from one status to another (refused if it is no longer FROM).
    Status {
        /// The claim.
        id: String,
        /// The status you saw.
        #[arg(long)]
        from: String,
        /// The status wanted.
        #[arg(long)]
        to: String,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Change one line of a draft claim.
    Edit {
        /// The claim.
        id: String,
        /// The line (from 1).
        #[arg(long)]
        line: u32,
        /// Units.
        #[arg(long)]
        units: Option<u32>,
        /// Modifiers, comma-separated (GP,KX).
        #[arg(long)]
        modifiers: Option<String>,
        /// Diagnosis pointers, comma-separated (1,2).
        #[arg(long)]
        dx: Option<String>,
        /// What was done, for an unlisted code such as 97139 (sent on the claim).
        #[arg(long)]
        description: Option<String>,
    },
    /// Void a claim not yet sent (or denied) and bill its notes again.
    Rebuild {
        /// The claim.
        id: String,
    },
    /// Write the ready claims to an 837P file and mark them submitted.
    #[command(name = "export-837")]
    Export837 {
        /// Where to write the file.
        #[arg(long)]
        out: PathBuf,
        /// Only these claims (repeat); default: every ready claim.
        #[arg(long = "claim")]
        claims: Vec<String>,
    },
}

/// `stride remit ...`.
#[derive(Subcommand)]
pub enum RemitCommand {
    /// Post an 835 remittance file to its claims.
    #[command(name = "import-835")]
    Import835 {
        /// The 835 file.
        file: PathBuf,
    },
}

/// `stride report ...`.
#[derive(Subcommand)]
pub enum ReportCommand {
    /// Insurance A/R by payer and age (0-30, 31-60, 61-90, 90+ days), and patient balances.
    Ar {
        /// Count ages to this day (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// Print CSV.
        #[arg(long)]
        csv: bool,
    },
    /// Charges and payments by payer and therapist for claims in a period.
    Production {
        /// First date of service.
        #[arg(long)]
        from: String,
        /// Last date of service.
        #[arg(long)]
        to: String,
        /// Print CSV.
        #[arg(long)]
        csv: bool,
    },
}

/// `stride denial ...`.
#[derive(Subcommand)]
pub enum DenialCommand {
    /// The denial work queue (open denials; all with --all).
    List {
        /// Include worked denials.
        #[arg(long)]
        all: bool,
    },
    /// Record what was done: appealed, corrected, written_off (or open again).
    Resolve {
        /// The denial.
        id: String,
        /// The new status.
        #[arg(long)]
        status: String,
    },
}

/// `stride billing ...`: what claims need besides the notes.
#[derive(Subcommand)]
pub enum BillingCommand {
    /// Show the clinic's billing profile, or change the values given.
    Profile(ProfileArgs),
    /// Set the clinic's charge for one unit of a code.
    Charge {
        /// The code.
        #[arg(long)]
        code: String,
        /// Cents per unit.
        #[arg(long)]
        cents: i64,
    },
    /// Set how a payer is billed.
    Payer {
        /// The payer.
        #[arg(long)]
        payer: String,
        /// Its electronic payer id.
        #[arg(long)]
        payer_id: Option<String>,
        /// Claim filing indicator: MB, CI, BL, HM, MC, ...
        #[arg(long)]
        filing: Option<String>,
        /// Self-pay (`true`: no claims, superbills instead) or billed (`false`).
        #[arg(long)]
        self_pay: Option<bool>,
    },
    /// Set a patient's postal address.
    Address {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// Street line.
        #[arg(long)]
        line: String,
        /// City.
        #[arg(long)]
        city: String,
        /// State.
        #[arg(long)]
        state: String,
        /// ZIP.
        #[arg(long)]
        zip: String,
    },
    /// Set a clinician's individual NPI.
    Npi {
        /// The user's id.
        #[arg(long = "user-id")]
        user_id: String,
        /// The NPI.
        #[arg(long)]
        npi: String,
    },
    /// Let a physical therapist bill their own patients in their own name (their Type 1
    /// NPI as billing provider), under their tax id; --off and the clinic bills them again.
    OwnBilling {
        /// The user's id.
        #[arg(long = "user-id")]
        user_id: String,
        /// Their employer identification number, as 12-3456789.
        #[arg(long, required_unless_present = "off")]
        tax_id: Option<String>,
        /// The clinic bills their claims again.
        #[arg(long, conflicts_with = "tax_id")]
        off: bool,
    },
    /// Record a payment from a patient.
    Payment {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// Amount in cents.
        #[arg(long)]
        cents: i64,
        /// cash, check, card or other.
        #[arg(long, default_value = "card")]
        method: String,
        /// Day received (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Write a superbill PDF of a patient's signed visits.
    Superbill {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// First date of service.
        #[arg(long)]
        from: String,
        /// Last date of service.
        #[arg(long)]
        to: String,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `stride billing profile` options: each one given replaces the stored value.
#[derive(Args)]
pub struct ProfileArgs {
    /// Type 2 NPI.
    #[arg(long)]
    npi: Option<String>,
    /// EIN.
    #[arg(long)]
    tax_id: Option<String>,
    /// Street line.
    #[arg(long)]
    address: Option<String>,
    /// City.
    #[arg(long)]
    city: Option<String>,
    /// State.
    #[arg(long)]
    state: Option<String>,
    /// ZIP+4.
    #[arg(long)]
    zip: Option<String>,
    /// Billing phone.
    #[arg(long)]
    phone: Option<String>,
    /// Billing contact.
    #[arg(long)]
    contact: Option<String>,
    /// Submitter id with the clearinghouse.
    #[arg(long)]
    submitter_id: Option<String>,
    /// Clearinghouse id.
    #[arg(long)]
    receiver_id: Option<String>,
    /// Clearinghouse name.
    #[arg(long)]
    receiver_name: Option<String>,
    /// A solo physical therapist's user id: claims then bill in their name under their
    /// own (Type 1) NPI. `clinic` goes back to billing as the clinic.
    #[arg(long)]
    billing_clinician: Option<String>,
}

fn status(text: &str) -> Result<ClaimStatus> {
    ClaimStatus::parse(text.trim()).ok_or_else(|| {
        anyhow!("{text:?} is not a claim status: use draft, ready, submitted, paid, partially_paid, denied, void or appealed")
    })
}

fn list<T: std::str::FromStr>(text: &str, what: &str) -> Result<Vec<T>> {
    text.split(',')
        .map(|p| p.trim().parse().map_err(|_| anyhow!("{p:?} is not a valid {what}")))
        .collect()
}

/// Runs `stride claim`.
pub fn claim(g: &Global, c: &ClaimCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        ClaimCommand::Build { from, to } => {
            let report = chart.build_claims(&me, from, to)?;
            if g.json {
                print_json(&report)?;
            } else {
                for id in &report.claims {
                    out!("{id}")?;
                }
                for s in &report.skipped {
                    eprintln!("not billed: note {}: {}", s.note_id, s.reason);
                }
            }
        }
        ClaimCommand::List { status: s } => {
            let filter = s.as_deref().map(status).transpose()?;
            let claims = chart.claims(filter)?;
            if g.json {
                print_json(&claims)?;
            } else {
                for c in claims {
                    out!(
                        "{}  {}  {:<15} {:<24} {}..{}  {}",
                        c.id,
                        c.control_number,
                        c.status.as_str(),
                        c.patient_name,
                        c.service_from,
                        c.service_to,
                        stride_coding::Cents(c.charge_cents)
                    )?;
                }
            }
        }
        ClaimCommand::Show { id } => print_json(&chart.claim(id)?)?,
        ClaimCommand::Scrub { id } => {
            let reports = match id {
                Some(id) => vec![chart.scrub_claim(id)?],
                None => chart.scrub_open_claims()?,
            };
            if g.json {
                print_json(&reports)?;
            } else {
                for r in &reports {
                    for f in &r.findings {
                        let level = if f.level == Level::Error { "error" } else { "warning" };
                        out!("{} {level}: {} Fix: {}", r.control_number, f.message, f.fix)?;
                    }
                }
            }
            let blocked = reports.iter().filter(|r| !r.clean()).count();
            if blocked > 0 {
                bail!(
                    "{blocked} of {} claims have problems to fix before they are ready",
                    reports.len()
                );
            }
        }
        ClaimCommand::Ready { ids } => {
            let ids = if ids.is_empty() {
                chart
                    .claims(Some(ClaimStatus::Draft))?
                    .into_iter()
                    .map(|c| c.id)
                    .collect()
            } else {
                ids.clone()
            };
            let refused = chart.mark_ready(&me, &ids)?;
            for id in ids.iter().filter(|id| !refused.iter().any(|(r, _)| r == *id)) {
                out!("{id}")?;
            }
            for (id, why) in &refused {
                eprintln!("claim {id} stays a draft: {why}");
            }
            if !refused.is_empty() {
                bail!(
                    "{} of {} claims stay drafts: run stride claim scrub",
                    refused.len(),
                    ids.len()
                );
            }
        }
        ClaimCommand::Status { id, from, to, reason } => {
            chart.set_claim_status(&me, id, status(from)?, status(to)?, reason.as_deref())?;
        }
        ClaimCommand::Edit {
            id,
            line,
            units,
            modifiers,
            dx,
            description,
        } => {
            let edit = LineEdit {
                units: *units,
                modifiers: modifiers.as_deref().map(|m| m.split(',').map(str::to_owned).collect()),
                dx_pointers: dx.as_deref().map(|d| list(d, "diagnosis pointer")).transpose()?,
                description: description.clone(),
            };
            chart.edit_claim_line(&me, id, *line, &edit)?;
        }
        ClaimCommand::Rebuild { id } => {
            let report = chart.rebuild_claim(&me, id)?;
            for id in &report.claims {
                out!("{id}")?;
            }
        }
        ClaimCommand::Export837 { out: path, claims } => {
            let only = (!claims.is_empty()).then_some(claims.as_slice());
            let file = chart.prepare_837(&me, only, chrono::Local::now().naive_local())?;
            // The file is saved before the claims are marked sent: if marking fails,
            // they stay ready and the file can simply be made again.
            write_durably(path, file.text.as_bytes()).with_context(|| format!("cannot save {}", path.display()))?;
            chart.mark_submitted(&me, &file, today())?;
            if g.json {
                print_json(&serde_json::json!({
                    "file": path,
                    "claims": file.claim_ids,
                    "control_number": file.control_number,
                    "total_cents": file.total_cents,
                }))?;
            } else {
                out!(
                    "{}: {} claims, {}",
                    path.display(),
                    file.claim_ids.len(),
                    stride_coding::Cents(file.total_cents)
                )?;
            }
        }
    }
    Ok(())
}

/// Runs `stride remit`.
pub fn remit(g: &Global, c: &RemitCommand) -> Result<()> {
    let RemitCommand::Import835 { file } = c;
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > stride_billing::x12::MAX_FILE_BYTES as u64 {
        bail!("{} is {size} bytes: too large to be a remittance file", file.display());
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (mut chart, me) = open(g)?;
    let report = chart.import_835(&me, &bytes)?;
    if g.json {
        print_json(&report)?;
    } else {
        for p in &report.payments {
            out!(
                "payment {} from {}: {}",
                p.trace_number,
                p.payer_name,
                dollars(p.total_paid_cents)
            )?;
            if p.taken_back_cents != 0 {
                out!("  taken back by reversals: {}", dollars(p.taken_back_cents))?;
            }
            for a in &p.provider_adjustments {
                out!(
                    "  provider adjustment {} ({}) {}: {}{}",
                    a.reason,
                    a.words,
                    a.reference,
                    dollars(a.cents),
                    if a.claim_id.is_some() {
                        ", on a claim of ours"
                    } else {
                        ""
                    }
                )?;
            }
        }
        out!(
            "{} claims posted, {} denied lines queued, {} not matched",
            report.posted.len(),
            report.denials,
            report.unmatched.len()
        )?;
        for u in &report.unmatched {
            out!("not posted: {}: {}", u.control_number, u.reason)?;
        }
    }
    Ok(())
}

/// Runs `stride report`.
pub fn report(g: &Global, c: &ReportCommand) -> Result<()> {
    let (chart, _) = open(g)?;
    let mut csv = csv::Writer::from_writer(std::io::stdout().lock());
    match c {
        ReportCommand::Ar { as_of, csv: as_csv } => {
            let day = match as_of {
                Some(d) => validate::date("as of", d)?,
                None => today(),
            };
            let report = chart.ar_report(day)?;
            if !as_csv {
                return print_json(&report);
            }
            csv.write_record(["payer", "claims", "0-30", "31-60", "61-90", "90+", "total"])?;
            for p in &report.payers {
                let b = &p.buckets;
                csv.write_record([
                    p.payer_name.clone(),
                    p.claims.to_string(),
                    dollars(b.current),
                    dollars(b.days_31_60),
                    dollars(b.days_61_90),
                    dollars(b.over_90),
                    dollars(b.total),
                ])?;
            }
            let t = &report.total;
            let totals = [t.current, t.days_31_60, t.days_61_90, t.over_90, t.total];
            let mut row = vec!["All payers".to_owned(), String::new()];
            row.extend(totals.iter().map(|c| dollars(*c)));
            csv.write_record(row)?;
        }
        ReportCommand::Production { from, to, csv: as_csv } => {
            let rows = chart.production(validate::date("from", from)?, validate::date("to", to)?)?;
            if !as_csv {
                return print_json(&rows);
            }
            csv.write_record([
                "payer",
                "therapist",
                "claims",
                "charges",
                "paid",
                "written off",
                "patient responsibility",
            ])?;
            for r in rows {
                csv.write_record([
                    r.payer_name,
                    r.therapist_name,
                    r.claims.to_string(),
                    dollars(r.charge_cents),
                    dollars(r.paid_cents),
                    dollars(r.written_off_cents),
                    dollars(r.patient_resp_cents),
                ])?;
            }
        }
    }
    csv.flush()?;
    Ok(())
}

/// Cents as a plain decimal for spreadsheets: 1234 -> "12.34".
fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

/// Runs `stride denial`.
pub fn denial(g: &Global, c: &DenialCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        DenialCommand::List { all } => print_json(&chart.denials(*all)?),
        DenialCommand::Resolve { id, status } => Ok(chart.resolve_denial(&me, id, status)?),
    }
}

/// Runs `stride billing`.
pub fn billing(g: &Global, c: &BillingCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        BillingCommand::Profile(a) => {
            let current = chart.billing_profile()?;
            let pick = |new: &Option<String>, old: Option<String>| new.clone().or(old);
            let profile = BillingProfile {
                npi: pick(&a.npi, current.npi.clone()),
                tax_id: pick(&a.tax_id, current.tax_id.clone()),
                address_line: pick(&a.address, current.address_line.clone()),
                city: pick(&a.city, current.city.clone()),
                state: pick(&a.state, current.state.clone()),
                zip: pick(&a.zip, current.zip.clone()),
                phone: pick(&a.phone, current.phone.clone()),
                billing_contact: pick(&a.contact, current.billing_contact.clone()),
                submitter_id: pick(&a.submitter_id, current.submitter_id.clone()),
                receiver_id: pick(&a.receiver_id, current.receiver_id.clone()),
                receiver_name: pick(&a.receiver_name, current.receiver_name.clone()),
                billing_clinician_id: match a.billing_clinician.as_deref() {
                    Some("clinic") => None,
                    Some(id) => Some(id.to_owned()),
                    None => current.billing_clinician_id.clone(),
                },
                ..current.clone()
            };
            if profile != current {
                chart.set_billing_profile(&me, &profile)?;
            }
            print_json(&chart.billing_profile()?)?;
        }
        BillingCommand::Charge { code, cents } => chart.set_clinic_fee(&me, code, *cents)?,
        BillingCommand::Payer {
            payer,
            payer_id,
            filing,
            self_pay,
        } => {
            // What is not given stays as stored.
            let current = chart.payer_billing(payer)?;
            let billing = PayerBilling {
                payer_code: payer_id.clone().or_else(|| current.payer_code.clone()),
                claim_filing: filing.clone().unwrap_or_else(|| current.claim_filing.clone()),
                self_pay: self_pay.unwrap_or(current.self_pay),
            };
            if billing != current {
                chart.set_payer_billing(&me, payer, &billing)?;
            }
            print_json(&billing)?;
        }
        BillingCommand::Address {
            patient,
            line,
            city,
            state,
            zip,
        } => {
            let address = PostalAddress {
                line: line.clone(),
                city: city.clone(),
                state: state.clone(),
                zip: zip.clone(),
            };
            chart.set_patient_address(&me, patient, &address)?;
        }
        BillingCommand::Npi { user_id, npi } => chart.set_user_npi(&me, user_id, npi)?,
        BillingCommand::OwnBilling { user_id, tax_id, .. } => chart.set_own_billing(&me, user_id, tax_id.as_deref())?,
        BillingCommand::Payment {
            patient,
            cents,
            method,
            date,
        } => {
            let day = date.clone().unwrap_or_else(|| today().to_string());
            out!("{}", chart.record_patient_payment(&me, patient, &day, *cents, method)?)?;
        }
        BillingCommand::Superbill {
            patient,
            from,
            to,
            out: path,
        } => {
            let pdf = chart.superbill_pdf(&me, patient, from, to, today())?;
            write_durably(path, &pdf).with_context(|| format!("cannot save {}", path.display()))?;
            out!("{}", path.display())?;
        }
    }
    Ok(())
}
