"""A free text's bound (stagegids.forms.bound) is the browser's and the server's alike."""

from django.urls import reverse

from stagegids.forms import MAX_TEXT
from stagemap.models import VerslagComment


def comment(client, world, text):
    client.force_login(world.opleider)
    url = reverse("stagemap:verslag_comment", args=[world.verslag.pk])
    return client.post(url, {"text": text}, follow=True).content.decode()


def test_a_line_break_counts_once_as_the_browser_counts_it(client, world):
    """The browser counts a line break as one character for maxlength and sends it as two (CR LF): a text it let
    through up to the bound is taken, one character more is refused in Dutch and stores nothing."""
    lines = ("x" * 99 + "\r\n") * (MAX_TEXT // 100)  # MAX_TEXT characters as the browser counts them
    page = comment(client, world, lines)
    assert "Uw opmerking is geplaatst." in page
    assert VerslagComment.objects.filter(verslag=world.verslag).count() == 1

    page = comment(client, world, lines + "x")
    assert f"Houd het korter: hoogstens {MAX_TEXT} tekens (nu {MAX_TEXT + 1})." in page
    assert VerslagComment.objects.filter(verslag=world.verslag).count() == 1


def test_the_field_carries_the_bound(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("stagemap:verslag", args=[world.verslag.pk])).content.decode()
    assert f'maxlength="{MAX_TEXT}"' in page
