#!/usr/bin/env python3
"""A webhook endpoint for demos: answers every POST with 204 and prints what arrived (id, type, signature).

Usage: Tools/demo-receiver.py [PORT]   (default 9100, loopback only)
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            event = json.loads(body)
            summary = f"{event.get('type')} {event.get('id')}"
        except ValueError:
            summary = f"{len(body)} bytes that are not JSON"
        print(f"demo receiver: {self.path} got {summary} (signature {self.headers.get('webhook-signature', 'missing')[:16]}…)",
              flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9100
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
