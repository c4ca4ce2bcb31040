-- evolve-tx-off
-- ListAudits by auditor (and by auditor within a team: an auditor's audits are few). See V7.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_latest_by_auditor
    ON audit_revision (auditor_id, graded_at DESC, audit_id DESC) WHERE is_latest;
