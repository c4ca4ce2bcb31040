-- The service's database roles, made once by a database administrator (a superuser, or a role with CREATEROLE and
-- CREATEDB), as psql runs it:
--   psql -v database=croydon_audit -v owner_password=... -v service_password=... -f deploy/database-roles.sql
-- croydon_audit_owner owns the database and its tables and runs the migrations (ConnectionStrings__AuditOwner);
-- croydon_audit, the service's own login (ConnectionStrings__Audit), is a member of croydon_audit_runtime only,
-- which the migrations grant exactly what the service uses. Safe to run again: nothing that exists is changed but
-- the ownership of the database's objects, handed to the owner (for a database made before these roles).
\set ON_ERROR_STOP on
SELECT 'CREATE ROLE croydon_audit_runtime NOLOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'croydon_audit_runtime') \gexec
SELECT format('CREATE ROLE croydon_audit_owner LOGIN PASSWORD %L', nullif(:'owner_password', ''))
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'croydon_audit_owner') \gexec
SELECT format('CREATE ROLE croydon_audit LOGIN PASSWORD %L IN ROLE croydon_audit_runtime', nullif(:'service_password', ''))
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'croydon_audit') \gexec
SELECT format('CREATE DATABASE %I OWNER croydon_audit_owner', :'database')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('ALTER DATABASE %I OWNER TO croydon_audit_owner', :'database') \gexec

\connect :database
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relowner <> 'croydon_audit_owner'::regrole
               AND (c.relkind IN ('r', 'p', 'v', 'm')
                    OR (c.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO croydon_audit_owner', CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.name);
    END LOOP;
    FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proowner <> 'croydon_audit_owner'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO croydon_audit_owner', o.name);
    END LOOP;
END
$$;
