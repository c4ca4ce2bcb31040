-- The programme report's figures: one narrow row per audit, its latest revision's, written in the same
-- transaction as the revision (AuditStore's group commit) so the report never disagrees with the store. The
-- report aggregates these rows alone: a million audits are ~100 MB here against ~10 GB of revisions.
--   proposed_grade         the auditor's proposed overall grade (1 Outstanding .. 4 Inadequate; 0 none)
--   area_grades            the nine areas in the guidance's order: 1..4 a grade, 5 not applicable, 0 not graded
--   deciding_limits        rule ids of the limits that held the overall grade below the base grade
--   findings               the rule id of each finding raised
--   recommendation_values  each recommendation's Croydon value (CroydonValue's number; 0 none named)
--   learning_points        how many organisation learning points the submission lists
CREATE TABLE audit_figures (
    audit_id              text COLLATE "C" PRIMARY KEY,
    revision              integer     NOT NULL,
    team                  text        NOT NULL,
    auditor_id            text        NOT NULL,
    graded_at             timestamptz NOT NULL,
    overall_grade         smallint    NOT NULL,
    proposed_grade        smallint    NOT NULL,
    moderation_required   boolean     NOT NULL,
    area_grades           smallint[]  NOT NULL,
    deciding_limits       text[]      NOT NULL,
    findings              text[]      NOT NULL,
    recommendation_values smallint[]  NOT NULL,
    learning_points       smallint    NOT NULL
);

CREATE INDEX audit_figures_by_time ON audit_figures (graded_at);
CREATE INDEX audit_figures_by_team ON audit_figures (team, graded_at);

-- Audits stored before this migration, from their stored documents. Their results did not yet keep which
-- limits decided the grade: those count no deciding limit until re-graded.
INSERT INTO audit_figures
SELECT r.audit_id, r.revision, r.team, r.auditor_id, r.graded_at, r.overall_grade,
       coalesce(array_position(g.names, d.submission ->> 'proposed_overall_grade'), 0),
       r.moderation_required,
       ARRAY(SELECT CASE WHEN (a ->> 'not_applicable')::boolean THEN 5 ELSE coalesce(array_position(g.names, a ->> 'grade'), 0) END
             FROM json_array_elements(d.result -> 'area_grades') WITH ORDINALITY AS e (a, i) ORDER BY i)::smallint[],
       ARRAY(SELECT json_array_elements_text(coalesce(d.result -> 'deciding_limits', '[]'))),
       ARRAY(SELECT f ->> 'rule_id' FROM json_array_elements(d.result -> 'findings') AS f),
       ARRAY(SELECT coalesce(array_position(ARRAY['OneTeam', 'ProudToServe', 'HonestAndOpen', 'TakingResponsibility', 'ValuingDiversity'], v ->> 'value'), 0)
             FROM json_array_elements(d.submission -> 'recommendations') AS v)::smallint[],
       coalesce(json_array_length(d.submission -> 'organisational_learning_points'), 0)
FROM audit_revision AS r
CROSS JOIN LATERAL (SELECT r.submission::json AS submission, r.result::json AS result) AS d
CROSS JOIN (SELECT ARRAY['Outstanding', 'Good', 'RequiresImprovement', 'Inadequate'] AS names) AS g
WHERE r.is_latest;
