-- The service runs as a role granted only what it uses: croydon_audit_runtime, a group role its login user is a
-- member of. Migrations run as the tables' owner (ConnectionStrings__AuditOwner), the service never does.
-- Created here when missing, where the owner may create roles (a developer's cluster, the tests'); deployments
-- create it beforehand (scripts/postgres.sh, compose.yaml, deploy/kubernetes).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'croydon_audit_runtime') THEN
        CREATE ROLE croydon_audit_runtime NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database of the cluster created it meanwhile
END
$$;

GRANT USAGE ON SCHEMA public TO croydon_audit_runtime;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO croydon_audit_runtime;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO croydon_audit_runtime;
-- Tables of later migrations, made by the owner, are granted alike.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO croydon_audit_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO croydon_audit_runtime;
-- The migrations' own record is the owner's alone; the access log is read and appended to, never changed.
REVOKE ALL ON schema_history FROM croydon_audit_runtime;
REVOKE UPDATE ON access_record FROM croydon_audit_runtime;

-- Retention deletes nothing but through this function, which runs as the owner: revisions received more than
-- `years` (at least one) before now, a batch at a time, each deletion recorded in the access log.
CREATE FUNCTION delete_expired_revisions(years integer, batch integer, why text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    deleted integer;
BEGIN
    IF years IS NULL OR years < 1 OR batch IS NULL OR batch < 1 THEN
        RAISE EXCEPTION 'retention keeps audits for at least a year, in batches of at least one';
    END IF;
    WITH old AS (
        SELECT id FROM audit_revision WHERE received_at < now() - make_interval(years => years)
        ORDER BY received_at LIMIT batch FOR UPDATE SKIP LOCKED),
    trace AS (
        DELETE FROM rule_trace WHERE revision_id IN (SELECT id FROM old)),
    gone AS (
        DELETE FROM audit_revision WHERE id IN (SELECT id FROM old) RETURNING audit_id, revision),
    figures AS (
        DELETE FROM audit_figures AS f USING gone AS g WHERE f.audit_id = g.audit_id AND f.revision = g.revision
        RETURNING f.month),
    left_month AS (
        INSERT INTO report_month_version AS v (month, version)
        SELECT DISTINCT month, 1 FROM figures ORDER BY 1
        ON CONFLICT (month) DO UPDATE SET version = v.version + 1),
    recorded AS (
        INSERT INTO access_record (subject, client, roles, method, action, audit_id, revision, query)
        SELECT 'retention', '', '{}', 'retention job', 'deleted', audit_id, revision, why FROM gone
        RETURNING 1)
    SELECT count(*) INTO deleted FROM recorded;
    RETURN deleted;
END
$$;
REVOKE ALL ON FUNCTION delete_expired_revisions(integer, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION delete_expired_revisions(integer, integer, text) TO croydon_audit_runtime;
