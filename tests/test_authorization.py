"""Every URL pattern, requested as every persona of the `world` fixture, with GET and POST.

The URL list is read from the resolver, so a new URL without an entry in RULES or PUBLIC fails
test_every_url_has_a_rule. Expectations: anonymous is sent to the login page; a persona in `ok` is let in; a
persona in `forbidden` (same organisation, insufficient role) gets 403; everyone else gets 404, because for them
the object does not exist.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind
from beoordeling.zorgen.models import Zorg, ZorgKind
from leerbedrijf.models import StageStop, StopKind, StopReden, Training, training_save
from leerbedrijf.tasks import ask_inzage
from stagegids.roles import Role
from stageplan.models import MomentKind, MomentVoorstel
from tegemoetkoming.models import StageDocument
from tegemoetkoming.tasks import ask_dossier
from tests.conftest import PDF, PERSONAS
from tests.factories import MembershipFactory, MomentFactory, UserFactory
from uren.models import Urenweek, Ziekmelding, monday_of, planned_days

COMPANY_STAFF = {"wpb", "wpb_other", "beoordelaar", "hybride", "informele", "collega"}
ON_STAGE = {"opleider", "wpb", "beoordelaar", "stagiair", "mbo"}
# A meewerkende collega of the stage (issue 15), today within their period: the stage's overview and its stageplan,
# and observaties; nothing of gesprekken, beoordelingen, onboarding or the stagemap (for those a 403: they see the
# stage, not its chapters, or a 404 where the chapter's scope leaves the stage out).
COLLEGA = {"collega"}
GESPREK_READERS = ON_STAGE - {"mbo"}
GESPREK_WRITERS = {"opleider", "wpb"}
ZORG_WRITERS = {"opleider", "wpb"}
COMPANY_ON_STAGE = ON_STAGE - {"mbo"}
# The stageplan is for the company side of the stage and the stagiair; the mbo-begeleider is not among them: for
# them the plan does not exist until a version is agreed and shared (stageplan:shared).
PLAN_READERS = {"opleider", "wpb", "beoordelaar", "stagiair", "collega"}
PLAN_EDITORS = {"opleider", "stagiair"}
PLAN_READ_ONLY = PLAN_READERS - PLAN_EDITORS
MOMENT_PLANNERS = {"opleider", "wpb"}
MOMENT_NOT_PLANNERS = PLAN_READERS - MOMENT_PLANNERS
RECORDERS = {"opleider", "wpb", "wpb_other", "hybride", "informele", "collega", "opleider_b", "staff"}
NOT_COMPANY = {"mbo", "mbo_same_school", "mbo_other_school"}
# Everyone who works at a leerbedrijf records their own trainings on their profile (gids ch. 3).
LEERBEDRIJF_PEOPLE = {"opleider", "opleider_b"} | COMPANY_STAFF
# Who sees a tussenbeoordeling: its pages and its verslag alike (test_verslag_visibility.py does every kind).
TUSSENBEOORDELING_READERS = {"opleider", "stagiair", "beoordelaar"}


def ended_membership(w):
    """A role that a colleague of the leerbedrijf held and no longer holds."""
    membership = MembershipFactory(user=UserFactory(), role=Role.WERKPLEKBEGELEIDER, leerbedrijf=w.a)
    membership.end(by=w.opleider)
    return membership


def _training(w):
    """The praktijkopleider's training with its certificate, saved by the function the profile page calls."""
    training = Training(
        user=w.opleider, name="Training praktijkopleider", provider="SBB", completed_on=date(2024, 3, 14)
    )
    return training_save(training, certificate=ContentFile(PDF, name="certificaat.pdf"))


def _zorg(w, *, closed=False):
    """A concern the werkplekbegeleider recorded as its page does: seen by the stagiair, not shared with the school."""
    zorg = Zorg.record(
        stage=w.stage,
        by=w.wpb,
        kind=ZorgKind.AANWEZIGHEID,
        happened="Twee keer te laat",
        next_step="Gesprek",
        next_step_on=date.today(),
    )
    if closed:
        zorg.close(by=w.wpb, outcome="Opgelost")
    return zorg


def _interruption(w):
    """The world's stage interrupted today, by the model method the page calls."""
    return StageStop.record(
        stage=w.stage,
        kind=StopKind.ONDERBROKEN,
        reden=StopReden.OVERLEG,
        starts_on=date.today(),
        toelichting="",
        by=w.opleider,
    )


def _driegesprek(w):
    """A middengesprek of the world's stage, planned as the moments page plans one; its record is made by its page."""
    moment = MomentFactory(stage=w.stage, kind=MomentKind.MIDDENGESPREK, starts_at=timezone.now() + timedelta(days=40))
    return {"pk": moment.pk}


def _urenweek(w, *, approved=False):
    """Last week of the world's stage, handed in by the stagiair (and approved by the werkplekbegeleider)."""
    monday = monday_of(date.today()) - timedelta(days=7)
    week = Urenweek.shown_for(w.stage, monday)
    week.fill(by=w.stagiair, version=1, days=planned_days(w.stage, monday), begeleiding={}, submit=True)
    if approved:
        week.approve(by=w.wpb)
    return _week_kwargs(w, monday)


def _week_kwargs(w, monday=None):
    year, number, _day = (monday or monday_of(date.today()) - timedelta(days=7)).isocalendar()
    return {"pk": w.stage.pk, "year": year, "week": number}


def _ziekmelding(w):
    return Ziekmelding.report(stage=w.stage, by=w.stagiair, since=date.today()).pk


# Hours are the company's records: its side of the stage and the stagiair, never the school.
UREN_READERS = COMPANY_ON_STAGE
UREN_FILLERS = {"stagiair", "wpb"}
UREN_APPROVERS = {"opleider", "wpb"}
ZIEK_REPORTERS = {"stagiair", "wpb", "opleider"}


def _pok(w):
    """The stage's signed pok, kept by the function the upload page calls."""
    upload = ContentFile(PDF, name="pok.pdf")
    StageDocument.store(stage=w.stage, kind="pok", upload=upload, name="pok.pdf", by=w.opleider)
    return "pok"


def _dossier(w):
    """A dossier the praktijkopleider asked for; never made here (no commit), so it waits."""
    return ask_dossier(leerbedrijf=w.a, stage=w.stage, studiejaar=date.today().year, by=w.opleider).pk


def _inzage(w):
    """A stagiair's inzage that the praktijkopleider asked for on request; never made here (no commit), so it waits."""
    return ask_inzage(person=w.stagiair, stagiair=w.stage.stagiair, by=w.opleider, on_request_of="Sam zelf")[0].pk


def _passkey(w):
    """A passkey of the praktijkopleider's (its key material does not matter here: nobody logs in with it)."""
    return WebAuthnCredential.objects.create(
        user=w.opleider, name="telefoon", credential_id=b"id", public_key=b"key", confirmed=True
    )


@dataclass
class Rule:
    kwargs: object = lambda w: {}
    ok: set = field(default_factory=set)
    forbidden: set = field(default_factory=set)
    post_only: bool = False


RULES = {
    "start": Rule(ok=set(PERSONAS)),
    # A folded panel of the start page, read when opened (issue 18): the stages one follows, for whoever follows one.
    "start_panel": Rule(
        lambda w: {"name": "stages"},
        ok={"opleider", "wpb", "beoordelaar", "collega", "stagiair", "mbo", "mbo_other_school", "opleider_b"},
    ),
    "leerbedrijf:detail": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:invite": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    # Ending a role has a confirm step (GET); restoring one is its undo.
    "leerbedrijf:membership_end": Rule(
        lambda w: {"pk": w.a.pk, "membership_pk": w.membership_wpb_other.pk},
        ok={"opleider"},
        forbidden=COMPANY_STAFF,
    ),
    # Erasure (issue 17): a praktijkopleider asks it for someone known only at his company, here the stagiair.
    "leerbedrijf:person_erase": Rule(
        lambda w: {"pk": w.a.pk, "user_pk": w.stagiair.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF
    ),
    # Two-factor login (issue 17): a praktijkopleider resets a colleague's app after a confirm step (GET).
    "leerbedrijf:person_twofactor_reset": Rule(
        lambda w: {"pk": w.a.pk, "user_pk": w.wpb.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF
    ),
    "leerbedrijf:membership_restore": Rule(
        lambda w: {"pk": w.a.pk, "membership_pk": ended_membership(w).pk},
        ok={"opleider"},
        forbidden=COMPANY_STAFF,
        post_only=True,
    ),
    # An open invitation is resent or withdrawn after a confirm step (GET).
    "leerbedrijf:invitation_resend": Rule(
        lambda w: {"pk": w.a.pk, "invitation_pk": w.invitation.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF
    ),
    "leerbedrijf:invitation_revoke": Rule(
        lambda w: {"pk": w.a.pk, "invitation_pk": w.invitation.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF
    ),
    "leerbedrijf:stage": Rule(lambda w: {"pk": w.stage.pk}, ok=ON_STAGE | COLLEGA),
    # Interrupting, ending, resuming and undoing it are the praktijkopleider's (issue 15); the rest of the stage
    # sees the result, not the form.
    "leerbedrijf:stage_stop": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden=(ON_STAGE - {"opleider"}) | COLLEGA
    ),
    "leerbedrijf:stage_resume": Rule(
        lambda w: {"pk": _interruption(w).stage_id}, ok={"opleider"}, forbidden=(ON_STAGE - {"opleider"}) | COLLEGA
    ),
    "leerbedrijf:stage_stop_undo": Rule(
        lambda w: {"pk": w.stage.pk, "stop_pk": _interruption(w).pk},
        ok={"opleider"},
        forbidden=(ON_STAGE - {"opleider"}) | COLLEGA,
        post_only=True,
    ),
    # The praktijkopleider adds a meewerkende collega (confirm-free: the form is the step) and ends one (confirm).
    "leerbedrijf:collega_add": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden=(ON_STAGE - {"opleider"}) | COLLEGA
    ),
    "leerbedrijf:collega_end": Rule(
        lambda w: {"pk": w.stage.pk, "collega_pk": w.meewerkende_collega.pk},
        ok={"opleider"},
        forbidden=(ON_STAGE - {"opleider"}) | COLLEGA,
    ),
    "leerbedrijf:erkenningen": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"} | COMPANY_STAFF),
    "leerbedrijf:erkenning_create": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:erkenning": Rule(lambda w: {"pk": w.erkenning.pk}, ok={"opleider"} | COMPANY_STAFF),
    "leerbedrijf:erkenning_edit": Rule(lambda w: {"pk": w.erkenning.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:erkenning_werkprocessen": Rule(
        lambda w: {"pk": w.erkenning.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF
    ),
    "leerbedrijf:erkenning_check": Rule(
        lambda w: {"pk": w.erkenning.pk, "check_pk": w.check.pk},
        ok={"opleider"},
        forbidden=COMPANY_STAFF,
        post_only=True,
    ),
    "leerbedrijf:erkenning_evidence": Rule(
        lambda w: {"pk": w.erkenning.pk, "check_pk": w.check.pk}, ok={"opleider"} | COMPANY_STAFF
    ),
    # Gesprekken: the company side of the stage and the stagiair; never the mbo-begeleider (nothing shared yet).
    "beoordeling:stage_gesprekken": Rule(lambda w: {"pk": w.stage.pk}, ok=GESPREK_READERS),
    "beoordeling:gesprek": Rule(lambda w: {"pk": w.moment.pk}, ok=GESPREK_READERS),
    "beoordeling:zelfreflectie": Rule(
        lambda w: {"pk": w.moment.pk}, ok={"stagiair"}, forbidden=GESPREK_READERS - {"stagiair"}
    ),
    "beoordeling:gesprek_notes": Rule(
        lambda w: {"pk": w.moment.pk}, ok=GESPREK_WRITERS, forbidden=GESPREK_READERS - GESPREK_WRITERS
    ),
    "beoordeling:afspraak_add": Rule(
        lambda w: {"pk": w.moment.pk}, ok=GESPREK_WRITERS, forbidden=GESPREK_READERS - GESPREK_WRITERS
    ),
    "beoordeling:gesprek_afronden": Rule(
        lambda w: {"pk": w.moment.pk}, ok={"opleider"}, forbidden=GESPREK_READERS - {"opleider"}
    ),
    "beoordeling:afspraak_status": Rule(
        lambda w: {"pk": w.afspraak.pk},
        ok=GESPREK_WRITERS | {"stagiair"},
        forbidden={"beoordelaar"},
        post_only=True,
    ),
    # Zorgen (issue 15): everyone on the stage opens the list (the school sees the shared ones); the concern itself,
    # not internal and not shared, is the company side's and the stagiair's. The praktijkopleider and the
    # werkplekbegeleider record, edit and close; sharing with the school is the praktijkopleider's
    # (tests/beoordeling/test_zorgen.py covers internal and shared concerns).
    # A meewerkende collega sees the stage but not its concerns: he tells the eerste werkplekbegeleider.
    "beoordeling:zorgen": Rule(lambda w: {"pk": w.stage.pk}, ok=ON_STAGE, forbidden=COLLEGA),
    "beoordeling:zorg_add": Rule(
        lambda w: {"pk": w.stage.pk}, ok=ZORG_WRITERS, forbidden=(ON_STAGE - ZORG_WRITERS) | COLLEGA
    ),
    "beoordeling:zorg": Rule(lambda w: {"pk": _zorg(w).pk}, ok=GESPREK_READERS),
    "beoordeling:zorg_edit": Rule(
        lambda w: {"pk": _zorg(w).pk}, ok=ZORG_WRITERS, forbidden=GESPREK_READERS - ZORG_WRITERS
    ),
    "beoordeling:zorg_close": Rule(
        lambda w: {"pk": _zorg(w).pk}, ok=ZORG_WRITERS, forbidden=GESPREK_READERS - ZORG_WRITERS
    ),
    "beoordeling:zorg_reopen": Rule(
        lambda w: {"pk": _zorg(w, closed=True).pk},
        ok=ZORG_WRITERS,
        forbidden=GESPREK_READERS - ZORG_WRITERS,
        post_only=True,
    ),
    "beoordeling:zorg_share": Rule(
        lambda w: {"pk": _zorg(w).pk}, ok={"opleider"}, forbidden=GESPREK_READERS - {"opleider"}
    ),
    # A driegesprek is with the school: everyone on the stage reads it; whoever holds the gesprekken records it, the
    # mbo-begeleider adds his own notes, the praktijkopleider closes it. Another mbo-begeleider: 404.
    "beoordeling:driegesprek": Rule(_driegesprek, ok=ON_STAGE),
    "beoordeling:driegesprek_notes": Rule(_driegesprek, ok=GESPREK_WRITERS, forbidden=ON_STAGE - GESPREK_WRITERS),
    "beoordeling:driegesprek_school": Rule(_driegesprek, ok={"mbo"}, forbidden=ON_STAGE - {"mbo"}),
    "beoordeling:driegesprek_afspraak_add": Rule(
        _driegesprek, ok=GESPREK_WRITERS, forbidden=ON_STAGE - GESPREK_WRITERS
    ),
    "beoordeling:driegesprek_afronden": Rule(_driegesprek, ok={"opleider"}, forbidden=ON_STAGE - {"opleider"}),
    # The evaluatie is between the stagiair and the praktijkopleider.
    "beoordeling:evaluatie": Rule(lambda w: {"pk": w.stage.pk}, ok={"opleider", "stagiair"}),
    "beoordeling:evaluatie_fill": Rule(lambda w: {"pk": w.stage.pk}, ok={"stagiair"}, forbidden={"opleider"}),
    "beoordeling:evaluatie_afronding": Rule(lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden={"stagiair"}),
    "beoordeling:evaluatie_overzicht": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    # Verslagen: world.verslag is a tussenbeoordeling verslag, seen by who sees a tussenbeoordeling (so not the
    # werkplekbegeleider); it is not shared, so its mbo-begeleider gets 404 like any outsider (test_verslagen.py
    # covers the shared case, test_verslag_visibility.py every kind).
    "stagemap:stagemap": Rule(lambda w: {"pk": w.stage.pk}, ok=ON_STAGE, forbidden=COLLEGA),
    "stagemap:verslag_download": Rule(lambda w: {"pk": w.verslag.pk}, ok=TUSSENBEOORDELING_READERS),
    "stagemap:verslag": Rule(lambda w: {"pk": w.verslag.pk}, ok=TUSSENBEOORDELING_READERS),
    "stagemap:verslag_share": Rule(
        lambda w: {"pk": w.verslag.pk},
        ok={"opleider"},
        forbidden=TUSSENBEOORDELING_READERS - {"opleider"},
        post_only=True,
    ),
    "stagemap:verslag_review": Rule(
        lambda w: {"pk": w.verslag.pk}, forbidden=TUSSENBEOORDELING_READERS, post_only=True
    ),
    "stagemap:verslag_comment": Rule(
        lambda w: {"pk": w.verslag.pk},
        ok={"opleider", "stagiair"},
        forbidden=TUSSENBEOORDELING_READERS - {"opleider", "stagiair"},
        post_only=True,
    ),
    "stagemap:stagemap_make_verslagen": Rule(
        lambda w: {"pk": w.stage.pk},
        ok={"opleider"},
        forbidden={"wpb", "beoordelaar", "stagiair", "mbo", "collega"},
        post_only=True,
    ),
    "stagemap:stagemap_export_start": Rule(
        lambda w: {"pk": w.stage.pk},
        ok={"opleider", "stagiair"},
        forbidden={"wpb", "beoordelaar", "mbo", "collega"},
        post_only=True,
    ),
    "stagemap:stagemap_export": Rule(lambda w: {"pk": w.stagemap_export.pk}, ok={"opleider"}),
    "stagemap:stagemap_export_download": Rule(lambda w: {"pk": w.stagemap_export.pk}, ok={"opleider"}),
    # The profile is everyone's own; a praktijkopleider's training is seen by his colleagues (the erkenning's
    # checklist shows it) and changed by nobody else.
    "leerbedrijf:profile": Rule(ok=set(PERSONAS)),
    # The search (issue 16) is everyone's; what it finds is each person's own (tests/leerbedrijf/test_zoeken.py).
    "leerbedrijf:zoeken": Rule(ok=set(PERSONAS)),
    # The beheerder is a superuser: django-rules lets him past every rule that has no object to look up.
    "leerbedrijf:training_add": Rule(
        ok=LEERBEDRIJF_PEOPLE | {"staff"}, forbidden=set(PERSONAS) - LEERBEDRIJF_PEOPLE - {"staff"}
    ),
    "leerbedrijf:training_edit": Rule(lambda w: {"pk": _training(w).pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:training_delete": Rule(
        lambda w: {"pk": _training(w).pk}, ok={"opleider"}, forbidden=COMPANY_STAFF, post_only=True
    ),
    "leerbedrijf:training_certificate": Rule(lambda w: {"pk": _training(w).pk}, ok={"opleider"} | COMPANY_STAFF),
    "notification_read": Rule(lambda w: {"pk": w.notification.pk}, ok={"opleider"}, post_only=True),
    # Everyone's own notifications (issue 16): the list, and marking the ones it showed read.
    "notifications": Rule(ok=set(PERSONAS)),
    "notifications_read": Rule(ok=set(PERSONAS), post_only=True),
    "reminder_preferences": Rule(ok=set(PERSONAS)),
    # Everyone asks the erasure of his own account (a beheerder's goes through another beheerder in /beheer/).
    "erasure_request": Rule(ok=set(PERSONAS)),
    # Onboarding: the school is not shown it, the praktijkbeoordelaar has no part in it (leerbedrijf/rules.py).
    "leerbedrijf:onboarding": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider", "wpb", "stagiair"}, forbidden={"beoordelaar", "mbo", "collega"}
    ),
    "leerbedrijf:onboarding_tick": Rule(
        lambda w: {"pk": w.stage.pk, "item_pk": w.onboarding_item.pk},
        ok={"opleider", "wpb"},
        forbidden={"stagiair", "beoordelaar", "mbo", "collega"},
        post_only=True,
    ),
    "leerbedrijf:onboarding_assign": Rule(
        lambda w: {"pk": w.stage.pk, "item_pk": w.onboarding_item.pk},
        ok={"opleider"},
        forbidden={"wpb", "stagiair", "beoordelaar", "mbo", "collega"},
        post_only=True,
    ),
    "leerbedrijf:onboarding_template": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:onboarding_template_delete": Rule(
        lambda w: {"pk": w.a.pk, "item_pk": w.template_item.pk},
        ok={"opleider"},
        forbidden=COMPANY_STAFF,
        post_only=True,
    ),
    # The voortgang overview (issue 16): everyone who follows stagiairs for a company or a school sees his own there
    # (the beheerder, a superuser, passes every permission and sees none: he follows no stage).
    "leerbedrijf:voortgang": Rule(ok=set(PERSONAS) - {"stagiair"}, forbidden={"stagiair"}),
    "leerbedrijf:stagiairs": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:intake": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    # Adding a school from the intake; the beheerder adds one in the admin (tests/leerbedrijf/test_intake_school.py).
    "leerbedrijf:intake_school": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:settings": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:stage_edit": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden=(ON_STAGE - {"opleider"}) | COLLEGA
    ),
    "leerbedrijf:kandidaten": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:kandidaat_new": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    # A kandidaat is visible to the praktijkopleider only: to everyone else it does not exist.
    "leerbedrijf:kandidaat": Rule(lambda w: {"pk": w.kandidaat.pk}, ok={"opleider"}),
    "leerbedrijf:import": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:import_confirm": Rule(
        lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF, post_only=True
    ),
    "leerbedrijf:import_example": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:kandidaat_besluit": Rule(lambda w: {"pk": w.kandidaat.pk}, ok={"opleider"}, post_only=True),
    "stageplan:detail": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    # The progress picture: whoever reads the stageplan; its tussenbeoordeling part follows that beoordeling.
    "beoordeling:voortgangsbeeld": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:create": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:beginsituatie": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:leerdoel_add": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:leerdoel": Rule(lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk}, ok=PLAN_READERS),
    "stageplan:leerdoel_edit": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY
    ),
    "stageplan:leerdoel_delete": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    "stageplan:comment": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    "stageplan:versions": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:diff": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:agree": Rule(
        lambda w: {"pk": w.stage.pk, "number": w.stageplan.version},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    # The one stageplan page for the school: their own student's agreed version (another mbo-begeleider: 404).
    "stageplan:shared": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS | {"mbo"}),
    "stageplan:timeline": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    # The school sees the moments it takes part in (read-only); the praktijkopleider and the werkplekbegeleider
    # plan them; the stagiair proposes (gids ch. 7, 8).
    "stageplan:moments": Rule(lambda w: {"pk": w.stage.pk}, ok=(PLAN_READERS - COLLEGA) | {"mbo"}, forbidden=COLLEGA),
    "stageplan:moment_add": Rule(lambda w: {"pk": w.stage.pk}, ok=MOMENT_PLANNERS, forbidden=MOMENT_NOT_PLANNERS),
    "stageplan:moment_edit": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk}, ok=MOMENT_PLANNERS, forbidden=MOMENT_NOT_PLANNERS
    ),
    "stageplan:moment_cancel": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk}, ok=MOMENT_PLANNERS, forbidden=MOMENT_NOT_PLANNERS
    ),
    "stageplan:moment_restore": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk},
        ok=MOMENT_PLANNERS,
        forbidden=MOMENT_NOT_PLANNERS,
        post_only=True,
    ),
    "stageplan:moment_propose": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"stagiair"}, forbidden=PLAN_READERS - {"stagiair"}
    ),
    "stageplan:moment_propose_date": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk}, ok={"stagiair"}, forbidden=PLAN_READERS - {"stagiair"}
    ),
    "stageplan:voorstel_besluit": Rule(
        lambda w: {
            "pk": w.stage.pk,
            "voorstel_pk": MomentVoorstel.objects.create(
                stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=w.moment.starts_at, proposed_by=w.stagiair
            ).pk,
        },
        ok=MOMENT_PLANNERS,
        forbidden=MOMENT_NOT_PLANNERS,
        post_only=True,
    ),
    # The agenda of the moments each takes part in, and the page of their calendar link: everyone has their own
    # (tests/stageplan/test_agenda.py checks whose moments each sees).
    "stageplan:agenda": Rule(ok=set(PERSONAS)),
    "stageplan:agenda_abonnement": Rule(ok=set(PERSONAS)),
    "stageplan:observatie_add": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider", "wpb", "collega"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "stageplan:observatie_start": Rule(ok=RECORDERS, forbidden=set(PERSONAS) - RECORDERS),
    "stageplan:observaties": Rule(ok=set(PERSONAS) - NOT_COMPANY, forbidden=NOT_COMPANY),
    "stageplan:observatie_photo": Rule(lambda w: {"observatie_pk": w.observatie.pk}, ok=PLAN_READERS),
    # Beoordelingen: the praktijkopleider, the stagiair and the stage's praktijkbeoordelaar. The werkplekbegeleider
    # sees the stage but not its beoordelingen; the stage's mbo-begeleider sees its eindbeoordelingen (their part is
    # in them) and no tussenbeoordeling (that reaches the school as a shared verslag).
    "beoordeling:stage": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider", "stagiair", "beoordelaar", "mbo"}, forbidden={"wpb", "collega"}
    ),
    "beoordeling:start": Rule(
        lambda w: {"pk": w.stage.pk},
        ok={"opleider", "beoordelaar"},
        forbidden={"wpb", "mbo", "stagiair", "collega"},
        post_only=True,
    ),
    "beoordeling:sjabloon": Rule(
        lambda w: {"pk": w.stage.pk, "kind": "tussenbeoordeling"},
        ok={"opleider"},
        forbidden={"wpb", "mbo", "stagiair", "beoordelaar", "collega"},
    ),
    "beoordeling:detail": Rule(lambda w: {"pk": w.beoordeling.pk}, ok=TUSSENBEOORDELING_READERS),
    "beoordeling:fill": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider", "stagiair"}, forbidden={"beoordelaar"}
    ),
    "beoordeling:open_gesprek": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}, post_only=True
    ),
    "beoordeling:conclude": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "beoordeling:sign": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider", "stagiair"}, forbidden={"beoordelaar"}
    ),
    "beoordeling:correct": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "beoordeling:school_part": Rule(
        lambda w: {"pk": Beoordeling.start(stage=w.stage, kind=BeoordelingKind.BPV, by=w.beoordelaar).pk},
        ok={"mbo"},
        forbidden={"opleider", "stagiair", "beoordelaar"},
    ),
    # The proposal of a tussenbeoordeling concluding twijfel or nee: the praktijkopleider, who concludes it (a
    # conclusion "ja" proposes nothing and sends him back, still a page he may open).
    "beoordeling:zorg_voorstel": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "beoordeling:ask_colleague": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    # An open request is resent or withdrawn after a confirm step (GET).
    "beoordeling:collega_resend": Rule(
        lambda w: {"pk": w.beoordeling.pk, "vraag_pk": w.collega_vraag.pk},
        ok={"opleider"},
        forbidden={"stagiair", "beoordelaar"},
    ),
    "beoordeling:collega_revoke": Rule(
        lambda w: {"pk": w.beoordeling.pk, "vraag_pk": w.collega_vraag.pk},
        ok={"opleider"},
        forbidden={"stagiair", "beoordelaar"},
    ),
    # Aanwezigheid en uren (issue 14). The mbo-begeleider sees ziekmeldingen only where the company chose so
    # (tests/uren/test_ziekmelding.py); in the world it did not, so for them the pages do not exist.
    "uren:stage": Rule(lambda w: {"pk": w.stage.pk}, ok=UREN_READERS),
    "uren:week": Rule(_week_kwargs, ok=UREN_READERS),
    "uren:week_invullen": Rule(_week_kwargs, ok=UREN_FILLERS, forbidden=UREN_READERS - UREN_FILLERS),
    "uren:week_normaal": Rule(_week_kwargs, ok=UREN_FILLERS, forbidden=UREN_READERS - UREN_FILLERS, post_only=True),
    "uren:week_akkoord": Rule(_urenweek, ok=UREN_APPROVERS, forbidden=UREN_READERS - UREN_APPROVERS, post_only=True),
    "uren:week_terugsturen": Rule(
        _urenweek, ok=UREN_APPROVERS, forbidden=UREN_READERS - UREN_APPROVERS, post_only=True
    ),
    "uren:week_corrigeren": Rule(
        lambda w: _urenweek(w, approved=True), ok=UREN_APPROVERS, forbidden=UREN_READERS - UREN_APPROVERS
    ),
    "uren:instelling": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden=UREN_READERS - {"opleider"}, post_only=True
    ),
    "uren:ziekmeldingen": Rule(lambda w: {"pk": w.stage.pk}, ok=UREN_READERS),
    "uren:ziek_melden": Rule(lambda w: {"pk": w.stage.pk}, ok=ZIEK_REPORTERS, forbidden=UREN_READERS - ZIEK_REPORTERS),
    "uren:beter_melden": Rule(
        lambda w: {"pk": _ziekmelding(w)}, ok=ZIEK_REPORTERS, forbidden=UREN_READERS - ZIEK_REPORTERS
    ),
    "uren:company": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    # Tegemoetkomingen: the company's application, kept by the praktijkopleider; the stage's werkplekbegeleider
    # sees what is missing. For everyone else on the stage (stagiair, beoordelaar, school) they do not exist.
    "tegemoetkoming:stage": Rule(lambda w: {"pk": w.stage.pk}, ok={"opleider", "wpb"}),
    "tegemoetkoming:document_upload": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden={"wpb"}, post_only=True
    ),
    "tegemoetkoming:document": Rule(lambda w: {"pk": w.stage.pk, "kind": _pok(w)}, ok={"opleider", "wpb"}),
    "tegemoetkoming:stage_dossier_start": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden={"wpb"}, post_only=True
    ),
    "tegemoetkoming:overzicht": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "tegemoetkoming:company_dossier_start": Rule(
        lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF, post_only=True
    ),
    # A dossier is seen by who asked for it, while a praktijkopleider of its leerbedrijf.
    "tegemoetkoming:dossier": Rule(lambda w: {"pk": _dossier(w)}, ok={"opleider"}),
    "tegemoetkoming:dossier_download": Rule(lambda w: {"pk": _dossier(w), "part": "pdf"}, ok={"opleider"}),
    # Privacy (issue 17). Everyone asks for his own inzage and sees what was opened of his; an inzage is seen by who
    # asked and the person it is about, nobody else (a colleague of who asked neither); the praktijkopleider asks
    # for a stagiair's on request and sees his company's log; the verwerkingsregister is the beheerder's.
    "leerbedrijf:inzage": Rule(ok=set(PERSONAS)),
    "leerbedrijf:inzage_start": Rule(ok=set(PERSONAS), post_only=True),
    "leerbedrijf:inzage_status": Rule(lambda w: {"pk": _inzage(w)}, ok={"opleider", "stagiair"}),
    "leerbedrijf:inzage_download": Rule(lambda w: {"pk": _inzage(w)}, ok={"opleider", "stagiair"}),
    "leerbedrijf:stage_inzage": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider"}, forbidden=(ON_STAGE - {"opleider"}) | COLLEGA
    ),
    "leerbedrijf:raadplegingen": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:raadplegingen_own": Rule(ok=set(PERSONAS)),
    "verwerkingsregister": Rule(ok={"staff"}, forbidden=set(PERSONAS) - {"staff"}),
    # Everyone's own two-factor login; the code page sends on who has no step open: tests/stagegids/test_twofactor.py
    "twofactor": Rule(ok=set(PERSONAS)),
    "twofactor_setup": Rule(ok=set(PERSONAS)),
    "twofactor_code": Rule(ok=set(PERSONAS)),
    "twofactor_recovery_codes": Rule(ok=set(PERSONAS), post_only=True),
    "twofactor_off": Rule(ok=set(PERSONAS)),
    # Passkeys (issue 17): the step's own requests send on who has no step open; a passkey is its owner's alone.
    "twofactor_passkey_options": Rule(ok=set(PERSONAS), post_only=True),
    "twofactor_passkey": Rule(ok=set(PERSONAS), post_only=True),
    "passkey_add_options": Rule(ok=set(PERSONAS), post_only=True),
    "passkey_add": Rule(ok=set(PERSONAS), post_only=True),
    "passkey_remove": Rule(lambda w: {"pk": _passkey(w).pk}, ok={"opleider"}),
}

# Pages for people who are not logged in (yet): their own checks are tested where they are built.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "leerbedrijf:accept",
    # A leerbedrijf registers itself: tests/leerbedrijf/test_registratie.py
    "leerbedrijf:aanmelden",
    "leerbedrijf:aanmelding_verstuurd",
    "leerbedrijf:aanmelding_bevestigen",
    "beoordeling:collega_antwoord",  # the colleague's single-use link: tests/test_collega_feedback.py
    "stageplan:agenda_feed",  # a calendar's link, its token the login: tests/stageplan/test_agenda.py
    "health",  # a load balancer's question, without a session: tests/stagegids/test_health.py
    # The app on a phone, fetched before anyone logs in, the same for all: tests/stagegids/test_pwa.py walks them as
    # every persona.
    "manifest",
    "service_worker",
    "offline",
    "privacy",  # the privacy page, for everyone: tests/leerbedrijf/test_raadplegingen.py
}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin checks is_staff itself: test_admin_needs_staff
            yield from url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_has_a_rule():
    names = set(url_names())
    assert names - RULES.keys() - PUBLIC == set(), "add these URLs to RULES or PUBLIC"
    assert (RULES.keys() | PUBLIC) - names == set(), "these rules name URLs that no longer exist"


def expected_status(rule, persona, method):
    if persona == "anonymous":
        return "login"
    if method == "get" and rule.post_only:
        return 405
    if persona in rule.ok:
        return "ok"
    return 403 if persona in rule.forbidden else 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", list(RULES))
def test_access_matrix(client, world, name, method):
    """One world per URL; each persona's request runs in a savepoint that is rolled back, so none sees another's
    changes (a POST that ends a role, say)."""
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    wrong = []
    for persona in ["anonymous", *PERSONAS]:
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        expected = expected_status(rule, persona, method)
        redirect = response.url if response.status_code == 302 else ""
        if expected == "login":
            good = redirect.startswith(reverse("login"))
        elif expected == "ok":
            good = response.status_code == 200 or (
                response.status_code == 302 and not redirect.startswith(reverse("login"))
            )
        else:
            good = response.status_code == expected
        if not good:
            wrong.append(f"{persona}: expected {expected}, got {response.status_code} {redirect}")
    assert wrong == [], f"{method.upper()} {url}\n" + "\n".join(wrong)


def test_admin_needs_staff(client, world):
    client.force_login(world.opleider)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(world.staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_revoking_a_role_bites_on_the_next_request(client, world):
    client.force_login(world.wpb)
    url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    assert client.get(url).status_code == 200
    world.wpb.memberships.get().end(by=world.opleider)
    assert client.get(url).status_code == 404


def test_denied_access_is_logged_without_personal_data(client, world, caplog):
    caplog.set_level("INFO", logger="stagegids.access")
    client.force_login(world.opleider_b)
    client.get(reverse("leerbedrijf:stage", args=[world.stage.pk]))
    client.force_login(world.wpb)
    client.get(reverse("leerbedrijf:detail", args=[world.a.pk]))
    records = [r.getMessage() for r in caplog.records if r.name == "stagegids.access"]
    assert f"user={world.opleider_b.pk} model=leerbedrijf.Stage" in records[0]
    assert (
        f"permission=leerbedrijf.view_leerbedrijf user={world.wpb.pk} model=leerbedrijf.Leerbedrijf id={world.a.pk}"
        in records[1]
    )
    assert all("@" not in message and world.stagiair.name not in message for message in records)


def test_stage_page_links_only_to_what_each_person_may_open(client, world):
    """Every link in the stage navigation opens for the person who sees it."""
    import re

    for persona in ["opleider", "wpb", "beoordelaar", "stagiair", "mbo"]:
        client.force_login(getattr(world, persona))
        page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).text
        nav = page[page.index('aria-label="Onderdelen van de stage"') : page.index("</nav>", page.index("Onderdelen"))]
        links = re.findall(r'href="([^"]+)"', nav)
        assert len(links) >= 2, persona
        for link in links:
            assert client.get(link).status_code == 200, f"{persona}: {link}"
