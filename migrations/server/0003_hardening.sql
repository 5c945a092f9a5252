-- Version 3: a server no user can subvert.

-- A device id is not a credential: a device gets a secret when it registers, and only the
-- installation holding it may sign in as that device again. (Devices registered before
-- this version adopt one at their next sign-in.)
ALTER TABLE device ADD COLUMN secret_hash bytea;
-- A chart restored from its own backup registers as a new device (the old one's
-- sequence numbers are spent); proving it held the old device's secret makes the new
-- device its successor, so the people who signed in on the old one may appear in the
-- audit trail it pushes again.
ALTER TABLE device ADD COLUMN predecessor uuid REFERENCES device(id);

-- Sign-in attempts are counted per account and per source, atomically: an attempt is
-- recorded as failed before its password is checked, and marked succeeded after.
ALTER TABLE login_attempt ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE login_attempt ADD COLUMN source text NOT NULL DEFAULT '';
CREATE INDEX login_attempt_source ON login_attempt (source, at);
CREATE INDEX login_attempt_at ON login_attempt (at);

-- What administrators did to people and devices, from the server's command line.
-- Append-only, like the other trails.
CREATE TABLE admin_audit (
    seq       bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    clinic_id uuid NOT NULL REFERENCES clinic(id),
    action    text NOT NULL,
    subject   text NOT NULL,
    detail    text
);
CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Uniqueness the code relies on, so that no race can make duplicates: one MRN per
-- patient and one control number per claim in a clinic.
CREATE UNIQUE INDEX record_patient_mrn_unique ON record (clinic_id, (image->>'mrn')) WHERE entity = 'patient';
CREATE UNIQUE INDEX record_claim_control_unique ON record (clinic_id, (image->>'control_number')) WHERE entity = 'claim';
DROP INDEX record_patient_mrn;
DROP INDEX record_claim_control;

-- Staff password hashes no longer travel to devices: users' current versions lose theirs
-- (older versions in the append-only feed are stripped as they are sent).
UPDATE record SET image = jsonb_set(image - 'pin_hash', '{password_hash}', '"!"') WHERE entity = 'user';

-- The feed's epoch: changed whenever the database is restored from a backup (by
-- `stride-server restored`, or when the server finds itself on another PostgreSQL
-- cluster or timeline), so that devices take a fresh snapshot instead of trusting
-- positions the restored feed hands out again.
ALTER TABLE clinic_seq ADD COLUMN epoch uuid NOT NULL DEFAULT gen_random_uuid();
CREATE TABLE server_identity (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    cluster    text NOT NULL
);
