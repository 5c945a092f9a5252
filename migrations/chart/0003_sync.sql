-- Stride chart store, version 3: what the sync worker needs on a chart linked to a
-- clinic server. A chart that never links keeps these tables empty.

-- Finding a record's not-yet-acknowledged ops (a pulled change never overwrites them).
CREATE INDEX outbox_entity ON outbox(entity_id, device_seq);

-- The outcome the server recorded for each pushed op.
ALTER TABLE outbox ADD COLUMN outcome TEXT
    CHECK (outcome IN ('applied', 'duplicate', 'conflict', 'rejected'));
ALTER TABLE outbox ADD COLUMN outcome_reason TEXT;
-- Counting refused ops for the status bar without reading the whole outbox.
CREATE INDEX outbox_refused ON outbox(device_seq) WHERE outcome = 'rejected';

-- Per record: the server sequence of the version last pulled, and the local op (if any)
-- written on top of it since. Together they tell the server what an op was based on.
CREATE TABLE sync_entity (
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    base_seq    INTEGER NOT NULL DEFAULT 0,
    last_op_seq INTEGER,
    PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

-- What sync could not settle on its own, as the server recorded it: overlapping edits
-- (both values kept), revisions a signature did not include, and refused ops. A person
-- resolves each one; nothing here is ever deleted.
CREATE TABLE sync_issue (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('conflict', 'unincorporated', 'rejected')),
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT,
    kept        TEXT,
    other       TEXT,
    device_id   TEXT NOT NULL,
    user_id     TEXT,
    op_id       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT
) STRICT;
CREATE INDEX sync_issue_open ON sync_issue(entity_id) WHERE resolved_at IS NULL;
