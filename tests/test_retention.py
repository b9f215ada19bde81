"""Retention (issue 17): the daily run removes what has expired, rows and files, and only that.

The stage of the `world` has nearly everything a stage gets (stageplan, leerdoel, observatie with a photo, moments,
a gesprek with an afspraak, a beoordeling with collega-feedback, onboarding, a verslag and a stagemap pdf, a
meewerkende collega); the tests add what the pages add later (a concern, hours, a ziekmelding, the pok, reminders,
notifications) by the functions those pages call.
"""

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingState
from beoordeling.zorgen.models import Zorg, ZorgKind
from leerbedrijf.models import Aanmelding, Besluit, Invitation, Kandidaat, Membership, Stage, Stagiair
from stagegids import retention
from stagegids.models import Notification, Reminder, RetentionRun, User, Wijziging
from stagegids.notifications import notify
from stagegids.tasks import scan_reminders
from stagemap.models import Verslag
from stageplan.models import MomentKind, Observatie
from tegemoetkoming.models import Dossier, StageDocument
from tegemoetkoming.retention import kept_until
from tests.conftest import PDF
from tests.factories import MomentFactory
from tests.leerbedrijf.test_registratie import FORM
from tests.tegemoetkoming.helpers import approve_weeks, mondays
from tests.test_confirm_steps import postgres_only
from uren.models import Urenweek, Ziekmelding, monday_of

README = Path(settings.BASE_DIR) / "README.md"


def everything_of(stage):
    """Every row that hangs from the stage, in every app: what deleting it would take, read by Django's collector."""
    collector = Collector(using="default")
    collector.collect([stage])
    rows = {(type(obj), obj.pk) for instances in collector.data.values() for obj in instances}
    for queryset in collector.fast_deletes:
        rows |= {(queryset.model, pk) for pk in queryset.values_list("pk", flat=True)}
    return rows


def files_of(rows):
    names = set()
    for model, pk in rows:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                name = model._base_manager.filter(pk=pk).values_list(f.attname, flat=True).first()
                if name:
                    names.add(name)
    return names


def on_disk():
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def rows_pointing_at(model, pks):
    """(model, field, count) of every foreign key in the project that still points at one of `pks`."""
    found = []
    for other in apps.get_models():
        for f in other._meta.concrete_fields:
            if f.is_relation and f.related_model is model:
                count = other._base_manager.filter(**{f"{f.name}__in": pks}).count()
                if count:
                    found.append((other._meta.label, f.name, count))
    return found


def fill_the_stage(world, client):
    """What the pages add to the world's stage after its start: hours, a concern, the pok, reminders."""
    stage = world.stage
    Zorg.record(
        stage=stage,
        by=world.wpb,
        kind=ZorgKind.AANWEZIGHEID,
        happened="Twee keer te laat",
        next_step="Gesprek",
        next_step_on=date.today(),
    )
    approve_weeks(stage, [monday_of(stage.start_date) + timedelta(days=7)], by=world.wpb, approver=world.opleider)
    Ziekmelding.report(stage=stage, by=world.stagiair, since=date.today())
    client.force_login(world.opleider)
    client.post(
        reverse("tegemoetkoming:document_upload", args=[stage.pk]),
        {"kind": "pok", "file": SimpleUploadedFile("pok.pdf", PDF)},
    )
    assert StageDocument.objects.filter(stage=stage).exists()
    world.collega_vraag.answer(zelfstandigheid="Goed", houding="Prettig", resultaten="Netjes")
    MomentFactory(stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=timezone.now() + timedelta(hours=20))
    scan_reminders()
    assert Reminder.objects.filter(recipient=world.stagiair).exists()
    notify(user=world.stagiair, key="retention-test", title="Je gesprek is morgen", url=stage.get_absolute_url())


def after(stage, days):
    """The moment `days` after the stage's last day."""
    return timezone.make_aware(datetime.combine(stage.end_date + timedelta(days=days), datetime.min.time()))


def run(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        return retention.run(now=now)


def test_an_expired_stage_leaves_nothing_rows_nor_files(world, client, django_capture_on_commit_callbacks):
    fill_the_stage(world, client)
    stage = Stage.objects.get(pk=world.stage.pk)
    rows = everything_of(stage)
    kinds = {model._meta.label for model, _pk in rows}
    for expected in (
        "stageplan.Stageplan", "stageplan.Leerdoel", "stageplan.Observatie", "stageplan.Moment",
        "beoordeling.Voortgangsgesprek", "beoordeling.Afspraak", "beoordeling.Beoordeling",
        "beoordeling.CollegaVraag", "beoordeling.Zorg", "uren.Urenweek", "uren.Urendag", "uren.Ziekmelding",
        "tegemoetkoming.StageDocument", "stagemap.Verslag", "stagemap.StagemapExport", "leerbedrijf.OnboardingItem",
        "leerbedrijf.MeewerkendeCollega",
    ):  # fmt: skip
        assert expected in kinds, expected
    files = files_of(rows)
    assert {name.split("/")[0] for name in files} >= {"observaties", "overeenkomsten"}
    assert files <= on_disk()

    # The day before the end of the period nothing goes; the day after, everything.
    days = settings.RETENTION_DAYS["stage"]
    assert run(django_capture_on_commit_callbacks, after(stage, days - 1)).counts["stage"] == 0
    assert Stage.objects.filter(pk=stage.pk).exists()
    report = run(django_capture_on_commit_callbacks, after(stage, days + 1))

    assert report.counts["stage"] >= len(rows)
    left = [(model._meta.label, pk) for model, pk in rows if model._base_manager.filter(pk=pk).exists()]
    assert left == []
    assert rows_pointing_at(Stage, [stage.pk]) == []
    assert not Wijziging.objects.filter(stage_id=stage.pk).exists()
    assert not Stagiair.objects.filter(pk=stage.stagiair_id).exists()
    assert files & on_disk() == set(), "the files of the stage left the disk"
    # The stagiair's account held only this stage: it is anonymised, and nothing points at it any more but
    # the trail's entries by him on objects that are gone with the stage.
    stagiair = User.objects.get(pk=world.stagiair.pk)
    assert (stagiair.name, stagiair.is_active, stagiair.has_usable_password()) == ("", False, False)
    assert stagiair.email.endswith(".invalid")
    assert [found for found in rows_pointing_at(User, [stagiair.pk]) if found[0] != "stagegids.Wijziging"] == []
    assert not Notification.objects.filter(user=stagiair).exists()
    assert not Reminder.objects.filter(recipient=stagiair).exists()
    # The person is nowhere in the database as text either.
    for model in apps.get_models():
        text_fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        for name in text_fields:
            assert not model._base_manager.filter(**{f"{name}__icontains": "stagiair@student.nl"}).exists(), (
                model._meta.label,
                name,
            )

    # A second run finds nothing of it.
    again = run(django_capture_on_commit_callbacks, after(stage, days + 1))
    assert again.counts["stage"] == 0


def test_a_stage_in_a_subsidy_dossier_keeps_exactly_what_the_scheme_needs(
    world, client, django_capture_on_commit_callbacks
):
    stage = world.stage
    Stage.objects.filter(pk=stage.pk).update(start_date=date(2025, 9, 1), end_date=date(2026, 7, 17))
    stage.refresh_from_db()
    approve_weeks(stage, mondays(date(2025, 9, 1), 2), by=world.wpb, approver=world.opleider)
    Verslag.objects.filter(stage=stage).update(signatures=[{"role": "praktijkopleider", "name": "Olga", "at": None}])
    with time_machine.travel(date(2026, 9, 1), tick=False):
        client.force_login(world.opleider)
        client.post(
            reverse("tegemoetkoming:document_upload", args=[stage.pk]),
            {"kind": "pok", "file": SimpleUploadedFile("pok.pdf", PDF)},
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("tegemoetkoming:stage_dossier_start", args=[stage.pk]), {"studiejaar": "2025"})
    dossier = Dossier.objects.get(stage=stage)
    photo = Observatie.objects.get(pk=world.observatie.pk).photo.name
    pok = StageDocument.objects.get(stage=stage).file.name
    kept_files = {pok, dossier.file.name, dossier.sheet.name} | {
        v.file.name for v in Verslag.objects.filter(stage=stage)
    }

    # No scheme has a bewaartermijn yet (the seeded figures say "controleren"): the fallback counts.
    until = kept_until(2025)
    assert until == date(2026 + settings.RETENTION_SUBSIDY_FALLBACK_YEARS, 7, 31)
    run(django_capture_on_commit_callbacks, after(stage, settings.RETENTION_DAYS["stage"] + 1))
    assert Stage.objects.filter(pk=stage.pk).exists()
    assert Urenweek.objects.filter(stage=stage, approved_at__isnull=False).count() == 2
    assert StageDocument.objects.filter(stage=stage).count() == 1
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert Verslag.objects.filter(stage=stage).exists()
    for gone in (Observatie, Zorg, Invitation):
        assert not gone.objects.filter(stage=stage).exists(), gone
    assert rows_pointing_at(Stage, [stage.pk]) and all(
        label in {"uren.Urenweek", "tegemoetkoming.StageDocument", "tegemoetkoming.Dossier", "stagemap.Verslag"}
        for label, _field, _count in rows_pointing_at(Stage, [stage.pk])
    ), rows_pointing_at(Stage, [stage.pk])
    assert photo not in on_disk()
    assert kept_files <= on_disk()

    # The day after the scheme's retention ends, the rest goes.
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), datetime.min.time()))
    run(django_capture_on_commit_callbacks, end)
    assert not Stage.objects.filter(pk=stage.pk).exists()
    assert rows_pointing_at(Stage, [stage.pk]) == []
    assert kept_files & on_disk() == set()


def test_a_run_that_rolls_back_leaves_rows_and_files(world, django_capture_on_commit_callbacks, monkeypatch):
    photo = Observatie.objects.get(pk=world.observatie.pk).photo.name

    def fails(run):
        raise RuntimeError("disk full")

    monkeypatch.setitem(retention._rules, "zz", retention.Rule("zz", "zz", fails, order=999))
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        retention.run(now=after(world.stage, settings.RETENTION_DAYS["stage"] + 1))
    assert Stage.objects.filter(pk=world.stage.pk).exists()
    assert photo in on_disk()
    assert not RetentionRun.objects.exists()


def test_each_category_goes_after_its_own_period(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    Kandidaat.objects.filter(pk=world.kandidaat.pk).update(
        besluit=Besluit.NIET_AANGENOMEN, besluit_on=date.today() - timedelta(days=29)
    )
    open_kandidaat = Kandidaat.objects.create(
        leerbedrijf=world.a, name="Nog open", kwalificatie=world.stage.kwalificatie
    )
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=now - timedelta(days=31))
    ended = world.membership_wpb_other
    ended.end(by=world.opleider)
    Membership.objects.filter(pk=ended.pk).update(ended_at=now - timedelta(days=366))
    AccessAttempt.objects.create(
        username="x@y.nl", ip_address="127.0.0.1", user_agent="t", failures_since_start=1,
        get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    AccessAttempt.objects.update(attempt_time=now - timedelta(days=31))

    report = run(django_capture_on_commit_callbacks, now)

    assert not Kandidaat.objects.filter(pk=world.kandidaat.pk).exists()
    assert Kandidaat.objects.filter(pk=open_kandidaat.pk).exists()
    assert not Invitation.objects.filter(pk=world.invitation.pk).exists()
    assert not Membership.objects.filter(pk=ended.pk).exists()
    assert not AccessAttempt.objects.exists()
    # The collega's address went with his answer... and his open question keeps it.
    world.collega_vraag.refresh_from_db()
    assert world.collega_vraag.email == "cor@a.nl"
    assert report.counts["kandidaat_afgewezen"] >= 1 and report.counts["inlogpogingen"] == 1
    assert Stage.objects.filter(pk=world.stage.pk).exists(), "the stage still runs"


def test_collega_email_goes_once_answered(world, django_capture_on_commit_callbacks):
    world.collega_vraag.answer(zelfstandigheid="Goed", houding="Prettig", resultaten="Netjes")
    run(django_capture_on_commit_callbacks, timezone.now())
    world.collega_vraag.refresh_from_db()
    assert (world.collega_vraag.email, world.collega_vraag.name, world.collega_vraag.houding) == (
        "",
        "Cor Collega",
        "Prettig",
    )


def test_an_unconfirmed_aanmelding_loses_its_password_hash_at_expiry(client, world, django_capture_on_commit_callbacks):
    client.post(reverse("leerbedrijf:aanmelden"), {**FORM, "email": "piet@koelbouw.nl"})
    aanmelding = Aanmelding.objects.get(email="piet@koelbouw.nl")
    assert aanmelding.password
    run(django_capture_on_commit_callbacks, aanmelding.expires_at + timedelta(minutes=1))
    aanmelding.refresh_from_db()
    assert aanmelding.password == ""
    run(
        django_capture_on_commit_callbacks,
        aanmelding.expires_at + timedelta(days=settings.RETENTION_DAYS["aanmelding"], minutes=1),
    )
    assert not Aanmelding.objects.filter(pk=aanmelding.pk).exists()


def test_every_rule_has_a_documented_period():
    text = README.read_text()
    for rule in retention.registered():
        assert rule.code in settings.RETENTION_DAYS
        assert f"`{rule.code}`" in text, f"README's Bewaartermijnen lacks {rule.code}"
    with pytest.raises(ImproperlyConfigured):
        retention.register(retention.Rule("zonder_termijn", "x", lambda run: 0))


def test_the_run_report_is_in_beheer(client, world, django_capture_on_commit_callbacks):
    Kandidaat.objects.filter(pk=world.kandidaat.pk).update(
        besluit=Besluit.NIET_AANGENOMEN, besluit_on=date.today() - timedelta(days=60)
    )
    report = run(django_capture_on_commit_callbacks, timezone.now())
    client.force_login(world.staff)
    page = client.get(reverse("admin:stagegids_retentionrun_change", args=[report.pk])).content.decode()
    assert "afgewezen kandidaten: 1" in page
    listing = client.get(reverse("admin:stagegids_retentionrun_changelist")).content.decode()
    assert "bewaartermijnen" in listing.lower()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_the_work_once(world):
    now = after(world.stage, settings.RETENTION_DAYS["stage"] + 1)
    expected = len(everything_of(Stage.objects.get(pk=world.stage.pk)))
    barrier = threading.Barrier(2)
    reports, errors = [None, None], []

    def go(n):
        try:
            barrier.wait()
            reports[n] = retention.run(now=now)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stages = sorted(report.counts["stage"] for report in reports)
    assert stages[0] == 0 and stages[1] >= expected
    assert not Stage.objects.filter(pk=world.stage.pk).exists()
    assert RetentionRun.objects.filter(running=False).count() == 2


def test_corrected_beoordelingen_go_with_their_stage(world, django_capture_on_commit_callbacks):
    """A correction protects the version it replaces; the run removes the newest first."""
    first = Beoordeling.objects.get(pk=world.beoordeling.pk)
    Beoordeling.objects.filter(pk=first.pk).update(state=BeoordelingState.ONDERTEKEND)  # as both signatures leave it
    first.refresh_from_db()
    second = first.correct(by=world.opleider, reason="Verkeerde score")
    Beoordeling.objects.filter(pk=second.pk).update(state=BeoordelingState.ONDERTEKEND)
    second.refresh_from_db()
    third = second.correct(by=world.opleider, reason="Nog een")
    run(django_capture_on_commit_callbacks, after(world.stage, settings.RETENTION_DAYS["stage"] + 1))
    assert not Beoordeling.objects.filter(pk__in=[first.pk, second.pk, third.pk]).exists()
    assert not Stage.objects.filter(pk=world.stage.pk).exists()
