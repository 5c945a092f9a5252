//! Minutes to units.
//!
//! - [`units_for_minutes`]: the 8/23/38/... table, `floor((m + 7) / 15)`.
//! - [`allocate_cms`]: the CMS total-time rule (Pub 100-04 Ch.5 §20.2): pool the timed
//!   minutes, bill `floor((T + 7) / 15)` units, give every code its full 15-minute units,
//!   then give the remaining units one each to the largest leftovers.
//! - Per-code (AMA) units are [`units_for_minutes`] of each code's own minutes.
//!
//! # Tie-break
//!
//! When codes tie on leftover minutes and there are not enough units for all of them,
//! CMS lets the clinician pick the code. Stride decides, in this order:
//! 1. who furnished it: a code a PT assistant furnished part of takes the unit before
//!    one the PT furnished alone. The unit is then billed with CQ, as the de minimis
//!    standard asks when an assistant furnished more than 10% of the minutes that make it
//!    up (Pub 100-04 Ch.5 §20.1; CY 2022 PFS final rule, CMS's CQ/CO billing examples);
//!    the clinician's choice cannot move a unit the assistant furnished to the PT;
//! 2. the clinician's choice (`tie_break`), most preferred first;
//! 3. more total minutes for the code (CMS: "assigning more timed units to the service
//!    that took the most time");
//! 4. the higher fee, when a fee schedule is given;
//! 5. the lower code, so the result never depends on the order services were typed in
//!    or the notes they were documented in.

use crate::money::Cents;
use std::cmp::Reverse;

/// Minutes in one timed unit.
pub const UNIT_MINUTES: u32 = 15;

/// Units for `minutes` of a 15-minute code (or of all timed minutes pooled):
/// 0–7 → 0, 8–22 → 1, 23–37 → 2, and so on.
pub fn units_for_minutes(minutes: u32) -> u32 {
    (minutes + 7) / UNIT_MINUTES
}

/// The minutes range that bills exactly `units` units: (first, last).
pub fn minutes_range(units: u32) -> (u32, u32) {
    if units == 0 {
        (0, 7)
    } else {
        (UNIT_MINUTES * units - 7, UNIT_MINUTES * units + 7)
    }
}

/// One timed code in a visit, as the CMS allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedCode<'a> {
    /// The code.
    pub code: &'a str,
    /// Its merged minutes.
    pub minutes: u32,
    /// Its fee per unit, if known (third tie-break).
    pub fee: Option<Cents>,
    /// Its place in the clinician's tie-break choice, if named.
    pub preference: Option<usize>,
    /// Whether a PT assistant furnished part of it on their own (first tie-break).
    pub assistant: bool,
}

/// Why a tied unit went where it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieReason {
    /// A PT assistant furnished part of it, so the tied unit is theirs (with CQ).
    AssistantFurnished,
    /// The clinician chose it.
    ClinicianChoice,
    /// It had more total minutes.
    MoreMinutes,
    /// It has the higher fee.
    HigherFee,
    /// It is the lower code (the last, arbitrary but fixed, resort).
    LowerCode,
}

/// A tie at the cut-off between codes with equal leftover minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The leftover minutes they tied on.
    pub leftover: u32,
    /// Indexes of tied codes that got a remaining unit.
    pub winners: Vec<usize>,
    /// Indexes of tied codes that did not.
    pub losers: Vec<usize>,
    /// What decided it.
    pub reason: TieReason,
}

/// The result of the CMS allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsAllocation {
    /// Pooled timed minutes.
    pub total_minutes: u32,
    /// Units the pooled minutes allow.
    pub total_units: u32,
    /// Units left after every code's full 15-minute units.
    pub remaining_units: u32,
    /// Per code, in input order: its units.
    pub units: Vec<u32>,
    /// Per code, in input order: whether it took one of the remaining units.
    pub took_remaining: Vec<bool>,
    /// Indexes of codes with leftover minutes, largest leftover first (the order the
    /// remaining units were handed out).
    pub leftover_order: Vec<usize>,
    /// The tie at the cut-off, if there was one.
    pub tie: Option<Tie>,
}

/// Allocates units among timed codes by the CMS total-time rule.
pub fn allocate_cms(codes: &[TimedCode<'_>]) -> CmsAllocation {
    let total_minutes: u32 = codes.iter().map(|c| c.minutes).sum();
    let total_units = units_for_minutes(total_minutes);
    let mut units: Vec<u32> = codes.iter().map(|c| c.minutes / UNIT_MINUTES).collect();
    let full: u32 = units.iter().sum();
    // floor(T/15) >= sum of floor(m_i/15), so full never exceeds total_units.
    let remaining_units = total_units.saturating_sub(full);

    let rank = |i: usize| {
        let c = &codes[i];
        (
            Reverse(c.minutes % UNIT_MINUTES),
            Reverse(c.assistant),
            c.preference.unwrap_or(usize::MAX),
            Reverse(c.minutes),
            Reverse(c.fee.map_or(i64::MIN, |f| f.0)),
            c.code,
            i,
        )
    };
    let mut leftover_order: Vec<usize> = (0..codes.len())
        .filter(|&i| !codes[i].minutes.is_multiple_of(UNIT_MINUTES))
        .collect();
    leftover_order.sort_by_key(|&i| rank(i));

    // R never exceeds the number of codes with leftovers; `take` keeps that safe anyway.
    let mut took_remaining = vec![false; codes.len()];
    for &i in leftover_order.iter().take(remaining_units as usize) {
        units[i] += 1;
        took_remaining[i] = true;
    }

    let tie = find_tie(codes, &leftover_order, remaining_units as usize);
    CmsAllocation {
        total_minutes,
        total_units,
        remaining_units,
        units,
        took_remaining,
        leftover_order,
        tie,
    }
}

fn find_tie(codes: &[TimedCode<'_>], order: &[usize], handed_out: usize) -> Option<Tie> {
    if handed_out == 0 || handed_out >= order.len() {
        return None;
    }
    let leftover = |i: usize| codes[i].minutes % UNIT_MINUTES;
    let (last_winner, first_loser) = (order[handed_out - 1], order[handed_out]);
    if leftover(last_winner) != leftover(first_loser) {
        return None;
    }
    let tied = leftover(first_loser);
    let (won, lost) = order.split_at(handed_out);
    let (a, b) = (&codes[last_winner], &codes[first_loser]);
    let reason = if a.assistant != b.assistant {
        TieReason::AssistantFurnished
    } else if a.preference != b.preference {
        TieReason::ClinicianChoice
    } else if a.minutes != b.minutes {
        TieReason::MoreMinutes
    } else if a.fee != b.fee {
        TieReason::HigherFee
    } else {
        TieReason::LowerCode
    };
    Some(Tie {
        leftover: tied,
        winners: won.iter().copied().filter(|&i| leftover(i) == tied).collect(),
        losers: lost.iter().copied().filter(|&i| leftover(i) == tied).collect(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(code: &str, minutes: u32) -> TimedCode<'_> {
        TimedCode {
            code,
            minutes,
            fee: None,
            preference: None,
            assistant: false,
        }
    }

    #[test]
    fn the_unit_table_boundaries() {
        for (m, u) in [
            (0, 0),
            (7, 0),
            (8, 1),
            (22, 1),
            (23, 2),
            (37, 2),
            (38, 3),
            (52, 3),
            (53, 4),
            (127, 8),
            (128, 9),
        ] {
            assert_eq!(units_for_minutes(m), u, "{m} minutes");
        }
        assert_eq!(minutes_range(3), (38, 52));
        assert_eq!(minutes_range(0), (0, 7));
    }

    #[test]
    fn ties_report_who_won_and_why() {
        let a = allocate_cms(&[timed("97112", 20), timed("97110", 20)]);
        assert_eq!(a.units, vec![1, 2]);
        let tie = a.tie.expect("a tie");
        assert_eq!(
            (tie.winners, tie.losers, tie.reason),
            (vec![1], vec![0], TieReason::LowerCode)
        );

        let a = allocate_cms(&[timed("97110", 20), timed("97112", 5)]);
        assert_eq!(a.units, vec![2, 0]);
        assert_eq!(a.tie.map(|t| t.reason), Some(TieReason::MoreMinutes));

        let mut chosen = [timed("97110", 20), timed("97112", 5)];
        chosen[1].preference = Some(0);
        let a = allocate_cms(&chosen);
        assert_eq!(a.units, vec![1, 1]);
        assert_eq!(a.tie.map(|t| t.reason), Some(TieReason::ClinicianChoice));

        let mut priced = [timed("97110", 20), timed("97112", 20)];
        priced[1].fee = Some(Cents(4000));
        priced[0].fee = Some(Cents(3000));
        let a = allocate_cms(&priced);
        assert_eq!(a.units, vec![1, 2]);
        assert_eq!(a.tie.map(|t| t.reason), Some(TieReason::HigherFee));

        // The assistant's code takes a tied unit whatever the clinician chose or typed
        // first (Pub 100-04 Ch.5 §20.1, de minimis standard).
        for order in [[0, 1], [1, 0]] {
            let mut both = [timed("97110", 10), timed("97140", 10)];
            both[1].assistant = true;
            both[0].preference = Some(0);
            let codes = [both[order[0]].clone(), both[order[1]].clone()];
            let a = allocate_cms(&codes);
            let won = a.tie.as_ref().map(|t| codes[t.winners[0]].code);
            assert_eq!(won, Some("97140"));
            assert_eq!(a.tie.map(|t| t.reason), Some(TieReason::AssistantFurnished));
        }
    }
}
