-- Stride chart store, version 7: who a claim names and where a visit happened, as an
-- 837P needs them (005010X222A1).

-- The insured of a coverage. A child on a parent's plan, or a spouse on a partner's, is
-- covered as a dependant: the claim names the subscriber (loop 2000B) and the patient
-- (loop 2000C) apart. 'self' keeps the patient as the subscriber.
ALTER TABLE coverage ADD COLUMN relationship TEXT NOT NULL DEFAULT 'self'
    CHECK (relationship IN ('self', 'spouse', 'child', 'life_partner', 'other'));
ALTER TABLE coverage ADD COLUMN subscriber_first_name TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_last_name TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_dob TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_sex TEXT CHECK (subscriber_sex IN ('female', 'male', 'unknown'));
ALTER TABLE coverage ADD COLUMN subscriber_address TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_city TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_state TEXT;
ALTER TABLE coverage ADD COLUMN subscriber_zip TEXT;
-- When Medicare pays second, why another payer is primary (SBR05, Medicare Secondary
-- Payer type): 12 working aged, 13 ESRD, 14 no-fault, 15 workers' compensation, 16 black
-- lung, 41 and 42 and 43 disability, 47 liability.
ALTER TABLE coverage ADD COLUMN msp_type TEXT
    CHECK (msp_type IN ('12', '13', '14', '15', '16', '41', '42', '43', '47'));

-- A Qualified Medicare Beneficiary (dual eligible): Medicare cost sharing may never be
-- billed to the patient (Social Security Act §1902(n)(3)(B)).
ALTER TABLE patient ADD COLUMN qmb INTEGER NOT NULL DEFAULT 0 CHECK (qmb IN (0, 1));

-- A solo clinician billing in their own name under their Type 1 NPI: the claim's billing
-- provider is this clinician, and the rendering loop is left out.
ALTER TABLE clinic ADD COLUMN billing_clinician_id TEXT;

-- Where the visit happened, when not at the clinic's usual place (CMS place-of-service
-- codes: 02 and 10 telehealth, 11 office, 12 home). Part of the note, fixed once signed.
ALTER TABLE note ADD COLUMN place_of_service TEXT
    CHECK (place_of_service IN ('02', '10', '11', '12', '22', '31', '32', '33', '99'));

CREATE TRIGGER note_signed_place_of_service_fixed BEFORE UPDATE OF place_of_service ON note
WHEN OLD.signed_at IS NOT NULL AND NEW.place_of_service IS NOT OLD.place_of_service
BEGIN
    SELECT RAISE(ABORT, 'signed note is immutable: add an addendum instead');
END;

-- A claim line's place of service (its visit's), and for an unlisted code the description
-- of what was done (SV101-7), which the biller writes.
ALTER TABLE claim_line ADD COLUMN place_of_service TEXT;
ALTER TABLE claim_line ADD COLUMN description TEXT;

-- A claim the payer forwarded to the patient's next payer itself (a crossover: 835 CLP02
-- 19, or NM1*TT names the payer): no secondary claim is built, and the crossover payer's
-- own remittance for it posts to it.
ALTER TABLE claim ADD COLUMN forwarded_to TEXT;

-- A payment's provider-level adjustments (835 PLB), each with its reason, reference and
-- amount and the claim its reference names, if any: JSON [{reason, reference, cents,
-- claim_id}].
ALTER TABLE remittance ADD COLUMN provider_adjustments TEXT NOT NULL DEFAULT '[]';
