-- A new revision keeps its rules' outcomes (V2: a rule that fired or failed, its effect, explanation and error) in its
-- own row, as five arrays in evaluation order, instead of as rows of rule_trace. Each revision had about two and a half
-- such rows: a statement of every write's batch, a heap tuple and an index entry each, and on every read a walk of
-- rule_trace's primary key beside the revision's own. The rest of a trace is the rules of its rule set version, as before.
-- Revisions stored before keep their rule_trace rows, and are read from them as before: their trace_positions is NULL.
-- Adding nullable columns with no default, and a constraint NOT VALID, rewrite and scan nothing, and hold their locks
-- for a moment only. Every row already holds NULL in all five, so the constraint holds for them too.
ALTER TABLE audit_revision
    ADD COLUMN IF NOT EXISTS trace_positions smallint[],
    ADD COLUMN IF NOT EXISTS trace_fired boolean[],
    ADD COLUMN IF NOT EXISTS trace_effects text[],
    ADD COLUMN IF NOT EXISTS trace_explanations text[],
    ADD COLUMN IF NOT EXISTS trace_errors text[];

-- All five or none, of one length: one outcome per position. (A CHECK passes when its condition is NULL, so the count
-- of NULLs is compared first: a comparison with one NULL array alone would let it through.)
ALTER TABLE audit_revision ADD CONSTRAINT audit_revision_trace_outcomes CHECK (
    num_nulls(trace_positions, trace_fired, trace_effects, trace_explanations, trace_errors) IN (0, 5)
    AND (trace_positions IS NULL
         OR (cardinality(trace_fired) = cardinality(trace_positions) AND cardinality(trace_effects) = cardinality(trace_positions)
             AND cardinality(trace_explanations) = cardinality(trace_positions) AND cardinality(trace_errors) = cardinality(trace_positions)))) NOT VALID;

-- Compressed and kept in the row, as the answer is (V16). The explanations are most of the outcomes' size.
ALTER TABLE audit_revision
    ALTER COLUMN trace_positions SET STORAGE MAIN, ALTER COLUMN trace_fired SET STORAGE MAIN,
    ALTER COLUMN trace_effects SET STORAGE MAIN, ALTER COLUMN trace_explanations SET STORAGE MAIN, ALTER COLUMN trace_errors SET STORAGE MAIN,
    ALTER COLUMN trace_effects SET COMPRESSION lz4, ALTER COLUMN trace_explanations SET COMPRESSION lz4;
