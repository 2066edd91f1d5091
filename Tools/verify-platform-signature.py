#!/usr/bin/env python3
"""Checks a request's X-Webhook-Signature as a receiver written for the messaging platform does.

Reads one JSON object from stdin: {"signing_key": "<the key the dashboard shows>", "headers": {name: value, …},
"body": "<the body text>"}. The platform's receivers compute base64(HMAC-SHA256(key, raw body)) with the key's
UTF-8 bytes as the HMAC key (the key is not base64-decoded) and compare it with the header in constant time.
Exits 0 if the header matches, 1 (with the reason on stderr) if it is missing or does not.
"""
import base64
import hashlib
import hmac
import json
import sys


def main() -> int:
    message = json.load(sys.stdin)
    headers = {name.lower(): value for name, value in message["headers"].items()}
    received = headers.get("x-webhook-signature")
    if received is None:
        print("signature rejected: no X-Webhook-Signature header", file=sys.stderr)
        return 1
    digest = hmac.new(message["signing_key"].encode("utf-8"), message["body"].encode("utf-8"), hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode("ascii")
    if not hmac.compare_digest(expected, received):
        print("signature rejected: X-Webhook-Signature does not match", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
