"""One log line a request (issue 18): the URL pattern, the view, the status, the time and the queries; as one JSON
object a line for a log collector. Never the path itself: it can hold a single-use token."""

import json
import logging

from django.urls import reverse
from django.utils.module_loading import import_string

from leerbedrijf.models import Invitation
from stagegids import settings as production  # the tests' settings switch logging off; these are production's
from stagegids.roles import Role


def test_a_request_is_one_line_with_its_route_time_and_queries(client, world, caplog):
    client.force_login(world.opleider)
    with caplog.at_level(logging.INFO, logger="stagegids.requests"):
        client.get(reverse("leerbedrijf:stage", args=[world.stage.pk]))
    (record,) = [r for r in caplog.records if r.name == "stagegids.requests"]
    assert record.method == "GET" and record.status == 200
    assert record.route == "/stages/<int:pk>/" and record.view == "leerbedrijf:stage"
    assert record.queries > 0 and record.duration_ms > 0
    assert record.user_id == world.opleider.pk


def test_the_token_in_a_path_stays_out_of_the_log(client, world, caplog):
    _invitation, token = Invitation.create(
        leerbedrijf=world.a,
        email="nieuw@example.nl",
        name="Nieuw",
        role=Role.WERKPLEKBEGELEIDER,
        invited_by=world.opleider,
    )
    with caplog.at_level(logging.INFO, logger="stagegids.requests"):
        client.get(reverse("leerbedrijf:accept", args=[token]))
    assert token not in caplog.text
    (record,) = [r for r in caplog.records if r.name == "stagegids.requests"]
    assert "<" in record.route and record.user_id is None


def test_an_unknown_url_is_logged_too(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="stagegids.requests"):
        client.get("/bestaat-niet/")
    (record,) = [r for r in caplog.records if r.name == "stagegids.requests"]
    assert record.status == 404 and record.route == "-"


def test_json_lines_carry_the_fields(client, db):
    """Production's formatter (STAGEGIDS_LOG_FORMAT=json) on a real request's record."""
    options = dict(production.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("stagegids.requests")
    handler, level = Keep(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get(reverse("login"))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    line = json.loads(formatter.format(records[0]))
    assert line["logger"] == "stagegids.requests" and line["level"] == "INFO"
    assert {"time", "message", "method", "route", "status", "duration_ms", "queries"} <= line.keys()
    assert line["route"] == "/account/inloggen/" and line["status"] == 200
