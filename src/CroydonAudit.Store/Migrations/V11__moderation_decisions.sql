-- Moderators' decisions (ReportService.RecordModerationDecision): on one revision of an audit, agreed (the
-- rule-derived grade stands) or grade_changed (a final grade, with a written reason), by whom and when. Every
-- decision is kept; the latest on a revision is the one that stands. The reason is the moderator's own words:
-- audit content, like the submission, never copied into the access log or the logs.
CREATE TABLE moderation_decision (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id           text COLLATE "C" NOT NULL,
    revision           integer     NOT NULL,
    outcome            text        NOT NULL CHECK (outcome IN ('agreed', 'grade_changed')),
    final_grade        smallint    NOT NULL,
    reason             text        NOT NULL,
    decided_by_subject text        NOT NULL,
    decided_by_client  text        NOT NULL,
    decided_at         timestamptz NOT NULL DEFAULT now(),
    -- Retention deletes a revision with its decisions.
    FOREIGN KEY (audit_id, revision) REFERENCES audit_revision (audit_id, revision) ON DELETE CASCADE
);

CREATE INDEX moderation_decision_by_revision ON moderation_decision (audit_id, revision, id);

-- When a revision was first moderated: it has then left the moderation queue (V12). Null for the rest; a
-- nullable column without a default, so existing rows are not rewritten.
ALTER TABLE audit_revision ADD COLUMN moderated_at timestamptz;
