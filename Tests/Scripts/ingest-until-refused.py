"""Ingests events into a running hooklog serve from several threads until the server stops answering, and prints
the id of every event the server acknowledged (202), one per line, as soon as it is acknowledged.

Usage: ingest-until-refused.py PORT ADMIN_KEY. It first prints "ready" once a workspace and a webhook exist.
"""
import json
import sys
import threading
import urllib.request

port, admin_key = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
printing = threading.Lock()


def call(method, path, key, body, headers=None):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode(),
        headers={"authorization": f"Bearer {key}", "content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.load(response)


_, created = call("POST", "/v1/workspaces", admin_key,
                  {"name": "Crash", "plan": "advanced", "owner_email": "owner@crash.example"})
key = created["api_key"]["key"]
call("POST", "/v1/webhooks", key, {"url": "http://127.0.0.1:9/never", "events": ["contact.created"]})
print("ready", flush=True)


def ingest(thread):
    number = 0
    while True:
        ids = [f"evt_crash_{thread}_{number + offset}" for offset in range(10)]
        number += 10
        try:
            status, _ = call("POST", "/v1/events", key,
                             {"events": [{"id": id, "type": "contact.created", "data": {"n": id}} for id in ids]})
        except Exception:
            return
        if status == 202:
            with printing:
                print("\n".join(ids), flush=True)


threads = [threading.Thread(target=ingest, args=(thread,)) for thread in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
