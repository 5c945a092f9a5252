//! [`check_rerated`]: does a PSFS follow-up re-rate the activities rated before?
//!
//! The PSFS score is a mean over the activities the patient chose, so a follow-up that drops
//! one of them, or leaves it unrated, compares a different set of activities. Activities are
//! matched by id (the text may be reworded). New activities at the follow-up are allowed and
//! not reported.

use crate::answers::{Activity, Answers};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An activity rated at the earlier administration that the later one does not rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotRerated {
    /// The activity's id.
    pub id: String,
    /// The activity as worded at the earlier administration.
    pub text: String,
    /// Whether it was left off or listed without a rating.
    pub reason: NotReratedReason,
}

/// Why an activity counts as not re-rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotReratedReason {
    /// The later administration does not list the activity.
    Dropped,
    /// The later administration lists it without a rating.
    Unrated,
}

impl fmt::Display for NotRerated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            NotReratedReason::Dropped => write!(f, "\"{}\" was rated before but is missing now", self.text),
            NotReratedReason::Unrated => write!(f, "\"{}\" was rated before but has no rating now", self.text),
        }
    }
}

/// The activities rated in `earlier` that `later` does not re-rate, in `earlier`'s order.
/// Empty when every one was re-rated, or when the answers are not activity answers.
pub fn check_rerated(earlier: &Answers, later: &Answers) -> Vec<NotRerated> {
    let later = later.activities();
    earlier
        .activities()
        .iter()
        .filter(|a| a.rating.is_some())
        .filter_map(|a: &Activity| {
            let reason = match later.iter().find(|l| l.id == a.id) {
                None => NotReratedReason::Dropped,
                Some(l) if l.rating.is_none() => NotReratedReason::Unrated,
                Some(_) => return None,
            };
            Some(NotRerated {
                id: a.id.clone(),
                text: a.text.clone(),
                reason,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(list: &[(&str, Option<i32>)]) -> Answers {
        Answers::Activities(
            list.iter()
                .map(|&(id, rating)| Activity::new(id, format!("activity {id}"), rating))
                .collect(),
        )
    }

    #[test]
    fn reports_dropped_and_unrated_activities_in_order() {
        let first = acts(&[("a", Some(3)), ("b", Some(5)), ("c", Some(7)), ("d", None)]);
        let follow_up = acts(&[("c", Some(8)), ("b", None), ("e", Some(2))]);
        let missing = check_rerated(&first, &follow_up);
        assert_eq!(
            missing.iter().map(|m| (m.id.as_str(), m.reason)).collect::<Vec<_>>(),
            [("a", NotReratedReason::Dropped), ("b", NotReratedReason::Unrated)]
        );
        assert_eq!(
            missing[0].to_string(),
            "\"activity a\" was rated before but is missing now"
        );
        assert_eq!(
            missing[1].to_string(),
            "\"activity b\" was rated before but has no rating now"
        );
    }

    #[test]
    fn nothing_to_report_when_all_are_rerated_or_for_item_answers() {
        let first = acts(&[("a", Some(3)), ("b", Some(5)), ("c", Some(7))]);
        let follow_up = acts(&[("b", Some(6)), ("a", Some(4)), ("c", Some(7)), ("new", Some(1))]);
        assert!(check_rerated(&first, &follow_up).is_empty());
        assert!(check_rerated(&Answers::whole(&[Some(1)]), &follow_up).is_empty());
    }
}
