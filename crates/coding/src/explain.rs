//! Sentences that tell a therapist why a code got the units it got.

use crate::units::{CmsAllocation, Tie, TieReason, TimedCode, minutes_range};

/// "1 unit" or "3 units".
pub(crate) fn units(n: u32) -> String {
    format!("{n} unit{}", if n == 1 { "" } else { "s" })
}

/// The CMS pooling sentence shared by every timed line of a visit.
pub(crate) fn cms_pool(alloc: &CmsAllocation) -> String {
    let (lo, hi) = minutes_range(alloc.total_units);
    format!(
        "The visit's {} timed minutes allow {} under the CMS 8-minute rule ({lo}-{hi} minutes).",
        alloc.total_minutes,
        units(alloc.total_units)
    )
}

/// Why one code got its units under the CMS allocation, or why it got none.
pub(crate) fn cms_code(alloc: &CmsAllocation, codes: &[TimedCode<'_>], i: usize) -> String {
    let c = &codes[i];
    let full = c.minutes / 15;
    let leftover = c.minutes % 15;
    let mut s = cms_pool(alloc);
    if alloc.total_units == 0 {
        s.push_str(&format!(" Its {} minutes cannot bill a unit on their own.", c.minutes));
        return s;
    }
    if full > 0 {
        s.push_str(&format!(
            " Its {} minutes fill {full} whole 15-minute unit{}",
            c.minutes,
            if full == 1 { "" } else { "s" }
        ));
    } else {
        s.push_str(&format!(
            " Its {} minutes are less than one full 15-minute unit",
            c.minutes
        ));
    }
    let remaining = alloc.remaining_units;
    if alloc.took_remaining[i] {
        let rank = if remaining == 1 {
            "the largest leftover, so it takes the one remaining unit".to_owned()
        } else {
            format!("among the {remaining} largest leftovers, so it takes one of the {remaining} remaining units")
        };
        s.push_str(&format!("; its {leftover} leftover minutes are {rank}."));
    } else if leftover > 0 && remaining > 0 {
        s.push_str(&format!(
            "; its {leftover} leftover minutes are smaller than those that took the {}.",
            if remaining == 1 {
                "one remaining unit".to_owned()
            } else {
                format!("{remaining} remaining units")
            }
        ));
    } else if leftover > 0 {
        s.push_str(&format!(
            "; its {leftover} leftover minutes add no unit, because full 15-minute units use up every unit the total allows."
        ));
    } else {
        s.push('.');
    }
    if let Some(tie) = alloc
        .tie
        .as_ref()
        .filter(|t| t.winners.contains(&i) || t.losers.contains(&i))
    {
        s.push(' ');
        s.push_str(&tie_sentence(tie, codes, i));
    }
    s
}

fn tie_sentence(tie: &Tie, codes: &[TimedCode<'_>], i: usize) -> String {
    let others: Vec<&str> = tie
        .winners
        .iter()
        .chain(&tie.losers)
        .filter(|&&j| j != i)
        .map(|&j| codes[j].code)
        .collect();
    let won = tie.winners.contains(&i);
    let reason = match (tie.reason, won) {
        (TieReason::ClinicianChoice, true) => "the clinician chose it",
        (TieReason::ClinicianChoice, false) => "the clinician chose another code",
        (TieReason::MoreMinutes, true) => "it had more total minutes",
        (TieReason::MoreMinutes, false) => "another code had more total minutes",
        (TieReason::HigherFee, true) => "it has the higher fee",
        (TieReason::HigherFee, false) => "another code has a higher fee",
        (TieReason::EnteredFirst, true) => "it was entered first",
        (TieReason::EnteredFirst, false) => "another code was entered first",
    };
    let outcome = if won {
        "the unit went to it"
    } else {
        "the unit went elsewhere"
    };
    format!(
        "It tied with {} at {} leftover minutes; {outcome} because {reason} (either is compliant; the clinician may choose).",
        others.join(", "),
        tie.leftover
    )
}

/// Why a code got its units under the AMA per-code rule.
pub(crate) fn ama_code(minutes: u32, units_billed: u32) -> String {
    let (lo, hi) = minutes_range(units_billed);
    if units_billed == 0 {
        format!(
            "Under the per-code (AMA) rule each code stands alone: its {minutes} minutes are under 8, the mid-point of a 15-minute unit."
        )
    } else {
        format!(
            "Under the per-code (AMA) rule each code stands alone: its {minutes} minutes are in the {lo}-{hi} minute range, which is {}.",
            units(units_billed)
        )
    }
}

/// Why an untimed code bills one unit.
pub(crate) fn untimed(minutes: u32) -> String {
    format!(
        "An untimed (service-based) code bills 1 unit per date of service whatever its minutes ({minutes} documented); its minutes never count toward timed units."
    )
}

/// Why an initial 30-minute code did or did not bill.
pub(crate) fn initial30(minutes: u32, billed: bool) -> String {
    if billed {
        format!(
            "It bills 1 unit for the first 30 minutes once the mid-point (16 minutes) is passed; {minutes} minutes documented. Its minutes do not pool with 15-minute codes."
        )
    } else {
        format!("Its {minutes} minutes do not pass 16, the mid-point of its first 30 minutes, so it bills no unit.")
    }
}

/// Why an add-on 15-minute code got its units.
pub(crate) fn addon15(minutes: u32, units_billed: u32, base: &str) -> String {
    format!(
        "An add-on to {base} for each further 15 minutes, by the mid-point rule on its own minutes: {minutes} minutes is {}. Its minutes do not pool with other codes.",
        units(units_billed)
    )
}
