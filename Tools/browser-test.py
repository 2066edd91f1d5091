#!/usr/bin/env python3
"""The dashboard in a real browser: Chromium driven through chromium-driver's WebDriver API (standard library only).

Usage: Tools/browser-test.py HOOKLOG_BINARY SCREENSHOT_DIR   (Tools/browser-test installs, builds and runs this)

The story: a workspace owner signs in with an API key, adds a webhook to a real receiving endpoint, and watches
events posted to the API appear in the event log without reloading. The endpoint then fails; with retries 1 s apart
and an error limit of 3 the webhook is disabled within seconds, and the webhooks page says so. The endpoint
recovers, the owner presses Enable with "also recover skipped events", and the deliveries resume. Searching the event
log for a value nested in one event's data shows that delivery only. On the webhook's page the owner switches it to
the platform's format with a rate limit, and reads the signing key that signs its flat bodies. Screenshots of the
webhooks page, the event log, a delivery and the audit (desktop, and the first two at 375 px) are saved.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ADMIN_KEY = "browser-test-admin-key-0123456789abcdefgh"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text


def search(browser, text):
    """Types `text` into the event log's search and submits it, until the page of that search is shown and loaded. A
    submit made while the previous page is still loading, or while a live update replaces the form, can be lost, and
    the previous search's page stays: then it is typed and submitted again."""
    def shown():
        query = urllib.parse.parse_qs(urllib.parse.urlparse(browser.url).query)
        return query.get("q") == [text] and browser.script("return document.readyState;") == "complete"
    for _ in range(3):
        browser.type("input#q", text)
        browser.click("form.filters button[type=submit]")
        try:
            return wait_for(f"the page of the search for {text}", shown, timeout=10)
        except AssertionError:
            continue
    raise AssertionError(f"three submits of the search for {text} never showed its page; at {browser.url}")


def wait_for(description, condition, timeout=30, interval=0.25):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except AssertionError as error:  # the page is still loading or being replaced: not yet
            last = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {description}" + (f"; last: {str(last)[:300]}" if last else ""))


class Receiver:
    """A webhook endpoint: 204 while healthy, 500 while failing; it counts what arrives."""

    def __init__(self):
        self.failing = False
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.received.append((self.headers.get("webhook-id"), not receiver.failing, body))
                self.send_response(500 if receiver.failing else 204)
                self.end_headers()
                if receiver.failing:
                    self.wfile.write(b"")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self, event_id):
        return any(message_id == event_id and ok for message_id, ok, _ in self.received)


class Browser:
    """A Chromium session through chromium-driver's W3C WebDriver HTTP API."""

    def __init__(self, screenshots):
        self.screenshots = screenshots
        self.port = free_port()
        self.driver = subprocess.Popen(
            [shutil.which("chromedriver") or "/usr/bin/chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_for("chromedriver", lambda: self._ready(), timeout=20)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        status, reply = http("POST", f"{self.base}/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]},
        }}}, timeout=60)
        assert status == 200, f"WebDriver session refused: {reply}"
        self.session = f"{self.base}/session/{reply['value']['sessionId']}"

    def _ready(self):
        try:
            return http("GET", f"{self.base}/status", timeout=2)[0] == 200
        except OSError:
            return False

    def command(self, method, path, body=None):
        status, reply = http(method, self.session + path, body if body is not None else ({} if method == "POST" else None), timeout=60)
        if status != 200:
            raise AssertionError(f"WebDriver {method} {path}: {reply}")
        return reply["value"]

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    @property
    def url(self):
        return self.command("GET", "/url")

    def find(self, css):
        found = self.command("POST", "/element", {"using": "css selector", "value": css})
        if ELEMENT not in found:
            raise AssertionError(f"no element {css} on {self.url}: {found}; page: {self.command('GET', '/source')[:600]}")
        return found[ELEMENT]

    def find_all(self, css):
        return [element[ELEMENT] for element in self.command("POST", "/elements", {"using": "css selector", "value": css})]

    def type(self, css, text):
        element = self.find(css)
        self.command("POST", f"/element/{element}/clear")
        self.command("POST", f"/element/{element}/value", {"text": text})

    def click(self, css):
        self.on_fresh(css, lambda element: self.command("POST", f"/element/{element}/click"))

    def text(self, css="body"):
        return self.on_fresh(css, lambda element: self.command("GET", f"/element/{element}/text"))

    def on_fresh(self, css, action):
        """Finds `css` and acts on it; live updates replace parts of the page, and a submitted form replaces the whole
        document, so an element found a moment ago may be gone by the time it is used: then it is found again. Chrome
        says so as a stale element, or, when the document itself was replaced, as a node that does not belong to it."""
        for _ in range(10):
            try:
                return action(self.find(css))
            except AssertionError as error:
                if "stale element" not in str(error) and "does not belong to the document" not in str(error):
                    raise
                time.sleep(0.1)
        raise AssertionError(f"{css} kept being replaced")

    def script(self, source, *args):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def resize(self, width, height):
        self.command("POST", "/window/rect", {"width": width, "height": height})

    def phone(self, width=375, height=800):
        """Lays pages out as a phone `width` CSS pixels wide (headless Chromium's windows are at least 500 wide)."""
        self.command("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}})

    def screenshot(self, name, full_page=True):
        if full_page:
            # Grow the window to the page's height so the whole page is in the picture.
            width = self.script("return window.outerWidth;")
            height = self.script("return Math.max(document.documentElement.scrollHeight, 600) + (window.outerHeight - window.innerHeight);")
            self.resize(width, min(height, 4000))
        path = os.path.join(self.screenshots, name)
        with open(path, "wb") as file:
            file.write(base64.b64decode(self.command("GET", "/screenshot")))
        print(f"browser-test: saved {path}", flush=True)

    def quit(self):
        try:
            http("DELETE", self.session, timeout=20)
        except Exception:
            pass
        self.driver.terminate()
        self.driver.wait(10)


def main():
    binary, screenshots = sys.argv[1], sys.argv[2]
    os.makedirs(screenshots, exist_ok=True)
    data = tempfile.mkdtemp(prefix="hooklog-browser-")
    receiver = Receiver()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [binary, "serve", "--data", data, "--port", str(port), "--admin-key", ADMIN_KEY, "--allow-private-endpoints",
         "--retry-delays", "1,1,1", "--error-limit", "3"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(data, "serve.log"), "w"))
    browser = None
    try:
        wait_for("hooklog serve", lambda: healthy(base), timeout=60)
        status, created = http("POST", f"{base}/v1/workspaces", {"name": "Browser Co", "plan": "advanced", "owner_email": "ops@browser.example"},
                               {"authorization": f"Bearer {ADMIN_KEY}"})
        assert status == 201, created
        key = created["api_key"]["key"]
        auth = {"authorization": f"Bearer {key}"}
        browser = Browser(screenshots)

        step("sign in")
        browser.open(base + "/")
        browser.type("#key", key)
        browser.click("form[action='/sign-in'] button[type=submit]")
        wait_for("the webhooks page", lambda: browser.url.endswith("/webhooks"))
        assert "Browser Co" in browser.text(".top"), browser.text(".top")

        step("add a webhook: the form shows the API's field error first, then adds it")
        endpoint = f"http://127.0.0.1:{receiver.port}/crm"
        browser.type("#url", endpoint)
        browser.click("form[action='/webhooks'] button[type=submit]")
        wait_for("the events field error", lambda: "choose at least one event type" in browser.text())
        types = browser.text("form[action='/webhooks'] fieldset")
        for label in ["Conversations", "Contacts", "Messages", "Comments", "Calls", "New Contact", "New Incoming Message",
                      "Contact Lifecycle Updated", "Call Ended"]:
            assert label in types, f"{label!r} is not among the event types: {types!r}"
        browser.click("input[name=events][value='contact.created']")
        browser.click("input[name=events][value='message.sent']")
        browser.click("form[action='/webhooks'] button[type=submit]")
        wait_for("the new webhook in the table", lambda: endpoint in browser.text("table.webhooks"))
        listed = browser.text("table.webhooks")
        assert "New Contact" in listed and "New Outgoing Message" in listed, listed
        webhook = http("GET", f"{base}/v1/webhooks", headers=auth)[1]["data"][0]["id"]

        step("post events and watch them appear in the event log without reloading")
        browser.click(f"a[href='/webhooks/{webhook}']")
        wait_for("the event log", lambda: "Event log" in browser.text("h1"))
        browser.script("window.__notReloaded = true;")
        wait_for("the live stream to open", lambda: browser.script("return document.documentElement.dataset.live === 'open';"), timeout=10)
        for index in range(3):
            status, _ = http("POST", f"{base}/v1/events", {"id": f"evt_ok_{index}", "type": "contact.created", "data": {"n": index}}, auth)
            assert status == 202
        wait_for("three succeeded deliveries in the log", lambda: all(f"evt_ok_{i}" in browser.text("table.deliveries") for i in range(3))
                 if browser.find_all("table.deliveries") else False, timeout=20)
        assert browser.script("return window.__notReloaded === true;"), "the page reloaded instead of updating live"
        assert "succeeded" in browser.text("table.deliveries")

        step("the endpoint fails until the webhook is disabled")
        receiver.failing = True
        for index in range(2):
            http("POST", f"{base}/v1/events", {"id": f"evt_fail_{index}", "type": "message.sent", "data": {"n": index}}, auth)
        wait_for("the webhook to be disabled", lambda: http("GET", f"{base}/v1/webhooks/{webhook}", headers=auth)[1]["status"] == "disabled", timeout=40)
        wait_for("the disable and the skipped delivery in the live event log",
                 lambda: "disabled" in browser.text("p.status") and "skipped" in browser.text("table.deliveries"), timeout=20)
        assert browser.script("return window.__notReloaded === true;"), "the page reloaded instead of updating live"
        browser.screenshot("event-log-failing.png")
        browser.resize(1280, 1000)
        browser.open(base + "/webhooks")
        assert "disabled" in browser.text("table.webhooks")
        browser.screenshot("webhooks-disabled.png")
        browser.resize(1280, 1000)

        step("press Enable with recovery; deliveries resume")
        receiver.failing = False
        browser.click(f"input#recover-{webhook}")
        browser.click(f"form[action='/webhooks/{webhook}/enable'] button[type=submit]")
        wait_for("the Enable notice", lambda: "Enabled" in browser.text(".notice"))
        assert "active" in browser.text("table.webhooks")
        http("POST", f"{base}/v1/events", {"id": "evt_after", "type": "contact.created", "data": {"resumed": True}}, auth)
        wait_for("the receiver to get the event posted after Enable", lambda: receiver.delivered("evt_after"), timeout=30)
        browser.screenshot("webhooks.png")
        browser.resize(1280, 1000)
        browser.open(f"{base}/webhooks/{webhook}")
        wait_for("the resumed delivery in the log", lambda: "evt_after" in browser.text("table.deliveries"), timeout=20)
        browser.screenshot("event-log.png")

        step("open a delivery: attempts, JSON, signed headers")
        browser.resize(1280, 1000)
        browser.click("table.deliveries a[href^='/deliveries/']")
        wait_for("the delivery page", lambda: "Signed headers" in browser.text())
        secret = http("GET", f"{base}/v1/webhooks/{webhook}", headers=auth)[1]["secret"]
        assert secret not in browser.script("return document.documentElement.outerHTML;"), "the secret must never be shown"
        browser.screenshot("delivery.png")

        step("search the event data: type a nested value, see its delivery only")
        http("POST", f"{base}/v1/events", {"id": "evt_search_ada", "type": "contact.created",
                                           "data": {"contact": {"emails": [{"kind": "work", "value": "ada+crm@example.com"}]}}}, auth)
        http("POST", f"{base}/v1/events", {"id": "evt_search_grace", "type": "contact.created",
                                           "data": {"contact": {"emails": [{"kind": "work", "value": "grace@example.com"}]}}}, auth)
        wait_for("both events delivered", lambda: receiver.delivered("evt_search_ada") and receiver.delivered("evt_search_grace"), timeout=30)
        browser.open(f"{base}/webhooks/{webhook}")
        search(browser, "ada+crm@example.com")
        found = browser.text("table.deliveries") if browser.find_all("table.deliveries") else ""
        assert "evt_search_ada" in found, found
        assert "evt_search_grace" not in found and "evt_ok_0" not in found and "evt_after" not in found, found
        assert browser.script("return document.getElementById('q').value;") == "ada+crm@example.com"
        search(browser, "ada")
        wait_for("a part of a value, which matches nothing", lambda: "No deliveries match." in browser.text())
        browser.screenshot("event-log-search.png")

        step("settings: switch to the platform's format at 50 a second; the signing key shows and signs the flat body")
        browser.open(f"{base}/webhooks/{webhook}")
        browser.click("#format option[value='respondio']")
        browser.type("#rate_limit", "50")
        browser.click(f"form[action='/webhooks/{webhook}/settings'] button[type=submit]")
        wait_for("the saved notice", lambda: "Settings saved." in browser.text(".notice"))
        settings = browser.text("dl.settings")
        assert "respond.io" in settings and "at most 50 deliveries a second" in settings, settings
        signing_key = browser.text("#signing-key")
        assert "whsec_" + signing_key == http("GET", f"{base}/v1/webhooks/{webhook}", headers=auth)[1]["secret"], signing_key
        http("POST", f"{base}/v1/events", {"id": "evt_flat", "type": "contact.created", "data": {"name": "Ada"}}, auth)
        wait_for("the flat body", lambda: receiver.delivered("evt_flat"), timeout=30)
        body = next(body for message_id, _, body in receiver.received if message_id == "evt_flat")
        assert body == b'{"event_type":"contact.created","event_id":"evt_flat","name":"Ada"}', body
        browser.screenshot("event-log-settings.png")

        step("a 375 px wide phone")
        for name, path in [("webhooks-375.png", "/webhooks"), ("event-log-375.png", f"/webhooks/{webhook}")]:
            browser.phone()
            browser.open(base + path)
            assert browser.script("return window.innerWidth;") == 375, browser.script("return window.innerWidth;")
            overflow = browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 375px"
            height = browser.script("return document.documentElement.scrollHeight;")
            browser.phone(375, min(height, 4000))
            browser.screenshot(name, full_page=False)
        browser.command("POST", "/goog/cdp/execute", {"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}})

        step("audit and keyboard: the skip link is the first stop")
        browser.resize(1280, 1000)
        browser.open(base + "/audit")
        assert "disabled" in browser.text() and "enabled" in browser.text()
        assert "500:" in browser.text()
        browser.screenshot("audit.png")
        browser.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": "\ue004"}, {"type": "keyUp", "value": "\ue004"}]}]})
        first = browser.script("return document.activeElement.className + ':' + document.activeElement.textContent;")
        assert first == "skip:Skip to content", f"the first Tab stop is {first!r}, not the skip link"
        assert browser.script("return getComputedStyle(document.activeElement).left;") == "0px", "the focused skip link is visible"
        print("browser-test: passed", flush=True)
    finally:
        if browser:
            browser.quit()
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        receiver.server.shutdown()
        if server.returncode not in (0, -15):
            sys.stderr.write(open(os.path.join(data, "serve.log")).read()[-4000:])
        shutil.rmtree(data, ignore_errors=True)


def healthy(base):
    try:
        return http("GET", f"{base}/healthz", timeout=2)[0] == 200
    except OSError:
        return False


def step(text):
    print(f"browser-test: {text}", flush=True)


if __name__ == "__main__":
    main()
