-- Version 2: billing. The server posts remittances itself: it finds claims by their
-- control number (CLM01 = CLP01), and refuses a payment (payer and trace number) it has
-- already posted.
CREATE INDEX record_claim_control ON record (clinic_id, (image->>'control_number')) WHERE entity = 'claim';
CREATE INDEX record_remittance_trace ON record (clinic_id, (image->>'payer_code'), (image->>'trace_number'))
    WHERE entity = 'remittance';
