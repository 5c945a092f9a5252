-- Version 2: full-text patient search and payer fee schedules.
-- Search is FTS5 inside the encrypted database (no index file holds PHI in the clear),
-- with prefix queries on names, MRN, date of birth and phone.

CREATE VIRTUAL TABLE patient_search USING fts5(
    patient_id UNINDEXED,
    first_name,
    last_name,
    mrn,
    dob,
    phone_digits,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO patient_search (patient_id, first_name, last_name, mrn, dob, phone_digits)
SELECT id, first_name, last_name, mrn, dob,
       replace(replace(replace(replace(replace(coalesce(phone, ''), '-', ''), ' ', ''), '(', ''), ')', ''), '+', '')
FROM patient;

CREATE TRIGGER patient_search_insert AFTER INSERT ON patient
BEGIN
    INSERT INTO patient_search (patient_id, first_name, last_name, mrn, dob, phone_digits)
    VALUES (NEW.id, NEW.first_name, NEW.last_name, NEW.mrn, NEW.dob,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), '-', ''), ' ', ''), '(', ''), ')', ''), '+', ''));
END;

CREATE TRIGGER patient_search_update AFTER UPDATE ON patient
BEGIN
    DELETE FROM patient_search WHERE patient_id = OLD.id;
    INSERT INTO patient_search (patient_id, first_name, last_name, mrn, dob, phone_digits)
    VALUES (NEW.id, NEW.first_name, NEW.last_name, NEW.mrn, NEW.dob,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), '-', ''), ' ', ''), '(', ''), ')', ''), '+', ''));
END;

CREATE TRIGGER patient_search_delete AFTER DELETE ON patient
BEGIN
    DELETE FROM patient_search WHERE patient_id = OLD.id;
END;

-- Each payer's allowed amount per unit of a code, in cents.
CREATE TABLE fee_schedule (
    payer_id TEXT NOT NULL REFERENCES payer(id),
    code     TEXT NOT NULL,
    cents    INTEGER NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (payer_id, code)
) STRICT;
