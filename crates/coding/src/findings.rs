//! Findings: what a biller should know about a coded visit. Data, not errors.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    /// Worth a look; the claim can still go out.
    Warning,
    /// The claim will be denied as coded; fix before billing.
    Error,
}

/// Which rule a finding comes from, so a UI can link to the fix without reading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FindingKind {
    /// Timed minutes too few to bill a unit.
    UnderEightMinutes,
    /// Documented total treatment time is lower than the timed minutes.
    TotalTimeBelowTimed,
    /// PTA minutes on an evaluation or re-evaluation, which only a PT furnishes.
    PtaEvaluation,
    /// A code Medicare bundles and does not pay separately.
    MedicareBundled,
    /// A code Medicare does not cover.
    MedicareNotCovered,
    /// Group therapy billed with one-on-one codes whose time may overlap.
    GroupWithOneOnOne,
    /// Units above the medically unlikely edit.
    MueExceeded,
    /// Units above a policy MUE (MAI 2) left unbilled.
    MueCapped,
    /// An NCCI pair (indicator 1) billed without a distinct-service modifier.
    NcciNeedsDistinct,
    /// An NCCI pair (indicator 0) that can never be billed together.
    NcciNotAllowed,
    /// The column-2 code of an indicator-0 pair, left off the bill.
    NcciBundled,
    /// KX was added: the notes must support medical necessity above the threshold.
    KxApplied,
    /// A line past the KX threshold without KX.
    KxMissing,
    /// The year's KX threshold is not known.
    KxUnknownYear,
    /// A billed code has no fee, so the KX check could not count it.
    KxMissingFee,
    /// The targeted medical review threshold is reached.
    ReviewThreshold,
    /// An add-on code without the code it adds on to.
    AddOnWithoutBase,
    /// An unlisted code that needs a description on the claim.
    UnlistedCode,
    /// An input that had no effect (a tie-break choice, a distinct pair).
    UnusedInput,
}

impl FindingKind {
    /// Whether the finding is about what a claim may bill rather than about what was
    /// documented: NCCI and MUE edits are billing edits. They never stop a clinician from
    /// signing a note, since every service furnished is documented whether it is billed or
    /// not (Pub 100-02 Ch.15 §220.3); the claim is where they are settled.
    pub fn is_billing_edit(self) -> bool {
        matches!(
            self,
            FindingKind::NcciNotAllowed
                | FindingKind::NcciNeedsDistinct
                | FindingKind::NcciBundled
                | FindingKind::MueExceeded
                | FindingKind::MueCapped
                | FindingKind::KxMissing
        )
    }
}

/// One finding about a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// Which rule produced it.
    pub kind: FindingKind,
    /// The codes it is about.
    pub codes: Vec<String>,
    /// What is wrong and how to fix it, in a clinician's words.
    pub message: String,
}

impl Finding {
    /// A warning about `codes`.
    pub fn warning(kind: FindingKind, codes: &[&str], message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, kind, codes, message)
    }

    /// An error about `codes`.
    pub fn error(kind: FindingKind, codes: &[&str], message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, kind, codes, message)
    }

    fn new(severity: Severity, kind: FindingKind, codes: &[&str], message: impl Into<String>) -> Finding {
        Finding {
            severity,
            kind,
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            message: message.into(),
        }
    }
}
