-- evolve-tx-off
-- The moderation queue: latest revisions that need moderation and have none yet, oldest graded first (see V7
-- on CONCURRENTLY). Only those revisions are in it: it stays as small as the queue, and costs the writes of
-- every other revision nothing.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_revision_moderation_queue
    ON audit_revision (graded_at, audit_id) WHERE is_latest AND moderation_required AND moderated_at IS NULL;
