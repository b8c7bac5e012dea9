-- Issue #17, data-subject requests (docs/privacy.md): a person's export and erasure find their payments and saved cards
-- by payer; without these indexes each request scanned both tables whole.
CREATE INDEX payments_intent_by_payer ON payments_intent (payer_id) WHERE payer_id IS NOT NULL;
CREATE INDEX payments_card_by_payer ON payments_card (payer);
