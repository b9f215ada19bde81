"""The inzage's registry covers every model that holds something about a person (stagegids/inzage.py).

A person's data is in a model with a relation (FK, one-to-one, many-to-many) to the user, to a Stage, Stagiair or
Kandidaat, or to any model already registered as holding a person's data (a Leerdoel through its Stageplan). Such a
model is either registered or named below with the reason it holds nothing about a person; a new model that is
neither fails here, so the export cannot silently forget it.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leerbedrijf.models import Stage
from stagegids import inzage
from stagegids.verwerkingen import BEWAARTERMIJNEN, VERWERKINGEN

PERSON_ROOTS = {"stagegids.User", "leerbedrijf.Stage", "leerbedrijf.Stagiair", "leerbedrijf.Kandidaat"}

EXCLUDED = {
    # Django's own: the admin's log names the beheerder's own edits in /beheer/; sessions expire by themselves.
    "admin.LogEntry": "the beheerder's edits in /beheer/, not data of a stagiair or begeleider",
    # Company data that names who made it: the person appears only as its author, his account is in the export.
    "leerbedrijf.OnboardingTemplateItem": "the company's onboarding template; only its author is named",
    "leerbedrijf.StagiairImport": "a CSV import's bookkeeping; the stagiairs it made are exported as Stagiair rows",
    "leerbedrijf.ErkenningCheck": "the company's erkenning checklist; only who ticked it is named",
    "beoordeling.Formuliersjabloon": "the company's form template; only who last changed it is named",
    # A kandidaat has no account and cannot ask through the portal; the praktijkopleider gives him his data from
    # the intake page and the retention (bewaren) removes it four weeks after a rejection.
    "leerbedrijf.Kandidaat": "no account: given by the praktijkopleider from the intake page",
    # Work the stagemap's worker does on request; the verslagen it makes are exported as Verslag rows.
    "stagemap.VerslagenUpdate": "a worker's to-do row; what it made is exported as the verslagen",
    # The second step of the login (stagegids/twofactor.py): secrets, not data about the person. An export that
    # carried the app's key would carry the second factor; whether it is on the person sees on its own page.
    "otp_totp.TOTPDevice": "the login's second factor: a secret key, removed when the account is anonymised",
    "stagegids.RecoveryCode": "HMACs of recovery codes, removed when the account is anonymised",
    "django_otp_webauthn.WebAuthnCredential": "a passkey's public key and counter, removed when anonymised",
    "django_otp_webauthn.WebAuthnUserHandle": "random bytes naming the account to an authenticator, nothing more",
}


def _related_labels(model):
    for model_field in model._meta.get_fields():
        if model_field.concrete and (model_field.many_to_one or model_field.one_to_one or model_field.many_to_many):
            yield model_field.related_model._meta.label


def models_about_a_person():
    """Every model with a relation to a person's model, to the closure of the registered ones."""
    registered = {h.model for h in inzage.holdings()}
    personal, found = set(PERSON_ROOTS) | registered, set()
    for model in apps.get_models():
        if model._meta.label in PERSON_ROOTS:
            found.add(model._meta.label)
        if personal & set(_related_labels(model)):
            found.add(model._meta.label)
    return found


def test_every_model_about_a_person_is_exported_or_excluded_with_a_reason():
    registered = {h.model for h in inzage.holdings()}
    missing = models_about_a_person() - registered - EXCLUDED.keys()
    assert missing == set(), "register these in the app's holdings.py, or exclude them here with a reason"
    assert registered & EXCLUDED.keys() == set(), "a model is either exported or excluded"
    assert EXCLUDED.keys() - models_about_a_person() == set(), "these exclusions name no model about a person"


def test_a_new_model_linked_to_a_stage_is_caught(monkeypatch):
    """The walk fails on a model it was not told about: drop a registered one and it is missing."""
    monkeypatch.delitem(inzage._holdings, "stageplan.Observatie")
    registered = {h.model for h in inzage.holdings()}
    assert "stageplan.Observatie" in models_about_a_person() - registered - EXCLUDED.keys()


def test_every_holding_names_a_purpose_of_the_verwerkingsregister_and_its_retention_exists():
    codes = {v.code for v in VERWERKINGEN}
    assert {h.verwerking for h in inzage.holdings()} - codes == set()
    periods = {b.code for b in BEWAARTERMIJNEN}
    assert {code for v in VERWERKINGEN for code in v.bewaartermijnen} - periods == set()


def test_every_holding_is_a_valid_query_with_one_query_per_model(world):
    """Every lookup exists (a typo fails here), and a holding's rows are read with their relations in one query."""
    stages = Stage.objects.filter(stagiair__user=world.stagiair)
    for holding in inzage.holdings():
        with CaptureQueriesContext(connection) as queries:
            list(holding.rows(person=world.stagiair, stages=stages, whole=True))
        assert len(queries) == 1, holding.model


def test_the_user_holding_never_exports_the_password(world):
    holding = next(h for h in inzage.holdings() if h.model == get_user_model()._meta.label)
    assert "password" not in {f.name for f in holding.fields()}


@pytest.mark.parametrize("secret", ["password", "token_hash", "claim"])
def test_no_holding_exports_a_secret(secret):
    for holding in inzage.holdings():
        assert secret not in {f.name for f in holding.fields()}, holding.model


def test_the_calendar_feed_key_is_not_exported():
    """The key in a calendar's link is its password (stageplan/agenda.py)."""
    holding = next(h for h in inzage.holdings() if h.model == "stageplan.CalendarFeed")
    assert "key" not in {f.name for f in holding.fields()}
