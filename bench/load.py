"""HTTP load against a running PartnerHub, with faults injected on a timetable.

    python bench/load.py --url http://127.0.0.1:8000 --connections 8 --seconds 60

A mix of anonymous pages (home, directory, a profile, ideas, an idea, calls),
signed-in pages (dashboard, suggested partners) and, per connection, one sign-in
and one write (the organisation switch). Prints requests/s, p50/p95/p99 in ms
and the count of errors (5xx and connection failures), overall and per second,
as one JSON object.

``--fault "10:redis-stop" --fault "20:redis-start"`` runs a shell command from
``--fault-command NAME=COMMAND`` at that second of the run, so the output shows
what a Redis stop or a database outage did and when the site recovered.
``--proxy LISTEN:TARGET`` runs a TCP proxy in this process (for example
between gunicorn and PostgreSQL) that the faults ``proxy-down`` and
``proxy-up`` cut and restore, to measure a database outage without
restarting a database others use.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections import defaultdict

ANONYMOUS = ["/", "/organisations/", "/ideas/", "/calls/"]


class Proxy:
    """A TCP proxy that can be switched off (existing connections cut) and on."""

    def __init__(self, listen: str, target: str):
        host, port = listen.rsplit(":", 1)
        self.target = target.rsplit(":", 1)
        self.server = socket.create_server((host, int(port)), reuse_port=False)
        self.up = threading.Event()
        self.up.set()
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.server.accept()
            if not self.up.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection((self.target[0], int(self.target[1])), 2)
                upstream.settimeout(None)  # the 2 s were for connecting; idle is fine
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def down(self):
        self.up.clear()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections = []

    def restore(self):
        self.up.set()


def discover(base: str) -> dict[str, list[str]]:
    """Profile and idea URLs to request, read from the list pages."""
    found = {"profiles": [], "ideas": []}
    for page, key, pattern in (
        ("/organisations/", "profiles", r'href="(/organisations/[a-z0-9-]+/)"'),
        ("/ideas/", "ideas", r'href="(/ideas/[a-z0-9-]+/)"'),
    ):
        status, body = fetch(base, page)
        if status == 200:
            urls = {u for u in re.findall(pattern, body) if not u.endswith(("new/", "switch/"))}
            found[key] = sorted(urls)[:20]
    return found


def fetch(base, path, *, method="GET", body=None, headers=None, conn=None):
    parsed = urllib.parse.urlsplit(base)
    own = conn is None
    conn = conn or http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=15)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    if own:
        conn.close()
    return response.status, text


class Session:
    """One connection's cookies (session and CSRF), for a sign-in and a write."""

    def __init__(self, base):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path, method="GET", form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        parsed = urllib.parse.urlsplit(self.base)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=15)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status


def run(args) -> dict:
    urls = discover(args.url)
    anonymous = ANONYMOUS + urls["profiles"] + urls["ideas"]
    results: list[tuple[float, float, int]] = []  # (start offset, ms, status or 0)
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + args.seconds

    def worker(index):
        rng = random.Random(index)
        session = Session(args.url)
        signed_in = False
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                if args.email and not signed_in and rng.random() < 0.02:
                    session.request("/accounts/login/")
                    status = session.request(
                        "/accounts/login/",
                        "POST",
                        {"login": args.email, "password": args.password},
                    )
                    signed_in = status == 302
                elif signed_in and rng.random() < 0.05:
                    status = session.request("/dashboard/")
                elif signed_in and rng.random() < 0.01:
                    status = session.request("/organisations/switch/", "POST", {"organisation": ""})
                else:
                    status, _ = fetch(args.url, rng.choice(anonymous))
            except (OSError, http.client.HTTPException):
                status = 0
            with lock:
                results.append((t0 - started, (time.monotonic() - t0) * 1000, status))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    return_codes = {}
    for at, name in sorted(args.faults):
        delay = started + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if name == "proxy-down":
            args.proxy_obj.down()
        elif name == "proxy-up":
            args.proxy_obj.restore()
        else:
            return_codes[name] = subprocess.run(args.commands[name], shell=True).returncode  # noqa: S602
    for thread in threads:
        thread.join()
    return summarise(results, args)


def summarise(results, args) -> dict:
    latencies = sorted(ms for _, ms, status in results if status and status < 500)
    errors = [(offset, status) for offset, _, status in results if not status or status >= 500]
    per_second = defaultdict(lambda: [0, 0])
    for offset, _, status in results:
        per_second[int(offset)][0] += 1
        if not status or status >= 500:
            per_second[int(offset)][1] += 1
    last_error = max((offset for offset, _ in errors), default=None)

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 1)

    return {
        "connections": args.connections,
        "seconds": args.seconds,
        "requests": len(results),
        "requests_per_second": round(len(results) / args.seconds, 1),
        "p50_ms": pct(0.50) if latencies else None,
        "p95_ms": pct(0.95) if latencies else None,
        "p99_ms": pct(0.99) if latencies else None,
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "errors": len(errors),
        "errors_by_status": {
            str(s): sum(1 for _, x in errors if x == s) for s in {x for _, x in errors}
        },
        "last_error_at_s": round(last_error, 2) if last_error is not None else None,
        "faults": [f"{at}s {name}" for at, name in sorted(args.faults)],
        "per_second": {s: per_second[s] for s in sorted(per_second)},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--email", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--fault", action="append", default=[], help="SECOND:NAME")
    parser.add_argument("--fault-command", action="append", default=[], help="NAME=COMMAND")
    parser.add_argument("--proxy", default="", help="LISTEN_HOST:PORT:TARGET_HOST:PORT")
    args = parser.parse_args()
    args.faults = [(float(f.split(":", 1)[0]), f.split(":", 1)[1]) for f in args.fault]
    args.commands = dict(c.split("=", 1) for c in args.fault_command)
    if args.proxy:
        parts = args.proxy.split(":")
        args.proxy_obj = Proxy(f"{parts[0]}:{parts[1]}", f"{parts[2]}:{parts[3]}")
    print(json.dumps(run(args), indent=1))


if __name__ == "__main__":
    main()
