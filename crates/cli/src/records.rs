//! Commands for the clinic's records: the chart itself, users, payers, patients,
//! referring providers, episodes and plans.

use crate::context::{Global, open, out, password, print_json, today, with_key};
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use stride_chart::episodes::{NewAuthorization, NewEpisode};
use stride_chart::insured::Insured;
use stride_chart::patients::NewPatient;
use stride_chart::payers::Payer;
use stride_chart::plans::{Goal, NewPlan};
use stride_chart::{Chart, Role};
use stride_coding::UnitMethod;

/// `stride init` (the owner's name is the global `--user`; password from STRIDE_PASSWORD).
#[derive(Args)]
pub struct InitArgs {
    /// The clinic's name.
    #[arg(long)]
    clinic: String,
    /// The owner's clinical role besides admin: pt, pta, frontdesk or biller.
    #[arg(long, default_value = "pt")]
    role: String,
}

/// Creates the chart and its owner; prints the owner's user id.
pub fn init(g: &Global, args: &InitArgs) -> Result<()> {
    let path = g.db_path()?;
    let owner = g
        .user
        .clone()
        .ok_or_else(|| anyhow!("no owner given: pass --user NAME"))?;
    let role = Role::parse(&args.role)?;
    let password = password()?;
    let (_, session) = with_key(|k| Chart::create(&path, k, &args.clinic, &owner, &password, role))?;
    out!("{}", session.user_id)?;
    Ok(())
}

/// `stride user ...`.
#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user; their password comes from STRIDE_NEW_PASSWORD (or STRIDE_PASSWORD).
    Add {
        /// User name.
        #[arg(long)]
        name: String,
        /// Role (repeat for several): pt, pta, frontdesk, biller, admin.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// List users and their roles.
    List,
}

/// Runs `stride user`.
pub fn user(g: &Global, c: &UserCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        UserCommand::Add { name, roles } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r))
                .collect::<stride_chart::Result<Vec<_>>>()?;
            let new_password = match std::env::var("STRIDE_NEW_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!(
                        "note: the new user's password is STRIDE_PASSWORD; set STRIDE_NEW_PASSWORD to give them their own"
                    );
                    password()?
                }
            };
            out!("{}", chart.add_user(&me, name, &new_password, &roles)?)?;
        }
        UserCommand::List => {
            let users = chart.users()?;
            if g.json {
                print_json(&users)?;
            } else {
                for u in users {
                    let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                    out!("{}\t{}\t{}", u.user_id, u.name, roles.join(","))?;
                }
            }
        }
    }
    Ok(())
}

/// `stride payer ...`.
#[derive(Subcommand)]
pub enum PayerCommand {
    /// Add a payer; a `cms` payer gets Medicare's rules unless told otherwise.
    Add {
        /// Name.
        #[arg(long)]
        name: String,
        /// Unit method: cms (8-minute rule) or ama (per code).
        #[arg(long)]
        method: String,
        /// Whether Medicare's rules apply (default: yes for cms).
        #[arg(long)]
        medicare: Option<bool>,
        /// Treatment days between progress reports.
        #[arg(long, default_value_t = 10)]
        progress_interval: u32,
        /// Whether a PTA's notes need a PT's co-signature (default: as medicare).
        #[arg(long)]
        pta_cosign: Option<bool>,
    },
    /// List payers.
    List,
    /// Set the allowed amount per unit of a code, in cents.
    Fee {
        /// The payer.
        #[arg(long)]
        payer: String,
        /// The code.
        #[arg(long)]
        code: String,
        /// Allowed cents per unit.
        #[arg(long)]
        cents: i64,
    },
}

/// Runs `stride payer`.
pub fn payer(g: &Global, c: &PayerCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        PayerCommand::Add {
            name,
            method,
            medicare,
            progress_interval,
            pta_cosign,
        } => {
            let method = UnitMethod::parse(method.trim())
                .ok_or_else(|| anyhow!("method {method:?} is unknown; use cms or ama"))?;
            let mut p = Payer::with_defaults(name, method);
            if let Some(m) = medicare {
                p.medicare = *m;
                p.kx_applies = *m;
                p.block_sign_when_overdue = *m;
                p.pta_cosign_required = *m;
            }
            if let Some(c) = pta_cosign {
                p.pta_cosign_required = *c;
            }
            p.progress_interval_visits = *progress_interval;
            out!("{}", chart.add_payer(&me, &p)?)?;
        }
        PayerCommand::List => print_json(&chart.payers()?)?,
        PayerCommand::Fee { payer, code, cents } => chart.set_fee(&me, payer, code, *cents)?,
    }
    Ok(())
}

/// `stride patient ...`.
#[derive(Subcommand)]
pub enum PatientCommand {
    /// Register a patient; prints the id.
    Add {
        /// Given name.
        #[arg(long)]
        first: String,
        /// Family name.
        #[arg(long)]
        last: String,
        /// Date of birth, YYYY-MM-DD.
        #[arg(long)]
        dob: String,
        /// Medical record number (made up when left out).
        #[arg(long)]
        mrn: Option<String>,
        /// Sex: female, male, other or unknown.
        #[arg(long)]
        sex: Option<String>,
        /// Phone.
        #[arg(long)]
        phone: Option<String>,
        /// Email.
        #[arg(long)]
        email: Option<String>,
    },
    /// List patients.
    List,
    /// Search by name, date of birth, MRN or phone.
    Search {
        /// What to look for.
        text: String,
        /// Most results.
        #[arg(long, default_value_t = 25)]
        limit: usize,
    },
    /// Show a patient's chart: coverages, episodes, notes timeline (recorded as a chart open).
    Show {
        /// The patient.
        id: String,
    },
    /// Add insurance.
    Coverage {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// The payer.
        #[arg(long)]
        payer: String,
        /// Member id.
        #[arg(long)]
        member_id: String,
        /// 1 primary, 2 secondary, 3 tertiary.
        #[arg(long, default_value_t = 1)]
        priority: u8,
    },
    /// Record who a coverage's insured is when the patient is a dependant on someone
    /// else's plan (a child on a parent's, a spouse on a partner's); `--self` when the
    /// patient is the insured.
    Insured {
        /// The coverage.
        #[arg(long)]
        coverage: String,
        /// The patient is the insured.
        #[arg(long = "self", conflicts_with_all = ["relationship", "first", "last", "dob", "sex", "address", "city", "state", "zip"])]
        is_self: bool,
        /// How the patient is related to the insured: spouse, child, life_partner or other.
        #[arg(long, required_unless_present = "is_self")]
        relationship: Option<String>,
        /// The insured's given name.
        #[arg(long, required_unless_present = "is_self")]
        first: Option<String>,
        /// The insured's family name.
        #[arg(long, required_unless_present = "is_self")]
        last: Option<String>,
        /// The insured's date of birth, YYYY-MM-DD.
        #[arg(long, required_unless_present = "is_self")]
        dob: Option<String>,
        /// The insured's sex: female, male or unknown.
        #[arg(long, default_value = "unknown")]
        sex: Option<String>,
        /// The insured's street address.
        #[arg(long, required_unless_present = "is_self")]
        address: Option<String>,
        /// City.
        #[arg(long, required_unless_present = "is_self")]
        city: Option<String>,
        /// Two-letter state.
        #[arg(long, required_unless_present = "is_self")]
        state: Option<String>,
        /// ZIP code.
        #[arg(long, required_unless_present = "is_self")]
        zip: Option<String>,
    },
    /// Record why Medicare pays second on a coverage (its Medicare Secondary Payer type,
    /// e.g. 12 working aged, 14 no-fault, 15 workers' compensation, 47 liability).
    Msp {
        /// The Medicare coverage.
        #[arg(long)]
        coverage: String,
        /// The MSP type; leave out to clear it.
        #[arg(long = "type")]
        msp_type: Option<String>,
    },
    /// Record that a patient is a Qualified Medicare Beneficiary (`--no` to undo): their
    /// Medicare deductible and coinsurance never go on their balance.
    Qmb {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// The patient is not (or no longer) a QMB.
        #[arg(long)]
        no: bool,
    },
    /// Record a patient's allergies and precautions, shown on every screen of their
    /// record ("none known" is an answer; leave one out to clear it).
    Safety {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// Allergies ("none known" when asked and there are none).
        #[arg(long)]
        allergies: Option<String>,
        /// Precautions for treatment (fall risk, weight bearing, cardiac).
        #[arg(long)]
        precautions: Option<String>,
    },
    /// The patient banner: who, age, MRN, payer, allergies and precautions, and for the
    /// open episode its diagnoses, visit count and certification.
    Banner {
        /// The patient.
        patient: String,
        /// The episode (default: the newest open one).
        #[arg(long)]
        episode: Option<String>,
    },
    /// Record the therapy other providers billed this patient in a year, as the payer
    /// reports it (it counts toward Medicare's KX threshold).
    OutsideTherapy {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// Calendar year.
        #[arg(long)]
        year: i32,
        /// Allowed amount in cents.
        #[arg(long)]
        cents: i64,
    },
}

/// Runs `stride patient`.
pub fn patient(g: &Global, c: &PatientCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        PatientCommand::Add {
            first,
            last,
            dob,
            mrn,
            sex,
            phone,
            email,
        } => {
            let p = NewPatient {
                first_name: first.clone(),
                last_name: last.clone(),
                dob: dob.clone(),
                mrn: mrn.clone(),
                sex: sex.clone(),
                phone: phone.clone(),
                email: email.clone(),
                ..NewPatient::default()
            };
            out!("{}", chart.add_patient(&me, &p)?)?;
        }
        PatientCommand::List => print_patients(g, &chart.patients()?)?,
        PatientCommand::Search { text, limit } => print_patients(g, &chart.search_patients(text, *limit)?)?,
        PatientCommand::Show { id } => {
            let patient = chart.patient(id)?;
            chart.record_chart_open(&me, id)?;
            let view = serde_json::json!({
                "patient": patient,
                "coverages": chart.coverages(id)?,
                "episodes": chart.episodes_of(id)?,
                "timeline": chart.timeline(id)?,
            });
            print_json(&view)?;
        }
        PatientCommand::Coverage {
            patient,
            payer,
            member_id,
            priority,
        } => out!("{}", chart.add_coverage(&me, patient, payer, member_id, *priority)?)?,
        PatientCommand::Insured {
            coverage,
            is_self,
            relationship,
            first,
            last,
            dob,
            sex,
            address,
            city,
            state,
            zip,
        } => {
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let insured = (!is_self).then(|| Insured {
                relationship: text(relationship),
                first_name: text(first),
                last_name: text(last),
                dob: text(dob),
                sex: text(sex),
                address: text(address),
                city: text(city),
                state: text(state),
                zip: text(zip),
            });
            chart.set_coverage_insured(&me, coverage, insured.as_ref())?;
        }
        PatientCommand::Msp { coverage, msp_type } => chart.set_msp_type(&me, coverage, msp_type.as_deref())?,
        PatientCommand::Qmb { patient, no } => chart.set_qmb(&me, patient, !no)?,
        PatientCommand::Safety {
            patient,
            allergies,
            precautions,
        } => chart.set_patient_safety(&me, patient, allergies.as_deref(), precautions.as_deref())?,
        PatientCommand::Banner { patient, episode } => {
            let banner = chart.patient_banner(patient, episode.as_deref(), today())?;
            if g.json {
                print_json(&banner)?;
            } else {
                out!(
                    "{}, {} years (born {}), MRN {}",
                    banner.name,
                    banner.age,
                    banner.dob,
                    banner.mrn
                )?;
                out!("{}", banner.payer.as_deref().unwrap_or("No insurance on file"))?;
                out!("Allergies: {}", banner.allergies.as_deref().unwrap_or("not recorded"))?;
                out!(
                    "Precautions: {}",
                    banner.precautions.as_deref().unwrap_or("none recorded")
                )?;
                if let Some(e) = &banner.episode {
                    let codes: Vec<&str> = e.diagnoses.iter().map(|d| d.code.as_str()).collect();
                    out!("{} · {} · {}", e.visit_words, e.certification, codes.join(" "))?;
                }
            }
        }
        PatientCommand::OutsideTherapy { patient, year, cents } => {
            chart.set_outside_therapy(&me, patient, *year, *cents)?;
        }
    }
    Ok(())
}

fn print_patients(g: &Global, patients: &[stride_chart::patients::Patient]) -> Result<()> {
    if g.json {
        return print_json(&patients);
    }
    for p in patients {
        out!("{}\t{}\t{}, {}\t{}", p.id, p.mrn, p.last_name, p.first_name, p.dob)?;
    }
    Ok(())
}

/// `stride referrer ...`.
#[derive(Subcommand)]
pub enum ReferrerCommand {
    /// Add a referring provider (the NPI's check digit is verified); prints the id.
    Add {
        /// Name.
        #[arg(long)]
        name: String,
        /// NPI.
        #[arg(long)]
        npi: String,
    },
}

/// Runs `stride referrer`.
pub fn referrer(g: &Global, c: &ReferrerCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    let ReferrerCommand::Add { name, npi } = c;
    out!("{}", chart.add_referring_provider(&me, name, npi)?)?;
    Ok(())
}

/// `stride episode ...`.
#[derive(Subcommand)]
pub enum EpisodeCommand {
    /// Open an episode of care; prints the id.
    Add {
        /// The patient.
        #[arg(long)]
        patient: String,
        /// The payer whose rules apply.
        #[arg(long)]
        payer: String,
        /// ICD-10-CM diagnosis (repeat; principal first).
        #[arg(long = "dx", required = true)]
        diagnoses: Vec<String>,
        /// Referring provider id.
        #[arg(long)]
        referrer: Option<String>,
        /// Onset date.
        #[arg(long)]
        onset: Option<String>,
        /// First day of the episode (default today).
        #[arg(long)]
        start: Option<String>,
    },
    /// Show an episode with its plans, authorizations and notes.
    Show {
        /// The episode.
        id: String,
    },
    /// Add an authorization of visits and/or units over a date range; prints the id.
    Authorize {
        /// The episode.
        #[arg(long)]
        episode: String,
        /// Visits authorized.
        #[arg(long)]
        visits: Option<u32>,
        /// Units authorized.
        #[arg(long)]
        units: Option<u32>,
        /// First day.
        #[arg(long)]
        from: String,
        /// Last day.
        #[arg(long)]
        to: String,
        /// The payer's authorization number, sent on the claims it covers.
        #[arg(long)]
        number: Option<String>,
    },
}

/// Runs `stride episode`.
pub fn episode(g: &Global, c: &EpisodeCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        EpisodeCommand::Add {
            patient,
            payer,
            diagnoses,
            referrer,
            onset,
            start,
        } => {
            let e = NewEpisode {
                patient_id: patient.clone(),
                payer_id: payer.clone(),
                diagnoses: diagnoses.clone(),
                referring_provider_id: referrer.clone(),
                onset_date: onset.clone(),
                referral_date: None,
                start_date: start.clone(),
            };
            out!("{}", chart.add_episode(&me, &e)?)?;
        }
        EpisodeCommand::Show { id } => {
            let episode = chart.episode(id)?;
            chart.record_chart_open(&me, &episode.patient_id)?;
            print_json(&serde_json::json!({
                "episode": episode,
                "plans": chart.plans_of(id)?,
                "authorizations": chart.authorizations(id)?,
                "notes": chart.notes_of(id)?,
            }))?;
        }
        EpisodeCommand::Authorize {
            episode,
            visits,
            units,
            from,
            to,
            number,
        } => {
            let authorization = NewAuthorization {
                visits: *visits,
                units: *units,
                valid_from: from.clone(),
                valid_to: to.clone(),
                reference: number.clone(),
            };
            out!("{}", chart.add_authorization(&me, episode, &authorization)?)?;
        }
    }
    Ok(())
}

/// `stride plan ...`.
#[derive(Subcommand)]
pub enum PlanCommand {
    /// Write a plan of care (at most 90 days); prints the id.
    Add {
        /// The episode.
        #[arg(long)]
        episode: String,
        /// First day certified.
        #[arg(long)]
        from: String,
        /// Last day certified.
        #[arg(long)]
        to: String,
        /// Visits per week.
        #[arg(long)]
        per_week: u32,
        /// Weeks.
        #[arg(long)]
        weeks: u32,
        /// A short-term goal (repeat).
        #[arg(long = "short-goal")]
        short_goals: Vec<String>,
        /// A long-term goal (repeat).
        #[arg(long = "long-goal")]
        long_goals: Vec<String>,
        /// The plan this recertifies.
        #[arg(long)]
        recertifies: Option<String>,
    },
    /// The goals of an episode's current plan and where each stands, as JSON.
    Goals {
        /// The episode.
        #[arg(long)]
        episode: String,
    },
    /// Record the physician's certification.
    Certify {
        /// The plan.
        id: String,
        /// Date signed.
        #[arg(long)]
        on: String,
        /// signed or verbal.
        #[arg(long, default_value = "signed")]
        method: String,
    },
}

/// Runs `stride plan`.
pub fn plan(g: &Global, c: &PlanCommand) -> Result<()> {
    let (mut chart, me) = open(g)?;
    match c {
        PlanCommand::Add {
            episode,
            from,
            to,
            per_week,
            weeks,
            short_goals,
            long_goals,
            recertifies,
        } => {
            let goal = |term: &str, text: &String| Goal {
                term: term.into(),
                text: text.clone(),
                target_date: None,
            };
            let goals = short_goals
                .iter()
                .map(|t| goal("short", t))
                .chain(long_goals.iter().map(|t| goal("long", t)))
                .collect();
            let p = NewPlan {
                episode_id: episode.clone(),
                cert_start: from.clone(),
                cert_end: to.clone(),
                frequency_per_week: *per_week,
                duration_weeks: *weeks,
                goals,
                recertifies: recertifies.clone(),
            };
            out!("{}", chart.add_plan(&me, &p)?)?;
        }
        PlanCommand::Certify { id, on, method } => chart.certify_plan(&me, id, on, method)?,
        PlanCommand::Goals { episode } => print_json(&chart.goal_progress(episode, None)?)?,
    }
    Ok(())
}
