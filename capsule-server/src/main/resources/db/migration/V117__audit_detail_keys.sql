-- Issue #17, retention (docs/retention.md, "Audit details about a person"): personal details in audit entries (the
-- client address of an operator's sign-in, step-up, account change, denial or reveal) are sealed, from this version
-- on, under a data-subject key per operator and month (audit.internal.PersonalDetails), so that the purge
-- audit.detail-keys can destroy the keys of months older than capsule.retention.audit-details (default P1Y) while the
-- log's entries, and so its proofs, stay as they are.
--
-- audit_detail_keys: one row per month key in use.
--   detail_key  the data-subject key's id (keys_subject_keys.subject): a name-based UUID of the operator and the month,
--               the value an entry's sealed.subject names
--   operator_id the operator (access.OperatorId) whose details the key seals: staff, not an end user, whose accounts are
--               disabled rather than erased (docs/operators.md); the privacy module's holders cover end users only
--   month       the first day of the month (UTC) the details were sealed in
-- Written with the entry that first uses the key, in the same statement that queues it (INSERT ... ON CONFLICT DO
-- NOTHING); deleted by the purge, which destroys the key in the same transaction. Details sealed before this version
-- stay under the operator's own key and have no row here. One row per operator and month: small without an index.
CREATE TABLE audit_detail_keys (
    detail_key  uuid PRIMARY KEY,
    operator_id uuid NOT NULL,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    UNIQUE (operator_id, month)
);
