-- A browser's sign-in, kept here rather than in its cookie: the cookie holds only a random session id, whose hash
-- is the key, so signing out (deleting the row) ends the session on every replica at once, and a session unused
-- for the idle timeout ends too. The token is what the pages call the contract with, as the signed-in person.
CREATE TABLE page_session (
    id_hash      bytea       PRIMARY KEY,
    token        text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX page_session_by_expiry ON page_session (expires_at);

-- Signing out deletes a session, and signing in deletes the ended ones: the only rows the service may delete.
GRANT DELETE ON page_session TO croydon_audit_runtime;
