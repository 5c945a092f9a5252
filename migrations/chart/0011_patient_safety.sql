-- Stride chart store, version 11: what a clinician must not miss about a patient.

-- Allergies (a recorded "none known" is not the same as never asked: NULL is never asked)
-- and precautions for treatment (fall risk, weight bearing, cardiac), shown on the
-- patient banner of every screen.
ALTER TABLE patient ADD COLUMN allergies TEXT CHECK (allergies IS NULL OR length(allergies) <= 2000);
ALTER TABLE patient ADD COLUMN precautions TEXT CHECK (precautions IS NULL OR length(precautions) <= 2000);
