-- Stride chart store, version 8: clinicians who bill in their own name.

-- A clinician in the clinic who bills their own patients in their own name (an
-- independent therapist renting a room, say) under their Type 1 NPI and this employer
-- identification number: their claims go out with them as the billing provider. Null for
-- staff the clinic bills for.
ALTER TABLE user ADD COLUMN own_tax_id TEXT CHECK (own_tax_id GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
