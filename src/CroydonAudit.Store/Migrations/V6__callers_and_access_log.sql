-- Who stored each revision: the authenticated caller (the token's subject and client), beside the auditor_id
-- the caller asserted in the submission. Revisions stored before identity existed have neither (empty).
ALTER TABLE audit_revision
    ADD COLUMN caller_subject text NOT NULL DEFAULT '',
    ADD COLUMN caller_client  text NOT NULL DEFAULT '';

-- Every read of an audit's content and every write, for information governance: who (subject, client and
-- roles), what (the audit and revision, or the query), when, and through what. Identifiers only: never an
-- audit's free text. Append-only: rows are never changed or deleted.
CREATE TABLE access_record (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    subject   text        NOT NULL,
    client    text        NOT NULL,
    roles     text[]      NOT NULL,
    method    text        NOT NULL,
    action    text        NOT NULL CHECK (action IN ('read', 'write', 'denied', 'deleted')),
    audit_id  text COLLATE "C",
    revision  integer,
    query     text
);

-- Newest first is by id (the primary key); a review asks by audit or by person.
CREATE INDEX access_record_by_audit ON access_record (audit_id, at DESC) WHERE audit_id IS NOT NULL;
CREATE INDEX access_record_by_subject ON access_record (subject, at DESC);

CREATE FUNCTION access_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_record is append-only: its rows are never changed or deleted';
END
$$;

CREATE TRIGGER access_record_append_only BEFORE UPDATE OR DELETE ON access_record
    FOR EACH STATEMENT EXECUTE FUNCTION access_record_is_append_only();
