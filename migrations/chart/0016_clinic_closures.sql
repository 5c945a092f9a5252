-- Stride chart store, version 16: days the clinic is closed besides its weekly hours
-- (holidays, a training day). Rows the clinic owns, synced with its hours (`clinic.hours`);
-- read by stride_protocol::hours::Closure.
CREATE TABLE clinic_closure (
    clinic_id TEXT NOT NULL REFERENCES clinic(id),
    -- YYYY-MM-DD
    day       TEXT NOT NULL CHECK (length(day) = 10),
    reason    TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 80),
    PRIMARY KEY (clinic_id, day)
) STRICT;
