-- evolve-tx-off
-- ListAudits by index for every filter it offers (V7 to V10): each is a walk of one index in the listing's own
-- order (newest first, keyset on graded_at and audit_id), however many revisions are stored and however few
-- are the team's. Built CONCURRENTLY, outside a transaction, so a running service keeps writing while a large
-- table is indexed; one index per migration, as PostgreSQL builds only one concurrently per statement. Should
-- a build fail part-way, PostgreSQL leaves an INVALID index of this name: drop it and start the service again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_latest_by_team
    ON audit_revision (team, graded_at DESC, audit_id DESC) WHERE is_latest;
