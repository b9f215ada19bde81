"""A worker killed (SIGKILL) mid-send against a slow mail server: every reminder arrives at least once, and a
reminder that arrives twice carries the same Message-ID both times (stagegids/queued.py, README "Wat er gebeurt
als").

The worker is a real process with its own database connection, so the rows are committed (a transactional test)
and the test runs on PostgreSQL only. The mail server is a small SMTP server in a thread of the test: it takes
the message in and confirms it MAIL_CONFIRM_SECONDS later, the window in which the worker is killed.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from stagegids import reminders as engine
from stagegids.models import Reminder, ReminderStatus
from tests.factories import MomentFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

MAIL_CONFIRM_SECONDS = 0.3
# The worker is killed while the server holds this message, taken in but not yet confirmed.
KILL_AT = 3

WORKER = """
import sys
import django
django.setup()
from django.conf import settings
from stagegids import reminders

settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                "OPTIONS": {"host": "127.0.0.1", "port": int(sys.argv[1]), "timeout": 10}}}
for pk in map(int, sys.argv[2:]):
    reminders.deliver(reminder_id=pk)
"""


class SlowMailServer:
    """Just enough SMTP for Django's backend; every message is kept, then confirmed after MAIL_CONFIRM_SECONDS."""

    def __init__(self):
        self.received = []
        self.holding = threading.Event()  # the KILL_AT-th message is in and not yet confirmed
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        with conn, conn.makefile("rb") as lines:
            conn.settimeout(10)
            try:
                conn.sendall(b"220 traag.localhost ESMTP\r\n")
                for line in lines:
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        conn.sendall(b"250 traag.localhost\r\n")
                    elif command == b"DATA":
                        conn.sendall(b"354 go ahead\r\n")
                        data = b""
                        for part in lines:
                            if part == b".\r\n":
                                break
                            data += part
                        self.received.append(data.decode())
                        if len(self.received) == KILL_AT:
                            self.holding.set()
                        self.stopped.wait(MAIL_CONFIRM_SECONDS)
                        conn.sendall(b"250 queued\r\n")
                    elif command == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        return
                    else:  # MAIL FROM, RCPT TO, RSET, NOOP
                        conn.sendall(b"250 ok\r\n")
            except OSError:
                return  # the worker is gone

    def message_ids(self):
        return [re.search(r"^Message-ID: (<[^>]+>)", data, re.MULTILINE | re.IGNORECASE)[1] for data in self.received]

    def stop(self):
        self.stopped.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def mail_server():
    server = SlowMailServer()
    yield server
    server.stop()


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a database it can share")
def test_a_worker_killed_mid_send_loses_no_reminder_and_a_duplicate_has_the_same_message_id(
    reminders, settings, mail_server
):
    w = reminders
    for days in range(2, 7):
        MomentFactory(stage=w.stage, starts_at=timezone.now() + timedelta(days=days, hours=2))
    engine.scan(send=lambda **kwargs: None)  # the rows are made and committed; their messages are for the worker
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) > KILL_AT + 1

    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", WORKER, str(mail_server.port), *map(str, ids)],
        cwd=Path(django_settings.BASE_DIR),
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()},
    )
    try:
        # A new process imports Django and the apps first: on a loaded CI machine that took more than ten seconds.
        assert mail_server.holding.wait(timeout=90), "the worker sent nothing"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL
    assert set(Reminder.objects.values_list("status", flat=True)) == {
        ReminderStatus.SENT,
        ReminderStatus.SENDING,
        ReminderStatus.PENDING,
    }

    # The scan once the claim has timed out and the lost messages are due again, with a worker that lives: this
    # process.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": mail_server.port, "timeout": 10},
        }
    }
    minutes = max(settings.REMINDER_CLAIM_TIMEOUT_MINUTES, settings.REMINDER_REENQUEUE_MINUTES) + 1
    later = timezone.now() + timedelta(minutes=minutes)
    engine.scan(send=lambda reminder_id: engine.deliver(reminder_id=reminder_id, now=later), now=later)

    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    expected = {engine.message_id(row) for row in Reminder.objects.all()}
    received = mail_server.message_ids()
    assert set(received) == expected, "every reminder arrived, and only under its own Message-ID"
    assert len(received) == len(expected) + 1, "the one held when the worker died arrived twice"
    assert received.count(received[KILL_AT - 1]) == 2
    assert all(re.fullmatch(rf"<herinnering-\d+-\d{{14}}@{re.escape(settings.MAIL_ID_DOMAIN)}>", i) for i in received)
