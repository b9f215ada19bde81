"""The agenda (issue 16): every moment someone takes part in, across their stages, by week or by month; moving one
goes through the moment's own form (timeline.moment_edit) and back. And the calendar feed: the same moments for
Outlook or Google Calendar at a URL with a secret token, renewable."""

import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseGone
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stagegids.policy import allowed, visible
from stagegids.roles import addressed_informally

from .. import agenda, ical
from ..models import AlreadyDone, CalendarFeed, Moment


def _moments(user, start, end):
    """The moments `user` takes part in from `start` to `end` (aware), through the policy."""
    return (
        visible(user, Moment.objects.for_participant(user))
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("stage__stagiair", "stage__leerbedrijf")
        .order_by("starts_at", "pk")
    )


@login_required
def agenda_view(request):
    """A week (?week=2026-W48) or a month (?maand=2026-11); a malformed or far-off one shows the current one and
    says why. Cancelled moments stay, struck through: the calendars show them cancelled too."""
    user, today = request.user, timezone.localdate()
    period, notice = agenda.period_from(request.GET, today=today)
    moments = list(_moments(user, *period.starts()))
    back = urlencode({"terug": reverse("stageplan:agenda") + _link(period)})
    for moment in moments:
        # Who plans a moment moves it with its own form, and comes back here (timeline.moment_edit).
        if moment.cancelled_at is None and allowed(user, "stageplan.plan_moment", moment.stage):
            moment.move_url = reverse("stageplan:moment_edit", args=[moment.stage_id, moment.pk]) + "?" + back
    return render(
        request,
        "stageplan/agenda.html",
        {
            "period": period,
            "days": agenda.days(period, moments, today=today),
            "count": len(moments),
            # The leerbedrijf is named only for who has stages at more than one (the school).
            "companies": len({moment.stage.leerbedrijf_id for moment in moments}),
            "notice": notice,
            "links": _links(period, today),
        },
    )


def _link(period):
    if period is None:
        return None
    name, value = period.param
    return f"?{urlencode({name: value})}"


def _links(period, today):
    return {
        "previous": _link(period.previous),
        "next": _link(period.next),
        "today": _link(agenda.current(period.kind, today)),
        "week": _link(period.as_week(today)),
        "month": _link(period.as_month()),
    }


@login_required
def agenda_abonnement(request):
    """The personal feed: made by a POST (a GET writes nothing), renewed by a POST naming the key the page showed,
    once: a second click, or another tab, finds it renewed already and says so."""
    user = request.user
    informal = addressed_informally(user)
    feed = CalendarFeed.objects.filter(user=user).first()
    if request.method == "POST":
        if feed is None:
            feed, made = CalendarFeed.start(user)
            if made:
                messages.success(request, _("Je agenda-link is klaar.") if informal else _("Uw agenda-link is klaar."))
        elif request.POST.get("key") != feed.key:
            messages.info(request, _("De link was al vernieuwd. Hieronder staat de nieuwe."))
        else:
            try:
                feed.renew()
            except AlreadyDone:
                messages.info(request, _("De link was al vernieuwd. Hieronder staat de nieuwe."))
            else:
                messages.success(
                    request,
                    _("De link is vernieuwd. De oude werkt niet meer: zet de nieuwe in je agenda.")
                    if informal
                    else _("De link is vernieuwd. De oude werkt niet meer: zet de nieuwe in uw agenda."),
                )
        return redirect("stageplan:agenda_abonnement")
    url = None
    if feed is not None:
        url = request.build_absolute_uri(reverse("stageplan:agenda_feed", args=[agenda.feed_token(feed)]))
    return render(
        request,
        "stageplan/agenda_abonnement.html",
        {
            "feed": feed,
            "url": url,
            "webcal": "webcal://" + url.split("://", 1)[1] if url else None,
            "months_back": agenda.FEED_MONTHS_BACK,
            "months_ahead": agenda.FEED_MONTHS_AHEAD,
        },
    )


@require_safe
def agenda_feed(request, token):
    """The feed, for a calendar that polls without a session: the token is the login. A token not made here is a
    404; one that was, but was renewed since (or whose account is closed), is 410 Gone, so a calendar stops asking.
    """
    key = agenda.feed_key(token)
    if key is None:
        raise Http404
    feed = CalendarFeed.objects.filter(key=key, user__is_active=True).select_related("user").first()
    if feed is None:
        return HttpResponseGone(_("Deze agenda-link is vernieuwd of ingetrokken."), content_type="text/plain")
    moments = _moments(feed.user, *agenda.feed_window(timezone.localdate()))
    body = ical.feed(moments, name=_("Stagegids"))
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="text/calendar; charset=utf-8"
    )
    response["ETag"] = etag
    # The URL is the secret: no shared cache keeps the answer, and no search engine lists it.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response
