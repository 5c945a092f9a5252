-- Stride chart store, version 9: ICD-10-CM releases imported after the one Stride ships.

-- CMS's tabular list of a later release (each fiscal year from October 1, sometimes an
-- April update), gzip-compressed as imported, with the first date of service it applies
-- to. Diagnoses are checked against the release in force on each date of service.
CREATE TABLE icd10_release (
    version        TEXT NOT NULL CHECK (length(trim(version)) > 0),
    effective_from TEXT NOT NULL PRIMARY KEY CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    codes          INTEGER NOT NULL CHECK (codes > 0),
    file_sha256    TEXT NOT NULL,
    tabular_gz     BLOB NOT NULL,
    imported_at    TEXT NOT NULL,
    imported_by    TEXT REFERENCES user(id)
) STRICT;
