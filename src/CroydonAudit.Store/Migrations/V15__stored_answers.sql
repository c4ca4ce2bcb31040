-- Each new revision keeps, beside its documents, the answer GetAudit gives for it: the contract's AuditRecord as
-- protobuf bytes, without what is only known or only complete later — its revision number (taken in the write's
-- transaction), its trace (kept as rule_trace rows and the rule set's rules) and moderators' decisions. GetAudit
-- reads these bytes back and adds the three, instead of reading both JSON documents into the grading library's
-- types and mapping them to the contract again on every read. Revisions stored before this (and those the
-- benchmark seeder writes) have none, and are answered from their documents as before: the same bytes either way.
-- The documents stay the store's own record: what impact previews, re-grades and the report read.
-- Adding a nullable column with no default rewrites nothing and holds its lock for a moment only.
-- Compressed as the documents are (V4): LZ4 reads back several times faster than PostgreSQL's default.
ALTER TABLE audit_revision ADD COLUMN IF NOT EXISTS answer bytea;
ALTER TABLE audit_revision ALTER COLUMN answer SET COMPRESSION lz4;
