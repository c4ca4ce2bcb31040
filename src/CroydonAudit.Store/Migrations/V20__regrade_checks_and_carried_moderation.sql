-- Re-grading changes only what changed. A latest revision whose grading under a newer rule set came out the same
-- (grades, findings, moderation need) is not stored again: it records the version it was checked under, and when.
-- Nullable columns without a default: existing rows are not rewritten.
ALTER TABLE audit_revision ADD COLUMN checked_rule_set_version text, ADD COLUMN checked_at timestamptz;

-- A re-graded revision whose moderation need and overall grade are unchanged keeps the decisions on the revision
-- before it: they are copied onto it, each saying which revision it was made on, so it does not go back into the
-- moderation queue and its page shows the decision that stands.
ALTER TABLE moderation_decision ADD COLUMN carried_from integer;
