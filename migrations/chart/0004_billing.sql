-- Version 4: billing. Claims built from signed notes, their lifecycle, 837P exports,
-- 835 remittances posted to them, the denial work queue and patient payments.
-- Money is integer cents; dates of service are YYYY-MM-DD.

-- What an 837P needs of the clinic (the billing provider) and its clearinghouse.
ALTER TABLE clinic ADD COLUMN tax_id TEXT;
ALTER TABLE clinic ADD COLUMN address_line TEXT;
ALTER TABLE clinic ADD COLUMN city TEXT;
ALTER TABLE clinic ADD COLUMN state TEXT;
ALTER TABLE clinic ADD COLUMN zip TEXT;
ALTER TABLE clinic ADD COLUMN phone TEXT;
ALTER TABLE clinic ADD COLUMN billing_contact TEXT;
ALTER TABLE clinic ADD COLUMN taxonomy TEXT NOT NULL DEFAULT '225100000X';
ALTER TABLE clinic ADD COLUMN submitter_id TEXT;
ALTER TABLE clinic ADD COLUMN receiver_id TEXT;
ALTER TABLE clinic ADD COLUMN receiver_name TEXT;
ALTER TABLE clinic ADD COLUMN place_of_service TEXT NOT NULL DEFAULT '11';

-- The payer's electronic id, its claim filing indicator (837P SBR09: MB Medicare Part B,
-- CI commercial, BL Blue Cross, HM HMO, MC Medicaid, ...) and self-pay (no claims: the
-- patient gets a superbill).
ALTER TABLE payer ADD COLUMN payer_code TEXT;
ALTER TABLE payer ADD COLUMN claim_filing TEXT NOT NULL DEFAULT 'CI';
ALTER TABLE payer ADD COLUMN self_pay INTEGER NOT NULL DEFAULT 0 CHECK (self_pay IN (0, 1));
UPDATE payer SET claim_filing = 'MB' WHERE medicare = 1;

-- The patient's postal address in parts: `address` is the street line.
ALTER TABLE patient ADD COLUMN city TEXT;
ALTER TABLE patient ADD COLUMN state TEXT;
ALTER TABLE patient ADD COLUMN zip TEXT;

-- The clinic's charge for one unit of a code (its charge master), in cents. What payers
-- allow is in fee_schedule.
CREATE TABLE clinic_fee (
    clinic_id TEXT NOT NULL REFERENCES clinic(id),
    code      TEXT NOT NULL,
    cents     INTEGER NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (clinic_id, code)
) STRICT;

CREATE TABLE claim (
    id                    TEXT PRIMARY KEY,
    -- CLM01, echoed by the payer's 835 as CLP01.
    control_number        TEXT NOT NULL UNIQUE CHECK (length(control_number) BETWEEN 1 AND 20),
    patient_id            TEXT NOT NULL REFERENCES patient(id),
    episode_id            TEXT NOT NULL REFERENCES episode(id),
    payer_id              TEXT NOT NULL REFERENCES payer(id),
    coverage_id           TEXT REFERENCES coverage(id),
    -- 1 primary, 2 secondary, 3 tertiary.
    responsibility        INTEGER NOT NULL CHECK (responsibility IN (1, 2, 3)),
    -- A secondary claim's primary claim.
    primary_claim_id      TEXT REFERENCES claim(id),
    rendering_id          TEXT NOT NULL REFERENCES user(id),
    referring_provider_id TEXT REFERENCES referring_provider(id),
    place_of_service      TEXT NOT NULL,
    service_from          TEXT NOT NULL,
    service_to            TEXT NOT NULL CHECK (service_to >= service_from),
    status                TEXT NOT NULL CHECK (status IN ('draft', 'ready', 'submitted', 'paid',
                              'partially_paid', 'denied', 'void', 'appealed')),
    charge_cents          INTEGER NOT NULL CHECK (charge_cents >= 0),
    paid_cents            INTEGER NOT NULL DEFAULT 0,
    written_off_cents     INTEGER NOT NULL DEFAULT 0,
    patient_resp_cents    INTEGER NOT NULL DEFAULT 0,
    submitted_on          TEXT,
    export_batch          TEXT,
    adjudicated_on        TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;
CREATE INDEX claim_status ON claim(status, service_from);
CREATE INDEX claim_patient ON claim(patient_id);

CREATE TABLE claim_line (
    claim_id           TEXT NOT NULL REFERENCES claim(id),
    position           INTEGER NOT NULL CHECK (position BETWEEN 1 AND 50),
    -- The signed note and its charge line this line bills.
    note_id            TEXT NOT NULL REFERENCES note(id),
    charge_position    INTEGER NOT NULL,
    date_of_service    TEXT NOT NULL,
    code               TEXT NOT NULL,
    modifiers          TEXT NOT NULL,
    units              INTEGER NOT NULL CHECK (units BETWEEN 1 AND 999),
    minutes            INTEGER NOT NULL,
    charge_cents       INTEGER NOT NULL CHECK (charge_cents >= 0),
    allowed_cents      INTEGER,
    -- Pointers into claim_diagnosis, comma-separated (up to four).
    dx_pointers        TEXT NOT NULL,
    paid_cents         INTEGER NOT NULL DEFAULT 0,
    written_off_cents  INTEGER NOT NULL DEFAULT 0,
    patient_resp_cents INTEGER NOT NULL DEFAULT 0,
    -- The payer's adjustments, JSON [{group, reason, cents}], as posted from the 835.
    adjustments        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (claim_id, position)
) STRICT;
CREATE INDEX claim_line_note ON claim_line(note_id);

CREATE TABLE claim_diagnosis (
    claim_id TEXT NOT NULL REFERENCES claim(id),
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 12),
    icd10    TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
) STRICT;

-- Every status change, who asked and why: the claim's history as people read it. (The
-- tamper-evident record is the audit chain, which logs every transition too: on a synced
-- chart a device's own step that the clinic server refused is replaced by the server's.)
CREATE TABLE claim_event (
    claim_id    TEXT NOT NULL REFERENCES claim(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    user_id     TEXT REFERENCES user(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('clinic', 'remittance')),
    reason      TEXT,
    PRIMARY KEY (claim_id, seq)
) STRICT;

-- One imported 835 file. The same file (by its hash), or the same payment (payer and
-- trace number), is refused when imported again. Not a unique index: on a synced chart
-- two devices may each have imported the file offline; the clinic server posts one.
CREATE TABLE remittance (
    id                        TEXT PRIMARY KEY,
    file_sha256               TEXT NOT NULL,
    payer_name                TEXT NOT NULL,
    payer_code                TEXT,
    trace_number              TEXT NOT NULL,
    paid_on                   TEXT,
    total_paid_cents          INTEGER NOT NULL,
    provider_adjustment_cents INTEGER NOT NULL,
    imported_at               TEXT NOT NULL,
    imported_by               TEXT REFERENCES user(id)
) STRICT;

-- Each claim of a remittance as received. claim_id is NULL and `problem` says why when
-- Stride could not match or post it: it is kept and shown, never dropped.
CREATE TABLE remit_claim (
    remittance_id  TEXT NOT NULL REFERENCES remittance(id),
    position       INTEGER NOT NULL,
    claim_id       TEXT REFERENCES claim(id),
    control_number TEXT NOT NULL,
    status_code    TEXT NOT NULL,
    charge_cents   INTEGER NOT NULL,
    paid_cents     INTEGER NOT NULL,
    patient_resp_cents INTEGER NOT NULL,
    -- The claim as the payer sent it (lines, adjustments, remarks), JSON.
    detail         TEXT NOT NULL,
    problem        TEXT,
    PRIMARY KEY (remittance_id, position)
) STRICT;
CREATE INDEX remit_claim_claim ON remit_claim(claim_id);
CREATE INDEX remittance_file ON remittance(file_sha256);
CREATE INDEX remittance_payment ON remittance(payer_code, trace_number);

-- The denial work queue: one row per denied claim line.
CREATE TABLE denial (
    id            TEXT PRIMARY KEY,
    claim_id      TEXT NOT NULL REFERENCES claim(id),
    line_position INTEGER,
    remittance_id TEXT NOT NULL REFERENCES remittance(id),
    code          TEXT NOT NULL,
    cents         INTEGER NOT NULL,
    -- JSON list of "CO-119" style adjustment codes, and of remark codes.
    reasons       TEXT NOT NULL,
    remarks       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'appealed', 'corrected', 'written_off')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX denial_open ON denial(status, created_at);

CREATE TABLE patient_payment (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patient(id),
    received_on TEXT NOT NULL,
    cents       INTEGER NOT NULL CHECK (cents > 0),
    method      TEXT NOT NULL CHECK (method IN ('cash', 'check', 'card', 'other')),
    reference   TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES user(id)
) STRICT;
CREATE INDEX patient_payment_patient ON patient_payment(patient_id);

-- A claim's lines change only while it is a draft.
CREATE TRIGGER claim_line_locked BEFORE UPDATE OF code, modifiers, units, charge_cents, dx_pointers, note_id, date_of_service ON claim_line
WHEN (SELECT status FROM claim WHERE id = OLD.claim_id) <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'only a draft claim can be edited: move it back to draft first');
END;
