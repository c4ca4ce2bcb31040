-- A revision stored with its answer (V15) no longer keeps its submission and result as JSON documents too: the answer
-- holds both, and the service reads them back from it (re-grades, impact previews, the report's learning points). The
-- documents were three fifths of each row: about 2.2 KB of its 3.5 KB, compressed, and 5.5 KB for PostgreSQL to compress
-- on every insert. Revisions stored before keep theirs, and are read from them as before.
-- Dropping NOT NULL and adding a constraint NOT VALID rewrite and scan nothing, and hold their locks for a moment only.
-- Every row already holds its documents (both columns were NOT NULL until now), so the constraint holds for them too.
ALTER TABLE audit_revision ALTER COLUMN submission DROP NOT NULL, ALTER COLUMN result DROP NOT NULL;
ALTER TABLE audit_revision ADD CONSTRAINT audit_revision_answer_or_documents
    CHECK (answer IS NOT NULL OR (submission IS NOT NULL AND result IS NOT NULL)) NOT VALID;

-- Every row compressed, and kept in the table's own page (V3). PostgreSQL compresses a row's values only while it is
-- longer than the table's toast_tuple_target: at V3's 4080 bytes, a row of ~2.9 KB — an answer and no documents — would
-- be stored uncompressed. With the target at its least, and the three values kept MAIN (compressed first, moved out to
-- the TOAST table only if a row still did not fit in a page), a new row is ~1.3 KB.
ALTER TABLE audit_revision
    ALTER COLUMN answer SET STORAGE MAIN, ALTER COLUMN submission SET STORAGE MAIN, ALTER COLUMN result SET STORAGE MAIN;
ALTER TABLE audit_revision SET (toast_tuple_target = 128);
