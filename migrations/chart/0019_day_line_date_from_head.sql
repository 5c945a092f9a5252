-- Stride chart store, version 19: `day_line` gives each line the date of its day's head.
-- It is the same date as the note's (the triggers copy it when the note is signed, and a
-- signed note's date never changes), but a reader that asks for one patient's dates (the
-- year's therapy amounts toward KX, read twice on every save of a note) can now seek the
-- head's key (patient, payer, date) to the range, instead of reading the note of every
-- day the patient has had to learn its date.
DROP VIEW day_line;
CREATE VIEW day_line AS
SELECT c.note_id, c.position, c.code, c.units, c.modifiers, c.minutes, c.allowed_cents, h.date_of_service,
       n.episode_id, n.signed_by, n.cosigned_by, h.patient_id, h.payer_id
FROM day_head h
JOIN note n ON n.id = h.note_id
JOIN charge_line c ON c.note_id = h.note_id;
