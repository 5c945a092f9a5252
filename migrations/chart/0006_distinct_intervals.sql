-- Stride chart store, version 6: NCCI pairs decided at the point of care.
--
-- When two services of an NCCI pair (indicator 1) were done in separate, distinct time
-- intervals, the clinician says so on the note, and the day's coding puts the payer's
-- distinct-service modifier (59 or XU) on the line. Stored as a JSON array of code pairs,
-- e.g. [["97530","97140"]]; like the rest of a note, fixed once the note is signed.
ALTER TABLE note ADD COLUMN distinct_pairs TEXT NOT NULL DEFAULT '[]';

CREATE TRIGGER note_signed_distinct_pairs_fixed BEFORE UPDATE OF distinct_pairs ON note
WHEN OLD.signed_at IS NOT NULL AND NEW.distinct_pairs IS NOT OLD.distinct_pairs
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
