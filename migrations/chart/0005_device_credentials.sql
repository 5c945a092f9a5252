-- Stride chart store, version 5: what this device alone knows about its people.
--
-- Staff password hashes no longer travel between devices: a clinic server publishes its
-- users with the locked mark '!' instead of a hash. A person signs in offline with the
-- verifier this device made (Argon2id, its own salt) when they last signed in to the
-- clinic server here, and unlocks the screen with a PIN set on this device. Neither
-- syncs, so a stolen laptop holds only the verifiers of the people who used it.
-- (user_id names a user that may not have synced here yet: no foreign key.)
CREATE TABLE device_credential (
    user_id           TEXT PRIMARY KEY,
    password_verifier TEXT,
    pin_hash          TEXT
) STRICT;

-- PINs move here from the user table (whose pin_hash stays, always NULL, because older
-- clinic servers still send the column).
INSERT INTO device_credential (user_id, pin_hash) SELECT id, pin_hash FROM user WHERE pin_hash IS NOT NULL;
UPDATE user SET pin_hash = NULL;

-- A linked chart forgets the staff hashes older servers sent. The people who signed in to
-- the server on this device keep theirs as this device's verifier; the others sign in to
-- the server on it once.
INSERT INTO device_credential (user_id, password_verifier)
    SELECT u.id, u.password_hash FROM user u WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync_token:' || u.id)
    ON CONFLICT (user_id) DO UPDATE SET password_verifier = excluded.password_verifier;
UPDATE user SET password_hash = '!' WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync_server_url');
