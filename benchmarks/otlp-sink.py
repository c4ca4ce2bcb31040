"""A stand-in OpenTelemetry collector for benchmarks/telemetry.sh: takes OTLP/HTTP exports on 127.0.0.1:4318,
reads them whole and answers 200, so the service pays for exporting as it would to a real collector."""
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0)); self.rfile.read(n)
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf'); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
ThreadingHTTPServer(('127.0.0.1', 4318), H).serve_forever()
