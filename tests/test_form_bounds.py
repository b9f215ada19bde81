"""Every form of the portal, its filters and searches too, filled in beyond its bounds by every persona who may open
it: no answer is an error page, no refusal is in English, and every text a user types has a maxlength.

The forms are read from the pages themselves (every URL of the authorization matrix that a persona may open), so a
new form is tried without being listed here. Each is sent three times: far too long (100,000 characters, the year
9999, numbers beyond any column), strange (a NUL byte, the year 1, an option that is not offered) and empty. What a
form accepted is then shown where people look next (the page it leads to, the start page of the sender and of the
people around the stage), so a value that is stored but cannot be shown is found too. Each try runs in a savepoint
that is rolled back. Every form that is only a button is also sent twice, as a double click does.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.apps import apps
from django.core import serializers, validators
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.functional import Promise

from tests.conftest import PERSONAS
from tests.test_authorization import RULES

LONG = "x" * 100_000
VARIANTS = {
    "te lang": {
        "text": LONG,
        "email": "a" * 300 + "@example.nl",
        "number": "9" * 30,
        "date": "9999-12-31",
        "datetime-local": "9999-12-31T23:59",
        "time": "23:59",
        "select": None,
    },
    "vreemd": {
        "text": "nul\x00teken é 🚀 \u202e",
        "email": "geen-adres",
        "number": "-1e309",
        "date": "0001-01-01",
        "datetime-local": "0001-01-01T00:00",
        "time": "25:61",
        "select": "999999999999",
    },
    "leeg": {kind: "" for kind in ("text", "email", "number", "date", "datetime-local", "time", "select")},
}
TEXT_TYPES = {"text", "search", "tel", "url", "password", ""}


def english_messages():
    """Django's own refusals in English, the part before the first placeholder: none may reach a page."""
    messages = set()
    with translation.override("en"):
        for base in (forms.Field, models.Field):
            for field in [base, *_subclasses(base)]:
                messages.update(str(message) for message in getattr(field, "default_error_messages", {}).values())
        for validator in [value for value in vars(validators).values() if isinstance(value, type)]:
            if isinstance(getattr(validator, "message", None), str | Promise):
                messages.add(str(validator.message))
        # The length validators' messages are plural forms of their number: as a refusal shows them.
        for field, value in ((forms.CharField(max_length=2), "abcd"), (forms.CharField(min_length=4), "ab")):
            try:
                field.clean(value)
            except ValidationError as error:
                messages.update(error.messages)
    # Up to the first placeholder, number or quoted value.
    return {re.split(r"%\(|\{|“|\d", message)[0].strip() for message in messages} - {""}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


ENGLISH = sorted(message for message in english_messages() if len(message) > 12)


def page_forms(html, page_url):
    """[(method, action, {name: (kind, value, options)}, [submit values], htmx, unbounded)] of the page's forms;
    htmx: whether the page's script sends it as an htmx request (an hx-post or hx-get on the form); unbounded: the
    names of the texts a user types that carry no maxlength."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for form in soup.find_all("form"):
        fields = {}
        unbounded = []
        for element in form.find_all(["input", "textarea", "select"]):
            name = element.get("name")
            if not name or element.has_attr("disabled"):
                continue
            typed = element.name == "textarea" or (
                element.name == "input" and (element.get("type") or "text").lower() in TEXT_TYPES | {"email"}
            )
            if typed and not element.has_attr("maxlength") and not element.has_attr("readonly"):
                unbounded.append(name)
            if element.name == "textarea":
                fields[name] = ("text", element.get_text(), [])
            elif element.name == "select":
                options = [option.get("value", option.get_text()) for option in element.find_all("option")]
                chosen = [
                    option.get("value", "") for option in element.find_all("option") if option.has_attr("selected")
                ]
                fields[name] = ("select", (chosen or options or [""])[0], [value for value in options if value])
            else:
                kind = (element.get("type") or "text").lower()
                if kind in ("submit", "button", "image", "reset", "file"):
                    continue
                if kind in ("checkbox", "radio"):
                    if element.has_attr("checked") or name not in fields:
                        fields[name] = ("choice", element.get("value", "on"), [])
                    continue
                fields[name] = ("text" if kind in TEXT_TYPES else kind, element.get("value", ""), [])
        buttons = [
            (button.get("name"), button.get("value", ""))
            for button in form.find_all(["button", "input"])
            if button.get("name") and (button.name == "button" or button.get("type") == "submit")
        ]
        method = (form.get("method") or "get").lower()
        htmx = form.has_attr("hx-post") or form.has_attr("hx-get")
        found.append((method, urljoin(page_url, form.get("action") or ""), fields, buttons[:1], htmx, unbounded))
    return found


def filled(fields, buttons, variant):
    data = {}
    for name, (kind, value, options) in fields.items():
        if kind in ("hidden", "choice"):
            data[name] = value  # what the page put there: the version of the optimistic lock, the step, the id
        elif kind == "select":
            wrong = variant["select"]
            data[name] = (options[0] if options else "") if wrong is None else wrong
        else:
            data[name] = variant.get(kind, variant["text"])
    data.update(buttons)
    return data


def problems_of(response):
    if response.status_code >= 500:
        return [f"status {response.status_code}"]
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    text = response.content.decode()
    return [f"in English: {message!r}" for message in ENGLISH if message in text]


FORM_PAGES = [name for name, rule in RULES.items() if rule.ok and not rule.post_only]


# Whose start page shows what a form accepted, besides the sender's: the people around the world's stage.
ONLOOKERS = ("opleider", "wpb", "stagiair", "mbo")


def sent(client, world, user, method, action, data, headers=None):
    """The problems of sending `data` to `action` as `user`, and of the pages one looks at next when it is
    accepted (the page it leads to, the start page of the sender and of the people around the stage); rolled
    back. Sent as htmx, the same values were stored as when sent plainly: only its own answers are looked at."""
    client.force_login(user)
    with transaction.atomic():
        try:
            response = getattr(client, method)(action, data, headers=headers)
            found = problems_of(response)
            if response.status_code == 302 and response.url.startswith("/"):
                found += [f"after it, {response.url}: {p}" for p in problems_of(client.get(response.url))]
                onlookers = (
                    [] if headers else dict.fromkeys([user, *(getattr(world, persona) for persona in ONLOOKERS)])
                )
                for onlooker in onlookers:
                    client.force_login(onlooker)
                    start = problems_of(client.get(reverse("start")))
                    found += [f"after it, the start page of {onlooker.email}: {p}" for p in start]
        except Exception as error:  # the test client raises what the view raised: reported with its form
            found = [f"{type(error).__name__}: {error}"[:300]]
        transaction.set_rollback(True)
    return found


def forms_of_the_page(client, world, name):
    """(persona, user, kind, method, action, fields, buttons, htmx, unbounded) of the forms on the page `name`, as
    each persona who may open it sees them. A list of rows has a form per row: one of each kind (action and fields) a
    persona."""
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    for persona in [persona for persona in PERSONAS if persona in rule.ok]:
        user = getattr(world, persona)
        client.force_login(user)
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        seen = set()
        for method, action, fields, buttons, htmx, unbounded in page_forms(page.content.decode(), url):
            kind = (method, resolve(urlsplit(action).path).url_name, tuple(sorted(fields)))
            if action != reverse("logout") and fields and kind not in seen:
                seen.add(kind)
                yield persona, user, kind, method, action, fields, buttons, htmx, unbounded


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_form_refuses_what_is_out_of_bounds_in_dutch(client, world, name):
    wrong = []
    tried = set()
    for persona, user, kind, method, action, fields, buttons, htmx, unbounded in forms_of_the_page(client, world, name):
        # People in several roles see the same form: it is tried by the first (its bounds are the form's).
        if kind in tried:
            continue
        tried.add(kind)
        # Without a maxlength the browser sends a paste of megabytes, which the portal refuses whole (the 400 page);
        # with one, the paste is cut off in the field, where the user sees it.
        wrong += [f"{persona} {action}: {field} has no maxlength" for field in unbounded]
        # Without a script, and as the page's script sends it (htmx answers with a part of a page).
        for headers in [None, {"HX-Request": "true"}] if htmx else [None]:
            for label, variant in VARIANTS.items():
                found = sent(client, world, user, method, action, filled(fields, buttons, variant), headers)
                how = f"{method.upper()}{' htmx' if headers else ''}"
                wrong += [f"{persona} {how} {action} ({label}): {problem}" for problem in found]
    assert wrong == [], "\n".join(wrong)


def test_an_english_refusal_or_an_error_page_is_found():
    """The check itself: Django's own English refusal on a page, and an error page, are reported."""
    english = HttpResponse("<ul class=errorlist><li>This field is required.</li></ul>")
    assert problems_of(english) == ["in English: 'This field is required.'"]
    assert problems_of(HttpResponse(status=500)) == ["status 500"]
    assert problems_of(HttpResponse("<li>Dit veld is verplicht.</li>")) == []


# What a request may write however often it is sent: the trail of who did what (a refused second click is logged
# too), the mail it queues, the notifications and the login's own rows.
NOT_STATE = {"stagegids.Wijziging", "stagegids.OutgoingMail", "stagegids.Notification", "sessions.Session"}
APPS = {"stagegids", "leerbedrijf", "stagemap", "stageplan", "beoordeling", "uren", "tegemoetkoming"}


def state():
    """Every row of the portal's own tables, as text."""
    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for model in apps.get_models()
        if model._meta.app_label in APPS and model._meta.label not in NOT_STATE
    }


def changed(before, after):
    return sorted(label for label in before if before[label] != after[label])


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_button_sent_twice_changes_nothing_the_second_time(client, world, name):
    """A form that is only a button (sign, hand in, close, accept, confirm, tick off): its page's values sent twice,
    as a double click does, by each persona (the company and the stagiair sign different parts). The second changes
    no row and is no error page."""
    wrong = []
    for persona, user, _kind, method, action, fields, buttons, _htmx, _unbounded in forms_of_the_page(
        client, world, name
    ):
        if method != "post" or any(kind not in ("hidden", "choice", "select") for kind, _v, _o in fields.values()):
            continue  # a form to fill in: test_every_form_refuses_what_is_out_of_bounds_in_dutch
        data = filled(fields, buttons, {"select": None})
        client.force_login(user)
        with transaction.atomic():
            client.post(action, data)
            before = state()
            second = client.post(action, data)
            after = state()
            transaction.set_rollback(True)
        if second.status_code >= 500:
            wrong.append(f"{persona} {action}: status {second.status_code}")
        if tables := changed(before, after):
            wrong.append(f"{persona} {action}: the second click changed {', '.join(tables)}")
    assert wrong == [], "\n".join(wrong)
