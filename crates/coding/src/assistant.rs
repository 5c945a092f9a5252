//! CQ: services furnished in whole or in part by a physical therapist assistant.
//!
//! A service is furnished "in part" by a PTA when the PTA furnished more than 10% of it
//! on their own (minutes with the PT present count as the PT's). For 15-minute codes the
//! 10% test applies to each billed unit (CY2022 PFS), so one code may split into a CQ
//! line and a plain line.
//!
//! # How Stride assigns a timed code's units
//!
//! 1. Each provider's full 15-minute blocks are theirs: the PT's bill plain, the PTA's
//!    bill with CQ.
//! 2. The code's remaining units (0, 1 or 2) go to the providers' leftover minutes, the
//!    larger leftover first, one unit each; on a tie the PTA's goes first, since leaving
//!    CQ off is the costlier mistake. With two units left and both providers holding
//!    leftovers (each 9–14 minutes, say), one unit bills with CQ and one without, as CMS's
//!    CY2022 revision describes.
//! 3. A remaining unit that goes to the PT still carries CQ when PTA minutes that earned
//!    no unit of their own are in it and exceed 10% of the unit (2 minutes or more).
//!
//! Untimed codes, and the one-unit initial 30-minute codes, carry CQ when the PTA's
//! minutes exceed 10% of the service's minutes.

use crate::units::UNIT_MINUTES;

/// A code's units split into plain and CQ units, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantSplit {
    /// Units billed without CQ.
    pub plain: u32,
    /// Units billed with CQ.
    pub cq: u32,
    /// Why, in a sentence; empty when the PTA furnished nothing.
    pub reason: String,
}

/// Splits `units` of a 15-minute code with `minutes` in all, `pta_minutes` of them the
/// PTA's own.
pub fn split_timed(units: u32, minutes: u32, pta_minutes: u32) -> AssistantSplit {
    if pta_minutes == 0 || units == 0 {
        return AssistantSplit {
            plain: units,
            cq: 0,
            reason: String::new(),
        };
    }
    let pt_minutes = minutes.saturating_sub(pta_minutes);
    let (pt_full, pta_full) = (pt_minutes / UNIT_MINUTES, pta_minutes / UNIT_MINUTES);
    let (pt_left, pta_left) = (pt_minutes % UNIT_MINUTES, pta_minutes % UNIT_MINUTES);
    // The code's units are floor(m/15) or one more; the full blocks never exceed them.
    let pt_full = pt_full.min(units);
    let pta_full = pta_full.min(units - pt_full);
    let mut remaining = units - pt_full - pta_full;

    let mut cq = pta_full;
    let mut plain = pt_full;
    let mut sentences = Vec::new();
    if pta_full > 0 {
        sentences.push(format!(
            "the PTA's {pta_minutes} independent minutes fill {pta_full} whole 15-minute unit{}, billed with CQ",
            plural(pta_full)
        ));
    }
    // Leftovers compete for the remaining units, the larger first (the PTA's on a tie);
    // decide who gets one before judging CQ, so the PTA minutes inside a PT unit are only
    // those that earned no unit of their own.
    let pta_first = pta_left >= pt_left;
    let mut pta_gets = false;
    let mut pt_gets = false;
    let order = if pta_first { [true, false] } else { [false, true] };
    for is_pta in order {
        let left = if is_pta { pta_left } else { pt_left };
        if remaining > 0 && left > 0 {
            remaining -= 1;
            *(if is_pta { &mut pta_gets } else { &mut pt_gets }) = true;
        }
    }
    if pta_gets {
        cq += 1;
        sentences.push(format!(
            "the PTA's {pta_left} leftover minutes take a remaining unit, billed with CQ"
        ));
    }
    let pta_inside_pt_unit = if pta_gets { 0 } else { pta_left };
    if pt_gets && pta_inside_pt_unit * 10 > UNIT_MINUTES {
        cq += 1;
        sentences.push(format!(
            "the PT's {pt_left} leftover minutes take a remaining unit, but the PTA's {pta_inside_pt_unit} minutes in it are more than 10% of the unit, so it carries CQ"
        ));
    } else if pt_gets {
        plain += 1;
        let note = if pta_inside_pt_unit > 0 {
            format!(" (the PTA's {pta_inside_pt_unit} minutes in it are within the 10% de minimis)")
        } else {
            String::new()
        };
        sentences.push(format!(
            "the PT's {pt_left} leftover minutes take a remaining unit, billed without CQ{note}"
        ));
    }
    // Defensive: a unit nobody's leftovers claimed (cannot happen for valid input) bills plain.
    plain += remaining;
    AssistantSplit {
        plain,
        cq,
        reason: sentences.join("; "),
    }
}

/// Splits a single-unit service (untimed or initial 30-minute): CQ when the PTA's own
/// minutes exceed 10% of the service's minutes.
pub fn split_whole_service(units: u32, minutes: u32, pta_minutes: u32) -> AssistantSplit {
    if pta_minutes == 0 || units == 0 {
        return AssistantSplit {
            plain: units,
            cq: 0,
            reason: String::new(),
        };
    }
    if pta_minutes * 10 > minutes {
        AssistantSplit {
            plain: 0,
            cq: units,
            reason: format!(
                "the PTA furnished {pta_minutes} of its {minutes} minutes on their own, more than 10%, so it carries CQ"
            ),
        }
    } else {
        AssistantSplit {
            plain: units,
            cq: 0,
            reason: format!("the PTA's {pta_minutes} of its {minutes} minutes are within the 10% de minimis, so no CQ"),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(units: u32, minutes: u32, pta: u32) -> (u32, u32) {
        let s = split_timed(units, minutes, pta);
        (s.plain, s.cq)
    }

    #[test]
    fn whole_visits() {
        assert_eq!(split(2, 30, 0), (2, 0), "PT only");
        assert_eq!(split(2, 30, 30), (0, 2), "PTA only");
        assert_eq!(split(3, 45, 15), (2, 1), "PT's 30 minutes bill plain");
    }

    #[test]
    fn cms_scenario_one() {
        // PTA 23 + PT 13 minutes of 97110, 2 units: the PTA's full unit carries CQ; the
        // PT's 13 leftover minutes take the second unit with the PTA's 8 inside it.
        assert_eq!(split(2, 36, 23), (0, 2));
    }

    #[test]
    fn two_units_left_split_one_each() {
        // PT and PTA each 9-14 minutes: one unit with CQ, one without (CY2022).
        assert_eq!(split(2, 24, 12), (1, 1));
        assert_eq!(split(2, 28, 14), (1, 1));
        assert_eq!(split(2, 23, 9), (1, 1));
    }

    #[test]
    fn de_minimis_within_a_unit() {
        assert_eq!(split(1, 15, 1), (1, 0), "1 minute of 15 is under 10%");
        assert_eq!(split(1, 15, 2), (0, 1), "2 minutes of 15 is over 10%");
        assert_eq!(split(1, 15, 10), (0, 1), "PTA 10, PT 5: the PTA's unit");
        assert_eq!(split(1, 15, 5), (0, 1), "PT 10, PTA 5: over 10% of the unit");
    }

    #[test]
    fn untimed_services() {
        let s = split_whole_service(1, 45, 5);
        assert_eq!((s.plain, s.cq), (0, 1));
        let s = split_whole_service(1, 45, 4);
        assert_eq!((s.plain, s.cq), (1, 0));
        let s = split_whole_service(1, 0, 0);
        assert_eq!((s.plain, s.cq), (1, 0));
    }
}
