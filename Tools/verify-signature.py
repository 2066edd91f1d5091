#!/usr/bin/env python3
"""Checks a webhook request's signature with the reference Standard Webhooks library.

Reads one JSON object from stdin: {"secret": "whsec_…", "headers": {name: value, …}, "body": "<the body text>"}.
Exits 0 if `standardwebhooks.Webhook(secret).verify(body, headers)` accepts it, 1 (with the library's reason on
stderr) if it rejects it, and 2 if the library is not installed. The library also requires the webhook-timestamp to
be within 5 minutes of the real time, so requests to check must be stamped by a real clock.
"""
import json
import sys

try:
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError
except ImportError:
    print("the Python package 'standardwebhooks' is not installed; Tools/test installs it "
          "(python3 -m pip install standardwebhooks)", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    message = json.load(sys.stdin)
    try:
        Webhook(message["secret"]).verify(message["body"], message["headers"])
    except WebhookVerificationError as error:
        print(f"signature rejected: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
