#!/usr/bin/env python3
"""A Docker registry token server for the registry tests (t0750).

usage: tokensrv.py DIR [options]

Serves the token endpoint /token on 127.0.0.1 (the port is written to
DIR/port once listening) for a docker-registry configured with
`auth: token:` (realm http://127.0.0.1:PORT/token, the same service and
issuer, rootcertbundle DIR/cert.pem). On first use it makes DIR/key.pem
(RSA 2048) and DIR/cert.pem (self-signed, the registry's root bundle).

Tokens are RS256 JWTs whose header carries the certificate (x5c, base64
DER) and whose claims are iss, sub, aud (= service), exp, nbf, iat, jti
and `access`: for each requested scope "repository:NAME:ACTIONS" the
actions the user may perform on NAME (possibly none).

  --service S        the registry's service name (default customs-registry)
  --issuer I         the issuer (default customs-tokensrv)
  --users FILE       lines "USER PASSWORD PATTERN ACTIONS", e.g.
                     "alice s3cret team/* pull,push" (fnmatch on the
                     repository name; several lines per user allowed)
  --anonymous MODE   what a request without credentials gets: "none" (a
                     token with no access, the default), "pull" (pull on
                     every repository) or "deny" (401); a file
                     DIR/anonymous, when present, overrides it (read on
                     every request, so a test can switch modes)
  --refresh TOK=USER a refresh token accepted for USER (repeatable)

Requests:
  GET /token?service=S&scope=SCOPE[&scope=...][&offline_token=true]
      Basic Authorization with a user's password, or none (anonymous).
  POST /token (application/x-www-form-urlencoded)
      grant_type=password: username, password, service, scope, client_id
      grant_type=refresh_token: refresh_token, service, scope, client_id
      The reply is {"access_token", "token", "expires_in", "issued_at"},
      plus "refresh_token": a fresh one (accepted afterwards) for the
      password grant and GETs with offline_token=true, the same one for
      the refresh grant.

Every request is appended to DIR/tokens.log as one JSON object: method,
path, grant_type, authorization ("none", "basic", or the scheme),
content_type, user (the authenticated user, or null), service, scope
(list), client_id and status. Passwords, refresh tokens and access
tokens are never logged, so a test can check they appear nowhere.
"""
import base64
import datetime
import fnmatch
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

LOCK = threading.Lock()
OPTS = {
    "service": "customs-registry",
    "issuer": "customs-tokensrv",
    "anonymous": "none",
}
USERS = {}  # name -> (password, [(pattern, set(actions))])
REFRESH = {}  # refresh token -> user
KEY_PEM = b""
X5C = ""


def make_key(d):
    key_path, cert_path = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    if os.path.exists(key_path) and os.path.exists(cert_path):
        return open(key_path, "rb").read(), open(cert_path, "rb").read()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "customs test token signer")])
    now = datetime.datetime.utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    kp = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cp = cert.public_bytes(serialization.Encoding.PEM)
    with open(key_path, "wb") as f:
        f.write(kp)
    with open(cert_path, "wb") as f:
        f.write(cp)
    return kp, cp


def load_users(path):
    for line in open(path):
        f = line.split()
        if len(f) != 4 or f[0].startswith("#"):
            continue
        pw, grants = USERS.setdefault(f[0], (f[1], []))
        grants.append((f[2], set(f[3].split(","))))


def parse_scopes(values):
    out = []
    for v in values:
        for s in v.split():
            typ, _, rest = s.partition(":")
            name, _, actions = rest.rpartition(":")
            if typ and name:
                out.append((typ, name, [a for a in actions.split(",") if a]))
    return out


def anonymous_mode():
    try:
        return open(os.path.join(DIR, "anonymous")).read().strip()
    except FileNotFoundError:
        return OPTS["anonymous"]


def allowed(user, typ, name, actions):
    if typ != "repository":
        return []
    if user is None:
        return ["pull"] if anonymous_mode() == "pull" and "pull" in actions else []
    ok = set()
    for pattern, acts in USERS[user][1]:
        if fnmatch.fnmatchcase(name, pattern):
            ok |= acts
    return [a for a in actions if a in ok]


def make_token(user, scopes):
    now = int(time.time())
    claims = {
        "iss": OPTS["issuer"],
        "sub": user or "",
        "aud": OPTS["service"],
        "exp": now + 300,
        "nbf": now - 10,
        "iat": now,
        "jti": secrets.token_hex(8),
        "access": [
            {"type": t, "name": n, "actions": allowed(user, t, n, a)}
            for t, n, a in scopes
        ],
    }
    return jwt.encode(claims, KEY_PEM, algorithm="RS256", headers={"x5c": [X5C]})


def new_refresh(user):
    tok = "rt-" + secrets.token_hex(16)
    with LOCK:
        REFRESH[tok] = user
    return tok


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def record(self, **kw):
        entry = {
            "method": self.command,
            "path": urllib.parse.urlsplit(self.path).path,
            "grant_type": None,
            "authorization": "none",
            "content_type": self.headers.get("Content-Type"),
            "user": None,
            "service": None,
            "scope": [],
            "client_id": None,
        }
        auth = self.headers.get("Authorization")
        if auth:
            entry["authorization"] = auth.split(" ", 1)[0].lower()
        entry.update(kw)
        with LOCK:
            with open(LOG, "a") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")

    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def basic_user(self):
        """(user or None, ok): ok False when credentials were wrong."""
        auth = self.headers.get("Authorization")
        if not auth:
            return None, True
        scheme, _, val = auth.partition(" ")
        if scheme.lower() != "basic":
            return None, False
        try:
            name, _, pw = base64.b64decode(val).decode().partition(":")
        except Exception:
            return None, False
        if name in USERS and USERS[name][0] == pw:
            return name, True
        return None, False

    def grant(self, user, service, scopes, refresh, log):
        if service != OPTS["service"]:
            log["status"] = 400
            self.record(**log)
            return self.reply(400, {"error": "invalid_request", "error_description": "unknown service"})
        if user is None and anonymous_mode() == "deny":
            log["status"] = 401
            self.record(**log)
            return self.reply(401, {"error": "unauthorized", "error_description": "authentication required"})
        tok = make_token(user, scopes)
        out = {"access_token": tok, "token": tok, "expires_in": 300,
               "issued_at": datetime.datetime.utcnow().isoformat() + "Z"}
        if isinstance(refresh, str):
            out["refresh_token"] = refresh  # the refresh grant's own token
        elif refresh and user:
            out["refresh_token"] = new_refresh(user)
        log["status"] = 200
        self.record(**log)
        self.reply(200, out)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        service = (q.get("service") or [None])[0]
        log = {"service": service, "scope": q.get("scope", [])}
        if u.path != "/token":
            log["status"] = 404
            self.record(**log)
            return self.reply(404, {"error": "not found"})
        user, ok = self.basic_user()
        log["user"] = user
        if not ok:
            log["status"] = 401
            self.record(**log)
            return self.reply(401, {"error": "unauthorized", "error_description": "bad credentials"})
        offline = (q.get("offline_token") or [""])[0] == "true"
        self.grant(user, service, parse_scopes(q.get("scope", [])), offline, log)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(n, 1 << 16)).decode("utf-8", "replace")
        f = urllib.parse.parse_qs(raw)
        one = lambda k: (f.get(k) or [None])[0]
        gt = one("grant_type")
        log = {"grant_type": gt, "service": one("service"),
               "scope": f.get("scope", []), "client_id": one("client_id")}
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if urllib.parse.urlsplit(self.path).path != "/token":
            log["status"] = 404
            self.record(**log)
            return self.reply(404, {"error": "not found"})
        if ctype != "application/x-www-form-urlencoded" or not one("client_id"):
            log["status"] = 400
            self.record(**log)
            return self.reply(400, {"error": "invalid_request"})
        user = None
        if gt == "password":
            name, pw = one("username"), one("password")
            if name in USERS and USERS[name][0] == pw:
                user = name
        elif gt == "refresh_token":
            with LOCK:
                user = REFRESH.get(one("refresh_token") or "")
        else:
            log["status"] = 400
            self.record(**log)
            return self.reply(400, {"error": "unsupported_grant_type"})
        log["user"] = user
        if user is None:
            log["status"] = 400
            self.record(**log)
            return self.reply(400, {"error": "invalid_grant"})
        self.grant(user, one("service"), parse_scopes(f.get("scope", [])),
                   one("refresh_token") if gt == "refresh_token" else True, log)


def main():
    global KEY_PEM, X5C, LOG, DIR
    d = DIR = sys.argv[1]
    args = sys.argv[2:]
    while args:
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--users":
            load_users(val)
        elif opt == "--refresh":
            tok, _, user = val.partition("=")
            REFRESH[tok] = user
        elif opt in ("--service", "--issuer", "--anonymous"):
            OPTS[opt[2:]] = val
        else:
            sys.exit("tokensrv.py: unknown option " + opt)
    os.makedirs(d, exist_ok=True)
    KEY_PEM, cert_pem = make_key(d)
    cert = x509.load_pem_x509_certificate(cert_pem)
    X5C = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    LOG = os.path.join(d, "tokens.log")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(os.path.join(d, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
    srv.serve_forever()


LOG = None
DIR = None
if __name__ == "__main__":
    main()
