"""HTTP load against a running PartnerHub, with faults injected on a timetable.

    python bench/load.py --url http://127.0.0.1:8000 --connections 8 --seconds 60

A mix of anonymous pages (home, directory, a profile, ideas, an idea, calls),
signed-in pages (dashboard, suggested partners of the account's idea) and, per
connection, one sign-in and one write (the organisation switch). Prints
requests/s, p50/p95/p99 in ms and the count of errors (5xx and connection
failures), overall, per kind of page and per second, as one JSON object.

``--attack N`` adds N connections that only request ``/ideas/?q=`` with 1,300
words (the search attack of issue 10); their requests are reported apart
(``attack``), so the home page's figures show what the attack did to it.
``--mail-every S`` posts a password reset for the signed-in address every S
seconds (a write that queues an e-mail), for the mail-server fault.

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
import string
import subprocess
import threading
import time
import urllib.parse
from collections import defaultdict

ANONYMOUS = ["/", "/organisations/", "/ideas/", "/calls/"]
# 1,300 words of one or two letters: the longest such query that fits gunicorn's
# request line (4,094 bytes); longer ones get gunicorn's 414 before the app sees them.
_WORDS = list(string.ascii_lowercase) + [
    a + b for a in string.ascii_lowercase for b in string.ascii_lowercase
]
ATTACK_PATH = "/ideas/?" + urllib.parse.urlencode(
    {"q": " ".join(_WORDS[i % len(_WORDS)] for i in range(1300))}
)


def kind_of(path: str) -> str:
    """The kind of page a path is, for the per-kind figures."""
    if path == "/":
        return "home"
    if path.startswith("/ideas/?q="):
        return "attack"
    if path.endswith("/partners/"):
        return "suggestions"
    for prefix, kind in (
        ("/organisations/switch/", "write"),
        ("/accounts/password/reset/", "mail write"),
        ("/accounts/login/", "sign-in"),
        ("/organisations/", "profile"),
        ("/ideas/", "idea"),
        ("/calls/", "calls"),
        ("/dashboard/", "dashboard"),
    ):
        if path.startswith(prefix):
            if path == "/organisations/":
                return "directory"
            if path == "/ideas/":
                return "ideas"
            return kind
    return "other"


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
    if args.paths:
        anonymous = args.paths.split(",")
    else:
        urls = discover(args.url)
        anonymous = ANONYMOUS + urls["profiles"] + urls["ideas"]
    suggestions = find_suggestions(args) if args.email else []
    results: list[tuple[float, float, int, str]] = []  # (start offset, ms, status or 0, kind)
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + args.seconds

    def record(t0, status, path):
        with lock:
            results.append((t0 - started, (time.monotonic() - t0) * 1000, status, kind_of(path)))

    def worker(index):
        rng = random.Random(index)
        session = Session(args.url)
        signed_in = False
        next_mail = args.mail_every
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            path = rng.choice(anonymous)
            try:
                if args.email and not signed_in and rng.random() < 0.02:
                    path = "/accounts/login/"
                    session.request(path)
                    status = session.request(
                        path, "POST", {"login": args.email, "password": args.password}
                    )
                    signed_in = status == 302
                elif index == 0 and next_mail and t0 - started >= next_mail:
                    # One connection asks for a password reset now and then: an e-mail queued.
                    next_mail += args.mail_every
                    path = "/accounts/password/reset/"
                    if "csrftoken" not in session.cookies:
                        session.request(path)
                    status = session.request(path, "POST", {"email": args.email})
                elif signed_in and rng.random() < 0.05:
                    path = "/dashboard/"
                    status = session.request(path)
                elif signed_in and suggestions and rng.random() < 0.05:
                    path = rng.choice(suggestions)
                    status = session.request(path)
                elif signed_in and rng.random() < 0.01:
                    path = "/organisations/switch/"
                    status = session.request(path, "POST", {"organisation": ""})
                else:
                    status, _ = fetch(args.url, path)
            except (OSError, http.client.HTTPException):
                status = 0
            record(t0, status, path)

    def attacker():
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                status, _ = fetch(args.url, ATTACK_PATH)
            except (OSError, http.client.HTTPException):
                status = 0
            record(t0, status, ATTACK_PATH)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    threads += [threading.Thread(target=attacker) for _ in range(args.attack)]
    for thread in threads:
        thread.start()
    args.fault_log = []
    for at, name in sorted(args.faults):
        delay = started + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        began = time.monotonic() - started
        code = 0
        if name == "proxy-down":
            args.proxy_obj.down()
        elif name == "proxy-up":
            args.proxy_obj.restore()
        else:
            code = subprocess.run(args.commands[name], shell=True).returncode  # noqa: S602
        args.fault_log.append((name, began, time.monotonic() - started, code))
    for thread in threads:
        thread.join()
    return summarise(results, args)


def recovery(results, name, began, finished, code) -> dict:
    """What one fault did: errors while it ran and after it, and when answers came back.

    ``recovered_after_s``: from the moment the fault's command returned (the server
    back) to the end of the last failed request of the run, 0 when none failed after.
    """
    failed = [
        (t, ms)
        for t, ms, status, kind in results
        if kind != "attack" and (not status or status >= 500)
    ]
    after = [(t, ms) for t, ms in failed if t + ms / 1000 > finished]
    first_ok = min(
        (
            t + ms / 1000
            for t, ms, status, kind in results
            if kind != "attack" and status and status < 500 and t >= finished
        ),
        default=None,
    )
    return {
        "fault": name,
        "command_returned": code,
        "from_s": round(began, 2),
        "to_s": round(finished, 2),
        "errors_while_down": sum(1 for t, ms in failed if t + ms / 1000 <= finished),
        "errors_after": len(after),
        "recovered_after_s": round(
            max((t + ms / 1000 for t, ms in after), default=finished) - finished, 2
        ),
        "first_answer_after_s": round(first_ok - finished, 2) if first_ok is not None else None,
    }


def find_suggestions(args) -> list[str]:
    """The suggested-partners pages of the signed-in account's ideas, read from its dashboard."""
    session = Session(args.url)
    session.request("/accounts/login/")
    session.request("/accounts/login/", "POST", {"login": args.email, "password": args.password})
    parsed = urllib.parse.urlsplit(args.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    _, body = fetch(args.url, "/dashboard/", headers={"Cookie": cookies}, conn=conn)
    conn.close()
    ideas = sorted(set(re.findall(r'href="(/ideas/[a-z0-9-]+/)"', body)))
    return [idea + "partners/" for idea in ideas[:5]]


def figures(rows) -> dict:
    """Requests, p50/p95/p99 (of the answered ones) and errors of some results."""
    latencies = sorted(ms for _, ms, status, _ in rows if status and status < 500)
    errors = sum(1 for _, _, status, _ in rows if not status or status >= 500)

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 1)

    return {
        "requests": len(rows),
        "p50_ms": pct(0.50) if latencies else None,
        "p95_ms": pct(0.95) if latencies else None,
        "p99_ms": pct(0.99) if latencies else None,
        "errors": errors,
    }


def summarise(results, args) -> dict:
    mix = [row for row in results if row[3] != "attack"]
    errors = [(offset, status) for offset, _, status, _ in mix if not status or status >= 500]
    per_second = defaultdict(lambda: [0, 0])
    for offset, _, status, _ in mix:
        per_second[int(offset)][0] += 1
        if not status or status >= 500:
            per_second[int(offset)][1] += 1
    last_error = max((offset for offset, _ in errors), default=None)
    latencies = [ms for _, ms, status, _ in mix if status and status < 500]
    kinds = sorted({row[3] for row in results})
    return {
        "connections": args.connections,
        "attack_connections": args.attack,
        "seconds": args.seconds,
        **figures(mix),
        "requests_per_second": round(len(mix) / args.seconds, 1),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "errors_by_status": {
            str(s): sum(1 for _, x in errors if x == s) for s in {x for _, x in errors}
        },
        "last_error_at_s": round(last_error, 2) if last_error is not None else None,
        "faults": [recovery(results, *fault) for fault in getattr(args, "fault_log", [])],
        "by_kind": {
            kind: {
                **figures([row for row in results if row[3] == kind]),
                "per_second": round(sum(1 for row in results if row[3] == kind) / args.seconds, 1),
            }
            for kind in kinds
        },
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
    parser.add_argument("--attack", type=int, default=0, help="connections of long searches")
    parser.add_argument("--paths", default="", help="only these anonymous paths (comma-separated)")
    parser.add_argument("--mail-every", type=float, default=0, help="seconds between resets")
    args = parser.parse_args()
    args.faults = [(float(f.split(":", 1)[0]), f.split(":", 1)[1]) for f in args.fault]
    args.commands = dict(c.split("=", 1) for c in args.fault_command)
    if args.proxy:
        parts = args.proxy.split(":")
        args.proxy_obj = Proxy(f"{parts[0]}:{parts[1]}", f"{parts[2]}:{parts[3]}")
    print(json.dumps(run(args), indent=1))


if __name__ == "__main__":
    main()
