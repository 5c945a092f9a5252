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
-- are therefore those of its most recently signed note: `day_head` names that note for
-- each day, kept by the triggers below whether the note was signed here or arrived signed
-- from the clinic server, and every total over billed lines (the year's therapy amounts
-- for KX, an authorization's units, self-pay balances, superbills) reads `day_line`, so
-- no day counts twice.
CREATE TABLE day_head (
    patient_id      TEXT NOT NULL,
    payer_id        TEXT NOT NULL,
    date_of_service TEXT NOT NULL,
    note_id         TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    PRIMARY KEY (patient_id, payer_id, date_of_service)
) STRICT, WITHOUT ROWID;

-- A signed note is offered as its day's head through this view, and kept when it is newer
-- than the day's head (signing time, then id): the one place that rule is written.
CREATE VIEW day_head_offer AS SELECT patient_id, payer_id, date_of_service, note_id, signed_at FROM day_head;

CREATE TRIGGER day_head_offered INSTEAD OF INSERT ON day_head_offer
BEGIN
    INSERT INTO day_head (patient_id, payer_id, date_of_service, note_id, signed_at)
    VALUES (NEW.patient_id, NEW.payer_id, NEW.date_of_service, NEW.note_id, NEW.signed_at)
    ON CONFLICT (patient_id, payer_id, date_of_service) DO UPDATE
        SET note_id = excluded.note_id, signed_at = excluded.signed_at
        WHERE (excluded.signed_at, excluded.note_id) > (day_head.signed_at, day_head.note_id);
END;

INSERT INTO day_head_offer (patient_id, payer_id, date_of_service, note_id, signed_at)
SELECT e.patient_id, e.payer_id, n.date_of_service, n.id, n.signed_at
FROM note n JOIN episode e ON e.id = n.episode_id
WHERE n.signed_at IS NOT NULL;

-- (Their names leave out "signed": sync lifts the triggers so named, which guard signed
-- notes, while it writes a superseding signature, and these must still run then.)
CREATE TRIGGER day_head_on_note_update AFTER UPDATE OF signed_at ON note
WHEN NEW.signed_at IS NOT NULL AND NEW.signed_at IS NOT OLD.signed_at
BEGIN
    INSERT INTO day_head_offer (patient_id, payer_id, date_of_service, note_id, signed_at)
    SELECT e.patient_id, e.payer_id, NEW.date_of_service, NEW.id, NEW.signed_at FROM episode e WHERE e.id = NEW.episode_id;
END;

CREATE TRIGGER day_head_on_note_insert AFTER INSERT ON note
WHEN NEW.signed_at IS NOT NULL
BEGIN
    INSERT INTO day_head_offer (patient_id, payer_id, date_of_service, note_id, signed_at)
    SELECT e.patient_id, e.payer_id, NEW.date_of_service, NEW.id, NEW.signed_at FROM episode e WHERE e.id = NEW.episode_id;
END;

-- A page of pulled changes may hold a signed note before its episode (references are
-- checked at commit): the episode, when it arrives, heads its notes' days.
CREATE TRIGGER day_head_on_episode_insert AFTER INSERT ON episode
BEGIN
    INSERT INTO day_head_offer (patient_id, payer_id, date_of_service, note_id, signed_at)
    SELECT NEW.patient_id, NEW.payer_id, n.date_of_service, n.id, n.signed_at FROM note n
    WHERE n.episode_id = NEW.id AND n.signed_at IS NOT NULL;
END;

CREATE VIEW day_line AS
SELECT c.note_id, c.position, c.code, c.units, c.modifiers, c.minutes, c.allowed_cents, n.date_of_service,
       n.episode_id, n.signed_by, n.cosigned_by, h.patient_id, h.payer_id
FROM day_head h
JOIN note n ON n.id = h.note_id
JOIN charge_line c ON c.note_id = h.note_id;
