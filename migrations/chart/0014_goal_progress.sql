-- Stride chart store, version 14: goals with their progress.

-- A note may say where each goal of the episode's plan of care stands ("progressing",
-- "met", ...), as progress reports and discharge summaries must. The assessment is part of
-- the note: signed with it, and locked with it. A goal's status is the newest signed
-- assessment of it.
CREATE TABLE note_goal (
    note_id TEXT NOT NULL REFERENCES note(id),
    goal_id TEXT NOT NULL REFERENCES goal(id),
    status  TEXT NOT NULL CHECK (status IN ('progressing', 'partially_met', 'met', 'not_met', 'discontinued')),
    comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    PRIMARY KEY (note_id, goal_id)
) STRICT;
CREATE INDEX note_goal_goal ON note_goal(goal_id);

CREATE TRIGGER note_goal_signed_no_insert BEFORE INSERT ON note_goal
WHEN (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER note_goal_signed_no_update BEFORE UPDATE ON note_goal
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
  OR (SELECT signed_at FROM note WHERE id = NEW.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
CREATE TRIGGER note_goal_signed_no_delete BEFORE DELETE ON note_goal
WHEN (SELECT signed_at FROM note WHERE id = OLD.note_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;
