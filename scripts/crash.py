#!/usr/bin/env python3
"""Crash test for `linchpin serve`: nothing the server acknowledged is lost
when it is killed with SIGKILL.

    python3 scripts/crash.py target/release/linchpin [--backend sqlite|postgres]
        [--cycles 50] [--writers 4] [--seed 1]

It starts the server on a free port over a fresh SQLite file or a fresh
PostgreSQL database (created with psql on --postgres, dropped at the end),
creates the first administrator through the setup code the server prints,
makes a write token and creates the example program. Then, per cycle,
several writer threads PATCH the `remaining` of their own item and POST
status updates, recording each write the server acknowledged; the server
is killed at a random moment and started again, and every acknowledged
write must be there (its value, or a later one by the same writer) with
its audit row; on SQLite `PRAGMA integrity_check` must say `ok`.

    python3 scripts/crash.py BINARY fixture --database DB --workdir DIR

starts a server with the example program and a token and prints
`URL=…`, `TOKEN=…` and `PID=…` lines for a shell to eval (used by
scripts/load.sh and scripts/schemathesis.sh); the caller stops it.
"""
import argparse
import datetime
import http.client
import itertools
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

# A status update's key is its date (and team), so each gets a date of its own.
UPDATE_DAYS = itertools.count()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "platform-migration"
PASSWORD = "crash-test-password"
PROGRAM = "platform"
# A server that does not say where it listens within this long has failed.
START_SECONDS = 30
# One request that takes longer than this is a hang, not a slow answer.
REQUEST_SECONDS = 30


class Server:
    """One `linchpin serve` process, its address and its stderr."""

    def __init__(self, binary, database, workdir, extra=()):
        self.binary, self.database, self.workdir, self.extra = binary, database, Path(workdir), list(extra)
        self.process, self.base, self.code, self.starts = None, None, None, 0

    def start(self):
        self.starts += 1
        log = self.workdir / f"server-{self.starts}.log"
        self.log = open(log, "w+b")
        env = dict(os.environ, LINCHPIN_LOG=os.environ.get("LINCHPIN_LOG", "warn"))
        self.process = subprocess.Popen(
            [self.binary, "serve", "--listen", "127.0.0.1:0", "--database", self.database, *self.extra],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, env=env, start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace")
            if m := re.search(r"serving on http://(\S+)", text):
                self.base = m.group(1)
                if self.ready():
                    # The setup code is printed before the server answers.
                    if c := re.search(r"/setup\?code=(\S+)", log.read_text(errors="replace")):
                        self.code = c.group(1)
                    return
            if self.process.poll() is not None:
                sys.exit(f"the server stopped at start:\n{text}")
            time.sleep(0.05)
        sys.exit(f"the server did not start within {START_SECONDS}s:\n{log.read_text(errors='replace')}")

    def ready(self):
        try:
            return request(self.base, "GET", "/readyz")[0] == 200
        except OSError:
            return False

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def request(base, method, path, body=None, headers=None, conn=None):
    """(status, headers, JSON or text) of one request; `conn` keeps a connection alive."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(base, timeout=REQUEST_SECONDS)
    data = None if body is None else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/json"} if data is not None else {}
    hdrs.update(headers or {})
    try:
        conn.request(method, path, body=data, headers=hdrs)
        answer = conn.getresponse()
        raw = answer.read()
    finally:
        if own:
            conn.close()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return answer.status, answer.headers, parsed


def example_files():
    files = []
    for path in sorted(EXAMPLE.rglob("*.yaml")):
        files.append({"path": str(path.relative_to(EXAMPLE)), "text": path.read_text()})
    return files


def set_up(server, plan_files=None, program=PROGRAM):
    """The first administrator, a write token, and the program; answers the token."""
    status, headers, body = request(
        server.base, "POST", "/api/v1/setup", {"code": server.code, "name": "admin", "password": PASSWORD}
    )
    assert status == 201, (status, body)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    session = {"Cookie": cookie, "x-csrf-token": body["csrf_token"]}
    status, _, body = request(server.base, "POST", "/api/v1/me/tokens", {"name": "crash", "write": True}, session)
    assert status == 201, (status, body)
    token = body["token"]
    status, _, body = request(
        server.base, "POST", "/api/v1/programs", {"key": program, "files": plan_files or example_files()},
        bearer(token),
    )
    assert status == 201, (status, body)
    return token


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def fresh_postgres(admin_url, name):
    os.environ.setdefault("PGOPTIONS", "--client-min-messages=warning")
    subprocess.run(["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'], check=True)
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def drop_postgres(admin_url, name):
    subprocess.run(["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=False)


class Writer(threading.Thread):
    """Writes to its own item and posts status updates until the server dies,
    recording what was acknowledged."""

    def __init__(self, index, base, token, item, version, start_value, rng):
        super().__init__(daemon=True)
        self.index, self.base, self.token, self.item = index, base, token, item
        self.version, self.value, self.rng = version, start_value, rng
        self.acked_values = []  # (value, version)
        self.acked_updates = []  # keys
        self.sent_values = []  # every value sent, acknowledged or not
        self.sent_notes = []  # every note sent
        self.unexpected = []
        self.counter = 0

    def run(self):
        conn = http.client.HTTPConnection(self.base, timeout=REQUEST_SECONDS)
        headers = bearer(self.token)
        try:
            while True:
                self.counter += 1
                if self.rng.random() < 0.7:
                    self.value += 1
                    self.sent_values.append(self.value)
                    status, _, body = request(
                        self.base, "PATCH", f"/api/v1/programs/{PROGRAM}/items/{self.item}",
                        {"patch": {"remaining": self.value}},
                        dict(headers, **{"If-Match": f'"{self.version}"'}), conn,
                    )
                    if status == 200:
                        self.version = body["version"]
                        self.acked_values.append((self.value, self.version))
                    elif status == 503:
                        continue
                    else:
                        self.unexpected.append((status, body))
                        return
                else:
                    note = f"crash writer {self.index} write {self.counter} {self.rng.random():.12f}"
                    self.sent_notes.append(note)
                    status, _, body = request(
                        self.base, "POST", f"/api/v1/programs/{PROGRAM}/updates",
                        {"date": str(datetime.date(2000, 1, 1) + datetime.timedelta(days=next(UPDATE_DAYS))),
                         "health": "amber", "author": f"writer {self.index}", "note": note},
                        headers, conn,
                    )
                    if status == 201:
                        self.acked_updates.append((body["key"], note))
                    elif status != 503:
                        self.unexpected.append((status, body))
                        return
        except (OSError, http.client.HTTPException):
            return  # the server was killed: this write's fate is unknown


def entity_history(base, token, collection, key):
    rows, cursor = [], None
    while True:
        path = (f"/api/v1/programs/{PROGRAM}/{collection}/{urllib.parse.quote(key, safe='')}/history?limit=1000"
                + (f"&cursor={cursor}" if cursor else ""))
        status, _, body = request(base, "GET", path, headers=bearer(token))
        assert status == 200, (status, body)
        rows.extend(body["entries"])
        cursor = body.get("next")
        if not cursor:
            return rows


def all_of(base, token, collection):
    out, cursor = [], None
    while True:
        path = f"/api/v1/programs/{PROGRAM}/{collection}?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        status, _, body = request(base, "GET", path, headers=bearer(token))
        assert status == 200, (status, body)
        out.extend(body["entities"])
        cursor = body.get("next")
        if not cursor:
            return out


def crash_test(args):
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix=f"linchpin-crash-{args.backend}-"))
    pg_name = f"linchpin_crash_{os.getpid()}"
    if args.backend == "postgres":
        database = fresh_postgres(args.postgres, pg_name)
    else:
        database = str(work / "crash.db")
    server = Server(args.binary, database, work)
    server.start()
    token = set_up(server)
    items = [e for e in all_of(server.base, token, "items")][: args.writers]
    assert len(items) == args.writers, "the example has fewer items than writers"
    # The value each writer's item must have at least, and its version.
    floor = {e["key"]: (e["body"].get("remaining", 0), e["version"]) for e in items}
    for e in items:
        if "remaining" not in e["body"]:
            floor[e["key"]] = (0, e["version"])
    acked_total = lost = bad_audit = 0
    acked_updates_all = set()
    started = time.time()
    try:
        for cycle in range(1, args.cycles + 1):
            writers = []
            for i, e in enumerate(items):
                value, version = floor[e["key"]]
                writers.append(Writer(i, server.base, token, e["key"], version, value, random.Random(rng.random())))
            for w in writers:
                w.start()
            time.sleep(rng.uniform(args.min_seconds, args.max_seconds))
            server.kill()
            for w in writers:
                w.join(REQUEST_SECONDS)
            problems = [f"writer {w.index}: unexpected answer {w.unexpected}" for w in writers if w.unexpected]
            if args.backend == "sqlite":
                with sqlite3.connect(database) as db:
                    check = db.execute("PRAGMA integrity_check").fetchall()
                db.close()
                if check != [("ok",)]:
                    problems.append(f"integrity_check: {check}")
            server.start()
            item_rows = {w.item: [(row["after"] or {}).get("remaining")
                                  for row in entity_history(server.base, token, "items", w.item)
                                  if row["action"] == "update"] for w in writers}
            current_updates = {e["key"]: e["body"].get("note") for e in all_of(server.base, token, "updates")}
            audit_rows = sum(len(v) for v in item_rows.values())
            cycle_acked = 0
            for w in writers:
                status, _, now = request(server.base, "GET", f"/api/v1/programs/{PROGRAM}/items/{w.item}",
                                         headers=bearer(token))
                assert status == 200, (status, now)
                value, version = now["body"].get("remaining", 0), now["version"]
                cycle_acked += len(w.acked_values) + len(w.acked_updates)
                if w.acked_values:
                    last_value, last_version = w.acked_values[-1]
                    # The last acknowledged value, or a later one this writer sent.
                    later = w.sent_values[w.sent_values.index(last_value):]
                    if value not in later or version < last_version:
                        lost += 1
                        problems.append(f"{w.item}: acknowledged {last_value} at v{last_version}, found {value} at v{version}")
                for acked_value, _ in w.acked_values:
                    if acked_value not in item_rows.get(w.item, []):
                        bad_audit += 1
                        problems.append(f"{w.item}: no audit row for remaining={acked_value}")
                for key, note in w.acked_updates:
                    acked_updates_all.add(key)
                    if current_updates.get(key) != note:
                        lost += 1
                        problems.append(f"update {key} acknowledged but missing")
                    rows = entity_history(server.base, token, "updates", key) if key in current_updates else []
                    audit_rows += len(rows)
                    if [row["action"] for row in rows] != ["create"]:
                        bad_audit += 1
                        problems.append(f"update {key}: no audit row")
                # Every audit row of this writer's values is for a value it sent.
                sent = set(w.sent_values)
                for v in item_rows.get(w.item, []):
                    if v is not None and v > floor[w.item][0] and v not in sent:
                        bad_audit += 1
                        problems.append(f"{w.item}: audit row for remaining={v} never sent")
                floor[w.item] = (value, version)
            for key in acked_updates_all:
                if key not in current_updates:
                    lost += 1
                    problems.append(f"update {key} from an earlier cycle is gone")
            acked_total += cycle_acked
            print(f"cycle {cycle}: {cycle_acked} writes acknowledged, {audit_rows} audit rows checked"
                  + ("" if not problems else "; PROBLEMS: " + "; ".join(problems[:5])), flush=True)
            if problems:
                sys.exit(1)
    finally:
        server.stop()
        if args.backend == "postgres":
            drop_postgres(args.postgres, pg_name)
    print(f"{args.backend}: {args.cycles} cycles, {acked_total} writes acknowledged, lost {lost}, "
          f"audit mismatches {bad_audit}, {time.time() - started:.0f}s")
    return 0 if lost == 0 and bad_audit == 0 else 1


def fixture(args):
    """A running server with a program and a token, for other scripts."""
    plan = None
    if args.plan:
        plan = [{"path": Path(args.plan).name, "text": Path(args.plan).read_text()}]
    server = Server(args.binary, args.database, args.workdir, args.serve_arg or [])
    server.start()
    token = set_up(server, plan, args.program)
    print(f"URL=http://{server.base}\nTOKEN={token}\nPID={server.process.pid}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    sub = parser.add_subparsers(dest="command")
    fix = sub.add_parser("fixture")
    fix.add_argument("--database", required=True)
    fix.add_argument("--workdir", required=True)
    fix.add_argument("--program", default=PROGRAM)
    fix.add_argument("--plan", help="one plan file instead of the example")
    fix.add_argument("--serve-arg", action="append", help="passed on to `linchpin serve`")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres", default=os.environ.get("LINCHPIN_TEST_POSTGRES",
                                                             "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-seconds", type=float, default=0.2)
    parser.add_argument("--max-seconds", type=float, default=1.5)
    args = parser.parse_args()
    if not 1 <= args.cycles <= 10_000 or not 1 <= args.writers <= 32:
        parser.error("--cycles is 1 to 10,000 and --writers 1 to 32")
    sys.exit(fixture(args) if args.command == "fixture" else crash_test(args))


if __name__ == "__main__":
    main()
