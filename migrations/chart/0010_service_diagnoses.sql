-- Stride chart store, version 10: which diagnoses each service treats.

-- The episode's diagnoses a service on a note treats, as pointers in claim order ("2,1":
-- the episode's second diagnosis first), at most four; empty: the episode's first four
-- in order. Its claim line points at them. Fixed once the note is signed (the triggers on
-- note_service).
ALTER TABLE note_service ADD COLUMN diagnoses TEXT NOT NULL DEFAULT ''
    CHECK (diagnoses GLOB '' OR diagnoses NOT GLOB '*[^0-9,]*');
