//! How the chart writes dates in the sentences it gives people (alerts, the patient
//! banner): "Jan 30, 2027", never the stored `2027-01-30`.

use chrono::NaiveDate;

/// A civil date as a sentence says it: `2027-01-30` -> "Jan 30, 2027".
pub fn date(day: NaiveDate) -> String {
    day.format("%b %-d, %Y").to_string()
}

/// A stored `YYYY-MM-DD` as a sentence says it; the text itself when it is not a date.
pub fn date_text(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_or_else(|_| day.to_owned(), date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 1, 30).expect("a date")),
            "Jan 30, 2027"
        );
        assert_eq!(date_text("2026-12-04"), "Dec 4, 2026");
        assert_eq!(date_text("someday"), "someday");
    }
}
