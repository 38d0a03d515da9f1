#!/usr/bin/env python3
"""The driver of bench/crash.sh: clients create notes as fast as they can over HTTP while the
server is killed with SIGKILL and started again ROUNDS times; then every note answered 201 must
be there, read back over HTTP and in the SQLite file, and PRAGMA integrity_check must say ok.

    crash.py BIN WORKDIR PORT [ROUNDS] [CLIENTS]

Standard library only. The server runs on sqlite://WORKDIR/crash.sqlite3 with throttling out of
the way; its log is WORKDIR/serve.log. Prints the figures and a final `N passed, M failed` line;
exits non-zero when any check fails.
"""
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

PASSWORD = "kV7#crash-Lamp-42"
# How long the clients write between two kills (seconds, drawn at random in this range).
UP_SECONDS = (1.0, 3.0)


class Server:
    """`portcullis serve` on PORT, killed and started again on the same file."""

    def __init__(self, binary, workdir, port):
        self.binary, self.workdir, self.port = binary, workdir, port
        self.db = os.path.join(workdir, "crash.sqlite3")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PORTCULLIS_")}
        self.env.update({
            "PORTCULLIS_DATABASE_URL": "sqlite://" + self.db,
            "PORTCULLIS_BIND": "127.0.0.1:%d" % port,
            "PORTCULLIS_LOG": "warn",
            "PORTCULLIS_THROTTLE__RATES": '{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}',
            "PORTCULLIS_THROTTLE__MAX_BYTES": "268435456",
        })
        self.log = open(os.path.join(workdir, "serve.log"), "ab")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([self.binary, "serve"], cwd=self.workdir, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit("crash: the server stopped by itself; see %s/serve.log" % self.workdir)
            try:
                status, _ = call(self.port, "GET", "/api/")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        sys.exit("crash: the server did not answer within 60 s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


def call(port, method, path, body=None, token=None, conn=None):
    """One request (on `conn` if given, kept alive); (status, parsed JSON or None)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Token " + token
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        resp = conn.getresponse()
        data = resp.read()
    finally:
        if own:
            conn.close()
    try:
        return resp.status, json.loads(data) if data else None
    except ValueError:
        return resp.status, None


class Writers:
    """CLIENTS threads creating notes; `answered` maps each id answered 201 to its title."""

    def __init__(self, port, token, clients):
        self.port, self.token = port, token
        self.answered, self.statuses, self.cut = {}, {}, 0
        self.lock, self.stopping = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(clients)]

    def run(self, client):
        conn, n = None, 0
        while not self.stopping.is_set():
            title = "crash c%d n%d" % (client, n)
            n += 1
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status, note = call(self.port, "POST", "/api/notes/", {"title": title}, self.token, conn)
            except (OSError, http.client.HTTPException):
                # The server is down (killed, or not listening yet): no answer, nothing claimed.
                if conn:
                    conn.close()
                conn = None
                with self.lock:
                    self.cut += 1
                time.sleep(0.01)
                continue
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 201:
                    self.answered[note["id"]] = title
        if conn:
            conn.close()

    def count(self):
        with self.lock:
            return len(self.answered)


def read_back_http(port, token, answered):
    """The ids answered 201 that a GET does not give back with their title."""
    missing, conn = [], http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for note_id, title in sorted(answered.items()):
        status, note = call(port, "GET", "/api/notes/%d/" % note_id, token=token, conn=conn)
        if status != 200 or note.get("title") != title:
            missing.append(note_id)
    conn.close()
    return missing


def read_back_file(db, answered):
    """integrity_check's findings, the ids missing from the file, and the rows never answered."""
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    stored = dict(conn.execute("SELECT id, title FROM notes WHERE title LIKE 'crash %'"))
    conn.close()
    missing = [i for i, t in answered.items() if stored.get(i) != t]
    return check, missing, len(set(stored) - set(answered))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, workdir, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    clients = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    server = Server(binary, workdir, port)
    server.start()
    try:
        user = {"username": "crash", "password": PASSWORD}
        assert call(port, "POST", "/auth/users/", user)[0] == 201
        token = call(port, "POST", "/api-token-auth/", user)[1]["token"]
        writers = Writers(port, token, clients)
        started = time.monotonic()
        for t in writers.threads:
            t.start()
        for n in range(rounds):
            time.sleep(random.uniform(*UP_SECONDS))
            before = writers.count()
            server.kill()
            print("  kill %2d: %6d creates answered so far" % (n + 1, before), flush=True)
            server.start()
        time.sleep(1.0)
        writers.stopping.set()
        for t in writers.threads:
            t.join()
        seconds = time.monotonic() - started
        answered = dict(writers.answered)
        missing_http = read_back_http(port, token, answered)
    finally:
        server.stop()
    check, missing_file, unanswered = read_back_file(server.db, answered)

    print("crash: %d kills, %d clients, %.1f s; %d creates answered 201 (%.0f/s), statuses %s, "
          "%d requests cut by a kill or refused while down"
          % (rounds, clients, seconds, len(answered), len(answered) / seconds,
             json.dumps(writers.statuses, sort_keys=True), writers.cut))
    print("crash: %d rows written whose answer never arrived (in flight at a kill: allowed)" % unanswered)
    checks = [
        ("every answered note reads back over HTTP", not missing_http, missing_http[:10]),
        ("every answered note is in the SQLite file", not missing_file, missing_file[:10]),
        ("PRAGMA integrity_check says ok", check == ["ok"], check[:5]),
        ("only 201s were answered", set(writers.statuses) == {201}, writers.statuses),
    ]
    for name, ok, detail in checks:
        print("  %s %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": %s" % (detail,)))
    failed = sum(1 for _, ok, _ in checks if not ok)
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
