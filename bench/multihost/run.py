"""Several hosts on one machine (issue 18): two web servers, two workers and a beat on one PostgreSQL, one Redis and
one object store; a bounded load over both web servers while one web server and one worker are killed and
restarted, and a second beat started by mistake for part of the run. Then: nothing lost, nothing twice.

    .venv/bin/python -m bench.multihost     # about four minutes (3½ more when the template database is made anew)

Everything is on 127.0.0.1: PostgreSQL (a fresh database, BENCH_DATABASE_URL, stagegids_multihost by default), Redis
(BENCH_BROKER_URL, db 4 by default, emptied first), moto's S3 server on port 8209 as the object store, the web
servers on 8201 and 8202. The processes run as the Procfile runs them (gunicorn with gunicorn.conf.py, celery worker
and beat), each in a process group of its own so that SIGKILL takes a host down whole; their logs and the mail
files are in var/multihost/. What differs from production: the beat's intervals (10 s), the timeouts after which it
takes over a dead worker's claim (a minute or two, production 10 to 15, so that the run sees the take-over), cookies
over plain HTTP and mail to files (bench/multihost/settings.py).
"""

import argparse
import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WEB_PORTS = (8201, 8202)
S3_PORT = 8209
BUCKET = "stagegids-multihost"
PERSONAS = (
    "praktijkopleider@installatiebedrijf-demo.nl",
    "werkplekbegeleider@installatiebedrijf-demo.nl",
    "werkplekbegeleider2@installatiebedrijf-demo.nl",
    "praktijkopleider@klimaattechniek-demo.nl",
)
# The claims of a dead worker are taken back after this many minutes (production: 10 to 15).
CLAIM_MINUTES = {"REMINDER": 1, "MAIL": 1, "STAGEMAP": 2}


def log(message):
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", flush=True)


def environment(run_dir, *, database_url, broker_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.multihost.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "STAGEGIDS_VAR_DIR": str(run_dir),
        "BENCH_MAIL_DIR": str(run_dir / "mail"),
        "STAGEGIDS_S3_BUCKET": BUCKET,
        "STAGEGIDS_S3_ENDPOINT_URL": f"http://{HOST}:{S3_PORT}",
        "STAGEGIDS_S3_REGION": "eu-west-1",
        "STAGEGIDS_S3_ACCESS_KEY_ID": "bench",
        "STAGEGIDS_S3_SECRET_ACCESS_KEY": "bench",
        "STAGEGIDS_REQUEST_LOG": "false",
        "STAGEGIDS_REMINDER_SCAN_SECONDS": "10",
        "STAGEGIDS_MAIL_RESEND_SECONDS": "10",
        "STAGEGIDS_STAGEMAP_REQUEUE_SECONDS": "10",
        "WEB_CONCURRENCY": "2",
    }
    for name, minutes in CLAIM_MINUTES.items():
        env[f"STAGEGIDS_{name}_CLAIM_TIMEOUT_MINUTES"] = str(minutes)
        env[f"STAGEGIDS_{name}_REENQUEUE_MINUTES"] = "1"
    return env


class Host:
    """One process of the portal, in a process group of its own: killing the group is a host going away."""

    def __init__(self, name, argv, env, run_dir, **extra_env):
        self.name, self.argv, self.env, self.run_dir = name, argv, {**env, **extra_env}, run_dir
        self.process = None

    def start(self):
        with open(self.run_dir / f"{self.name}.log", "ab") as out:
            self.process = subprocess.Popen(  # noqa: S603  our own venv's executables
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        log(f"started {self.name} (pid {self.process.pid})")

    def signal(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self):
        self.signal(signal.SIGKILL)
        self.process.wait()
        log(f"SIGKILL {self.name}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait()


def wait_for_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"nothing answers on {HOST}:{port} after {seconds} s")


def wait_healthy(port, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://{HOST}:{port}/gezond/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the web server on {port} is not healthy after {seconds} s")


def fingerprint(stages):
    """What the prepared data depends on: the migrations, the demo loaders, the generators and their size."""
    digest = hashlib.sha256(str(stages).encode())
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/demo.py")) + sorted(ROOT.glob("*/*/demo.py"))
    for path in [*sources, ROOT / "bench" / "reminders" / "run.py", ROOT / "bench" / "multihost" / "prepare.py"]:
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()


def fresh_database(url, *, stages, env):
    """A new database for the run, copied from a prepared template (migrated, generated, the demo loaded); the
    template is made again when what it depends on changed, which takes a few minutes on a busy machine."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    template = f"{name}_template"
    key = fingerprint(stages)
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if row is None or row[0] != key:
            log("preparing the template database (migrate, generate, demo)")
            admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}"')
            # Without the bucket: the demo's files are not needed (its verslagen are removed, the checks read only
            # the files of this run).
            prepare_env = {k: v for k, v in env.items() if not k.startswith("STAGEGIDS_S3_")}
            prepare_env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + template
            subprocess.run(  # noqa: S603  our own module
                [sys.executable, "-m", "bench.multihost.prepare", "--stages", str(stages)],
                cwd=ROOT,
                env=prepare_env,
                check=True,
            )
            admin.execute(f"COMMENT ON DATABASE \"{template}\" IS '{key}'")
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def plan_moments(count):
    """Gesprekken planned for tomorrow on `count` running generated stages, written as the generator writes: each
    is a reminder due to every participant at the next scan, while two beats scan."""
    from datetime import timedelta

    from django.utils import timezone

    from leerbedrijf.models import Stage
    from stageplan.models import Moment, MomentKind

    tomorrow = timezone.now() + timedelta(hours=20)
    stages = Stage.objects.filter(end_date__gte=tomorrow.date(), start_date__lte=tomorrow.date())[:count]
    return len(
        Moment.objects.bulk_create(
            Moment(stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=tomorrow, location="Werkplaats")
            for stage in stages
        )
    )


def png():
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


class Tally:
    """What the clients did: every action with its outcome, every failed attempt with its time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.actions = []  # (kind, ok, attempts)
        self.failures = []  # (monotonic time, kind of failure)
        self.observaties = {}  # client_key -> observatie id answered
        self.keys_tried = set()
        self.verslagen_asked = set()  # stage ids
        self.exports = set()  # export ids answered
        self.server_errors = 0

    def action(self, kind, ok, attempts):
        with self.lock:
            self.actions.append((kind, ok, attempts))

    def failure(self, what):
        with self.lock:
            self.failures.append((time.monotonic(), what))
            self.server_errors += what.startswith("5")


class Client(threading.Thread):
    """One person in a browser: logs in once, then pages and state changes, each request to the next web server in
    turn; a request that gets no answer or a 5xx goes to the other server with the same body (the same client_key)."""

    def __init__(self, email, *, password, user_id, tally, until, budget, seed):
        super().__init__(daemon=True)
        self.email, self.password, self.user_id = email, password, user_id
        self.tally, self.until, self.budget = tally, until, budget
        self.random = random.Random(seed)
        self.session = requests.Session()
        self.turn = seed
        self.observe_on, self.opleider_on = [], []
        self.photo = png()

    def call(self, method, path, **kwargs):
        """The answer, or None after four attempts; the attempts it took."""
        for attempt in range(4):
            port = WEB_PORTS[(self.turn + attempt) % 2]
            try:
                answer = self.session.request(
                    method, f"http://{HOST}:{port}{path}", timeout=30, allow_redirects=False, **kwargs
                )
            except requests.RequestException as error:
                self.tally.failure(f"no answer ({type(error).__name__})")
                time.sleep(0.5)
                continue
            if answer.status_code >= 500:
                self.tally.failure(f"{answer.status_code}")
                time.sleep(0.5)
                continue
            self.turn += 1
            return answer, attempt + 1
        self.turn += 1
        return None, 4

    def post(self, path, data, **kwargs):
        token = self.session.cookies.get("csrftoken")
        return self.call("POST", path, data={**data, "csrfmiddlewaretoken": token}, **kwargs)

    def login(self):
        self.call("GET", "/account/inloggen/")
        answer, _attempts = self.post("/account/inloggen/", {"username": self.email, "password": self.password})
        if answer is None or answer.status_code != 302:
            raise SystemExit(f"{self.email} could not log in")

    def probe(self, stage_ids, opleider_ids):
        for pk in stage_ids:
            answer, _attempts = self.call("GET", f"/stages/{pk}/observaties/nieuw/")
            if answer is not None and answer.status_code == 200:
                self.observe_on.append(pk)
        self.opleider_on = list(opleider_ids)

    def observatie(self):
        stage = self.random.choice(self.observe_on)
        key = str(uuid.uuid4())
        with self.tally.lock:
            self.tally.keys_tried.add(key)
        files = {"photo": ("foto.png", self.photo, "image/png")} if self.random.random() < 0.2 else None
        answer, attempts = self.post(
            f"/stages/{stage}/observaties/nieuw/",
            {
                "client_key": key,
                "recorded_by": self.user_id,
                "kind": "goed",
                "text": f"Bench-observatie {key[:8]}: de leidingen netjes afgeperst.",
                "date": datetime.now(UTC).date().isoformat(),
                "leerdoel": "",
            },
            files=files,
            headers={"Accept": "application/json"},
        )
        ok = answer is not None and answer.status_code == 200 and "observatie" in answer.json()
        if ok:
            with self.tally.lock:
                self.tally.observaties[key] = answer.json()["observatie"]
        self.tally.action("observatie", ok, attempts)

    def ask_verslagen(self):
        stage = self.random.choice(self.opleider_on)
        answer, attempts = self.post(f"/stages/{stage}/stagemap/verslagen/", {})
        ok = answer is not None and answer.status_code == 302
        if ok:
            with self.tally.lock:
                self.tally.verslagen_asked.add(stage)
        self.tally.action("verslagen bijwerken", ok, attempts)

    def ask_export(self, stage=None):
        stage = stage or self.random.choice(self.opleider_on)
        answer, attempts = self.post(f"/stages/{stage}/stagemap/pdf/", {})
        ok = answer is not None and answer.status_code == 302 and "/stagemap-pdf/" in answer.headers["Location"]
        if ok:
            with self.tally.lock:
                self.tally.exports.add(int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
        self.tally.action("stagemap pdf", ok, attempts)

    def start_page(self):
        answer, attempts = self.call("GET", "/")
        self.tally.action("startpagina", answer is not None and answer.status_code == 200, attempts)

    def run(self):
        steps = 0
        while time.monotonic() < self.until and steps < self.budget:
            steps += 1
            roll = self.random.random()
            if self.opleider_on and roll < 0.08:
                self.ask_verslagen()
            elif self.opleider_on and roll < 0.11:
                self.ask_export()
            elif self.observe_on and roll < 0.55:
                self.observatie()
            else:
                self.start_page()


def open_claims():
    """Rows claimed by a worker right now: (model label, id) each."""
    from stagegids.models import OutgoingMail, Reminder
    from stagemap.models import StagemapExport, VerslagenUpdate

    return {
        (model._meta.label, pk)
        for model in (Reminder, OutgoingMail, VerslagenUpdate, StagemapExport)
        for pk in model.objects.filter(status="sending").values_list("pk", flat=True)
    }


def still_open():
    """How many rows wait for a worker (pending or claimed)."""
    from stagegids.models import OutgoingMail, Reminder
    from stagemap.models import StagemapExport, VerslagenUpdate

    return sum(
        model.objects.filter(status__in=["pending", "sending"]).count()
        for model in (Reminder, OutgoingMail, VerslagenUpdate, StagemapExport)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=150, help="how long the load runs")
    parser.add_argument("--requests", type=int, default=2500, help="at most this many actions over all clients")
    parser.add_argument("--stages", type=int, default=500, help="generated stages with reminders due")
    parser.add_argument("--moments", type=int, default=100, help="gesprekken planned while two beats run")
    parser.add_argument("--drain", type=int, default=240, help="at most this long for the workers to finish")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stagegids_multihost")
    broker_url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/4")
    if "127.0.0.1" not in database_url or "127.0.0.1" not in broker_url:
        sys.exit("The run is for this machine only: the database and Redis on 127.0.0.1.")
    run_dir = ROOT / "var" / "multihost" / f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
    (run_dir / "mail").mkdir(parents=True)
    started = time.monotonic()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    env = environment(run_dir, database_url=database_url, broker_url=broker_url)
    venv = ROOT / ".venv" / "bin"
    hosts = {}

    def host(name, argv, **extra):
        hosts[name] = Host(name, argv, env, run_dir, **extra)
        return hosts[name]

    try:
        import redis

        fresh_database(database_url, stages=args.stages, env=env)
        redis.Redis.from_url(broker_url).flushdb()
        host("s3", [venv / "moto_server", "-H", HOST, "-p", str(S3_PORT)]).start()
        wait_for_port(S3_PORT)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=env["STAGEGIDS_S3_ENDPOINT_URL"],
            aws_access_key_id="bench",
            aws_secret_access_key="bench",  # noqa: S106  moto's server takes any key
            region_name="eu-west-1",
        ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model

        from leerbedrijf.models import Stage
        from stagegids import demo
        from stagegids.roles import Role

        setup_seconds = time.monotonic() - started
        log(f"set-up done in {setup_seconds:.0f} s")

        for n, port in enumerate(WEB_PORTS, 1):
            host(f"web{n}", [venv / "gunicorn", "--config", "gunicorn.conf.py", "stagegids.wsgi"], PORT=str(port))
        for n in (1, 2):
            host(
                f"worker{n}",
                [venv / "celery", "-A", "stagegids", "worker", "-n", f"worker{n}@%h", "--concurrency=1",
                 "--loglevel=INFO", "--without-gossip", "--without-mingle"],
            )  # fmt: skip
        for n in (1, 2):
            host(
                f"beat{n}",
                [venv / "celery", "-A", "stagegids", "beat", "--loglevel=INFO",
                 f"--schedule={run_dir / f'beat{n}-schedule'}", f"--pidfile={run_dir / f'beat{n}.pid'}"],
            )  # fmt: skip
        for name in ("web1", "web2", "worker1", "worker2", "beat1"):
            hosts[name].start()
        for port in WEB_PORTS:
            wait_healthy(port)

        users = get_user_model().objects.in_bulk(PERSONAS, field_name="email")
        tally = Tally()
        clients = []
        for n, email in enumerate(PERSONAS):
            user = users[email]
            client = Client(
                email,
                password=demo.PASSWORD,
                user_id=user.pk,
                tally=tally,
                until=0,
                budget=args.requests // len(PERSONAS),
                seed=n,
            )
            client.login()
            client.probe(
                Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER).values_list(
                    "pk", flat=True
                ),
                Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER).values_list("pk", flat=True),
            )
            clients.append(client)
        load_started = time.monotonic()
        for client in clients:
            client.until = load_started + args.seconds
            client.start()
        log(f"load started: {len(clients)} clients over ports {WEB_PORTS}")
        windows = {}

        def at(second):
            time.sleep(max(0, load_started + second - time.monotonic()))

        # A web server goes away mid-run; its clients' requests go to the other one until it answers again.
        at(15)
        hosts["web1"].kill()
        web_killed = time.monotonic()
        time.sleep(10)
        hosts["web1"].start()

        def back():
            wait_healthy(WEB_PORTS[0])
            windows["web1"] = (web_killed, time.monotonic())
            log(f"web1 healthy again {windows['web1'][1] - web_killed:.0f} s after the kill")

        web1_back = threading.Thread(target=back, daemon=True)
        web1_back.start()

        # A worker goes away while it holds a claim: with concurrency 1, two claims at once mean both workers hold one.
        at(40)
        opleider = next(c for c in clients if c.opleider_on)
        for stage in opleider.opleider_on:
            opleider.ask_export(stage)
        deadline = time.monotonic() + 30
        while len(open_claims()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        in_flight = open_claims()
        hosts["worker1"].kill()
        killed = time.monotonic()
        log(f"claims at the kill: {len(in_flight)}")
        time.sleep(15)
        hosts["worker1"].start()
        windows["worker1"] = (killed, time.monotonic())

        # A second beat, started by mistake on another host, for a minute.
        # Once it schedules, gesprekken are planned for tomorrow: both beats' scans find their reminders due at once.
        at(75)
        hosts["beat2"].start()
        beat2_started = time.monotonic()
        beat2_log = run_dir / "beat2.log"
        while "Sending due task" not in beat2_log.read_text(errors="replace") and time.monotonic() < load_started + 120:
            time.sleep(0.5)
        planned = plan_moments(args.moments)
        log(f"{planned} gesprekken planned for tomorrow while two beats run")
        at(135)
        hosts["beat2"].stop()
        beat2_seconds = time.monotonic() - beat2_started
        log(f"second beat stopped after {beat2_seconds:.0f} s")

        for client in clients:
            client.join()
        web1_back.join()
        load_seconds = time.monotonic() - load_started
        log(f"load done in {load_seconds:.0f} s; draining")
        drain_started = time.monotonic()
        calm = 0
        while time.monotonic() - drain_started < args.drain:
            calm = calm + 1 if still_open() == 0 else 0
            if calm >= 3:
                break
            time.sleep(5)
        drain_seconds = time.monotonic() - drain_started
        log(f"drained in {drain_seconds:.0f} s")
        load_after = Path("/proc/loadavg").read_text().split()[:3]
        results = verify(tally, run_dir=run_dir, in_flight=in_flight, windows=windows, beat2_log=beat2_log)
        figures = {
            "setup_s": round(setup_seconds),
            "load_s": round(load_seconds),
            "drain_s": round(drain_seconds),
            "total_s": round(time.monotonic() - started),
            "beat2_s": round(beat2_seconds),
            "moments planned while two beats ran": planned,
            "loadavg_before": load_before,
            "loadavg_after": load_after,
            **results["figures"],
        }
    finally:
        for running in hosts.values():
            running.stop()
    print()
    for name, value in figures.items():
        print(f"{name:>32}: {value}")
    print()
    failed = 0
    for name, ok, detail in results["checks"]:
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    (run_dir / "result.json").write_text(json.dumps({"figures": figures, "checks": results["checks"]}, indent=1))
    print(f"\nlogs, mail and result.json in {run_dir.relative_to(ROOT)}")
    sys.exit(1 if failed else 0)


def verify(tally, *, run_dir, in_flight, windows, beat2_log):
    from collections import Counter

    from django.apps import apps
    from django.core.files.storage import default_storage

    from stagegids.models import OutgoingMail, Reminder
    from stagemap import kinds
    from stagemap.models import StagemapExport, Verslag, VerslagenUpdate
    from stagemap.verslagen import _has_current
    from stageplan.models import Observatie

    from . import checks

    results = []
    actions = Counter((kind, ok) for kind, ok, _attempts in tally.actions)
    retried = sum(1 for _kind, ok, attempts in tally.actions if ok and attempts > 1)
    in_windows = {
        name: sum(1 for moment, _what in tally.failures if start <= moment <= end + 2)
        for name, (start, end) in windows.items()
    }

    # Nothing lost: every observatie the client was told is saved is in the database, once, with the answered id.
    rows = dict(Observatie.objects.filter(client_key__isnull=False).values_list("client_key", "pk"))
    rows = {str(key): pk for key, pk in rows.items()}
    lost = [key for key, pk in tally.observaties.items() if rows.get(key) != pk]
    foreign = set(rows) - tally.keys_tried
    results.append(
        (
            "every saved observatie in the database, under its answer's id",
            not lost and not foreign,
            f"{len(tally.observaties)} answered saved, {len(rows)} rows, lost {len(lost)}, unknown keys {len(foreign)}",
        )
    )
    photos = list(
        Observatie.objects.filter(pk__in=tally.observaties.values()).exclude(photo="").values_list("photo", flat=True)
    )
    missing = [name for name in photos if not default_storage.exists(name)]
    results.append(
        ("every observatie photo in the bucket", not missing, f"{len(photos)} photos, missing {len(missing)}")
    )

    # The verslagen: every stage asked for has a current verslag of each finished document, none made twice, every
    # file in the bucket; every stagemap pdf answered is made.
    incomplete = 0
    for stage_id in tally.verslagen_asked:
        stage = apps.get_model("leerbedrijf", "Stage").objects.get(pk=stage_id)
        for kind in kinds.registered():
            incomplete += sum(not _has_current(stage, *kind.source(doc)) for doc in kind.finished(stage))
    results.append(
        (
            "every finished document of the stages asked for has its verslag",
            not incomplete,
            f"{len(tally.verslagen_asked)} stages, missing {incomplete}",
        )
    )
    sources = list(Verslag.objects.values_list("source_type", "source_id", "source_version"))
    results.append(checks.verslagen_once(sources))
    files = list(Verslag.objects.values_list("file", flat=True))
    missing = [name for name in files if not default_storage.exists(name)]
    results.append(("every verslag's file in the bucket", not missing, f"missing {len(missing)}"))
    exports = dict(StagemapExport.objects.filter(pk__in=tally.exports).values_list("pk", "status"))
    not_done = [pk for pk in tally.exports if exports.get(pk) != "done"]
    export_files = [
        name
        for name in StagemapExport.objects.filter(pk__in=tally.exports).values_list("file", flat=True)
        if name and not default_storage.exists(name)
    ]
    results.append(
        (
            "every stagemap pdf answered is made and in the bucket",
            not not_done and not export_files,
            f"{len(tally.exports)} asked, not done {len(not_done)}, file missing {len(export_files)}",
        )
    )
    open_rows = {
        model.__name__: dict(Counter(model.objects.values_list("status", flat=True)))
        for model in (Reminder, OutgoingMail, VerslagenUpdate, StagemapExport)
    }
    stuck = sum(n for counts in open_rows.values() for status, n in counts.items() if status in ("pending", "sending"))
    failed_rows = sum(n for counts in open_rows.values() for status, n in counts.items() if status == "failed")
    results.append(("no queued row left open or failed", not stuck and not failed_rows, json.dumps(open_rows)))

    # The claims held when the worker was killed: all finished; those of the killed worker by another after the
    # take-over (a second attempt).
    finished, taken_over = 0, 0
    by_label = {m._meta.label: m for m in (Reminder, OutgoingMail, VerslagenUpdate, StagemapExport)}
    for label, pk in in_flight:
        status, attempts = by_label[label].objects.values_list("status", "attempts").get(pk=pk)
        finished += status not in ("pending", "sending", "failed")
        taken_over += attempts > 1
    results.append(
        (
            "the claims held at the worker's kill all finished, the killed worker's by another",
            finished == len(in_flight) and taken_over >= 1,
            f"{len(in_flight)} held, finished {finished}, taken over after the kill {taken_over}",
        )
    )

    # Mail, from the receiving side.
    mails = checks.read_mails(run_dir / "mail")
    reminder_keys = {
        pk: tuple(key)
        for pk, *key in Reminder.objects.values_list(
            "pk", "subject_type", "subject_id", "kind", "occasion", "occasion_at", "sequence", "recipient__email"
        )
    }
    from stagegids.reminders import message_id

    sent_reminders = [message_id(r) for r in Reminder.objects.filter(status="sent")]
    sent_outbox = [row.message_id for row in OutgoingMail.objects.filter(status="sent")]
    results.extend(
        checks.mails_once(mails, reminder_keys=reminder_keys, sent_reminders=sent_reminders, sent_outbox=sent_outbox)
    )
    beat2_sent = beat2_log.read_text(errors="replace").count("Sending due task") if beat2_log.exists() else 0
    results.append(("the second beat ran and sent tasks", beat2_sent > 0, f"{beat2_sent} tasks sent by it"))
    results.append(("no 5xx answer from a running web server", not tally.server_errors, f"{tally.server_errors}"))

    # From the workers' logs: how often the scan ran (both beats schedule it), and how many send messages came for
    # a reminder that was no longer pending (a second enqueue that the claim turned away).
    worker_log = "".join(path.read_text(errors="replace") for path in sorted(run_dir.glob("worker*.log")))
    done = [line.rstrip() for line in worker_log.splitlines() if "succeeded in" in line]
    scans = sum(1 for line in done if "tasks.scan_reminders[" in line)
    turned_away = sum(1 for line in done if "tasks.send_reminder[" in line and line.endswith(": None"))

    figures = {
        "reminder scans run / duplicate sends turned away by the claim": f"{scans} / {turned_away}",
        "actions (ok / failed after 4 tries)": {
            kind: f"{actions[(kind, True)]} / {actions[(kind, False)]}" for kind in sorted({k for k, _ok in actions})
        },
        "requests that needed a retry": retried,
        "failed attempts (all)": len(tally.failures),
        "failed attempts in kill windows": in_windows,
        "observaties (rows)": len(rows),
        "reminders sent / mails received": f"{len(sent_reminders)} / {len(mails)}",
        "outbox mails sent": len(sent_outbox),
        "verslagen made": len(sources),
        "stagemap pdfs made": sum(1 for s in exports.values() if s == "done"),
        "claims at the worker's kill": len(in_flight),
    }
    return {"checks": results, "figures": figures}


if __name__ == "__main__":
    main()
