"""A Python case recording system's client (grpcio, with code protoc generated from protos/): grades audits, reads them
back with GetAudit and ListAudits, and checks field by field that every answer is what GradeAudit returned. The steps
and the output are the same as ../node/conformance.js's; ../README.md describes both.

Usage: conformance.py AUDITS_JSON GENERATED_DIR
Environment: CROYDON_AUDIT_ADDRESS (host:port), CROYDON_AUDIT_TOKEN (grader, auditor, moderator and rules-admin).
"""
import base64
import json
import os
import sys

audits_file, generated = sys.argv[1:3]
sys.path.insert(0, generated)

import grpc  # noqa: E402
from google.protobuf import text_format  # noqa: E402
from croydon.audit.v1 import audit_pb2, grading_service_pb2 as grading_pb2, report_service_pb2 as report_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

SECOND_LEARNING = "A second revision: the review date was added to the plan."
RESULT_FIELDS = [
    "audit_id", "revision", "overall_grade", "base_grade", "median_grade", "lowest_grade", "area_grades", "status",
    "cap_applied", "moderation_required", "findings", "trace", "summary", "rule_set_version", "graded_at",
]
SUMMARY_FIELDS = ["revision", "overall_grade", "status", "moderation_required", "rule_set_version", "graded_at"]

channel = grpc.insecure_channel(os.environ["CROYDON_AUDIT_ADDRESS"])


def stub(module, service):
    """A service's methods, by name, from the generated messages' service descriptor (no gRPC code generator needed)."""
    descriptor = module.DESCRIPTOR.services_by_name[service]
    return type(service, (), {
        method.name: staticmethod(channel.unary_unary(
            f"/{descriptor.full_name}/{method.name}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=getattr(module, method.output_type.name).FromString,
        ))
        for method in descriptor.methods
    })


grading = stub(grading_pb2, "GradingService")
reports = stub(report_pb2, "ReportService")
metadata = [("authorization", "Bearer " + os.environ["CROYDON_AUDIT_TOKEN"])]

checks = 0
failures = 0


def show(value):
    text = text_format.MessageToString(value, as_one_line=True) if hasattr(value, "DESCRIPTOR") else repr(value)
    return text if len(text) <= 160 else text[:160] + "…"


def check(label, expected, actual):
    global checks, failures
    checks += 1
    if expected != actual:
        failures += 1
        print(f"FAIL {label}: expected {show(expected)}, read {show(actual)}", flush=True)


def call(method, request):
    return method(request, metadata=metadata, timeout=30)


def main():
    given = json.load(open(audits_file, encoding="utf-8"))
    sent, graded, ids = {}, {}, {}

    for name, encoded in given["audits"].items():
        audit = grading_pb2.GradeAuditRequest.FromString(base64.b64decode(encoded)).audit
        ids[name] = audit.audit_id
        result = call(grading.GradeAudit, grading_pb2.GradeAuditRequest(audit=audit)).result
        check(f"GradeAudit {name}: revision", 1, result.revision)
        sent[(audit.audit_id, 1)], graded[(audit.audit_id, 1)] = audit, result
        if name == "plain":
            second = audit_pb2.AuditSubmission()
            second.CopyFrom(audit)
            second.learning = SECOND_LEARNING
            following = call(grading.GradeAudit, grading_pb2.GradeAuditRequest(audit=second)).result
            check(f"GradeAudit {name} changed: revision", 2, following.revision)
            sent[(audit.audit_id, 2)], graded[(audit.audit_id, 2)] = second, following

    decision = dict(
        audit_id=ids["moderated"], revision=1, outcome=audit_pb2.MODERATION_OUTCOME_GRADE_CHANGED,
        final_grade=audit_pb2.GRADE_INADEQUATE, reason="The risk was not managed: the grade is Inadequate.",
    )
    call(reports.RecordModerationDecision, report_pb2.RecordModerationDecisionRequest(**decision))

    # The test now rewrites stored revisions into older forms and activates other rules.
    print("paused", flush=True)
    sys.stdin.readline()

    regrade = call(grading.RegradeAudit, grading_pb2.RegradeAuditRequest(audit_id=ids["regraded"]))
    check("RegradeAudit: regraded", True, regrade.regraded)
    check("RegradeAudit: revision", 2, regrade.result.revision)
    sent[(ids["regraded"], 2)], graded[(ids["regraded"], 2)] = sent[(ids["regraded"], 1)], regrade.result

    latest = {}
    for (audit_id, revision), result in graded.items():
        if audit_id not in latest or latest[audit_id].revision < revision:
            latest[audit_id] = result

    for (audit_id, revision), expected in graded.items():
        for asked in [revision] + ([0] if latest[audit_id].revision == revision else []):
            label = f"GetAudit {audit_id} revision {asked}"
            record = call(grading.GetAudit, grading_pb2.GetAuditRequest(audit_id=audit_id, revision=asked)).audit
            for field in RESULT_FIELDS:
                check(f"{label}: result.{field}", getattr(expected, field), getattr(record.result, field))
            check(f"{label}: result", expected, record.result)
            submission = audit_pb2.AuditSubmission()
            submission.CopyFrom(sent[(audit_id, revision)])
            if not submission.HasField("audited_at"):
                submission.audited_at.CopyFrom(record.received_at)
            check(f"{label}: submission", submission, record.submission)
            reason = (audit_pb2.REVISION_REASON_RULE_SET_CHANGED if (audit_id, revision) == (ids["regraded"], 2)
                      else audit_pb2.REVISION_REASON_NEW_CONTENT)
            check(f"{label}: reason", reason, record.reason)
            decisions = [
                (dict(audit_id=d.audit_id, revision=d.revision, outcome=d.outcome, final_grade=d.final_grade, reason=d.reason),
                 d.decided_by != "" and d.HasField("decided_at"))
                for d in record.moderation_decisions
            ]
            check(f"{label}: moderation_decisions", [(decision, True)] if audit_id == ids["moderated"] else [], decisions)

    listed = call(grading.ListAudits, grading_pb2.ListAuditsRequest(team=given["team"], page_size=50)).audits
    check("ListAudits: audits", sorted(latest), sorted(a.audit_id for a in listed))
    for summary in listed:
        expected = latest.get(summary.audit_id)
        for field in SUMMARY_FIELDS:
            check(f"ListAudits {summary.audit_id}: {field}", getattr(expected, field, None), getattr(summary, field))

    bad_request(given["team"])
    print(f"checked {checks}, failed {failures}", flush=True)
    sys.exit(0 if failures == 0 else 1)


def bad_request(team):
    """An audit with mistakes: INVALID_ARGUMENT, with a google.rpc.BadRequest naming each field, decoded from the trailers."""
    audit = audit_pb2.AuditSubmission(audit_id="", case_reference="CR 1 with spaces", auditor_id="auditor-1", team=team)
    try:
        call(grading.GradeAudit, grading_pb2.GradeAuditRequest(audit=audit))
        check("GradeAudit with mistakes", "INVALID_ARGUMENT", "OK")
    except grpc.RpcError as error:
        check("GradeAudit with mistakes: code", grpc.StatusCode.INVALID_ARGUMENT, error.code())
        status = status_pb2.Status.FromString(dict(error.trailing_metadata())["grpc-status-details-bin"])
        fields = []
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                fields += [v.field for v in bad.field_violations]
        check("GradeAudit with mistakes: audit.audit_id named", True, "audit.audit_id" in fields)
        check("GradeAudit with mistakes: audit.case_reference named", True, "audit.case_reference" in fields)


if __name__ == "__main__":
    main()
