#!/usr/bin/env python3
"""A small HTTP server for the `customs db update` tests.

Serves the files under --root on 127.0.0.1 (a directory answers with its
index.html) with an ETag (hash of the content) and a Last-Modified (the
file's mtime), and answers 304 to a matching If-None-Match or a not older
If-Modified-Since. Every request is logged as one JSON line in --log:
{"method", "path", "inm", "ims", "status"}.

Faults: --faults names a JSON file read at every request,
{"/path": ["500", "429:2", "cut", "slow:200", "404", "500*"]}. Each
request for the path takes the first action off its list (a "*" suffix
keeps it there forever); an empty list serves normally:
  500, 404, 503 ...  answer that status with a short body
  429:N              429 with "Retry-After: N"
  cut                send the headers and half the body, then close
  slow:MS            send the body in 8 chunks, MS milliseconds apart

The port is written to --port-file once the server listens. Stop it with
SIGTERM.
"""
import argparse
import email.utils
import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def take_fault(faults_path, path):
    """The next fault action for path, or None."""
    if not faults_path or not os.path.exists(faults_path):
        return None
    with LOCK:
        with open(faults_path) as f:
            faults = json.load(f)
        actions = faults.get(path) or []
        if not actions:
            return None
        action = actions[0]
        if action.endswith("*"):
            return action[:-1]
        faults[path] = actions[1:]
        tmp = faults_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(faults, f)
        os.replace(tmp, faults_path)
        return action


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self, status):
        rec = {
            "method": self.command,
            "path": self.path,
            "inm": self.headers.get("If-None-Match"),
            "ims": self.headers.get("If-Modified-Since"),
            "status": status,
        }
        with LOCK:
            with open(self.server.log_path, "a") as f:
                f.write(json.dumps(rec) + "\n")

    def plain(self, status, text, extra=None):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.log_request_line(status)

    def resolve(self):
        rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        full = os.path.realpath(os.path.join(self.server.root,
                                             rel.lstrip("/")))
        if not (full == self.server.root or
                full.startswith(self.server.root + os.sep)):
            return None
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")
        return full if os.path.isfile(full) else None

    def do_GET(self):
        route = urllib.parse.urlsplit(self.path).path
        fault = take_fault(self.server.faults, route)
        if fault and fault[0].isdigit() and ":" not in fault:
            return self.plain(int(fault), "fault %s\n" % fault)
        if fault and fault.startswith("429:"):
            return self.plain(429, "slow down\n",
                              {"Retry-After": fault.split(":", 1)[1]})
        path = self.resolve()
        if path is None:
            return self.plain(404, "not found\n")
        with open(path, "rb") as f:
            data = f.read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        mtime = int(os.stat(path).st_mtime)
        lm = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = inm == etag
        elif ims is not None:
            try:
                t = email.utils.parsedate_to_datetime(ims).timestamp()
                fresh = mtime <= t
            except (TypeError, ValueError):
                fresh = False
        if fresh:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", lm)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self.log_request_line(304)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lm)
        self.end_headers()
        if fault == "cut":
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return self.log_request_line("cut")
        if fault and fault.startswith("slow:"):
            delay = int(fault.split(":", 1)[1]) / 1000.0
            step = max(1, (len(data) + 7) // 8)
            for i in range(0, len(data), step):
                self.wfile.write(data[i:i + step])
                self.wfile.flush()
                time.sleep(delay)
        else:
            self.wfile.write(data)
        self.log_request_line(200)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--faults")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root = os.path.realpath(args.root)
    srv.log_path = args.log
    srv.faults = args.faults
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
