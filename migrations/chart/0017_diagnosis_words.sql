-- Stride chart store, version 17: what the ICD-10-CM code set says each diagnosis code this
-- chart uses means, kept when the code is checked on entry, so that naming a diagnosis
-- (the patient banner) never reads the whole code set into memory. Derived and kept on
-- this device only (never synced): a code missing here is named from the code set.
CREATE TABLE diagnosis_words (
    code        TEXT PRIMARY KEY,
    description TEXT NOT NULL
) STRICT;
