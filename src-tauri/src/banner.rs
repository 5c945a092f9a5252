//! The patient banner every patient screen shows, and the allergies and precautions it
//! carries (see `stride_chart::banner`).

use crate::desk::Desk;
use crate::error::Result;
use stride_chart::banner::PatientBanner;

impl Desk {
    /// The banner of a patient, for an episode (default: their newest open one), today.
    pub fn patient_banner(&self, patient_id: &str, episode_id: Option<&str>) -> Result<PatientBanner> {
        let today = chrono::Local::now().date_naive();
        self.as_reader(|chart, _| Ok(chart.patient_banner(patient_id, episode_id, today)?))
    }

    /// Records a patient's allergies and precautions (blank clears one).
    pub fn set_patient_safety(
        &self,
        patient_id: &str,
        allergies: Option<&str>,
        precautions: Option<&str>,
    ) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_patient_safety(me, patient_id, allergies, precautions)?))
    }
}
