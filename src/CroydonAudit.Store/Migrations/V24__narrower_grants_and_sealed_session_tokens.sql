-- The service updates only the rows it must: its revisions (latest, moderated, checked), the report's figures and
-- months, and page sessions. Rule sets, their history and approvals, traces and moderators' decisions are written
-- once; a later migration grants UPDATE on a new table by name if the service must change its rows.
REVOKE UPDATE ON rule_set, rule_set_activation, rule_set_approval, rule_set_file, rule_set_proposal, rule_set_refusal,
    rule_set_rule, rule_trace, moderation_decision FROM croydon_audit_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE UPDATE ON TABLES FROM croydon_audit_runtime;

-- A page session's token is kept sealed with a key derived from the session id, which only the browser's cookie
-- holds: whoever reads the table (the service's own role, a backup) cannot use the tokens. Sessions made before
-- held them in the clear: they end, and their people sign in again.
DELETE FROM page_session;
ALTER TABLE page_session DROP COLUMN token, ADD COLUMN sealed_token bytea NOT NULL;
