"""The portal as an app on a phone (issue 16): the manifest, the service worker and the offline page, the same for
everyone and without anyone's data; and which pages the worker may keep."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from stagegids.pwa import OFFLINE_HEADER, SHELL
from tests.conftest import PERSONAS

ANYONE = ["anonymous", *PERSONAS]


def as_persona(client, world, persona):
    client.logout()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def test_the_manifest_makes_it_installable(client):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Stagegids"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    css = Path(settings.BASE_DIR, "static/css/stagegids.css").read_text()
    assert f".bg-brand {{ background-color: {manifest['theme_color']}; }}" in css, "the header's colour"
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        with Image.open(path) as image:
            assert image.format == "PNG" and "{}x{}".format(*image.size) == icon["sizes"]
        sizes[icon["sizes"], icon.get("purpose", "any")] = icon["src"]
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes.keys()


def test_every_page_links_the_manifest_and_the_worker(client, world):
    for page in [reverse("login"), reverse("start")]:
        html = as_persona(client, world, "anonymous" if page == reverse("login") else "wpb").get(page).text
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
        assert f'data-sw="{reverse("service_worker")}"' in html


def test_the_service_worker_is_served_for_the_whole_portal(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache", "a new version is found on the next visit"
    script = response.text
    assert 'importScripts("/static/js/wachtrij.js");' in script
    shell = re.search(r'"shell": \[(.*?)\]', script).group(1)
    for path in SHELL:
        assert finders.find(path), f"{path} is in the shell and must exist"
        assert f'"{settings.STATIC_URL}{path}"' in shell
    assert f'"{reverse("offline")}"' in shell


@pytest.mark.parametrize("name", ["manifest", "service_worker", "offline"])
def test_the_app_files_are_the_same_for_everyone_and_name_nobody(client, world, name):
    """Public: the worker is fetched before anyone logs in, and what it keeps of these is kept for everyone."""
    answers = set()
    for persona in ANYONE:
        response = as_persona(client, world, persona).get(reverse(name))
        assert response.status_code == 200, persona
        if name != "offline":  # the page carries a fresh CSRF token in no form, but a nonce per request
            answers.add(response.content)
        assert world.wpb.name not in response.text and "Uitloggen" not in response.text
    assert len(answers) <= 1


def test_the_offline_page_says_what_to_do(client, world):
    html = as_persona(client, world, "wpb").get(reverse("offline")).text
    assert "Geen verbinding" in html and "open het observatieformulier een keer met verbinding" in html


def test_only_the_observatie_form_is_kept_for_offline_use(client, world):
    client.force_login(world.wpb)
    form_url = reverse("stageplan:observatie_add", args=[world.stage.pk])
    assert client.get(form_url)[OFFLINE_HEADER] == "bewaren"
    assert OFFLINE_HEADER not in client.post(form_url, {"kind": "goed"}), "an answer to a post is not the form"
    for page in [reverse("start"), reverse("stageplan:observaties"), world.stage.get_absolute_url()]:
        assert OFFLINE_HEADER not in client.get(page), page
    client.force_login(world.wpb_other)
    assert OFFLINE_HEADER not in client.get(form_url), "a 404 is not kept"
