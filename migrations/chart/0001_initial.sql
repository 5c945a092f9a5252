-- Stride chart store, version 1: the clinic's records.
-- Conventions: ids are client-made UUIDs (TEXT); instants are RFC 3339 UTC text;
-- dates of service and other civil dates are YYYY-MM-DD text; money is integer cents.
-- Never edit a shipped migration: add a new one.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE clinic (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    npi        TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE user (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    password_hash TEXT NOT NULL,
    pin_hash      TEXT,
    npi           TEXT,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE user_role (
    user_id TEXT NOT NULL REFERENCES user(id),
    role    TEXT NOT NULL CHECK (role IN ('pt', 'pta', 'frontdesk', 'biller', 'admin')),
    PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE payer (
    id                       TEXT PRIMARY KEY,
    name                     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit_method              TEXT NOT NULL CHECK (unit_method IN ('cms', 'ama')),
    medicare                 INTEGER NOT NULL CHECK (medicare IN (0, 1)),
    cq_applies               INTEGER NOT NULL CHECK (cq_applies IN (0, 1)),
    kx_applies               INTEGER NOT NULL CHECK (kx_applies IN (0, 1)),
    progress_interval_visits INTEGER NOT NULL CHECK (progress_interval_visits BETWEEN 1 AND 100),
    block_sign_when_overdue  INTEGER NOT NULL CHECK (block_sign_when_overdue IN (0, 1)),
    pta_cosign_required      INTEGER NOT NULL CHECK (pta_cosign_required IN (0, 1)),
    created_at               TEXT NOT NULL
) STRICT;

CREATE TABLE patient (
    id          TEXT PRIMARY KEY,
    mrn         TEXT NOT NULL UNIQUE,
    first_name  TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
    last_name   TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
    dob         TEXT NOT NULL,
    sex         TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    phone       TEXT,
    email       TEXT,
    address     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE coverage (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patient(id),
    payer_id    TEXT NOT NULL REFERENCES payer(id),
    member_id   TEXT NOT NULL CHECK (length(trim(member_id)) > 0),
    group_no    TEXT,
    priority    INTEGER NOT NULL CHECK (priority IN (1, 2, 3)),
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX coverage_patient ON coverage(patient_id);

CREATE TABLE referring_provider (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    npi        TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE episode (
    id                    TEXT PRIMARY KEY,
    patient_id            TEXT NOT NULL REFERENCES patient(id),
    payer_id              TEXT NOT NULL REFERENCES payer(id),
    referring_provider_id TEXT REFERENCES referring_provider(id),
    onset_date            TEXT,
    referral_date         TEXT,
    start_date            TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('open', 'discharged')),
    created_at            TEXT NOT NULL
) STRICT;
CREATE INDEX episode_patient ON episode(patient_id);

CREATE TABLE episode_diagnosis (
    episode_id TEXT NOT NULL REFERENCES episode(id),
    position   INTEGER NOT NULL CHECK (position BETWEEN 1 AND 12),
    icd10      TEXT NOT NULL,
    PRIMARY KEY (episode_id, position)
) STRICT;

CREATE TABLE authorization (
    id          TEXT PRIMARY KEY,
    episode_id  TEXT NOT NULL REFERENCES episode(id),
    visits      INTEGER CHECK (visits > 0),
    units       INTEGER CHECK (units > 0),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL CHECK (valid_to >= valid_from),
    reference   TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX authorization_episode ON authorization(episode_id);

CREATE TABLE plan_of_care (
    id                  TEXT PRIMARY KEY,
    episode_id          TEXT NOT NULL REFERENCES episode(id),
    cert_start          TEXT NOT NULL,
    cert_end            TEXT NOT NULL,
    frequency_per_week  INTEGER NOT NULL CHECK (frequency_per_week BETWEEN 1 AND 14),
    duration_weeks      INTEGER NOT NULL CHECK (duration_weeks BETWEEN 1 AND 52),
    physician_signed_on TEXT,
    signature_method    TEXT CHECK (signature_method IN ('signed', 'verbal')),
    recertifies         TEXT REFERENCES plan_of_care(id),
    created_at          TEXT NOT NULL,
    -- A certification interval is 90 calendar days or less (Pub 100-02 Ch.15 §220.1.3).
    CHECK (julianday(cert_end) - julianday(cert_start) BETWEEN 0 AND 89),
    CHECK ((physician_signed_on IS NULL) = (signature_method IS NULL))
) STRICT;
CREATE INDEX plan_of_care_episode ON plan_of_care(episode_id);

CREATE TABLE goal (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES plan_of_care(id),
    term        TEXT NOT NULL CHECK (term IN ('short', 'long')),
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    target_date TEXT
) STRICT;
CREATE INDEX goal_plan ON goal(plan_id);

CREATE TABLE appointment (
    id           TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL REFERENCES patient(id),
    episode_id   TEXT REFERENCES episode(id),
    therapist_id TEXT NOT NULL REFERENCES user(id),
    starts_at    TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    status       TEXT NOT NULL CHECK (status IN ('scheduled', 'arrived', 'no_show', 'cancelled')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX appointment_day ON appointment(starts_at);

CREATE TABLE note (
    id                      TEXT PRIMARY KEY,
    episode_id              TEXT NOT NULL REFERENCES episode(id),
    kind                    TEXT NOT NULL CHECK (kind IN ('eval', 'daily', 'progress', 'reeval', 'discharge')),
    date_of_service         TEXT NOT NULL,
    author_id               TEXT NOT NULL REFERENCES user(id),
    appointment_id          TEXT REFERENCES appointment(id),
    subjective              TEXT NOT NULL DEFAULT '',
    objective               TEXT NOT NULL DEFAULT '',
    assessment              TEXT NOT NULL DEFAULT '',
    plan                    TEXT NOT NULL DEFAULT '',
    eval_complexity         TEXT CHECK (eval_complexity IN ('low', 'moderate', 'high')),
    total_treatment_minutes INTEGER CHECK (total_treatment_minutes BETWEEN 0 AND 1440),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    -- Set once, when signed; never changed after (see the triggers below).
    signed_by               TEXT REFERENCES user(id),
    signed_at               TEXT,
    content_hash            TEXT,
    cosign_required         INTEGER NOT NULL DEFAULT 0 CHECK (cosign_required IN (0, 1)),
    cosigned_by             TEXT REFERENCES user(id),
    cosigned_at             TEXT,
    CHECK ((signed_at IS NULL) = (content_hash IS NULL) AND (signed_at IS NULL) = (signed_by IS NULL)),
    CHECK ((cosigned_at IS NULL) = (cosigned_by IS NULL)),
    CHECK (cosigned_at IS NULL OR (signed_at IS NOT NULL AND cosign_required = 1))
) STRICT;
CREATE INDEX note_episode ON note(episode_id, date_of_service);
CREATE INDEX note_appointment ON note(appointment_id) WHERE appointment_id IS NOT NULL;

CREATE TABLE note_service (
    note_id     TEXT NOT NULL REFERENCES note(id),
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
    pta_minutes INTEGER NOT NULL CHECK (pta_minutes BETWEEN 0 AND minutes),
    PRIMARY KEY (note_id, position)
) STRICT;

CREATE TABLE flowsheet_row (
    note_id     TEXT NOT NULL REFERENCES note(id),
    position    INTEGER NOT NULL,
    exercise    TEXT NOT NULL CHECK (length(trim(exercise)) > 0),
    sets        INTEGER CHECK (sets BETWEEN 0 AND 100),
    reps        INTEGER CHECK (reps BETWEEN 0 AND 1000),
    load        TEXT,
    carried     INTEGER NOT NULL DEFAULT 0 CHECK (carried IN (0, 1)),
    PRIMARY KEY (note_id, position)
) STRICT;

CREATE TABLE charge_line (
    note_id       TEXT NOT NULL REFERENCES note(id),
    position      INTEGER NOT NULL,
    code          TEXT NOT NULL,
    units         INTEGER NOT NULL CHECK (units > 0),
    modifiers     TEXT NOT NULL,
    minutes       INTEGER NOT NULL,
    allowed_cents INTEGER,
    explanation   TEXT NOT NULL,
    PRIMARY KEY (note_id, position)
) STRICT;

CREATE TABLE addendum (
    id           TEXT PRIMARY KEY,
    note_id      TEXT NOT NULL REFERENCES note(id),
    author_id    TEXT NOT NULL REFERENCES user(id),
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    signed_at    TEXT NOT NULL,
    content_hash TEXT NOT NULL
) STRICT;
CREATE INDEX addendum_note ON addendum(note_id);

CREATE TABLE measure_result (
    id              TEXT PRIMARY KEY,
    episode_id      TEXT NOT NULL REFERENCES episode(id),
    note_id         TEXT REFERENCES note(id),
    measure_id      TEXT NOT NULL,
    measure_version TEXT NOT NULL,
    administered_on TEXT NOT NULL,
    answers         TEXT NOT NULL,
    score           TEXT,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX measure_result_episode ON measure_result(episode_id, measure_id, administered_on);

-- Append-only, hash-chained audit trail. `hash` = SHA-256 over the previous hash and
-- this row's fields; `stride audit verify` recomputes the chain.
CREATE TABLE audit_event (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   TEXT,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail    TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

-- Intent-level sync operations, numbered by a contiguous per-device sequence.
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY,
    op_id      TEXT NOT NULL,
    op_type    TEXT NOT NULL,
    op_version INTEGER NOT NULL,
    entity_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acked_at   TEXT
) STRICT;

-- Signed notes are immutable. Only the one-time co-signature may be added.
CREATE TRIGGER note_signed_no_update BEFORE UPDATE ON note
WHEN OLD.signed_at IS NOT NULL AND (
       NEW.id IS NOT OLD.id OR NEW.episode_id IS NOT OLD.episode_id OR NEW.kind IS NOT OLD.kind
    OR NEW.date_of_service IS NOT OLD.date_of_service OR NEW.author_id IS NOT OLD.author_id
    OR NEW.appointment_id IS NOT OLD.appointment_id
    OR NEW.subjective IS NOT OLD.subjective OR NEW.objective IS NOT OLD.objective
    OR NEW.assessment IS NOT OLD.assessment OR NEW.plan IS NOT OLD.plan
    OR NEW.eval_complexity IS NOT OLD.eval_complexity
    OR NEW.total_treatment_minutes IS NOT OLD.total_treatment_minutes
    OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at
    OR NEW.signed_by IS NOT OLD.signed_by OR NEW.signed_at IS NOT OLD.signed_at
    OR NEW.content_hash IS NOT OLD.content_hash OR NEW.cosign_required IS NOT OLD.cosign_required
    OR (OLD.cosigned_at IS NOT NULL
        AND (NEW.cosigned_at IS NOT OLD.cosigned_at OR NEW.cosigned_by IS NOT OLD.cosigned_by))
)
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;

CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: it cannot be deleted');
END;

CREATE TRIGGER note_service_signed_no_insert BEFORE INSERT ON note_service
WHEN (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER note_service_signed_no_update BEFORE UPDATE ON note_service
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
  OR (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER note_service_signed_no_delete BEFORE DELETE ON note_service
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;

CREATE TRIGGER flowsheet_signed_no_insert BEFORE INSERT ON flowsheet_row
WHEN (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER flowsheet_signed_no_update BEFORE UPDATE ON flowsheet_row
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
  OR (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER flowsheet_signed_no_delete BEFORE DELETE ON flowsheet_row
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;

CREATE TRIGGER charge_line_signed_no_insert BEFORE INSERT ON charge_line
WHEN (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: its charges are fixed');
END;
CREATE TRIGGER charge_line_signed_no_update BEFORE UPDATE ON charge_line
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
  OR (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: its charges are fixed');
END;
CREATE TRIGGER charge_line_signed_no_delete BEFORE DELETE ON charge_line
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: its charges are fixed');
END;

CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum
BEGIN
    SELECT RAISE(ABORT, 'a signed addendum is immutable');
END;
CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum
BEGIN
    SELECT RAISE(ABORT, 'a signed addendum is immutable');
END;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
