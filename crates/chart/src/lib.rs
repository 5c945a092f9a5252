//! The local chart store: the clinic's records in one encrypted SQLite file, usable by a
//! single-therapist practice with no server at all. Everything the desktop app, the CLI
//! and the sync worker do with records goes through [`Chart`].
//!
//! # Layout
//!
//! - Storage: [`keys`] (where the SQLCipher key comes from), `store` (open, pragmas),
//!   [`migrations`] (embedded `migrations/chart/*.sql`).
//! - Records: [`users`], [`payers`], [`patients`], [`episodes`], [`plans`] and [`goals`]
//!   (their progress), [`schedule`] and [`calendar`] (the clinic's hours and closed days), [`notes`] (drafts) and [`signing`] (sign, co-sign,
//!   addenda, charge lines).
//! - Rules: [`compliance`] counting, [`alerts`].
//! - Trails: [`audit`] (hash-chained) and [`outbox`] (sync ops), both written in the same
//!   transaction as the change they record.
//! - [`backup`]: encrypted backups, verify, restore.
//! - [`sync`]: linking to a clinic server, record images, applying the clinic's changes.
//!
//! # Invariants
//!
//! - Every user action is one IMMEDIATE transaction that writes its rows, one audit event
//!   and (for changes) one outbox op, or nothing.
//! - A signed note's rows never change: triggers refuse UPDATE and DELETE; its hash
//!   re-verifies on every read.
//! - The file on disk is encrypted; no patient data is written anywhere else.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alerts;
pub mod audit;
pub mod backup;
pub mod banner;
pub mod billing;
pub mod calendar;
mod chart;
pub mod compliance;
pub mod demo;
pub mod diagnoses;
pub mod episodes;
pub mod error;
pub mod files;
pub mod goals;
pub mod insured;
pub mod keys;
pub mod measures;
pub mod migrations;
pub mod notes;
pub mod outbox;
pub mod patients;
pub mod payers;
pub mod plans;
pub mod quicktext;
pub mod schedule;
pub mod series;
pub mod signing;
pub mod store;
pub mod sync;
pub mod users;
pub mod validate;
pub mod words;

pub use chart::Chart;
pub use error::{ChartError, Result};
pub use keys::KeySource;
pub use users::{Role, Session};
