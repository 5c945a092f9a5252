-- Stride chart store, version 6: billing facts recorded where they are known.
--
-- NCCI pairs decided at the point of care. When two services of an NCCI pair (indicator
-- 1) were done in separate, distinct time intervals, the clinician says so on the note,
-- and the day's coding puts the payer's distinct-service modifier (59 or XU) on the line. Stored as a JSON array of code pairs,
-- e.g. [["97530","97140"]]; like the rest of a note, fixed once the note is signed.
ALTER TABLE note ADD COLUMN distinct_pairs TEXT NOT NULL DEFAULT '[]';

CREATE TRIGGER note_signed_distinct_pairs_fixed BEFORE UPDATE OF distinct_pairs ON note
WHEN OLD.signed_at IS NOT NULL AND NEW.distinct_pairs IS NOT OLD.distinct_pairs
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;

-- The KX threshold counts a patient's therapy with every provider this year. What other
-- providers billed is known only from the payer (its letters, the eligibility response):
-- the front desk or a biller records it, for one calendar year, in cents.
ALTER TABLE patient ADD COLUMN outside_therapy_year INTEGER;
ALTER TABLE patient ADD COLUMN outside_therapy_cents INTEGER NOT NULL DEFAULT 0
    CHECK (outside_therapy_cents >= 0);
