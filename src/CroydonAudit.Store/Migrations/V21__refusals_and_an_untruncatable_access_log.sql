-- Every refusal is a security event in the access log: action 'refused' with its reason (authentication failed,
-- role, team, not found, rate limited, bad query), for a monitoring system to alert on. Earlier refusals stay 'denied'.
ALTER TABLE access_record DROP CONSTRAINT access_record_action_check;
ALTER TABLE access_record ADD CONSTRAINT access_record_action_check
    CHECK (action IN ('read', 'write', 'denied', 'deleted', 'refused'));
ALTER TABLE access_record ADD COLUMN reason text;

-- UPDATE and DELETE were refused by the row-level trigger; TRUNCATE bypasses such triggers, so it has its own.
CREATE TRIGGER access_record_never_truncated BEFORE TRUNCATE ON access_record
    FOR EACH STATEMENT EXECUTE FUNCTION access_record_is_append_only();
