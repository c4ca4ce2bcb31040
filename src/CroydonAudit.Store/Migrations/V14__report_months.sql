-- The programme report's closed months, kept once worked out (ReportStore): each month's figures by team, and the
-- version of the month's audit_figures they were worked out from. A write that takes an audit out of a month (a
-- new revision of an audit graded that month, or a retention deletion) bumps that month's version in the same
-- transaction, so a kept month whose version is not the current one is worked out again. Months are kept only
-- once they have ended (with a day's margin), so new audits, graded now, never land in a kept month.
-- Each audit's month, in London time, kept with its figures: the report adds up by month.
ALTER TABLE audit_figures ADD COLUMN IF NOT EXISTS month date
    GENERATED ALWAYS AS ((date_trunc('month', graded_at AT TIME ZONE 'Europe/London'))::date) STORED;

CREATE TABLE report_month (
    month   date   PRIMARY KEY,
    version bigint NOT NULL,
    figures bytea  NOT NULL
);

CREATE TABLE report_month_version (
    month   date   PRIMARY KEY,
    version bigint NOT NULL
);

-- The report lists the period's latest learning points: by time, among the few audits that list any.
CREATE INDEX IF NOT EXISTS audit_figures_learning ON audit_figures (graded_at) WHERE learning_points > 0;
