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

/// A code's units split into plain and CQ units, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantSplit {
    /// Units billed without CQ.
    pub plain: u32,
    /// Units billed with CQ.
    pub cq: u32,
    /// The code's minutes.
    pub minutes: u32,
    /// The PTA's own minutes among them.
    pub pta_minutes: u32,
    /// How the split was decided.
    pub detail: SplitDetail,
}

/// How a split was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitDetail {
    /// The PTA furnished nothing (or CQ does not apply): every unit plain.
    NoAssistant,
    /// A single-unit service judged whole: `over` when the PTA's share exceeds 10%.
    WholeService {
        /// Whether the PTA's minutes exceed 10% of the service.
        over: bool,
    },
    /// A 15-minute code judged unit by unit.
    Timed {
        /// The PTA's whole 15-minute units.
        pta_full: u32,
        /// The PTA's leftover minutes, when they took a remaining unit.
        pta_leftover_unit: Option<u32>,
        /// The PT's leftover unit, when the PT's leftover minutes took one.
        pt_leftover_unit: Option<PtLeftoverUnit>,
    },
}

/// A remaining unit that went to the PT's leftover minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PtLeftoverUnit {
    /// The PT's leftover minutes.
    pub pt_leftover: u32,
    /// PTA minutes inside the unit that earned no unit of their own.
    pub pta_inside: u32,
    /// Whether those minutes put CQ on it.
    pub cq: bool,
}

impl AssistantSplit {
    /// Every unit plain.
    pub fn all_plain(units: u32, minutes: u32, pta_minutes: u32) -> AssistantSplit {
        AssistantSplit {
            plain: units,
            cq: 0,
            minutes,
            pta_minutes,
            detail: SplitDetail::NoAssistant,
        }
    }
}

/// Splits `units` of a 15-minute code with `minutes` in all, `pta_minutes` of them the
/// PTA's own.
pub fn split_timed(units: u32, minutes: u32, pta_minutes: u32) -> AssistantSplit {
    if pta_minutes == 0 || units == 0 {
        return AssistantSplit::all_plain(units, minutes, pta_minutes);
    }
    let pt_minutes = minutes.saturating_sub(pta_minutes);
    let (pt_left, pta_left) = (pt_minutes % UNIT_MINUTES, pta_minutes % UNIT_MINUTES);
    // The code's units are floor(m/15) or one more; the full blocks never exceed them.
    let pt_full = (pt_minutes / UNIT_MINUTES).min(units);
    let pta_full = (pta_minutes / UNIT_MINUTES).min(units - pt_full);
    let mut remaining = units - pt_full - pta_full;

    // Leftovers compete for the remaining units, the larger first (the PTA's on a tie).
    // Decide who gets one before judging CQ, so the PTA minutes inside a PT unit are only
    // those that earned no unit of their own.
    let order = if pta_left >= pt_left {
        [true, false]
    } else {
        [false, true]
    };
    let (mut pta_gets, mut pt_gets) = (false, false);
    for is_pta in order {
        let left = if is_pta { pta_left } else { pt_left };
        if remaining > 0 && left > 0 {
            remaining -= 1;
            *(if is_pta { &mut pta_gets } else { &mut pt_gets }) = true;
        }
    }
    let pta_inside = if pta_gets { 0 } else { pta_left };
    let pt_leftover_unit = pt_gets.then_some(PtLeftoverUnit {
        pt_leftover: pt_left,
        pta_inside,
        cq: pta_inside * 10 > UNIT_MINUTES,
    });
    let cq = pta_full + u32::from(pta_gets) + u32::from(pt_leftover_unit.is_some_and(|u| u.cq));
    AssistantSplit {
        // A unit nobody's leftovers claimed (cannot happen for valid input) bills plain.
        plain: units - cq,
        cq,
        minutes,
        pta_minutes,
        detail: SplitDetail::Timed {
            pta_full,
            pta_leftover_unit: pta_gets.then_some(pta_left),
            pt_leftover_unit,
        },
    }
}

/// Splits a single-unit service (untimed or initial 30-minute): CQ when the PTA's own
/// minutes exceed 10% of the service's minutes.
pub fn split_whole_service(units: u32, minutes: u32, pta_minutes: u32) -> AssistantSplit {
    if pta_minutes == 0 || units == 0 {
        return AssistantSplit::all_plain(units, minutes, pta_minutes);
    }
    let over = pta_minutes * 10 > minutes;
    AssistantSplit {
        plain: if over { 0 } else { units },
        cq: if over { units } else { 0 },
        minutes,
        pta_minutes,
        detail: SplitDetail::WholeService { over },
    }
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
