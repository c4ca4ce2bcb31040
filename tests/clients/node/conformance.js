// A Node.js case recording system's client (grpc-js, with proto-loader reading protos/ as they are): grades audits, reads
// them back with GetAudit and ListAudits, and checks field by field that every answer is what GradeAudit returned.
// The steps and the output are the same as ../python/conformance.py's; ../README.md describes both.
//
// Usage: node conformance.js AUDITS_JSON INCLUDE_DIR...
// Environment: CROYDON_AUDIT_ADDRESS (host:port), CROYDON_AUDIT_TOKEN (grader, auditor, moderator and rules-admin).
'use strict';

const fs = require('node:fs');
const readline = require('node:readline');
const { isDeepStrictEqual } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const [auditsFile, ...includeDirs] = process.argv.slice(2);
const [protos] = includeDirs;
const SECOND_LEARNING = 'A second revision: the review date was added to the plan.';
const RESULT_FIELDS = [
  'audit_id', 'revision', 'overall_grade', 'base_grade', 'median_grade', 'lowest_grade', 'area_grades', 'status',
  'cap_applied', 'moderation_required', 'findings', 'trace', 'summary', 'rule_set_version', 'graded_at',
];
const SUMMARY_FIELDS = ['revision', 'overall_grade', 'status', 'moderation_required', 'rule_set_version', 'graded_at'];

// Field names as in the .proto files, enums by name, 64-bit integers as strings, every field present.
const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs };
const definition = protoLoader.loadSync(
  ['grading_service.proto', 'report_service.proto'].map((f) => `${protos}/croydon/audit/v1/${f}`), options);
const v1 = grpc.loadPackageDefinition(definition).croydon.audit.v1;
const credentials = grpc.credentials.createInsecure();
const grading = new v1.GradingService(process.env.CROYDON_AUDIT_ADDRESS, credentials);
const reports = new v1.ReportService(process.env.CROYDON_AUDIT_ADDRESS, credentials);
const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${process.env.CROYDON_AUDIT_TOKEN}`);

const call = (client, method, request) => new Promise((resolve, reject) =>
  client[method](request, metadata, { deadline: Date.now() + 30_000 }, (error, response) => (error ? reject(error) : resolve(response))));

let checks = 0;
let failures = 0;
const show = (value) => { const text = JSON.stringify(value); return text.length > 160 ? `${text.slice(0, 160)}…` : text; };
function check(label, expected, actual) {
  checks++;
  if (!isDeepStrictEqual(expected, actual)) {
    failures++;
    console.log(`FAIL ${label}: expected ${show(expected)}, read ${show(actual)}`);
  }
}

async function main() {
  const given = JSON.parse(fs.readFileSync(auditsFile, 'utf8'));
  const decode = definition['croydon.audit.v1.GradingService'].GradeAudit.requestDeserialize;
  const sent = new Map(); // "id revision" -> the audit sent
  const graded = new Map(); // "id revision" -> the result GradeAudit (or RegradeAudit) returned
  const key = (id, revision) => `${id} ${revision}`;
  const ids = {};

  for (const [name, bytes] of Object.entries(given.audits)) {
    const { audit } = decode(Buffer.from(bytes, 'base64'));
    ids[name] = audit.audit_id;
    const { result } = await call(grading, 'GradeAudit', { audit });
    check(`GradeAudit ${name}: revision`, 1, result.revision);
    sent.set(key(audit.audit_id, 1), audit);
    graded.set(key(audit.audit_id, 1), result);
    if (name === 'plain') {
      const second = { ...audit, learning: SECOND_LEARNING };
      const { result: next } = await call(grading, 'GradeAudit', { audit: second });
      check(`GradeAudit ${name} changed: revision`, 2, next.revision);
      sent.set(key(audit.audit_id, 2), second);
      graded.set(key(audit.audit_id, 2), next);
    }
  }

  const decision = {
    audit_id: ids.moderated, revision: 1, outcome: 'MODERATION_OUTCOME_GRADE_CHANGED', final_grade: 'GRADE_INADEQUATE',
    reason: 'The risk was not managed: the grade is Inadequate.',
  };
  await call(reports, 'RecordModerationDecision', decision);

  // The test now rewrites stored revisions into older forms and activates other rules.
  console.log('paused');
  const input = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => input.once('line', resolve));
  input.close();

  const regrade = await call(grading, 'RegradeAudit', { audit_id: ids.regraded });
  check('RegradeAudit: regraded', true, regrade.regraded);
  check('RegradeAudit: revision', 2, regrade.result.revision);
  sent.set(key(ids.regraded, 2), sent.get(key(ids.regraded, 1)));
  graded.set(key(ids.regraded, 2), regrade.result);

  const latest = new Map();
  for (const [k, result] of graded) {
    const [id, revision] = [k.split(' ')[0], Number(k.split(' ')[1])];
    if (!latest.has(id) || latest.get(id).revision < revision) latest.set(id, result);
  }

  for (const [k, expected] of graded) {
    const [id, revision] = [k.split(' ')[0], Number(k.split(' ')[1])];
    const reads = [revision, ...(latest.get(id).revision === revision ? [0] : [])];
    for (const asked of reads) {
      const label = `GetAudit ${id} revision ${asked}`;
      const { audit } = await call(grading, 'GetAudit', { audit_id: id, revision: asked });
      for (const field of RESULT_FIELDS) check(`${label}: result.${field}`, expected[field], audit.result[field]);
      check(`${label}: result`, expected, audit.result);
      const submission = sent.get(k);
      check(`${label}: submission`, { ...submission, audited_at: submission.audited_at ?? audit.received_at }, audit.submission);
      const reason = id === ids.regraded && revision === 2 ? 'REVISION_REASON_RULE_SET_CHANGED' : 'REVISION_REASON_NEW_CONTENT';
      check(`${label}: reason`, reason, audit.reason);
      if (id === ids.moderated) {
        const decided = audit.moderation_decisions.map(({ decided_by: by, decided_at: at, ...rest }) => ({ ...rest, decided: by !== '' && at !== null }));
        check(`${label}: moderation_decisions`, [{ ...decision, decided: true }], decided);
      } else {
        check(`${label}: moderation_decisions`, [], audit.moderation_decisions);
      }
    }
  }

  const { audits } = await call(grading, 'ListAudits', { team: given.team, page_size: 50 });
  check('ListAudits: audits', [...latest.keys()].sort(), audits.map((a) => a.audit_id).sort());
  for (const summary of audits) {
    const expected = latest.get(summary.audit_id);
    for (const field of SUMMARY_FIELDS) check(`ListAudits ${summary.audit_id}: ${field}`, expected?.[field], summary[field]);
  }

  await badRequest(given.team);
  console.log(`checked ${checks}, failed ${failures}`);
  process.exit(failures === 0 ? 0 : 1);
}

// An audit with mistakes: INVALID_ARGUMENT, with a google.rpc.BadRequest naming each field, decoded from the trailers.
async function badRequest(team) {
  const root = new protobuf.Root();
  root.resolvePath = (_, target) => includeDirs.map((dir) => `${dir}/${target}`).find((path) => fs.existsSync(path)) ?? target;
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  const audit = { audit_id: '', case_reference: 'CR 1 with spaces', auditor_id: 'auditor-1', team };
  try {
    await call(grading, 'GradeAudit', { audit });
    check('GradeAudit with mistakes', 'INVALID_ARGUMENT', 'OK');
  } catch (error) {
    check('GradeAudit with mistakes: code', grpc.status.INVALID_ARGUMENT, error.code);
    const [details] = error.metadata.get('grpc-status-details-bin');
    const status = root.lookupType('google.rpc.Status').decode(details);
    const badRequest = status.details.find((d) => d.type_url.endsWith('/google.rpc.BadRequest'));
    const fields = root.lookupType('google.rpc.BadRequest').decode(badRequest.value).field_violations.map((v) => v.field);
    check('GradeAudit with mistakes: audit.audit_id named', true, fields.includes('audit.audit_id'));
    check('GradeAudit with mistakes: audit.case_reference named', true, fields.includes('audit.case_reference'));
  }
}

main().catch((error) => {
  console.log(`FAIL ${error.stack ?? error}`);
  process.exit(1);
});
