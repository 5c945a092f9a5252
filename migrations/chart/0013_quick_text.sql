-- Stride chart store, version 13: quick text, the clinic's own words.

-- A phrase is typed as ";shortcut" followed by a space in any part of a note, and becomes
-- its text. A template line is the text one part (subjective, objective, assessment or
-- plan) of a note of one kind starts from, when the clinician asks for it. Each row is one
-- or the other. Retired rows stay, so that devices that synced them agree.
CREATE TABLE quick_text (
    id         TEXT PRIMARY KEY,
    shortcut   TEXT CHECK (shortcut IS NULL OR length(shortcut) BETWEEN 1 AND 20),
    note_kind  TEXT CHECK (note_kind IS NULL OR note_kind IN ('eval', 'daily', 'progress', 'reeval', 'discharge')),
    field      TEXT CHECK (field IS NULL OR field IN ('subjective', 'objective', 'assessment', 'plan')),
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    retired    INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((shortcut IS NULL) = (note_kind IS NOT NULL) AND (note_kind IS NULL) = (field IS NULL))
) STRICT;
