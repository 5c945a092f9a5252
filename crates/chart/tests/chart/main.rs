//! Integration tests of the chart store, on real encrypted SQLite files.
//!
//! - `storage`: encryption at rest, wrong keys, migrations forward, durability settings.
//! - `records`: users and roles, patients and search, episodes, plans, appointments.
//! - `goals`: goals assessed in notes, and where each stands.
//! - `notes`: drafts, copy-forward, signing, immutability, co-signature, addenda, charges.
//! - `alerts`: the compliance alerts.
//! - `measures`: outcome measures scored in an episode.
//! - `trails`: the audit chain (and tampering), the outbox sequence.
//! - `backups`: backup, verify, restore.
//! - `keychain`: the OS keychain path against a real Secret Service (only with
//!   `STRIDE_TEST_KEYRING=1`, inside `scripts/keyring-session.sh`).
//! - `billing`: claims, the scrubber, 837P and 835 (checked by pyx12), superbills, A/R.
//! - `demo`: the demo clinic's billed first month and the biller's next one.

mod alerts;
mod backups;
mod billing;
mod demo;
mod goals;
mod keychain;
mod measures;
mod notes;
mod quicktext;
mod records;
mod storage;
mod trails;

use std::path::PathBuf;
use stride_chart::episodes::NewEpisode;
use stride_chart::patients::NewPatient;
use stride_chart::payers::Payer;
use stride_chart::{Chart, KeySource, Role, Session};
use stride_coding::UnitMethod;

/// The passphrase every test chart uses.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A chart in a temporary directory, with an owner (PT + admin), a Medicare payer, a
/// patient and an open episode.
pub struct Fixture {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The chart file.
    pub path: PathBuf,
    /// The open chart.
    pub chart: Chart,
    /// The owner: PT and admin.
    pub owner: Session,
    /// A Medicare payer.
    pub payer_id: String,
    /// A patient.
    pub patient_id: String,
    /// An open episode for the patient under the payer.
    pub episode_id: String,
}

/// The key source used by tests.
pub fn key() -> KeySource {
    KeySource::Passphrase(PASSPHRASE.to_owned())
}

impl Default for Fixture {
    fn default() -> Self {
        Self::with_payer(Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
    }
}

impl Fixture {
    /// A fresh chart with the usual records.
    pub fn new() -> Fixture {
        Fixture::default()
    }

    /// A fresh chart whose episode is under `payer`.
    pub fn with_payer(payer: Payer) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("clinic.stride");
        let (mut chart, owner) =
            Chart::create(&path, &key(), "Riverside PT", "maria", "owner-password", Role::Pt).expect("create chart");
        let payer_id = chart.add_payer(&owner, &payer).expect("payer");
        let patient_id = chart
            .add_patient(
                &owner,
                &NewPatient {
                    first_name: "Zebulon".into(),
                    last_name: "Quixote".into(),
                    dob: "1951-07-04".into(),
                    phone: Some("(555) 867-5309".into()),
                    ..NewPatient::default()
                },
            )
            .expect("patient");
        let episode_id = chart
            .add_episode(
                &owner,
                &NewEpisode {
                    patient_id: patient_id.clone(),
                    payer_id: payer_id.clone(),
                    diagnoses: vec!["M54.50".into()],
                    start_date: Some("2026-03-02".into()),
                    ..NewEpisode::default()
                },
            )
            .expect("episode");
        Fixture {
            dir,
            path,
            chart,
            owner,
            payer_id,
            patient_id,
            episode_id,
        }
    }

    /// Adds a user with `roles` and returns their session.
    pub fn user(&mut self, name: &str, roles: &[Role]) -> Session {
        self.chart
            .add_user(&self.owner, name, "user-password", roles)
            .expect("user");
        self.chart.authenticate(name, "user-password").expect("sign in")
    }

    /// A signed daily note on `date` by `by` with `services` (code, minutes).
    pub fn signed_daily(&mut self, by: &Session, date: &str, services: &[(&str, u32)]) -> String {
        let id = self
            .chart
            .create_note(by, &self.episode_id, stride_chart::notes::NoteKind::Daily, date, None)
            .expect("note");
        for (code, minutes) in services {
            self.chart.set_service(by, &id, code, *minutes, None).expect("service");
        }
        self.chart.sign_note(by, &id).expect("sign");
        id
    }
}
