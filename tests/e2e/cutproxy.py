#!/usr/bin/env python3
"""An HTTP proxy in front of a registry that breaks blob downloads.

usage: cutproxy.py UPSTREAM_PORT CUT_AFTER CUT_TIMES LOG PORTFILE [429:SECS|norange]

Forwards every request to 127.0.0.1:UPSTREAM_PORT. The first CUT_TIMES
answers to a GET of a blob longer than CUT_AFTER bytes (CUT_TIMES -1: all
of them) send their headers and only CUT_AFTER bytes of the body, then the
connection is closed; with
429:SECS they are instead "429 Too Many Requests" with Retry-After: SECS.
Every request line (with its Range header) is appended to LOG. The port
listened on is written to PORTFILE. With norange the Range header is not
forwarded: a resumed download gets the whole blob again (200), as from
a server that ignores Range.
"""
import http.client
import http.server
import sys
import threading

UP = int(sys.argv[1])
CUT_AFTER = int(sys.argv[2])
CUT_TIMES = int(sys.argv[3])
LOG = sys.argv[4]
MODE = sys.argv[6] if len(sys.argv) > 6 else ""
RATE = int(MODE.split(":")[1]) if MODE.startswith("429:") else None
NORANGE = MODE == "norange"
lock = threading.Lock()
cuts = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def forward(self):
        rng = self.headers.get("Range", "")
        with lock:
            with open(LOG, "a") as f:
                f.write("%s %s %s\n" % (self.command, self.path, rng))
        conn = http.client.HTTPConnection("127.0.0.1", UP, timeout=30)
        drop = ("host", "range") if NORANGE else ("host",)
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in drop}
        conn.request(self.command, self.path, headers=hdrs)
        r = conn.getresponse()
        body = r.read()
        cut = False
        if (self.command == "GET" and "/blobs/" in self.path and r.status in (200, 206)
                and (RATE is not None or len(body) > CUT_AFTER)):
            with lock:
                if CUT_TIMES < 0 or cuts[0] < CUT_TIMES:
                    cuts[0] += 1
                    cut = True
        if cut and RATE is not None:
            msg = b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}'
            self.send_response(429)
            self.send_header("Retry-After", str(RATE))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            conn.close()
            return
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body[:CUT_AFTER] if cut else body)
        self.wfile.flush()
        if cut:
            self.close_connection = True
        conn.close()

    do_GET = forward
    do_HEAD = forward


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[5], "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
