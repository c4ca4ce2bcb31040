-- Rule changes by named people: who proposed each version (RuleSetService.ProposeRuleSet, or a watched rules
-- folder's edit) and who approved it (ApproveRuleSet: never its proposer). Kept for ever, like activations. From
-- now on a version's worked cases are kept with its files, as rule_set_file rows under tests/.
CREATE TABLE rule_set_proposal (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version     text        NOT NULL REFERENCES rule_set,
    proposed_by text        NOT NULL,
    proposed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rule_set_proposal_by_version ON rule_set_proposal (version, id);

CREATE TABLE rule_set_approval (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version     text        NOT NULL REFERENCES rule_set,
    approved_by text        NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (version, approved_by)
);
