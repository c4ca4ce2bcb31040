-- One row per stored revision of an audit. The submission is kept as sent (pseudonymous ids only),
-- the result without its trace; the trace is one row per rule, in evaluation order. Both documents are
-- json, stored as written and compressed with lz4: the service never queries inside them, and parsing
-- each ~4 KB document to jsonb and compressing it with pglz was most of the database's work per audit.
CREATE SEQUENCE audit_revision_id_seq AS bigint;

CREATE TABLE audit_revision (
    id                  bigint      NOT NULL,  -- a compact key for the trace rows, from the sequence
    audit_id            text        NOT NULL,
    revision            integer     NOT NULL CHECK (revision >= 1),
    is_latest           boolean     NOT NULL,
    content_hash        bytea       NOT NULL,
    case_reference      text        NOT NULL,
    auditor_id          text        NOT NULL,
    team                text        NOT NULL,
    overall_grade       smallint    NOT NULL,
    status              smallint    NOT NULL,
    moderation_required boolean     NOT NULL,
    rule_set_version    text        NOT NULL,
    received_at         timestamptz NOT NULL,
    graded_at           timestamptz NOT NULL,
    submission          json        NOT NULL,
    result              json        NOT NULL,
    PRIMARY KEY (audit_id, revision),
    -- GradeAudit is idempotent on audit id + content: the same content is never stored twice.
    UNIQUE (audit_id, content_hash)
);

ALTER TABLE audit_revision ALTER COLUMN submission SET COMPRESSION lz4, ALTER COLUMN result SET COMPRESSION lz4;

-- At most one latest revision per audit.
CREATE UNIQUE INDEX audit_revision_one_latest ON audit_revision (audit_id) WHERE is_latest;

-- ListAudits: latest revisions, newest first, keyset on (graded_at, audit_id). Team, auditor and grade
-- filters read along this index too: every index is paid for on each of thousands of inserts a second,
-- and at Croydon's volumes a filtered walk of the latest revisions is quick. Add (team, graded_at DESC,
-- audit_id DESC) WHERE is_latest, as a new migration, if listings by team ever become slow.
CREATE INDEX audit_revision_latest_by_time ON audit_revision (graded_at DESC, audit_id DESC) WHERE is_latest;

-- The rules of each rule set version, stored once: which rule sat at which position, in which workflow,
-- from which part of the guidance. Trace rows name their rule by position.
CREATE TABLE rule_set_rule (
    rule_set_version text     NOT NULL,
    position         smallint NOT NULL,
    workflow         text     NOT NULL,
    rule_id          text     NOT NULL,
    guidance_ref     text     NOT NULL,
    PRIMARY KEY (rule_set_version, position)
);

-- One row per rule evaluated for a revision, in evaluation order, keyed by the revision's compact id.
-- Written only in the same transaction as its revision, so no foreign key is checked per row: at
-- thousands of audits a second, 35 rows each, that check would be a large part of the cost.
CREATE TABLE rule_trace (
    revision_id bigint   NOT NULL,
    position    smallint NOT NULL,
    fired       boolean  NOT NULL,
    effect      text     NOT NULL,
    explanation text     NOT NULL,
    error       text     NOT NULL,
    PRIMARY KEY (revision_id, position)
);
