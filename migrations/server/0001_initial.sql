-- Stride clinic server, version 1. Every row belongs to one clinic; every query names it.
-- Never edit a shipped migration: add a new one.

CREATE TABLE clinic (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(btrim(name)) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The clinic's feed sequencer. Writers take this row's lock as the last step of their
-- transaction, so feed positions are handed out in commit order (a reader never sees
-- position N+1 before N commits).
CREATE TABLE clinic_seq (
    clinic_id uuid PRIMARY KEY REFERENCES clinic(id),
    value     bigint NOT NULL DEFAULT 0
);

CREATE TABLE app_user (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinic(id),
    name          text NOT NULL CHECK (length(btrim(name)) > 0),
    password_hash text NOT NULL,
    roles         text[] NOT NULL CHECK (roles <@ ARRAY['pt', 'pta', 'frontdesk', 'biller', 'admin']),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Names sign people in, so they are unique on the server, whatever the case.
CREATE UNIQUE INDEX app_user_name ON app_user (lower(name));

CREATE TABLE device (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinic(id),
    user_id       uuid NOT NULL REFERENCES app_user(id),
    name          text NOT NULL,
    -- A short number, unique in the clinic: it prefixes the MRNs the device makes up, so
    -- that devices registering patients offline never hand out the same MRN.
    number        integer NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    -- The last op sequence processed from this device.
    last_seq      bigint NOT NULL DEFAULT 0,
    -- The head of the device's verified audit chain.
    audit_seq     bigint NOT NULL DEFAULT 0,
    audit_hash    text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    UNIQUE (clinic_id, number)
);

-- Tokens are random; only their SHA-256 is stored.
CREATE TABLE device_token (
    token_hash bytea PRIMARY KEY,
    device_id  uuid NOT NULL REFERENCES device(id),
    user_id    uuid NOT NULL REFERENCES app_user(id),
    clinic_id  uuid NOT NULL REFERENCES clinic(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX device_token_device ON device_token (device_id);

-- Sign-in attempts, for rate limiting (kept in the database so that every server
-- instance sees the same count).
CREATE TABLE login_attempt (
    name_key  text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    succeeded boolean NOT NULL
);
CREATE INDEX login_attempt_name ON login_attempt (name_key, at);

-- Every op ever received, whatever became of it. Append-only.
CREATE TABLE op_archive (
    op_id        uuid PRIMARY KEY,
    clinic_id    uuid NOT NULL REFERENCES clinic(id),
    device_id    uuid NOT NULL REFERENCES device(id),
    device_seq   bigint NOT NULL,
    op_type      text NOT NULL,
    op_version   integer NOT NULL,
    entity_id    text NOT NULL,
    payload      jsonb NOT NULL,
    payload_hash bytea NOT NULL,
    created_at   text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    outcome      text NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
    reason       text,
    UNIQUE (device_id, device_seq)
);

-- Records at their current version, for snapshots.
CREATE TABLE record (
    clinic_id   uuid NOT NULL REFERENCES clinic(id),
    entity      text NOT NULL,
    id          text NOT NULL,
    image       jsonb NOT NULL,
    server_seq  bigint NOT NULL,
    rank        integer NOT NULL,
    created_seq bigint NOT NULL,
    PRIMARY KEY (clinic_id, entity, id)
);
CREATE INDEX record_snapshot ON record (clinic_id, rank, created_seq);
CREATE INDEX record_patient_mrn ON record (clinic_id, (image->>'mrn')) WHERE entity = 'patient';

-- Every record version, in commit order: the feed devices pull. Append-only.
CREATE TABLE change_log (
    clinic_id  uuid NOT NULL REFERENCES clinic(id),
    server_seq bigint NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    image      jsonb NOT NULL,
    op_id      uuid,
    PRIMARY KEY (clinic_id, server_seq)
);
CREATE INDEX change_log_record ON change_log (clinic_id, entity, entity_id, server_seq);

-- Each device's audit chain, verified link by link as it arrives. Append-only.
CREATE TABLE device_audit (
    device_id uuid NOT NULL REFERENCES device(id),
    seq       bigint NOT NULL,
    at        text NOT NULL,
    user_id   text,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    detail    text,
    prev_hash text NOT NULL,
    hash      text NOT NULL,
    PRIMARY KEY (device_id, seq)
);

-- Append-only tables refuse change, whoever asks.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER op_archive_append_only BEFORE UPDATE OR DELETE ON op_archive
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER device_audit_append_only BEFORE UPDATE OR DELETE ON device_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- A signed note is immutable: only its one-time co-signature may be added.
CREATE FUNCTION signed_note_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.entity = 'note' AND OLD.image->>'signed_at' IS NOT NULL THEN
            RAISE EXCEPTION 'signed note is immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.entity = 'note' AND OLD.image->>'signed_at' IS NOT NULL AND (
        (NEW.image - '{cosigned_by,cosigned_at}'::text[]) IS DISTINCT FROM (OLD.image - '{cosigned_by,cosigned_at}'::text[])
        OR (OLD.image->>'cosigned_at' IS NOT NULL AND NEW.image IS DISTINCT FROM OLD.image)
    ) THEN
        RAISE EXCEPTION 'signed note is immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER record_signed_note BEFORE UPDATE OR DELETE ON record
    FOR EACH ROW EXECUTE FUNCTION signed_note_immutable();
