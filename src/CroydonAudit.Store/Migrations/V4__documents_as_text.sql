-- The submission and the result are kept as text: the JSON the service wrote, byte for byte. As json,
-- PostgreSQL parsed every ~4 KB document on each insert only to check that it was JSON, which the service's
-- own serialiser already guarantees (~6% of PostgreSQL's work per stored audit). Nothing reads inside them
-- in SQL; anyone who wants to can still cast them: SELECT submission::json -> 'areas' FROM audit_revision.
ALTER TABLE audit_revision
    ALTER COLUMN submission TYPE text,
    ALTER COLUMN result TYPE text;

ALTER TABLE audit_revision ALTER COLUMN submission SET COMPRESSION lz4, ALTER COLUMN result SET COMPRESSION lz4;
