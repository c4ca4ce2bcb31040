"""A client in a second language: sends GradeAudit an audit with mistakes and prints the BadRequest's fields.

Usage: bad_request.py GENERATED_DIR TARGET TOKEN
GENERATED_DIR holds the Python protoc made from protos/ and, for google.rpc, from the protos the C# build depends
on (the Google.Api.CommonProtos package): see run.sh. Prints the status, then one "field: description" a line.
"""
import sys

generated, target, token = sys.argv[1:4]
sys.path.insert(0, generated)

import grpc  # noqa: E402
from croydon.audit.v1 import audit_pb2, grading_service_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

grade_audit = grpc.insecure_channel(target).unary_unary(
    "/croydon.audit.v1.GradingService/GradeAudit",
    request_serializer=grading_service_pb2.GradeAuditRequest.SerializeToString,
    response_deserializer=grading_service_pb2.GradeAuditResponse.FromString,
)
audit = audit_pb2.AuditSubmission(audit_id="", case_reference="CR 1 with spaces", auditor_id="auditor-1", team="Locality East")
try:
    grade_audit(grading_service_pb2.GradeAuditRequest(audit=audit), metadata=[("authorization", "Bearer " + token)], timeout=30)
    print("OK: the mistakes were not noticed")
    sys.exit(1)
except grpc.RpcError as error:
    print(error.code().name)
    details = dict(error.trailing_metadata()).get("grpc-status-details-bin")
    status = status_pb2.Status.FromString(details)
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            for violation in bad_request.field_violations:
                print(f"{violation.field}: {violation.description}")
