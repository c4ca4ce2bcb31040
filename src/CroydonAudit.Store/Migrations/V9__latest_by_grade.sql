-- evolve-tx-off
-- ListAudits by overall grade. See V7.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_latest_by_grade
    ON audit_revision (overall_grade, graded_at DESC, audit_id DESC) WHERE is_latest;
