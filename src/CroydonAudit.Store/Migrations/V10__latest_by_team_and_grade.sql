-- evolve-tx-off
-- ListAudits by team and grade together (a team's Inadequate audits): neither index alone finds a rare grade
-- within a large team without walking past the rest. See V7.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_latest_by_team_and_grade
    ON audit_revision (team, overall_grade, graded_at DESC, audit_id DESC) WHERE is_latest;
