// A legitimate policy and template change, made as the principal social worker would make it, in rules/ alone: a
// significant concern now limits the overall grade to Inadequate (it was Requires improvement), with the worked cases
// that show it updated to match; and the template asks a new question, "Was a carer's assessment offered?", in family
// engagement, read by a new limit rule, with two worked cases. Applied by prove.sh to a copy of the repository, never
// to this one.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const rules = join(process.argv[2], "rules");
const edit = (file, change) => {
  const path = join(rules, file);
  const json = JSON.parse(readFileSync(path, "utf8"));
  change(json);
  writeFileSync(path, JSON.stringify(json, null, 2) + "\n");
};

edit("limits.json", (workflow) => {
  const rule = workflow.Rules.find((r) => r.RuleName === "limit.significant-concern");
  rule.Properties.limit = "Inadequate";
});

for (const workedCase of ["significant-concern.json", "concern-unexplained.json"]) {
  edit(join("tests", workedCase), (c) => {
    c.expect.overall_grade = "GRADE_INADEQUATE";
    c.expect.limits["limit.significant-concern"].limit = "Inadequate";
  });
}

// The template's new question, the limit reading it, and its worked cases (written as differences from a base).
edit("template.json", (template) => {
  template.sections.find((s) => s.id === "family-engagement").questions.push({
    id: "family-engagement.carers-assessment",
    text: "Was a carer's assessment offered?",
    label: "carer's assessment",
    help: "Where there is a carer, the Care Act requires an assessment to be offered.",
    kind: "choice",
    options: [
      { id: "offered", words: "Offered, and carried out or declined", level: "good" },
      { id: "not-offered", words: "Not offered although there is a carer", level: "requires-improvement" },
      { id: "no-carer", words: "There is no carer" },
    ],
  });
});

edit("limits.json", (workflow) => {
  const at = workflow.Rules.findIndex((r) => r.RuleName === "cap.override");
  workflow.Rules.splice(at, 0, {
    RuleName: "limit.carers-assessment-not-offered",
    Expression: 'audit.Answer("family-engagement.carers-assessment").Is("not-offered")',
    Properties: {
      effect: "limit",
      limit: "Requires improvement",
      kind: "soft",
      title: "A carer's assessment must be offered",
      explanation: "No carer's assessment was offered although there is a carer, so the overall grade can be at most {limit} (see {guidance}).",
      guidance: "Care Act 2014, section 10: carers' assessments",
    },
  });
});

for (const [option, grade, fired, limits] of [
  ["not-offered", "Requires improvement", ["base.proposed", "limit.carers-assessment-not-offered"],
    { "limit.carers-assessment-not-offered": { limit: "Requires improvement", kind: "soft" } }],
  ["offered", "Good", ["base.proposed"], {}],
]) {
  writeFileSync(join(rules, "tests", `carers-assessment-${option}.json`), JSON.stringify({
    $schema: "../schema/worked-case.schema.json",
    description: `A carer's assessment ${option === "offered" ? "was offered" : "was not offered although there is a carer"}.`,
    base: "complete-good",
    answers: { "family-engagement.carers-assessment": option },
    audit: { audit_id: `worked-carers-assessment-${option}` },
    expect: { overall_grade: grade, status: "Complete", fired, limits, findings: [] },
  }, null, 2) + "\n");
}
