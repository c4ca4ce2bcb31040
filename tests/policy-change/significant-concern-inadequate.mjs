// A legitimate policy change, made as the principal social worker would make it: a significant concern
// now limits the overall grade to Inadequate (it was Requires improvement), with the worked cases that
// show it updated to match. Applied by prove.sh to a copy of the repository, never to this one.
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
