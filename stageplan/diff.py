"""The differences between two versions of a stageplan, in sentences a user understands."""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LeerdoelStatus, MomentKind, Skill


def _date(value):
    return date_format(date.fromisoformat(value), "j F Y") if value else _("geen datum")


def _datetime(value):
    return date_format(datetime.fromisoformat(value), "j F Y H:i")


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value


BEGINSITUATIE = {
    "niveau": gettext_lazy("Niveau"),
    "leerjaar": gettext_lazy("Leerjaar"),
    "capaciteiten": gettext_lazy("Capaciteiten"),
    "vorige_stage": gettext_lazy("Vorige stage"),
}


def _beginsituatie(old, new):
    for field, label in BEGINSITUATIE.items():
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        if field in ("niveau", "leerjaar"):
            yield _("%(field)s gewijzigd van %(old)s naar %(new)s") % {
                "field": label,
                "old": before or "–",
                "new": after or "–",
            }
        else:
            yield _("%(field)s aangepast") % {"field": label}


def _leerdoel(old, new):
    title = new["title"]
    if old["title"] != title:
        yield _("Leerdoel '%(old)s' hernoemd naar '%(new)s'") % {"old": old["title"], "new": title}
    if old["target_date"] != new["target_date"]:
        yield _("Streefdatum van '%(title)s' gewijzigd van %(old)s naar %(new)s") % {
            "title": title,
            "old": _date(old["target_date"]),
            "new": _date(new["target_date"]),
        }
    if old["status"] != new["status"]:
        yield _("Status van '%(title)s' gewijzigd van %(old)s naar %(new)s") % {
            "title": title,
            "old": _label(LeerdoelStatus, old["status"]),
            "new": _label(LeerdoelStatus, new["status"]),
        }
    if old["skill"] != new["skill"]:
        yield _("'%(title)s' is nu een %(skill)s") % {"title": title, "skill": _label(Skill, new["skill"])}
    if old["werkproces"] != new["werkproces"]:
        yield _("Werkproces van '%(title)s' gewijzigd naar %(werkproces)s") % {
            "title": title,
            "werkproces": new["werkproces"] or _("geen (eigen leerdoel)"),
        }
    if old["activiteiten"] != new["activiteiten"]:
        yield _("Activiteiten van '%(title)s' aangepast") % {"title": title}
    if old["benodigd"] != new["benodigd"]:
        yield _("Wie of wat nodig is voor '%(title)s' aangepast") % {"title": title}


def _moment(old, new):
    kind = _label(MomentKind, new["kind"])
    if not old["cancelled"] and new["cancelled"]:
        yield _("%(kind)s van %(when)s geannuleerd") % {"kind": kind, "when": _datetime(old["starts_at"])}
        return
    if old["starts_at"] != new["starts_at"]:
        yield _("%(kind)s verplaatst van %(old)s naar %(new)s") % {
            "kind": kind,
            "old": _datetime(old["starts_at"]),
            "new": _datetime(new["starts_at"]),
        }
    if old["location"] != new["location"]:
        yield _("Plaats van %(kind)s van %(when)s gewijzigd naar '%(location)s'") % {
            "kind": kind,
            "when": _datetime(new["starts_at"]),
            "location": new["location"],
        }


def describe(old, new):
    """Sentences for every difference from snapshot `old` to snapshot `new`, plan order: beginsituatie,
    leerdoelen, momenten."""
    changes = list(_beginsituatie(old.get("beginsituatie", {}), new.get("beginsituatie", {})))
    before = {row["id"]: row for row in old.get("leerdoelen", [])}
    after = {row["id"]: row for row in new.get("leerdoelen", [])}
    for pk, row in after.items():
        if pk not in before:
            changes.append(_("Leerdoel '%(title)s' toegevoegd") % {"title": row["title"]})
        else:
            changes.extend(_leerdoel(before[pk], row))
    changes.extend(
        _("Leerdoel '%(title)s' verwijderd") % {"title": row["title"]} for pk, row in before.items() if pk not in after
    )
    before = {row["id"]: row for row in old.get("momenten", [])}
    for row in new.get("momenten", []):
        if row["id"] not in before:
            changes.append(
                _("%(kind)s gepland op %(when)s")
                % {"kind": _label(MomentKind, row["kind"]), "when": _datetime(row["starts_at"])}
            )
        else:
            changes.extend(_moment(before[row["id"]], row))
    return [capfirst(change) for change in changes]


def readable(data):
    """A snapshot with labels instead of stored values, for showing a version as it was."""
    return {
        "beginsituatie": data.get("beginsituatie", {}),
        "leerdoelen": [
            {
                **row,
                "skill": _label(Skill, row["skill"]),
                "status": _label(LeerdoelStatus, row["status"]),
                "target_date": date.fromisoformat(row["target_date"]) if row["target_date"] else None,
            }
            for row in data.get("leerdoelen", [])
        ],
        "momenten": [
            {**row, "kind": _label(MomentKind, row["kind"]), "starts_at": datetime.fromisoformat(row["starts_at"])}
            for row in data.get("momenten", [])
            if not row["cancelled"]
        ],
    }
