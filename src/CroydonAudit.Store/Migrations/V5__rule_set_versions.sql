-- Every rule set that grades anything, kept with its files: content-addressed by its version (a hash of
-- those files), so the rules behind any stored audit stay readable. rule_set_rule (V1) keeps each
-- version's rules in evaluation order for the trace.
CREATE TABLE rule_set (
    version     text        PRIMARY KEY,
    label       text        NOT NULL,
    description text        NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rule_set_by_time ON rule_set (stored_at DESC, version DESC);

-- The files that decide grades (ruleset.json and the workflow files), exactly as they were.
CREATE TABLE rule_set_file (
    version text  NOT NULL REFERENCES rule_set,
    path    text  NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (version, path)
);

-- Every activation, never updated or deleted. The active rule set is the latest row: every replica
-- grades by it, and follows it when it changes (NOTIFY rule_set_activated, with a poll as a fallback).
CREATE TABLE rule_set_activation (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version      text        NOT NULL REFERENCES rule_set,
    activated_at timestamptz NOT NULL DEFAULT now(),
    activated_by text        NOT NULL,
    source       text        NOT NULL CHECK (source IN ('rules folder', 'service', 'command line'))
);

CREATE INDEX rule_set_activation_by_version ON rule_set_activation (version);

-- Candidates refused, and why: the latest is what GetRuleSetStatus shows.
CREATE TABLE rule_set_refusal (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version    text        NOT NULL,
    label      text        NOT NULL,
    refused_at timestamptz NOT NULL DEFAULT now(),
    refused_by text        NOT NULL,
    source     text        NOT NULL CHECK (source IN ('rules folder', 'service', 'command line')),
    reasons    text[]      NOT NULL
);

-- Why a revision was stored: 1 new content (GradeAudit), 2 re-graded because the rule set changed.
-- A constant default: existing rows are not rewritten.
ALTER TABLE audit_revision ADD COLUMN reason smallint NOT NULL DEFAULT 1;
