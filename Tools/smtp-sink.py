#!/usr/bin/env python3
"""A real SMTP server for HookLog's tests and demos (aiosmtpd), bound to 127.0.0.1.

Each accepted message is written to --maildir as <n>.eml (the DATA exactly as received, dot-stuffing undone)
and <n>.json: the envelope (mail_from, rcpt_tos), whether the session had switched to TLS, the user that
authenticated, and the message as Python's e-mail parser reads it (headers decoded from RFC 2047, the text
body decoded from its transfer encoding, with "\\n" line ends, and any defects found). The .json file appears
last, so its presence means the message is complete.

With --port 0 the server picks a free port; with --listen-on-stdin it listens on the socket its standard input is,
bound by the parent, so that no other socket can take the port in between. In every case its first line on stdout
is "LISTENING <port>".
SIGTERM and SIGINT stop it cleanly.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    sys.stderr.write(
        "smtp-sink: the Python package aiosmtpd is not installed; "
        "install it with `python3 -m pip install aiosmtpd` (Tools/test installs it)\n")
    sys.exit(3)


class Maildir:
    """Numbers and writes the received messages."""

    def __init__(self, path):
        self.path = path
        self.count = 0

    def store(self, envelope, session):
        self.count += 1
        base = os.path.join(self.path, str(self.count))
        with open(base + ".eml", "wb") as file:
            file.write(envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_user": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None,
            "headers": {name.lower(): str(value) for name, value in message.items()},
            "body": body.get_content().replace("\r\n", "\n") if body is not None else "",
            "defects": [type(defect).__name__ for defect in message.defects]
                       + [type(defect).__name__ for part in message.walk() for defect in part.defects],
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False, indent=2)
        os.replace(base + ".json.tmp", base + ".json")


class Handler:
    """Accepts every message, or refuses every recipient when asked to."""

    def __init__(self, maildir, reject_rcpt):
        self.maildir = maildir
        self.reject_rcpt = reject_rcpt

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return f"550 5.1.1 no such user: {address}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.maildir.store(envelope, session)
        return f"250 OK: queued as {self.maildir.count}"


class NoEhloHandler(Handler):
    """A server from before ESMTP: EHLO is refused, HELO works."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        return ["502 5.5.1 EHLO is not supported here"]


class Authenticator:
    """Accepts exactly one user name and password."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login == self.user \
                and auth_data.password == self.password:
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)


def self_signed_tls_context(directory):
    """A server TLS context with a throwaway certificate for localhost and 127.0.0.1 (made with openssl)."""
    certificate = os.path.join(directory, "certificate.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    return context


async def hold_silently(reader, writer):
    """Keeps a connection open without ever answering, until the client gives up."""
    await reader.read()
    writer.close()


async def serve(arguments):
    loop = asyncio.get_running_loop()
    # A socket bound by the parent and handed over as standard input, or 127.0.0.1 and a port.
    place = {"sock": socket.socket(fileno=0)} if arguments.listen_on_stdin else {"host": "127.0.0.1", "port": arguments.port}
    if arguments.silent:
        server = await asyncio.start_server(hold_silently, **place)
    else:
        maildir = Maildir(arguments.maildir)
        handler = (NoEhloHandler if arguments.no_ehlo else Handler)(maildir, arguments.reject_rcpt)
        options = {}
        if arguments.starttls != "off":
            options["tls_context"] = self_signed_tls_context(tempfile.mkdtemp(prefix="smtp-sink-tls-"))
            options["require_starttls"] = arguments.starttls == "required"
        if arguments.auth:
            user, _, password = arguments.auth.partition(":")
            options["authenticator"] = Authenticator(user, password)
            options["auth_require_tls"] = arguments.starttls != "off"
        server = await loop.create_server(lambda: SMTP(handler, hostname="smtp-sink.localhost", **options), **place)
    stop = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    print(f"LISTENING {server.sockets[0].getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description="A real SMTP server on 127.0.0.1 that writes what it receives.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    parser.add_argument("--listen-on-stdin", action="store_true",
                        help="listen on the socket standard input is, bound by the parent (instead of --port)")
    parser.add_argument("--maildir", default=".", help="directory for <n>.eml and <n>.json")
    parser.add_argument("--reject-rcpt", action="store_true", help="answer 550 to every RCPT TO")
    parser.add_argument("--no-ehlo", action="store_true", help="answer 502 to EHLO (HELO still works)")
    parser.add_argument("--starttls", choices=("off", "optional", "required"), default="off",
                        help="offer STARTTLS with a throwaway self-signed certificate (requires openssl)")
    parser.add_argument("--auth", metavar="USER:PASSWORD",
                        help="offer AUTH and accept only these credentials (over TLS when --starttls is on)")
    parser.add_argument("--silent", action="store_true",
                        help="accept connections but never answer (for timeout tests)")
    arguments = parser.parse_args()
    # A parent may have blocked these signals in the thread that started us, and children inherit the mask.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    os.makedirs(arguments.maildir, exist_ok=True)
    asyncio.run(serve(arguments))


if __name__ == "__main__":
    main()
