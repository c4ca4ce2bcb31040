-- rule_trace now holds a row only for a rule that fired or failed for the revision: the rule's outcome
-- (fired, effect, explanation, error). A rule that did not fire and said nothing has no row; its trace
-- entry is the rule itself — workflow, id and guidance from rule_set_rule, which holds every rule of
-- every version — and reading an audit rebuilds the whole trace, every rule in evaluation order, from
-- the two tables. At thousands of audits a second, writing some 30 identical empty rows per audit was
-- most of PostgreSQL's work.
--
-- Existing empty rows carry nothing the rule set does not: removing them loses nothing.
DELETE FROM rule_trace WHERE NOT fired AND effect = '' AND explanation = '' AND error = '';
