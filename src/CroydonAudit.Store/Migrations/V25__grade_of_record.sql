-- The grade of record beside the rules' grade: the last moderator's decision on a revision, where there is one (null:
-- none, and the rules' grade stands). Kept on the revision, for lists that show and filter on it, and on the report's
-- figures, which count it. A decision, or one carried to a re-graded revision, sets both.
ALTER TABLE audit_revision ADD COLUMN final_grade smallint;
ALTER TABLE audit_figures ADD COLUMN final_grade smallint;

WITH latest AS (
    SELECT DISTINCT ON (audit_id, revision) audit_id, revision, final_grade
    FROM moderation_decision ORDER BY audit_id, revision, id DESC
)
UPDATE audit_revision AS r SET final_grade = l.final_grade FROM latest AS l WHERE r.audit_id = l.audit_id AND r.revision = l.revision;

UPDATE audit_figures AS f SET final_grade = r.final_grade
FROM audit_revision AS r WHERE r.audit_id = f.audit_id AND r.revision = f.revision AND r.final_grade IS NOT NULL;

-- Lists filter latest revisions on the grade of record as on the rules' grade (V9, V10), by indexes of their own.
CREATE INDEX audit_revision_latest_by_grade_of_record
    ON audit_revision ((coalesce(final_grade, overall_grade)), graded_at DESC, audit_id DESC) WHERE is_latest;
CREATE INDEX audit_revision_latest_by_team_and_grade_of_record
    ON audit_revision (team, (coalesce(final_grade, overall_grade)), graded_at DESC, audit_id DESC) WHERE is_latest;

-- Months kept before counted no grade of record: they are worked out again.
DELETE FROM report_month;
