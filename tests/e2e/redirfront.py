#!/usr/bin/env python3
"""Small HTTP servers around a registry for t0740-registry-proxy-redirect.

usage: redirfront.py MODE LOG PORTFILE ARGS...

  proxy                     a forward proxy on 127.0.0.1: takes
                            absolute-URI requests and forwards them to the
                            host and port they name
  target UP_PORT            on 127.0.0.2: forwards every request to the
                            registry on 127.0.0.1:UP_PORT (the place a
                            redirect points at, like object storage)
  front UP_PORT TARGET [USER:PASS]
                            on 127.0.0.1: forwards /v2/ calls to the
                            registry, but answers blob GETs with
                            "307 Location: http://TARGET/same/path"; with
                            USER:PASS every request needs that Basic
                            Authorization (else 401)

Each request is appended to LOG as "METHOD PATH auth=yes|no" (auth: an
Authorization header was present); the proxy logs the absolute URI. The
port listened on is written to PORTFILE.
"""
import base64
import http.client
import http.server
import sys
import threading
import urllib.parse

MODE = sys.argv[1]
LOG = sys.argv[2]
PORTFILE = sys.argv[3]
ARGS = sys.argv[4:]
lock = threading.Lock()
HOP = ("host", "connection", "proxy-connection", "keep-alive",
       "transfer-encoding", "content-length", "proxy-authorization")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def log(self):
        auth = "yes" if self.headers.get("Authorization") else "no"
        with lock:
            with open(LOG, "a") as f:
                f.write("%s %s auth=%s\n" % (self.command, self.path, auth))

    def reply(self, status, hdrs, body):
        self.send_response(status)
        for k, v in hdrs:
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def forward(self, host, port, path):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, path, headers=hdrs)
        r = conn.getresponse()
        body = r.read()
        self.reply(r.status, r.getheaders(), body)
        conn.close()

    def handle_one(self):
        self.log()
        if MODE == "proxy":
            u = urllib.parse.urlsplit(self.path)
            if u.scheme != "http":
                self.reply(400, [], b"absolute http URI expected\n")
                return
            path = u.path + ("?" + u.query if u.query else "")
            self.forward(u.hostname, u.port or 80, path)
            return
        up = int(ARGS[0])
        if MODE == "target":
            self.forward("127.0.0.1", up, self.path)
            return
        target = ARGS[1]
        if len(ARGS) > 2:
            want = "Basic " + base64.b64encode(ARGS[2].encode()).decode()
            if self.headers.get("Authorization") != want:
                body = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
                self.reply(401, [("WWW-Authenticate", 'Basic realm="front"'),
                                 ("Content-Type", "application/json")], body)
                return
        if self.command == "GET" and "/blobs/sha256:" in self.path:
            self.reply(307, [("Location", "http://%s%s" % (target, self.path))], b"")
            return
        self.forward("127.0.0.1", up, self.path)

    do_GET = handle_one
    do_HEAD = handle_one


addr = "127.0.0.2" if MODE == "target" else "127.0.0.1"
srv = http.server.ThreadingHTTPServer((addr, 0), Handler)
srv.daemon_threads = True
with open(PORTFILE, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
