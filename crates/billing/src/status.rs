//! The claim lifecycle: which status may follow which, and who may move a claim there.
//!
//! ```text
//! draft ──> ready ──> submitted ──> paid | partially_paid | denied   (remittance only)
//!   ^  <──┘   │                       partially_paid | denied ──> appealed ──> (remittance)
//!   └─────────┴── denied (to correct)          draft | ready | denied ──> void
//! ```

use serde::{Deserialize, Serialize};

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ClaimStatus {
    /// Being prepared; may be edited.
    Draft,
    /// Passed the scrubber; waiting for the next 837P export.
    Ready,
    /// Sent to the payer in an 837P file.
    Submitted,
    /// Settled by the payer in full.
    Paid,
    /// Settled with some lines denied or underpaid.
    PartiallyPaid,
    /// Denied by the payer.
    Denied,
    /// Withdrawn before submission; kept for the record.
    Void,
    /// Denied or underpaid, and appealed.
    Appealed,
}

/// Who asks for a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionSource {
    /// A person in the clinic (a biller, through the app or the CLI).
    Clinic,
    /// A payer's remittance (835). In a synced clinic only the server posts these.
    Remittance,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The lifecycle has no such step.
    #[error("a {from} claim cannot become {to}")]
    NotAllowed {
        /// Current status.
        from: ClaimStatus,
        /// Requested status.
        to: ClaimStatus,
    },
    /// The step exists, but only a remittance may take it.
    #[error("only a payer's remittance can mark a claim {to}; import the 835 file")]
    RemittanceOnly {
        /// Requested status.
        to: ClaimStatus,
    },
    /// Compare-and-set failed: someone moved the claim first.
    #[error("the claim is now {actual}, not {expected}: someone changed it first; reload and try again")]
    Stale {
        /// What the requester saw.
        expected: ClaimStatus,
        /// What it is.
        actual: ClaimStatus,
    },
}

impl ClaimStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ClaimStatus; 8] = [
        ClaimStatus::Draft,
        ClaimStatus::Ready,
        ClaimStatus::Submitted,
        ClaimStatus::Paid,
        ClaimStatus::PartiallyPaid,
        ClaimStatus::Denied,
        ClaimStatus::Void,
        ClaimStatus::Appealed,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Ready => "ready",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Paid => "paid",
            ClaimStatus::PartiallyPaid => "partially_paid",
            ClaimStatus::Denied => "denied",
            ClaimStatus::Void => "void",
            ClaimStatus::Appealed => "appealed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether lines may still be edited.
    pub fn editable(self) -> bool {
        self == ClaimStatus::Draft
    }

    /// Whether the claim is still open: neither settled in full nor void. The billing
    /// screen lists these first.
    pub fn is_open(self) -> bool {
        !matches!(self, ClaimStatus::Paid | ClaimStatus::Void)
    }

    /// Whether the claim still waits on a payer (counts in A/R).
    pub fn outstanding(self) -> bool {
        matches!(
            self,
            ClaimStatus::Submitted | ClaimStatus::PartiallyPaid | ClaimStatus::Denied | ClaimStatus::Appealed
        )
    }

    /// Whether only a remittance may move a claim to this status.
    pub fn remittance_owned(self) -> bool {
        matches!(
            self,
            ClaimStatus::Paid | ClaimStatus::PartiallyPaid | ClaimStatus::Denied
        )
    }

    /// Whether the lifecycle has the step `self -> to` at all.
    pub fn can_become(self, to: ClaimStatus) -> bool {
        use ClaimStatus::*;
        match (self, to) {
            (Draft, Ready | Void) => true,
            (Ready, Draft | Submitted | Void) => true,
            (Submitted | Appealed | PartiallyPaid, Paid | PartiallyPaid | Denied) => true,
            // A later remittance may also pay a denied claim (a reprocessing).
            (Denied, Paid | PartiallyPaid) => true,
            (Denied | PartiallyPaid, Appealed) => true,
            // A denied claim is corrected and sent again as a new draft, or withdrawn.
            (Denied, Draft | Void) => true,
            // A payer's reversal (835 CLP02 22) takes its payment back and reopens the
            // claim until its correction is posted.
            (Paid | PartiallyPaid | Denied, Submitted) => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

impl ClaimStatus {
    /// The statuses a person may move a claim to from this one: the lifecycle's steps,
    /// less those only a remittance takes and sending, which only an 837P export does.
    pub fn manual_steps(self) -> Vec<ClaimStatus> {
        ClaimStatus::ALL
            .into_iter()
            .filter(|&to| {
                to != ClaimStatus::Submitted && check_transition(self, self, to, TransitionSource::Clinic).is_ok()
            })
            .collect()
    }
}

/// Checks one transition with compare-and-set: `expected` is the status the requester
/// saw, `actual` the status the claim has now.
pub fn check_transition(
    expected: ClaimStatus,
    actual: ClaimStatus,
    to: ClaimStatus,
    source: TransitionSource,
) -> Result<(), TransitionError> {
    if expected != actual {
        return Err(TransitionError::Stale { expected, actual });
    }
    if !actual.can_become(to) {
        return Err(TransitionError::NotAllowed { from: actual, to });
    }
    let reopening = to == ClaimStatus::Submitted && actual.remittance_owned();
    if (to.remittance_owned() || reopening) && source != TransitionSource::Remittance {
        return Err(TransitionError::RemittanceOnly { to });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimStatus::*;

    #[test]
    fn names_round_trip() {
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ClaimStatus::parse("lost"), None);
    }

    #[test]
    fn a_claim_is_open_until_paid_in_full_or_void_and_every_outstanding_claim_is_open() {
        let open: Vec<_> = ClaimStatus::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [Draft, Ready, Submitted, PartiallyPaid, Denied, Appealed]);
        for s in ClaimStatus::ALL.into_iter().filter(|s| s.outstanding()) {
            assert!(s.is_open(), "{s} waits on a payer but is not open");
        }
    }

    #[test]
    fn the_clinic_cannot_mark_a_claim_paid() {
        assert_eq!(
            check_transition(Submitted, Submitted, Paid, TransitionSource::Clinic),
            Err(TransitionError::RemittanceOnly { to: Paid })
        );
        assert_eq!(
            check_transition(Submitted, Submitted, Paid, TransitionSource::Remittance),
            Ok(())
        );
    }

    #[test]
    fn a_stale_status_is_refused_before_anything_else() {
        assert_eq!(
            check_transition(Draft, Ready, Void, TransitionSource::Clinic),
            Err(TransitionError::Stale {
                expected: Draft,
                actual: Ready
            })
        );
    }

    #[test]
    fn void_and_paid_are_final_for_the_clinic() {
        for to in ClaimStatus::ALL {
            assert!(!Void.can_become(to), "void -> {to}");
            let clinic = check_transition(Paid, Paid, to, TransitionSource::Clinic);
            assert!(clinic.is_err(), "the clinic moved a paid claim to {to}");
        }
        // Only a payer's reversal reopens a paid claim.
        assert_eq!(
            check_transition(Paid, Paid, Submitted, TransitionSource::Remittance),
            Ok(())
        );
        assert_eq!(
            check_transition(Denied, Denied, Submitted, TransitionSource::Clinic),
            Err(TransitionError::RemittanceOnly { to: Submitted })
        );
    }

    #[test]
    fn a_submitted_claim_cannot_be_edited_or_withdrawn() {
        assert!(!Submitted.can_become(Draft));
        assert!(!Submitted.can_become(Void));
        assert!(!Submitted.editable());
    }

    #[test]
    fn a_person_takes_only_the_steps_neither_a_payer_nor_an_export_owns() {
        assert_eq!(Draft.manual_steps(), [Ready, Void]);
        assert_eq!(Ready.manual_steps(), [Draft, Void], "sent only by exporting");
        assert_eq!(Denied.manual_steps(), [Draft, Void, Appealed]);
        assert_eq!(PartiallyPaid.manual_steps(), [Appealed]);
        assert!(Submitted.manual_steps().is_empty() && Paid.manual_steps().is_empty());
    }
}
