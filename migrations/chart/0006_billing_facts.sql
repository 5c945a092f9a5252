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

-- A date of service is coded as a whole: every signed note stores its whole day's lines
-- (the patient's date under one payer) as coded when it was signed. A day's current lines
-- are therefore those of its most recently signed note; every total over billed lines
-- (the year's therapy amounts for KX, an authorization's units, self-pay balances,
-- superbills) reads this view, so no day counts twice.
CREATE VIEW day_line AS
SELECT c.note_id, c.position, c.code, c.units, c.modifiers, c.minutes, c.allowed_cents,
       n.date_of_service, n.episode_id, n.signed_by, n.cosigned_by, e.patient_id, e.payer_id
FROM charge_line c
JOIN note n ON n.id = c.note_id
JOIN episode e ON e.id = n.episode_id
WHERE n.signed_at IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM note later JOIN episode le ON le.id = later.episode_id
      WHERE le.patient_id = e.patient_id AND le.payer_id = e.payer_id
        AND later.date_of_service = n.date_of_service AND later.signed_at IS NOT NULL
        AND (later.signed_at, later.id) > (n.signed_at, n.id));
