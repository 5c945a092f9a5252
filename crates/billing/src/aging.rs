//! A/R aging buckets: how long a balance has waited since the claim was sent.

use chrono::NaiveDate;
use serde::Serialize;

/// One aging bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AgingBucket {
    /// 0 to 30 days.
    #[serde(rename = "0-30")]
    Current,
    /// 31 to 60 days.
    #[serde(rename = "31-60")]
    Days31To60,
    /// 61 to 90 days.
    #[serde(rename = "61-90")]
    Days61To90,
    /// More than 90 days.
    #[serde(rename = "90+")]
    Over90,
}

impl AgingBucket {
    /// The bucket for a balance billed on `since` and still open on `today`. A date in
    /// the future counts as current.
    pub fn of(since: NaiveDate, today: NaiveDate) -> AgingBucket {
        match (today - since).num_days() {
            ..=30 => AgingBucket::Current,
            31..=60 => AgingBucket::Days31To60,
            61..=90 => AgingBucket::Days61To90,
            _ => AgingBucket::Over90,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|s| s.checked_add_days(chrono::Days::new(u64::from(d))))
            .unwrap_or_default()
    }

    #[test]
    fn bucket_edges() {
        let since = day(0);
        assert_eq!(AgingBucket::of(since, day(0)), AgingBucket::Current);
        assert_eq!(AgingBucket::of(since, day(30)), AgingBucket::Current);
        assert_eq!(AgingBucket::of(since, day(31)), AgingBucket::Days31To60);
        assert_eq!(AgingBucket::of(since, day(60)), AgingBucket::Days31To60);
        assert_eq!(AgingBucket::of(since, day(61)), AgingBucket::Days61To90);
        assert_eq!(AgingBucket::of(since, day(90)), AgingBucket::Days61To90);
        assert_eq!(AgingBucket::of(since, day(91)), AgingBucket::Over90);
        assert_eq!(AgingBucket::of(day(5), day(0)), AgingBucket::Current);
    }
}
