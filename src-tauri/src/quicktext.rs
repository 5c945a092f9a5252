//! The clinic's quick text in the note editor (see `stride_chart::quicktext`).

use crate::desk::Desk;
use crate::error::Result;
use stride_chart::quicktext::{QuickText, QuickTextUse};

impl Desk {
    /// The clinic's phrases and templates in use.
    pub fn quick_texts(&self) -> Result<Vec<QuickText>> {
        self.as_reader(|chart, _| Ok(chart.quick_texts()?))
    }

    /// Adds (or replaces) a phrase or a template line; returns the list as it now stands.
    pub fn add_quick_text(&self, used_as: &QuickTextUse, text: &str) -> Result<Vec<QuickText>> {
        self.as_user(|chart, me| {
            chart.add_quick_text(me, used_as, text)?;
            Ok(chart.quick_texts()?)
        })
    }

    /// Retires a phrase or template line; returns the list as it now stands.
    pub fn retire_quick_text(&self, id: &str) -> Result<Vec<QuickText>> {
        self.as_user(|chart, me| {
            chart.retire_quick_text(me, id)?;
            Ok(chart.quick_texts()?)
        })
    }
}
