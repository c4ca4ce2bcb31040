"""A Python case recording system answers a question its code was never generated for: it reads the active audit
template (GetAuditTemplate), finds the question by id, chooses the option whose words begin as given, sends the audit
with that answer, and prints the overall grade it is given. The generated code knows only the contract's messages.

Usage: answers.py AUDITS_JSON GENERATED_DIR QUESTION_ID OPTION_WORDS
Environment: CROYDON_AUDIT_ADDRESS (host:port), CROYDON_AUDIT_TOKEN (grader).
"""
import base64
import json
import os
import sys

audits_file, generated, question_id, option_words = sys.argv[1:5]
sys.path.insert(0, generated)

import grpc  # noqa: E402
from croydon.audit.v1 import audit_pb2, grading_service_pb2 as grading_pb2  # noqa: E402

channel = grpc.insecure_channel(os.environ["CROYDON_AUDIT_ADDRESS"])
metadata = [("authorization", "Bearer " + os.environ["CROYDON_AUDIT_TOKEN"])]


def call(name, request, response):
    method = channel.unary_unary(f"/croydon.audit.v1.GradingService/{name}",
                                 request_serializer=lambda m: m.SerializeToString(), response_deserializer=response.FromString)
    return method(request, metadata=metadata, timeout=30)


template = call("GetAuditTemplate", grading_pb2.GetAuditTemplateRequest(), grading_pb2.GetAuditTemplateResponse).template
question = next(q for s in template.sections for q in s.questions if q.id == question_id)
option = next(o for o in question.options if o.words.startswith(option_words))
print(f"question: {question.text}")
print(f"option: {option.id}")

audit = grading_pb2.GradeAuditRequest.FromString(base64.b64decode(json.load(open(audits_file))["audits"]["plain"])).audit
audit.answers.append(audit_pb2.Answer(question_id=question.id, value=option.id))
result = call("GradeAudit", grading_pb2.GradeAuditRequest(audit=audit), grading_pb2.GradeAuditResponse).result
print(f"graded: {audit_pb2.Grade.Name(result.overall_grade)}")
