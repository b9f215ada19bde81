import copy
import json
import os
import shutil
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import test
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from pytest_django.fixtures import validate_django_db

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind, CollegaVraag
from beoordeling.gesprekken.models import Voortgangsgesprek
from leerbedrijf.models import (
    ChecklistItem,
    Erkenning,
    Invitation,
    MeewerkendeCollega,
    OnboardingItem,
    OnboardingPhase,
    OnboardingTemplateItem,
    Stage,
)
from stagegids import twofactor
from stagegids.models import Notification
from stagegids.notifications import notify
from stagegids.roles import Role
from stagegids.tasks import scan_reminders
from stagemap.models import Verslag
from stagemap.tasks import ask_stagemap
from stageplan.changes import create_plan, save_change
from stageplan.models import Leerdoel, Moment, MomentKind, Observatie
from stageplan.photos import clean_photo
from tests.factories import (
    ErkenningFactory,
    KandidaatFactory,
    KerntaakFactory,
    LeerbedrijfFactory,
    MembershipFactory,
    MomentFactory,
    OnderwijsinstellingFactory,
    StageFactory,
    StagiairFactory,
    UserFactory,
    VerslagFactory,
    WerkprocesFactory,
    png_bytes,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Client(test.Client):
    """Django's test client, whose force_login is a whole login: the second step of someone with an app (or who must
    have one, such as staff) counts as passed, as the password does. The steps themselves are tested through the
    pages: tests/stagegids/test_twofactor.py."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        if session.pop(twofactor.SESSION_KEY, None):
            session.save()


@pytest.fixture
def client():
    return Client()


# Debian's chromium, driven by Playwright (its own browser download does not work here). Without it the browser tests
# are skipped on a laptop, but fail under CI=true: CI must never pass by skipping them.
CHROMIUM = Path(os.environ.get("STAGEGIDS_CHROMIUM", "/usr/bin/chromium"))


# One per process, for the browser flows (tests/browser) and the journey: a second Playwright in the same process
# would find the first one's event loop running.
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


class SharedWorld:
    """The world, built once and kept in an open transaction that each test's own transaction nests in.

    Django's TestCase.setUpTestData in pytest form: a test that uses the world rolls back to it, a test that does not
    finds the database empty (the world is rolled back first, and built again for the next test that uses it), and a
    transactional test, which commits and flushes, builds its own.
    """

    def __init__(self, media_root, migrated_data):
        self.media_root = media_root
        self.migrated_data = migrated_data
        self.world = None
        self._atomic = self._connection = self._built_on = None
        self._connections = []

    def open(self):
        # A world built before midnight would hold yesterday's "today" (stage dates, due dates).
        if self.world is not None and self._built_on == _today():
            return
        self.discard()
        self._connection = transaction.get_connection()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        shutil.rmtree(self.media_root, ignore_errors=True)
        with override_settings(MEDIA_ROOT=self.media_root):
            self.world = build_world()
        self._built_on = _today()

    def discard(self):
        if self._atomic is None:
            return
        if transaction.get_connection() is self._connection:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        else:  # see close()
            self._connection.close()
        self._atomic = self._connection = self.world = None

    def restore_migrated_data(self):
        """After a transactional test's flush, which empties every table: what the migrations had loaded."""
        connection.creation.deserialize_db_from_string(self.migrated_data)
        # As the flush left it: the next test starts on a new connection.
        connection.close()

    def seen(self, connection):
        if all(connection is not known for known in self._connections):
            self._connections.append(connection)

    def close(self):
        """At the end of the run: the world rolled back and every connection closed, so the test database can go.

        Playwright's event loop (tests/browser) gives this thread other connection objects (asgiref's Local) until it
        stops, so the tests may have used connections that django.db.connections no longer hands out here.
        """
        self.discard()
        for known in self._connections:
            known.close()


def _today():
    return date.today(), timezone.localdate()


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        migrated = json.loads(connection.creation.serialize_db_to_string())
    shared = SharedWorld(
        tmp_path_factory.mktemp("world") / "media",
        json.dumps([row for row in migrated if row["model"] not in RECREATED_AFTER_FLUSH]),
    )
    yield shared
    with django_db_blocker.unblock():
        shared.close()


# A flush ends with post_migrate, which makes these again (with new keys); the rest of what the migrations loaded
# (the reference kwalificaties) is gone until restore_migrated_data puts it back, so no test depends on running
# before the transactional ones.
RECREATED_AFTER_FLUSH = {"contenttypes.contenttype", "auth.permission"}


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return transactional or reset_sequences or bool(TRANSACTIONAL_FIXTURES & set(item.fixturenames))


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture
def _world_transaction(request, _shared_world, django_db_blocker):
    """Opens the shared world before the test's own transaction starts, or rolls it back when the test needs none."""
    transactional = is_transactional(request.node)
    _shared_world.seen(transaction.get_connection())
    with django_db_blocker.unblock():
        if "world" in request.fixturenames and not transactional:
            _shared_world.open()
        else:
            _shared_world.discard()
    yield
    if transactional:
        with django_db_blocker.unblock():
            _shared_world.restore_migrated_data()


@pytest.fixture
def _django_db_helper(_world_transaction, _django_db_helper):
    """pytest-django's fixture behind db, transactional_db and the django_db marker, after _world_transaction."""
    return _django_db_helper


@pytest.fixture
def world(_shared_world, db, settings, tmp_path):
    """Leerbedrijf A with one person in every role around one stage, and the outsiders who must see none of it.

    Personas (attribute names) are the rows of the authorization matrix. Each test gets its own copy of the world
    that was built once for the run (see SharedWorld); what a test changes is rolled back after it.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    if _shared_world.world is None:
        # A transactional test (live server, real worker): its world is committed, and flushed after it.
        return build_world()
    shutil.copytree(_shared_world.media_root, settings.MEDIA_ROOT)
    return copy.deepcopy(_shared_world.world)


def build_world():
    a = LeerbedrijfFactory(name="Installatiebedrijf A")
    b = LeerbedrijfFactory(name="Installatiebedrijf B")
    school = OnderwijsinstellingFactory(name="ROC Zuid")
    other_school = OnderwijsinstellingFactory(name="ROC Noord")

    def member(role, leerbedrijf=None, onderwijsinstelling=None, **user):
        person = UserFactory(**user)
        MembershipFactory(user=person, role=role, leerbedrijf=leerbedrijf, onderwijsinstelling=onderwijsinstelling)
        return person

    w = SimpleNamespace(a=a, b=b, school=school, other_school=other_school)
    w.opleider = member(Role.PRAKTIJKOPLEIDER, a, email="opleider@a.nl", name="Olga Opleider")
    w.wpb = member(Role.WERKPLEKBEGELEIDER, a, email="wpb@a.nl", name="Willem Begeleider")
    w.wpb_other = member(Role.WERKPLEKBEGELEIDER, a, email="wpb2@a.nl", name="Wendy Andere")
    w.beoordelaar = member(Role.PRAKTIJKBEOORDELAAR, a, email="beoordelaar@a.nl")
    w.hybride = member(Role.HYBRIDE_TECHNIEKOPLEIDER, a, email="hybride@a.nl")
    w.informele = member(Role.INFORMELE_BEGELEIDER, a, email="informeel@a.nl")
    w.mbo = member(Role.MBO_BEGELEIDER, onderwijsinstelling=school, email="mbo@roc-zuid.nl")
    w.mbo_same_school = member(Role.MBO_BEGELEIDER, onderwijsinstelling=school, email="mbo2@roc-zuid.nl")
    w.mbo_other_school = member(Role.MBO_BEGELEIDER, onderwijsinstelling=other_school, email="mbo@roc-noord.nl")
    w.opleider_b = member(Role.PRAKTIJKOPLEIDER, b, email="opleider@b.nl")
    w.staff = UserFactory(email="beheer@stagegids.nl", is_staff=True, is_superuser=True)
    w.stagiair = UserFactory(email="stagiair@student.nl", name="Sam Stagiair")

    w.stage = StageFactory(
        leerbedrijf=a,
        stagiair=StagiairFactory(leerbedrijf=a, user=w.stagiair, name="Sam Stagiair", email="stagiair@student.nl"),
        onderwijsinstelling=school,
        mbo_begeleider=w.mbo,
        werkplekbegeleider=w.wpb,
        praktijkbeoordelaar=w.beoordelaar,
    )
    # A monteur of A with whom the stagiair rides along for a while (issue 15), added as the stage's page adds one.
    w.collega = member(Role.WERKPLEKBEGELEIDER, a, email="monteur@a.nl", name="Mo Monteur")
    w.meewerkende_collega = MeewerkendeCollega.add(
        stage=w.stage,
        user=w.collega,
        kind=Role.WERKPLEKBEGELEIDER,
        start_date=w.stage.start_date,
        end_date=date.today() + timedelta(days=14),
        by=w.opleider,
    )
    w.erkenning = ErkenningFactory(leerbedrijf=a, kwalificatie=w.stage.kwalificatie)
    # The plan comes first: the moments page plans nothing before the stage has one.
    _stageplan(w)
    # A coming voortgangsgesprek of that stage (beyond the reminder windows, so reminder tests plan their own),
    # with one afspraak owned by the stagiair, made in the gesprek as its page makes one (beoordeling, gesprekken).
    w.moment = w.plan_moment = MomentFactory(
        stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=timezone.now() + timedelta(days=30), location=""
    )
    w.stageplan.refresh_from_db()  # planning the moment made a version
    w.gesprek = Voortgangsgesprek.shown_for(w.moment)
    w.afspraak = w.gesprek.add_afspraak(
        by=w.opleider, text="Veiligheidsinstructie lezen", owner=w.stagiair, due_date=date.today()
    )
    w.stage_b = StageFactory(leerbedrijf=b, onderwijsinstelling=other_school, mbo_begeleider=w.mbo_other_school)
    w.membership_wpb_other = w.wpb_other.memberships.get()
    w.verslag = VerslagFactory(stage=w.stage, created_by=w.opleider)
    w.stagemap_export = ask_stagemap(w.stage, by=w.opleider)
    w.onboarding_item = w.stage.onboarding_items.get(gids_key="opvangen")
    w.template_item = OnboardingTemplateItem.objects.create(
        leerbedrijf=a, phase=OnboardingPhase.EERSTE_WEEK, text="Toolbox veilig werken op hoogte", created_by=w.opleider
    )
    w.kandidaat = KandidaatFactory(leerbedrijf=a)
    w.invitation, w.invitation_token = Invitation.create(
        leerbedrijf=a,
        email="nieuw@a.nl",
        name="Nieuwe Collega",
        role=Role.WERKPLEKBEGELEIDER,
        invited_by=w.opleider,
    )
    w.check = w.erkenning.checks.get(item=ChecklistItem.VERZEKERING)
    w.check.record(done=True, note="Polis 123", evidence=ContentFile(PDF, name="polis.pdf"), by=w.opleider)
    notify(user=w.opleider, key="test", title="Voortgangsgesprek morgen", url=w.stage.get_absolute_url())
    w.notification = Notification.objects.get(user=w.opleider, key="test")
    kerntaak = KerntaakFactory(dossier=w.stage.kwalificatie.dossier, code="B1-K2", title="Installeert")
    w.werkprocessen = [
        WerkprocesFactory(kerntaak=kerntaak, code=f"B1-K2-W{n}", title=title)
        for n, title in enumerate(["Bereidt voor", "Monteert", "Levert op"], start=1)
    ]
    w.beoordeling = Beoordeling.start(stage=w.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=w.opleider)
    w.collega_vraag, w.collega_token = CollegaVraag.create(
        beoordeling=w.beoordeling, name="Cor Collega", email="cor@a.nl", asked_by=w.opleider
    )
    return w


def _stageplan(w):
    """The stage's plan: one leerdoel from a werkproces, one observatie with a photo."""
    w.kerntaak = KerntaakFactory(dossier=w.stage.kwalificatie.dossier, code="B1-K1", title="Installeren")
    w.werkproces = WerkprocesFactory(kerntaak=w.kerntaak, code="B1-K1-W1", title="Legt leidingen aan")
    w.werkproces_unavailable = WerkprocesFactory(kerntaak=w.kerntaak, code="B1-K1-W2", title="Test de installatie")
    with transaction.atomic():  # as the erkenning's werkprocessen page saves them
        w.erkenning.unavailable_werkprocessen.set([w.werkproces_unavailable])
    # No proposed moments here: gesprek tests count the moments of the stage themselves.
    w.stageplan = create_plan(stage=w.stage, by=w.stagiair, interval_weeks=4, propose=False)
    w.leerdoel = save_change(
        stageplan=w.stageplan,
        based_on=1,
        by=w.stagiair,
        summary="Leerdoel toegevoegd",
        apply=lambda: Leerdoel.objects.create(
            stageplan=w.stageplan, werkproces=w.werkproces, title="Leidingen aanleggen", target_date=w.stage.end_date
        ),
    )
    w.observatie = Observatie.objects.create(
        stage=w.stage,
        leerdoel=w.leerdoel,
        author=w.wpb,
        date=w.stage.start_date,
        text="Werkt netjes",
        kind="goed",
        photo=clean_photo(ContentFile(png_bytes(), name="test.png")),  # as the observatie form cleans it
    )


PERSONAS = [
    "opleider",
    "wpb",
    "wpb_other",
    "beoordelaar",
    "hybride",
    "informele",
    "collega",
    "stagiair",
    "mbo",
    "mbo_same_school",
    "mbo_other_school",
    "opleider_b",
    "staff",
]


@pytest.fixture
def reminders(world, settings):
    """The world with stages that started five days ago, so only what a test plans is due."""
    settings.SITE_URL = "https://stagegids.example.nl"
    Stage.objects.update(start_date=date.today() - timedelta(days=5))
    # The world's own moments and erkenningen belong to other tests; here only what a test plans exists.
    Moment.objects.all().delete()
    Erkenning.objects.all().delete()
    OnboardingItem.objects.update(done_at=timezone.now())
    Verslag.objects.update(shared_at=None)
    CollegaVraag.objects.update(expires_at=timezone.now() + timedelta(days=10))
    mail.outbox.clear()
    return world


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """A beat tick: the scan runs, commits, and its enqueued send tasks run (eagerly)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return scan_reminders()

    return run
