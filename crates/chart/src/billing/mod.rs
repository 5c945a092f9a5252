//! Billing: claims built from signed notes, scrubbed, exported as 837P, settled by 835
//! remittances; the clinic's billing profile and charges; A/R reports.
//!
//! - [`profile`]: the clinic as billing provider, its charges, payer ids, addresses, NPIs.
//! - [`build`]: signed notes to draft claims (one per episode, rendering PT and build run).
//! - [`scrub`]: what stops a claim from being ready, each finding with its fix.
//! - [`claims`]: reading claims, editing draft lines, the lifecycle with compare-and-set.
//! - [`export`]: ready claims to one 837P file, marking them submitted.
//! - [`remit`]: an 835 posted to its claims, denials queued, the unmatched kept.
//! - [`reports`]: A/R aging, patient balances, charges and payments by payer and therapist.
//! - [`superbill`]: a PDF a self-pay patient sends to their insurer.
//!
//! Claims never change a note: they copy what a signed note's charge lines bill. A
//! correction that needs the note goes through an addendum and a rebuilt claim.

pub mod build;
pub mod claims;
pub mod export;
pub mod profile;
pub mod remit;
pub mod reports;
pub mod scrub;
pub mod superbill;

use crate::users::Role;

/// Who may work claims: billers, and administrators (the owner of a solo practice).
pub const BILLING_ROLES: &[Role] = &[Role::Biller, Role::Admin];
