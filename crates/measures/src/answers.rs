//! [`Answers`]: the raw answers of one administration, kept exactly as given.
//!
//! Stride stores these next to the [`crate::Score`] so a score can always be recomputed, or
//! re-checked under a later definition. Nothing here is normalised: an unanswered item
//! stays `None`, an activity keeps the id and wording the patient chose.
//!
//! JSON: `{"items": [4, 3, null, 4]}`, `{"items": [12.3]}` for a timed test, or
//! `{"activities": [{"id": "stairs", "text": "Climbing the stairs at home", "rating": 3}]}`.

use crate::decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The answers of one administration of one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Answers {
    /// One entry per item in form order; `None` for an unanswered (or not applicable) item.
    /// A timed or distance test (TUG, 6MWT) has one item.
    Items(#[cfg_attr(feature = "ts", ts(as = "Vec<Option<f64>>"))] Vec<Option<Decimal>>),
    /// Patient-chosen activities, each rated (PSFS).
    Activities(Vec<Activity>),
}

/// One activity the patient chose, with this administration's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Activity {
    /// A stable id, the same at every visit, so follow-ups can be matched to the first rating.
    pub id: String,
    /// The activity in the patient's words.
    pub text: String,
    /// This administration's rating; `None` if the activity is listed but was not rated.
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub rating: Option<Decimal>,
}

impl Answers {
    /// Item answers given as whole numbers (`None` for unanswered), the usual case for
    /// questionnaires.
    pub fn whole(answers: &[Option<i32>]) -> Answers {
        Answers::Items(answers.iter().map(|a| a.map(Decimal::whole)).collect())
    }

    /// The single answer of a timed or distance test.
    pub fn single(value: Decimal) -> Answers {
        Answers::Items(vec![Some(value)])
    }

    /// The activities, if these are activity answers.
    pub fn activities(&self) -> &[Activity] {
        match self {
            Answers::Activities(a) => a,
            Answers::Items(_) => &[],
        }
    }
}

impl Activity {
    /// An activity with a whole-number rating (`None` for not rated).
    pub fn new(id: impl Into<String>, text: impl Into<String>, rating: Option<i32>) -> Activity {
        Activity {
            id: id.into(),
            text: text.into(),
            rating: rating.map(Decimal::whole),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_answers_as_given() {
        let items: Answers = serde_json::from_str(r#"{"items": [4, null, 3]}"#).expect("items");
        assert_eq!(items, Answers::whole(&[Some(4), None, Some(3)]));
        let tug: Answers = serde_json::from_str(r#"{"items": [12.3]}"#).expect("tug");
        assert_eq!(tug, Answers::single(Decimal::from_hundredths(1230)));
        let psfs: Answers =
            serde_json::from_str(r#"{"activities": [{"id": "a", "text": "Stairs", "rating": null}]}"#).expect("psfs");
        assert_eq!(psfs.activities(), [Activity::new("a", "Stairs", None)]);
        assert_eq!(
            serde_json::to_string(&Answers::whole(&[Some(4), None])).expect("json"),
            r#"{"items":[4,null]}"#
        );
        assert!(serde_json::from_str::<Answers>(r#"{"itemz": [1]}"#).is_err());
    }
}
