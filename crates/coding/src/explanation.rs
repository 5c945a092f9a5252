//! Why each line bills what it bills, kept as data and put into words on demand.
//!
//! The engine runs on every keystroke of a note, so it records the numbers behind each
//! decision and leaves the sentences to [`fmt::Display`], which runs only when a person
//! (or the JSON output) asks.

use crate::assistant::{AssistantSplit, SplitDetail};
use crate::modifier::Modifier;
use crate::money::Cents;
use crate::units::{TieReason, minutes_range};
use serde::{Serialize, Serializer};
use std::fmt;

/// How a code earned its units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitsReason {
    /// CMS total time: the visit's pooled timed minutes, and this code's share.
    CmsPooled {
        /// The visit's pooled timed minutes.
        pool_minutes: u32,
        /// The units they allow.
        pool_units: u32,
        /// This code's minutes.
        minutes: u32,
        /// Units left after every code's full 15-minute units.
        remaining_units: u32,
        /// Whether this code took one of them.
        took_remaining: bool,
        /// A tie at the cut-off that involved this code.
        tie: Option<TieNote>,
    },
    /// AMA per code: this code's minutes alone.
    AmaPerCode {
        /// The code's minutes.
        minutes: u32,
        /// Its units.
        units: u32,
    },
    /// An untimed code: one unit per date of service.
    Untimed {
        /// Minutes documented.
        minutes: u32,
    },
    /// An initial 30-minute service.
    Initial30 {
        /// Minutes documented.
        minutes: u32,
        /// Whether it passed the mid-point.
        billed: bool,
    },
    /// A 15-minute add-on to another code.
    AddOn15 {
        /// Minutes documented.
        minutes: u32,
        /// Units billed.
        units: u32,
        /// The code it adds on to.
        base: String,
        /// Whether the base code is in the visit.
        base_present: bool,
    },
    /// Not payable with another code billed the same day (NCCI, modifier indicator 0).
    NcciBundled {
        /// The code that is paid.
        column1: String,
        /// CMS's rationale.
        rationale: String,
    },
    /// Units a policy MUE (MAI 2) does not let the day bill.
    MueCapped {
        /// The edit: the most units a day.
        max: u32,
        /// Units left unbilled.
        excess: u32,
    },
}

/// A tie between equal leftovers, from one tied code's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieNote {
    /// The other tied codes.
    pub others: Vec<String>,
    /// The leftover minutes they tied on.
    pub leftover: u32,
    /// Whether this code won the unit.
    pub won: bool,
    /// What decided it.
    pub reason: TieReason,
}

/// Why a modifier beyond GP and CQ is on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModifierNote {
    /// KX: the year's allowed amounts reach the threshold with this line.
    Kx {
        /// Calendar year.
        year: i32,
        /// Year-to-date allowed amounts including this line.
        running: Cents,
        /// The year's KX threshold.
        threshold: Cents,
    },
    /// 59 or XU: an NCCI pair done in distinct time intervals.
    Distinct {
        /// The modifier.
        modifier: Modifier,
        /// The other code of the pair.
        other: String,
    },
}

/// The PTA's part in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantNote {
    /// How the code's units split.
    pub split: AssistantSplit,
    /// Whether this line is the CQ one.
    pub cq_line: bool,
}

/// Everything that explains one charge line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The code.
    pub code: String,
    /// The code's short description.
    pub description: String,
    /// The code's units over all its lines.
    pub code_units: u32,
    /// How the code earned them.
    pub units: UnitsReason,
    /// The PTA's part, when a PTA furnished minutes.
    pub assistant: Option<AssistantNote>,
    /// Notes on KX and 59/XU.
    pub modifiers: Vec<ModifierNote>,
    /// The code documented, when the payer bills the service under this one (97014,
    /// which Medicare pays as G0283).
    pub documented_as: Option<&'static str>,
}

/// "1 unit" or "3 units".
pub(crate) struct UnitCount(pub u32);

impl fmt::Display for UnitCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} unit{}", self.0, if self.0 == 1 { "" } else { "s" })
    }
}

impl fmt::Display for UnitsReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitsReason::NcciBundled { column1, rationale } => write!(
                f,
                "not payable with {column1} on the same date (NCCI edit, modifier indicator 0: {rationale}); it stays documented as furnished"
            ),
            UnitsReason::MueCapped { max, excess } => write!(
                f,
                "{} not billed: a medically unlikely edit that is policy allows {} a day",
                UnitCount(*excess),
                UnitCount(*max)
            ),
            UnitsReason::CmsPooled {
                pool_minutes,
                pool_units,
                minutes,
                remaining_units,
                took_remaining,
                tie,
            } => {
                let (lo, hi) = minutes_range(*pool_units);
                write!(
                    f,
                    "The day's {pool_minutes} timed minutes allow {} under the CMS 8-minute rule ({lo}-{hi} minutes).",
                    UnitCount(*pool_units)
                )?;
                if *pool_units == 0 {
                    return write!(f, " Its {minutes} minutes cannot bill a unit on their own.");
                }
                let (full, leftover) = (minutes / 15, minutes % 15);
                if full > 0 {
                    write!(f, " Its {minutes} minutes fill {} of 15 minutes", UnitCount(full))?;
                } else {
                    write!(f, " Its {minutes} minutes are less than one full 15-minute unit")?;
                }
                let remaining = *remaining_units;
                if *took_remaining && remaining == 1 {
                    write!(
                        f,
                        "; its {leftover} leftover minutes are the largest leftover, so it takes the one remaining unit."
                    )?;
                } else if *took_remaining {
                    write!(
                        f,
                        "; its {leftover} leftover minutes are among the {remaining} largest leftovers, so it takes one of the {remaining} remaining units."
                    )?;
                } else if leftover > 0 && remaining > 0 {
                    let noun = if remaining == 1 { "unit" } else { "units" };
                    write!(
                        f,
                        "; its {leftover} leftover minutes are smaller than the leftovers that took the {remaining} remaining {noun}."
                    )?;
                } else if leftover > 0 {
                    write!(
                        f,
                        "; its {leftover} leftover minutes add no unit, because full 15-minute units use up every unit the total allows."
                    )?;
                } else {
                    f.write_str(".")?;
                }
                if let Some(tie) = tie {
                    write!(f, " {tie}")?;
                }
                Ok(())
            }
            UnitsReason::AmaPerCode { minutes, units: 0 } => write!(
                f,
                "Under the per-code (AMA) rule each code stands alone: its {minutes} minutes are under 8, the mid-point of a 15-minute unit."
            ),
            UnitsReason::AmaPerCode { minutes, units } => {
                let (lo, hi) = minutes_range(*units);
                write!(
                    f,
                    "Under the per-code (AMA) rule each code stands alone: its {minutes} minutes are in the {lo}-{hi} minute range, which is {}.",
                    UnitCount(*units)
                )
            }
            UnitsReason::Untimed { minutes } => write!(
                f,
                "An untimed (service-based) code bills 1 unit per date of service whatever its minutes ({minutes} documented); its minutes never count toward timed units."
            ),
            UnitsReason::Initial30 { minutes, billed: true } => write!(
                f,
                "It bills 1 unit for the first 30 minutes once the mid-point (16 minutes) is passed; {minutes} minutes documented. Its minutes do not pool with 15-minute codes."
            ),
            UnitsReason::Initial30 { minutes, billed: false } => write!(
                f,
                "Its {minutes} minutes do not pass 16, the mid-point of its first 30 minutes, so it bills no unit."
            ),
            UnitsReason::AddOn15 {
                base,
                base_present: false,
                ..
            } => {
                write!(
                    f,
                    "An add-on to {base}, which is not billed on this date, so it bills no unit."
                )
            }
            UnitsReason::AddOn15 {
                minutes, units, base, ..
            } => write!(
                f,
                "An add-on to {base} for each further 15 minutes, by the mid-point rule on its own minutes: {minutes} minutes is {}. Its minutes do not pool with other codes.",
                UnitCount(*units)
            ),
        }
    }
}

impl fmt::Display for TieNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match (self.reason, self.won) {
            (TieReason::AssistantFurnished, true) => "the PT assistant furnished part of it, so the unit is theirs",
            (TieReason::AssistantFurnished, false) => {
                "the PT assistant furnished part of another code, so the unit is theirs"
            }
            (TieReason::ClinicianChoice, true) => "the clinician chose it",
            (TieReason::ClinicianChoice, false) => "the clinician chose another code",
            (TieReason::MoreMinutes, true) => "it had more total minutes",
            (TieReason::MoreMinutes, false) => "another code had more total minutes",
            (TieReason::HigherFee, true) => "it has the higher fee",
            (TieReason::HigherFee, false) => "another code has a higher fee",
            (TieReason::LowerCode, true) => "it is the lower code",
            (TieReason::LowerCode, false) => "another code is lower",
        };
        let outcome = if self.won {
            "the unit went to it"
        } else {
            "the unit went elsewhere"
        };
        write!(
            f,
            "It tied with {} at {} leftover minutes; {outcome} because {why} (either is compliant; the clinician may choose).",
            self.others.join(", "),
            self.leftover
        )
    }
}

impl fmt::Display for AssistantNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.split;
        f.write_str("PTA minutes: ")?;
        match &s.detail {
            SplitDetail::NoAssistant => write!(f, "the PTA's {} minutes earned no unit", s.pta_minutes)?,
            SplitDetail::WholeService { over: true } => write!(
                f,
                "the PTA furnished {} of its {} minutes on their own, more than 10%, so it carries CQ",
                s.pta_minutes, s.minutes
            )?,
            SplitDetail::WholeService { over: false } => write!(
                f,
                "the PTA's {} of its {} minutes are within the 10% de minimis, so no CQ",
                s.pta_minutes, s.minutes
            )?,
            SplitDetail::Timed {
                pta_full,
                pta_leftover_unit,
                pt_leftover_unit,
            } => {
                let mut parts = 0;
                let mut sep = |f: &mut fmt::Formatter<'_>| {
                    parts += 1;
                    if parts > 1 { f.write_str("; ") } else { Ok(()) }
                };
                if *pta_full > 0 {
                    sep(f)?;
                    write!(
                        f,
                        "the PTA's {} independent minutes fill {} of 15 minutes, billed with CQ",
                        s.pta_minutes,
                        UnitCount(*pta_full)
                    )?;
                }
                if let Some(left) = pta_leftover_unit {
                    sep(f)?;
                    write!(
                        f,
                        "the PTA's {left} leftover minutes take a remaining unit, billed with CQ"
                    )?;
                }
                if let Some(pt) = pt_leftover_unit {
                    sep(f)?;
                    if pt.cq {
                        write!(
                            f,
                            "the PT's {} leftover minutes take a remaining unit, but the PTA's {} minutes in it are more than 10% of the unit, so it carries CQ",
                            pt.pt_leftover, pt.pta_inside
                        )?;
                    } else if pt.pta_inside > 0 {
                        write!(
                            f,
                            "the PT's {} leftover minutes take a remaining unit, billed without CQ (the PTA's {} minutes in it are within the 10% de minimis)",
                            pt.pt_leftover, pt.pta_inside
                        )?;
                    } else {
                        write!(
                            f,
                            "the PT's {} leftover minutes take a remaining unit, billed without CQ",
                            pt.pt_leftover
                        )?;
                    }
                }
                if parts == 0 {
                    write!(f, "the PTA's {} minutes earned no unit", s.pta_minutes)?;
                }
            }
        }
        let (units, share) = if self.cq_line {
            (s.cq, "with CQ")
        } else {
            (s.plain, "without CQ")
        };
        match (units, s.plain + s.cq) {
            (1, 1) => write!(f, "; so its one unit bills {share}."),
            (u, total) if u == total => write!(f, "; so all {total} units bill {share}."),
            (1, total) => write!(f, "; so 1 of its {total} units bills {share}."),
            (u, total) => write!(f, "; so {u} of its {total} units bill {share}."),
        }
    }
}

impl fmt::Display for ModifierNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModifierNote::Kx {
                year,
                running,
                threshold,
            } => write!(
                f,
                "KX: with this line the patient's therapy allowed amounts for {year} reach {running}, at or above the {threshold} threshold."
            ),
            ModifierNote::Distinct { modifier, other } => write!(
                f,
                "{modifier}: this code and {other} are an NCCI pair, and the clinician documented them in separate, distinct time intervals."
            ),
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}. {}",
            self.code,
            self.description,
            UnitCount(self.code_units),
            self.units
        )?;
        if let Some(documented) = self.documented_as {
            write!(
                f,
                " Documented as {documented}, which Medicare does not pay: the same service is billed as {}.",
                self.code
            )?;
        }
        if let Some(assistant) = &self.assistant {
            write!(f, " {assistant}")?;
        }
        for note in &self.modifiers {
            write!(f, " {note}")?;
        }
        Ok(())
    }
}

/// Serializes anything displayable as its text.
pub(crate) fn as_text<T: fmt::Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_text(self, serializer)
    }
}

impl Serialize for UnitsReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_text(self, serializer)
    }
}
