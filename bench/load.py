"""Requests per second over HTTP of the start page of each role, the stagiair list and the company overview, each
as a ratio to the bare logged-in view measured in the same run (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench .venv/bin/python -m bench.load --seconds 10

Starts gunicorn as production runs it (gunicorn.conf.py, 2 worker processes) with bench.settings on 127.0.0.1 and
the given port, logs in the people bench.measure asks as (a session row each, as a login makes), and loads each
page with 8 connections for --seconds: with wrk when it is installed (Debian's `wrk`), else with a pool of threads
of its own that also stops after --max-requests. Only 127.0.0.1 is ever asked. The bare logged-in view is loaded
first and last; each page's ratio is to the mean of the two, so that a change in the machine's load during the run
shows as a difference between them rather than as a page's figure.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
BARE = "kale view, ingelogd"
WANTED = (BARE, "kale view (geen sessie)", "start: ", "stagiairlijst groot bedrijf", "overzicht groot bedrijf")


def pages():
    """(name, session key or None, path) of the pages to load, as bench.measure picks them."""
    from django.conf import settings
    from django.test import Client

    from .measure import pages as measured

    sessions = {}
    rows = []
    for name, user, url in measured():
        if not (name in WANTED or name.startswith("start: ")):
            continue
        if user is not None and user.pk not in sessions:
            client = Client()
            client.force_login(user)
            sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
        rows.append((name, sessions[user.pk] if user is not None else None, url))
    return rows


def headers(session):
    from django.conf import settings

    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"} if session else {}


def get(port, path, session):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers(session))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def start_server(port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "HOST": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "stagegids.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit code {server.returncode}); is port {port} free?")
        try:
            if get(port, "/bench/bare/", None) == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def load_with_wrk(port, path, session, *, seconds, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for name, value in headers(session).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 (wrk, with arguments of our making, to 127.0.0.1)
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{path}: answers other than 200 under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def load_with_threads(port, path, session, *, seconds, connections, max_requests):
    """Fallback without wrk: `connections` threads asking one after another until the time or the number of
    requests is reached; gunicorn's sync workers close every connection, so each request opens one."""
    done = []
    failed = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if len(done) >= max_requests:
                    return
                done.append(1)
            status = get(port, path, session)
            if status != 200:
                failed.append(status)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"{path}: answers other than 200 under load: {sorted(set(failed))}")
    return len(done) / (time.monotonic() - started)


def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"] * 3


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--seconds", type=int, default=10, help="per page (at most 60)")
    parser.add_argument("--connections", type=int, default=8, help="at most 64")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per page, without wrk")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1), 60)
    connections = min(max(args.connections, 1), 64)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    rows = pages()
    connection.close()
    wrk = shutil.which("wrk")
    print(f"load average before: {' '.join(loadavg())}")
    server = start_server(args.port)
    try:
        bare = next(row for row in rows if row[0] == BARE)
        order = [bare, *(row for row in rows if row[0] != BARE), (f"{BARE} (again)", bare[1], bare[2])]
        results = []
        for name, session, path in order:
            # Warm up, and make sure the page answers: a session that is not logged in would measure the login.
            for _ in range(3):
                status = get(args.port, path, session)
                if status != 200:
                    raise SystemExit(f"{name}: {path} answered {status}")
            if wrk:
                rate = load_with_wrk(args.port, path, session, seconds=seconds, connections=connections)
            else:
                rate = load_with_threads(
                    args.port, path, session, seconds=seconds, connections=connections, max_requests=args.max_requests
                )
            results.append((name, rate))
    finally:
        server.terminate()
        server.wait(timeout=60)
    floor = (results[0][1] + results[-1][1]) / 2
    print(f"load average after: {' '.join(loadavg())}")
    print(
        f"{'wrk' if wrk else 'threads'}, {connections} connections, {seconds} s a page, gunicorn 2 workers on "
        f"{HOST}:{args.port}, {connection.vendor} {connection.settings_dict['NAME']}"
    )
    print(f"{'page':36} {'requests/s':>11} {'of bare':>8}")
    for name, rate in results:
        print(f"{name:36} {rate:11.1f} {rate / floor:8.1%}")


if __name__ == "__main__":
    main()
