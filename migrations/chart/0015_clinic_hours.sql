-- Stride chart store, version 15: the clinic's opening hours, which the schedule opens on.
-- Set by an administrator (`clinic.hours`); read by stride_protocol::hours::ClinicHours.
ALTER TABLE clinic ADD COLUMN opens_at TEXT NOT NULL DEFAULT '07:00';
ALTER TABLE clinic ADD COLUMN closes_at TEXT NOT NULL DEFAULT '19:00';
-- ISO weekday numbers, Monday 1 to Sunday 7.
ALTER TABLE clinic ADD COLUMN open_days TEXT NOT NULL DEFAULT '1,2,3,4,5';
