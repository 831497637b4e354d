#!/usr/bin/python3
"""An OAuth2 authorization server for clerk's tests, on loopback: what Google or Microsoft do for a mail client.

Run by tests/support/oauth_server.rs. Endpoints (RFC 6749, RFC 8628, RFC 7636, RFC 7662):

  GET  /authorize    the browser sign-in: the person has agreed at once; redirects to redirect_uri with a code
                     (the PKCE code_challenge is remembered for the code)
  POST /device       device authorization: a device_code and the user_code a person types in
  GET  /approve      ?user_code=…: the person enters the code and agrees (the test plays the person)
  POST /token        grant_type authorization_code (PKCE checked), device_code, refresh_token
  POST /introspect   for Dovecot's oauth2 passdb and the SMTP sink: is this access token live, whose is it
  GET  /expire       every access token issued so far stops working now, whatever its expires_in said
  GET  /stats        what happened so far, as JSON, for the tests to assert on

Access tokens live --lifetime seconds. With --rotate every refresh also replaces the refresh token (as Microsoft
does), and the old one stops working. Every issued refresh token belongs to --email.

It prints "listening" once the port is bound, and exits when its stdin closes.
"""

import argparse
import base64
import hashlib
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lifeline

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.codes = {}  # authorization code -> (code_challenge, redirect_uri)
        self.devices = {}  # device_code -> {"user_code", "approved"}
        self.refresh_tokens = set(args.refresh_token or [])
        self.access_tokens = {}  # token -> expiry (time.time())
        self.stats = {"refreshes": 0, "introspections": 0, "active_introspections": 0, "device_polls": 0}

    def issue(self, with_refresh):
        access = "at-" + secrets.token_urlsafe(16)
        self.access_tokens[access] = time.time() + self.args.lifetime
        body = {"access_token": access, "token_type": "Bearer", "expires_in": self.args.lifetime}
        if with_refresh:
            refresh = "rt-" + secrets.token_urlsafe(16)
            self.refresh_tokens.add(refresh)
            body["refresh_token"] = refresh
        return body


class Handler(BaseHTTPRequestHandler):
    state = None

    def log_message(self, format, *args):
        sys.stderr.write("oauth: " + (format % args) + "\n")

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, description=""):
        self.reply(400, {"error": code, "error_description": description})

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}

    def client_ok(self, form):
        """The client is identified in the body (clerk's choice) or with HTTP Basic."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            decoded = base64.b64decode(basic[6:]).decode()
            client_id, secret = (urllib.parse.unquote(p) for p in decoded.split(":", 1))
        if client_id != self.state.args.client_id:
            return False
        return self.state.args.client_secret is None or secret == self.state.args.client_secret

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        state = self.state
        with state.lock:
            if url.path == "/authorize":
                if query.get("client_id") != state.args.client_id or query.get("code_challenge_method") != "S256":
                    return self.error("invalid_request", "client_id or PKCE S256 missing")
                code = "code-" + secrets.token_urlsafe(8)
                state.codes[code] = (query.get("code_challenge"), query.get("redirect_uri"))
                target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                    {"code": code, "state": query.get("state", ""), "scope": query.get("scope", "")}
                )
                return self.reply(302, {}, [("Location", target)])
            if url.path == "/approve":
                for device in state.devices.values():
                    if device["user_code"] == query.get("user_code"):
                        device["approved"] = True
                        return self.reply(200, {"approved": True})
                return self.reply(404, {"approved": False})
            if url.path == "/expire":
                for token in state.access_tokens:
                    state.access_tokens[token] = 0
                return self.reply(200, {"expired": len(state.access_tokens)})
            if url.path == "/stats":
                return self.reply(200, state.stats)
        self.reply(404, {})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        form = self.form()
        state = self.state
        with state.lock:
            if url.path == "/introspect":
                state.stats["introspections"] += 1
                expiry = state.access_tokens.get(form.get("token"))
                if expiry is None or expiry < time.time():
                    return self.reply(200, {"active": False})
                state.stats["active_introspections"] += 1
                return self.reply(200, {"active": True, "email": state.args.email})
            if url.path == "/device":
                if not self.client_ok(form):
                    return self.error("invalid_client")
                device_code = "dc-" + secrets.token_urlsafe(8)
                user_code = "%04d-%04d" % (secrets.randbelow(10000), secrets.randbelow(10000))
                state.devices[device_code] = {"user_code": user_code, "approved": False}
                port = self.server.server_address[1]
                return self.reply(200, {
                    "device_code": device_code,
                    "user_code": user_code,
                    "verification_uri": "http://127.0.0.1:%d/device-login" % port,
                    "expires_in": 600,
                    "interval": 1,
                })
            if url.path != "/token":
                return self.reply(404, {})
            if not self.client_ok(form):
                return self.error("invalid_client")
            grant = form.get("grant_type")
            if grant == "authorization_code":
                issued = state.codes.pop(form.get("code"), None)
                if issued is None:
                    return self.error("invalid_grant", "unknown or used code")
                challenge, redirect_uri = issued
                verifier = form.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if digest != challenge or form.get("redirect_uri") != redirect_uri:
                    return self.error("invalid_grant", "PKCE verifier or redirect_uri does not match")
                return self.reply(200, state.issue(with_refresh=True))
            if grant == DEVICE_GRANT:
                state.stats["device_polls"] += 1
                device = state.devices.get(form.get("device_code"))
                if device is None:
                    return self.error("expired_token")
                if not device["approved"]:
                    return self.error("authorization_pending")
                del state.devices[form["device_code"]]
                return self.reply(200, state.issue(with_refresh=True))
            if grant == "refresh_token":
                token = form.get("refresh_token")
                if token not in state.refresh_tokens:
                    return self.error("invalid_grant", "Token has been expired or revoked.")
                state.stats["refreshes"] += 1
                if state.args.rotate:
                    state.refresh_tokens.discard(token)
                return self.reply(200, state.issue(with_refresh=state.args.rotate))
            return self.error("unsupported_grant_type")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret")
    parser.add_argument("--email", required=True, help="whose tokens these are")
    parser.add_argument("--refresh-token", action="append", help="a refresh token valid from the start")
    parser.add_argument("--lifetime", type=int, default=3600, help="access token lifetime in seconds")
    parser.add_argument("--rotate", action="store_true")
    args = parser.parse_args()

    Handler.state = State(args)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    except OSError as e:
        print("cannot listen on port %d: %s" % (args.port, e), file=sys.stderr, flush=True)
        sys.exit(2)
    lifeline.listening()
    server.serve_forever()


if __name__ == "__main__":
    main()
