-- evolve-tx-off
-- ListAudits of incomplete audits (status 2, those with errors to put right), by index (see V7 on CONCURRENTLY).
-- Without it, a listing of incomplete audits walked the index by time through every complete one: behind 700,000
-- newer complete audits, 2.9 s for a page. Only incomplete latest revisions are in it, a few in a hundred, so it
-- costs the writes of complete audits nothing. A listing of complete audits walks by time (most audits are).
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_latest_incomplete
    ON audit_revision (graded_at DESC, audit_id DESC) WHERE is_latest AND status = 2;
