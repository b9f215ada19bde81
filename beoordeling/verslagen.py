"""One verslag per source in its final state: the stageplan as agreed, an afgerond voortgangsgesprek, a signed
tussen- or eindbeoordeling, a recorded evaluatie. Each function renders from the source's own data and stores it
in the stagemap through make_verslag, which marks an earlier verslag of the same source "vervangen"."""

from datetime import date, datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from stageplan.models import MomentKind, Skill, agreed_version

from .comparison import compare
from .models import (
    Beoordeling,
    BeoordelingKind,
    BeoordelingState,
    Evaluatie,
    Invulling,
    Voortgangsgesprek,
)
from .models.verslag import Verslag, VerslagKind, make_verslag


def _when(value):
    return value.isoformat() if value else None


def _signature(role, user, at):
    return {"role": role, "name": user.name if user else "", "at": _when(at)}


def _parse(value):
    """Snapshot dates are ISO strings: turn them back into dates for the |date filter."""
    if not value:
        return None
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


def _signatures_for_template(signatures):
    return [{**s, "at": _parse(s["at"])} for s in signatures]


def verslag_for_stageplan(version, *, by):
    """The agreed version. Its source is the stageplan: a later agreed version replaces the earlier verslag."""
    stage = version.stageplan.stage
    signatures = [
        _signature(_("stagiair"), version.agreed_by_stagiair, version.agreed_by_stagiair_at),
        _signature(_("praktijkopleider"), version.agreed_by_opleider, version.agreed_by_opleider_at),
    ]
    data = version.data
    skills = dict(Skill.choices)
    kinds = dict(MomentKind.choices)
    return make_verslag(
        stage=stage,
        kind=VerslagKind.STAGEPLAN,
        title=_("Stageplan, afgestemde versie %(number)s") % {"number": version.number},
        template="verslagen/stageplan.html",
        context={
            "version": version,
            "beginsituatie": data.get("beginsituatie", {}),
            "leerdoelen": [
                {**d, "skill": skills.get(d.get("skill"), d.get("skill")), "target_date": _parse(d.get("target_date"))}
                for d in data.get("leerdoelen", [])
            ],
            "momenten": [
                {**m, "kind": kinds.get(m.get("kind"), m.get("kind")), "starts_at": _parse(m.get("starts_at"))}
                for m in data.get("momenten", [])
            ],
            "signatures": _signatures_for_template(signatures),
        },
        source=version.stageplan,
        source_version=version.number,
        signatures=signatures,
        by=by,
    )


def verslag_for_voortgangsgesprek(gesprek, *, by):
    data = gesprek.verslag()
    signatures = [{"role": _("afgerond door"), "name": data["afgerond_by"] or "", "at": data["afgerond_at"]}]
    return make_verslag(
        stage=gesprek.moment.stage,
        kind=VerslagKind.VOORTGANGSGESPREK,
        title=_("Verslag voortgangsgesprek van %(date)s")
        % {"date": _parse(data["moment"]["starts_at"]).strftime("%-d-%-m-%Y")},
        template="verslagen/voortgangsgesprek.html",
        context={
            "data": data,
            "moment_at": _parse(data["moment"]["starts_at"]),
            "observaties": [{**o, "date": _parse(o["date"])} for o in data["observaties"]],
            "afspraken": [{**a, "due_date": _parse(a["due_date"])} for a in data["afspraken"]],
            "earlier_afspraken": [
                {**a, "due_date": _parse(a["due_date"]), "done_at": _parse(a["done_at"])}
                for a in data["earlier_afspraken"]
            ],
            "signatures": _signatures_for_template(signatures),
        },
        source=gesprek,
        source_version=data["notes_version"],
        signatures=signatures,
        by=by,
    )


def _chain_root(beoordeling):
    """A correction is a new Beoordeling row; the verslagen of the whole chain share its first version as source."""
    while beoordeling.previous_id:
        beoordeling = Beoordeling.objects.get(pk=beoordeling.previous_id)
    return beoordeling


def _beoordeling_verslag(beoordeling, *, by, kind, template):
    if beoordeling.state != BeoordelingState.ONDERTEKEND:
        raise ValueError("Alleen een ondertekende beoordeling krijgt een verslag.")
    invullingen = list(
        beoordeling.invullingen.select_related("submitted_by")
        .prefetch_related("antwoorden")
        .filter(party__in=beoordeling.parties)
    )
    order = {party: i for i, party in enumerate(beoordeling.parties)}
    invullingen.sort(key=lambda invulling: order[invulling.party])
    groups = compare(
        beoordeling=beoordeling, criteria=list(beoordeling.criteria.all()), invullingen=invullingen, observaties=[]
    )
    signatures = [
        _signature(_("namens het leerbedrijf"), beoordeling.bedrijf_signed_by, beoordeling.bedrijf_signed_at),
        _signature(_("stagiair"), beoordeling.stagiair_signed_by, beoordeling.stagiair_signed_at),
    ]
    title = _("%(kind)s, versie %(version)s") % {"kind": beoordeling.get_kind_display(), "version": beoordeling.version}
    return make_verslag(
        stage=beoordeling.stage,
        kind=kind,
        title=title[:1].upper() + title[1:],
        template=template,
        context={
            "beoordeling": beoordeling,
            "groups": groups,
            "columns": [invulling.get_party_display() for invulling in invullingen],
            "differences": sum(1 for group in groups for row in group.rows if row.differs),
            "signatures": _signatures_for_template(signatures),
        },
        source=_chain_root(beoordeling),
        source_version=beoordeling.version,
        signatures=signatures,
        by=by,
    )


def verslag_for_tussenbeoordeling(beoordeling, *, by):
    return _beoordeling_verslag(
        beoordeling, by=by, kind=VerslagKind.TUSSENBEOORDELING, template="verslagen/tussenbeoordeling.html"
    )


def verslag_for_eindbeoordeling(beoordeling, *, by):
    return _beoordeling_verslag(
        beoordeling, by=by, kind=VerslagKind.EINDBEOORDELING, template="verslagen/eindbeoordeling.html"
    )


def verslag_for_evaluatie(evaluatie, *, by):
    if evaluatie.recorded_at is None:
        raise ValueError("Alleen een vastgelegde evaluatie krijgt een verslag.")
    signatures = [_signature(_("vastgelegd door"), evaluatie.recorded_by, evaluatie.recorded_at)]
    return make_verslag(
        stage=evaluatie.stage,
        kind=VerslagKind.EVALUATIE,
        title=_("Evaluatie van de stage"),
        template="verslagen/evaluatie.html",
        context={
            "evaluatie": evaluatie,
            "questions": evaluatie.questions_with_answers(),
            "prospects": evaluatie.prospects(),
            "signatures": _signatures_for_template(signatures),
        },
        source=evaluatie,
        source_version=evaluatie.afronding_version,
        signatures=signatures,
        by=by,
    )


def _has_current(stage, source, version):
    return (
        Verslag.objects.current()
        .filter(stage=stage, source_type=source._meta.label, source_id=source.pk, source_version=str(version))
        .exists()
    )


def make_missing_verslagen(stage, *, by):
    """Make the verslag of every source of `stage` in its final state that has no current verslag yet."""
    made = []
    version = agreed_version(stage)
    if version is not None and not _has_current(stage, version.stageplan, version.number):
        made.append(verslag_for_stageplan(version, by=by))
    gesprekken = Voortgangsgesprek.objects.filter(moment__stage=stage, afgerond_at__isnull=False).select_related(
        "moment__stage"
    )
    for gesprek in gesprekken.order_by("moment__starts_at"):
        if not _has_current(stage, gesprek, gesprek.verslag()["notes_version"]):
            made.append(verslag_for_voortgangsgesprek(gesprek, by=by))
    signed = stage.beoordelingen.filter(state=BeoordelingState.ONDERTEKEND).prefetch_related(
        Prefetch("invullingen", Invulling.objects.all())
    )
    for beoordeling in signed.order_by("created_at"):
        if not _has_current(stage, _chain_root(beoordeling), beoordeling.version):
            make = (
                verslag_for_tussenbeoordeling
                if beoordeling.kind == BeoordelingKind.TUSSENBEOORDELING
                else verslag_for_eindbeoordeling
            )
            made.append(make(beoordeling, by=by))
    evaluatie = Evaluatie.objects.filter(stage=stage, recorded_at__isnull=False).first()
    if evaluatie is not None and not _has_current(stage, evaluatie, evaluatie.afronding_version):
        made.append(verslag_for_evaluatie(evaluatie, by=by))
    return made
