#!/usr/bin/python3
"""A real SMTP server for clerk's tests (aiosmtpd): it keeps every accepted message as files and can relay it
into Dovecot over LMTP.

Run by tests/support/smtp_sink.rs with Debian's /usr/bin/python3 (python3-aiosmtpd). For each accepted message
it writes NNNNNN.eml (the data as received, dot-unstuffed) and then NNNNNN.json (the envelope); both atomically
(temporary file + rename), and the .json last, so a reader that sees the .json sees the whole message.

With --lmtp-port the message is first relayed to Dovecot: recipients Dovecot knows get it in their mailbox;
recipients it refuses with a 5xx (not a user there) are "the outside world" and only kept here. A connection
failure or a 4xx makes the sink answer 451 and keep nothing, so the client retries: what a real relay does.

It prints "listening" once the port is bound, and exits when its stdin closes: the test process holds the
other end, so the sink goes away with it even if that process is killed.
"""

import argparse
import asyncio
import base64
import json
import logging
import os
import smtplib
import ssl
import sys
import urllib.parse
import urllib.request

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

import lifeline


class TemporaryFailure(Exception):
    pass


class Sink:
    def __init__(self, directory, lmtp_port):
        self.directory = directory
        self.lmtp_port = lmtp_port
        # Continue the numbering after a restart on the same directory.
        numbers = [int(name[:6]) for name in os.listdir(directory) if name.endswith(".json") and name[:6].isdigit()]
        self.next_number = max(numbers, default=0) + 1

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        # aiosmtpd reports the null sender as "<>"; the envelope file says "" as the Rust side expects.
        mail_from = "" if envelope.mail_from == "<>" else envelope.mail_from
        try:
            # Blocking on purpose: one message at a time keeps the numbering in arrival order.
            relayed = self.relay(mail_from, envelope.rcpt_tos, raw) if self.lmtp_port else []
        except TemporaryFailure as e:
            logging.warning("relay failed, answering 451: %s", e)
            return "451 4.4.0 relay to Dovecot failed: %s" % str(e).replace("\r", " ").replace("\n", " ")
        number = "%06d" % self.next_number
        self.next_number += 1
        self.write(number + ".eml", raw)
        envelope_json = {
            "mail_from": mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "relayed_to": relayed,
            "auth_login": session.auth_data if session.authenticated else None,
        }
        self.write(number + ".json", json.dumps(envelope_json).encode())
        return "250 2.0.0 Ok: stored as %s" % number

    def write(self, name, data):
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.directory, name))

    def relay(self, mail_from, rcpt_tos, raw):
        """Delivers to the recipients Dovecot accepts; returns them."""
        try:
            with smtplib.LMTP("127.0.0.1", self.lmtp_port, local_hostname="sink.test", timeout=30) as lmtp:
                code, reply = lmtp.ehlo()
                if code != 250:
                    raise TemporaryFailure("LHLO: %d %s" % (code, reply))
                code, reply = lmtp.mail(mail_from)
                if code != 250:
                    raise TemporaryFailure("MAIL FROM: %d %s" % (code, reply))
                accepted = []
                for rcpt in rcpt_tos:
                    code, reply = lmtp.rcpt(rcpt)
                    if code == 250:
                        accepted.append(rcpt)
                    elif code < 500:
                        raise TemporaryFailure("RCPT TO %s: %d %s" % (rcpt, code, reply))
                if not accepted:
                    return []
                # LMTP answers the data once per accepted recipient; smtplib's data() reads only the first.
                replies = [lmtp.data(raw)] + [lmtp.getreply() for _ in accepted[1:]]
                failed = [(r, c, m) for r, (c, m) in zip(accepted, replies) if c != 250]
                if failed:
                    raise TemporaryFailure("data refused: %r" % failed)
                return accepted
        except (OSError, smtplib.SMTPException) as e:
            raise TemporaryFailure("%s: %s" % (type(e).__name__, e))


class XOAuth2Sink(Sink):
    """A sink that takes AUTH XOAUTH2 only, as Gmail and Microsoft 365 do for OAuth2 clients: the bearer token
    is checked with the authorization server's introspection endpoint (RFC 7662)."""

    def __init__(self, directory, lmtp_port, introspection_url):
        super().__init__(directory, lmtp_port)
        self.introspection_url = introspection_url

    async def auth_XOAUTH2(self, server, args):
        if len(args) == 2:
            response = base64.b64decode(args[1])
        else:
            response = await server.challenge_auth("", encode_to_b64=False)
        fields = dict(f.split("=", 1) for f in response.decode().split("\x01") if "=" in f)
        user, token = fields.get("user"), fields.get("auth", "").removeprefix("Bearer ")
        body = urllib.parse.urlencode({"token": token}).encode()
        with urllib.request.urlopen(self.introspection_url, data=body, timeout=10) as answer:
            introspected = json.load(answer)
        if introspected.get("active") and introspected.get("email") == user:
            return AuthResult(success=True, auth_data=user)
        # XOAUTH2 reports the failure in a challenge the client answers with an empty line, then 535.
        error = json.dumps({"status": "401", "schemes": "bearer", "scope": "https://mail.test/"})
        await server.challenge_auth(error)
        return AuthResult(success=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--lmtp-port", type=int)
    parser.add_argument("--auth", help="LOGIN:PASSWORD that clients must authenticate with")
    parser.add_argument("--xoauth2-introspection", help="require AUTH XOAUTH2, tokens checked at this URL")
    parser.add_argument("--tls", choices=["starttls", "implicit"])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)

    context = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        login, password = args.auth.split(":", 1)
        ok = isinstance(auth_data, LoginPassword) and auth_data == (login.encode(), password.encode())
        return AuthResult(success=ok, handled=False, auth_data=login if ok else None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if args.xoauth2_introspection:
        handler = XOAuth2Sink(args.dir, args.lmtp_port, args.xoauth2_introspection)
    else:
        handler = Sink(args.dir, args.lmtp_port)

    def factory():
        return SMTP(
            handler,
            loop=loop,
            # A fixed name: socket.getfqdn() can stall on DNS lookups in a machine without network.
            hostname="sink.test",
            ident="clerk test SMTP sink",
            enable_SMTPUTF8=True,
            authenticator=authenticator if args.auth else None,
            auth_required=bool(args.auth or args.xoauth2_introspection),
            auth_exclude_mechanism=["PLAIN", "LOGIN"] if args.xoauth2_introspection else None,
            # Like a real submission server, AUTH only over TLS when there is TLS. aiosmtpd counts only
            # STARTTLS as TLS, so implicit TLS must not require it.
            auth_require_tls=args.tls == "starttls",
            tls_context=context if args.tls == "starttls" else None,
        )

    server_ssl = context if args.tls == "implicit" else None
    try:
        loop.run_until_complete(loop.create_server(factory, "127.0.0.1", args.port, ssl=server_ssl))
    except OSError as e:
        print("cannot listen on port %d: %s" % (args.port, e), file=sys.stderr, flush=True)
        sys.exit(2)
    lifeline.listening()
    loop.run_forever()


if __name__ == "__main__":
    main()
