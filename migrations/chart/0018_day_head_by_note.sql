-- Stride chart store, version 18: a day's head found from its note. `day_line` joins each
-- signed note to the head that names it; a reader that starts from an episode's notes (what
-- an authorization has used, read for every alert, banner and claim of an authorized
-- patient) then looked for the head by note with no index, reading every head in the
-- chart once per charge line: 3.5 s for 20 visits in a clinic of a million visits.
CREATE INDEX day_head_note ON day_head (note_id);
