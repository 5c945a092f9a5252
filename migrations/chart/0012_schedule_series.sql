-- Stride chart store, version 12: recurring series and a patient's own schedule.

-- A visit booked as part of a recurring series (for example 2x/week for 6 weeks) names
-- it, so the series can be shown and cancelled together.
ALTER TABLE appointment ADD COLUMN series_id TEXT;
CREATE INDEX appointment_series ON appointment(series_id) WHERE series_id IS NOT NULL;

-- A patient's visits by time: the chart's "next visit" and booking clashes.
CREATE INDEX appointment_patient ON appointment(patient_id, starts_at);
-- A therapist's visits by time: the week view and booking clashes.
CREATE INDEX appointment_therapist ON appointment(therapist_id, starts_at);
