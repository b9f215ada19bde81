"""On PostgreSQL a query asked again on the same connection is prepared by the server, parsed and planned once
(stagegids/settings.py, bench/README.md): a start page asks the same queries at every visit."""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements of PostgreSQL")


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_start_page_is_prepared_once_asked_again(client, world):
    client.force_login(world.opleider)
    first = client.get(reverse("start"))
    assert first.status_code == 200
    assert not any("stagegids_notification" in statement for statement in prepared_statements())

    for _ in range(3):
        again = client.get(reverse("start"))
        assert again.status_code == 200
    assert again.text.count("<h2") == first.text.count("<h2"), "the same page"
    assert any("stagegids_notification" in statement for statement in prepared_statements())
