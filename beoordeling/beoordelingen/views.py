from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.policy import stage_view
from stagegids import longforms, outbox
from stagegids.concurrency import StaleEdit, rebase
from stagegids.forms import ConfirmForm
from stagegids.models import Wijziging
from stagegids.params import parse_id
from stagegids.policy import allowed, object_view, visible
from stageplan.models import Observatie

from ..zorgen.models import ZorgKind
from ..zorgen.views import record_page
from .comparison import compare
from .forms import (
    SIGNED_NO_CONCEPT,
    STALE,
    STALE_CONCEPT,
    CollegaAntwoordForm,
    CollegaResendForm,
    CollegaVraagForm,
    ConclusieForm,
    CorrectieForm,
    InvullingForm,
    MboDeelForm,
    SjabloonForm,
    criterium_formset,
)
from .models import (
    EIND_KINDS,
    MOMENT_KINDS,
    SIGNED_UNCHANGEABLE,
    AlreadyDone,
    Beoordeling,
    BeoordelingKind,
    BeoordelingState,
    CollegaVraag,
    Formuliersjabloon,
    TransitionNotAllowed,
)
from .rules import start_permission

BEOORDELING_RELATED = (
    "stage__stagiair",
    "stage__leerbedrijf",
    "stage__kwalificatie",
    "created_by",
    "opened_by",
    "bedrijf_signed_by",
    "stagiair_signed_by",
    "previous",
    "moment",
    "stage__mbo_begeleider",
    "mbo_updated_by",
)


def beoordeling_view(perm=None):
    """A view of one beoordeling the user sees (else 404), on which they hold `perm` (else 403)."""
    return object_view(lambda user: Beoordeling.objects.select_related(*BEOORDELING_RELATED), perm)


@login_required
@stage_view("beoordeling.view_for_stage")
def stage_beoordelingen(request, stage):
    beoordelingen = (
        visible(request.user, Beoordeling.objects)
        .filter(stage=stage)
        .current()
        .select_related("moment", "bedrijf_signed_by", "stagiair_signed_by")
    )
    startable = [kind for kind in BeoordelingKind.values if request.user.has_perm(start_permission(kind), stage)]
    return render(
        request,
        "beoordeling/stage_beoordelingen.html",
        {
            "stage": stage,
            "beoordelingen": beoordelingen,
            "open_moments": Beoordeling.open_moments(stage).filter(kind__in={MOMENT_KINDS[k] for k in startable}),
            "eind_kinds": [(k, label) for k, label in BeoordelingKind.choices if k in EIND_KINDS and k in startable],
            "kinds": [(k, label) for k, label in BeoordelingKind.choices if k in startable],
            "may_start": bool(startable),
            "started": Beoordeling.started_count(stage),
            # The praktijkopleider starts a bpv-beoordeling; a pvb is the praktijkbeoordelaar's.
            "pvb_by_beoordelaar": BeoordelingKind.BPV in startable and BeoordelingKind.PVB not in startable,
            "may_adjust": request.user.has_perm("beoordeling.adjust_sjabloon", stage.leerbedrijf),
            "sjabloon_kinds": BeoordelingKind.choices,
        },
    )


def _start_permission(request):
    """A beoordeling is started by whoever fills in its company part (rules.py); without a valid kind the view says
    so to whoever may start one."""
    kind = request.POST.get("kind")
    return start_permission(kind) if kind in BeoordelingKind.values else "beoordeling.start_any"


@login_required
@require_POST
@stage_view(_start_permission)
def start(request, stage):
    kind = request.POST.get("kind")
    if kind not in BeoordelingKind.values:
        messages.error(request, _("Kies welke beoordeling u wilt starten."))
        return redirect("beoordeling:stage", stage.pk)
    moment, moment_pk = None, request.POST.get("moment", "")
    if moment_pk:
        moment_id = parse_id(moment_pk)
        moment = stage.moments.filter(pk=moment_id).first() if moment_id else None
        if moment is None:
            messages.error(request, _("Dit geplande moment bestaat niet (meer)."))
            return redirect("beoordeling:stage", stage.pk)
    # The number of beoordelingen the page showed (0 included); a page without it starts unchecked, as before.
    started = request.POST.get("started", "")
    seen = int(started) if started.isascii() and started.isdigit() and len(started) <= 9 else None
    try:
        beoordeling = Beoordeling.start(stage=stage, kind=kind, by=request.user, moment=moment, seen=seen)
    except TransitionNotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("beoordeling:stage", stage.pk)
    messages.success(request, _("De %(kind)s is gestart.") % {"kind": beoordeling.get_kind_display()})
    return redirect(beoordeling)


@login_required
@beoordeling_view()
def detail(request, beoordeling):
    user = request.user
    criteria = list(beoordeling.criteria.all())
    invullingen = list(beoordeling.invullingen.select_related("submitted_by").prefetch_related("antwoorden"))
    shown = [i for i in invullingen if beoordeling.may_see_answers_of(user, i)]
    werkproces_ids = {c.werkproces_id for c in criteria if c.werkproces_id}
    observaties = (
        visible(user, Observatie.objects)
        .filter(stage=beoordeling.stage, leerdoel__werkproces_id__in=werkproces_ids)
        .select_related("author", "leerdoel")
        if beoordeling.revealed
        else []
    )
    earlier = []
    if beoordeling.is_eind:
        earlier = list(
            visible(user, Beoordeling.objects)
            .filter(stage=beoordeling.stage, state=BeoordelingState.ONDERTEKEND)
            .exclude(pk=beoordeling.pk)
            .order_by("created_at")
        )
    # Colleagues spoke to the company about its stagiair; the school reads the beoordeling, not their words.
    is_school = beoordeling.stage.is_mbo_begeleider(user)
    collega = (
        list(beoordeling.collega_vragen.all())
        if not is_school and (beoordeling.revealed or beoordeling.stage.is_praktijkopleider(user))
        else []
    )
    return render(
        request,
        "beoordeling/detail.html",
        {
            "beoordeling": beoordeling,
            "invullingen": invullingen,
            "comparison": compare(
                beoordeling=beoordeling, criteria=criteria, invullingen=shown, observaties=observaties
            ),
            "party": beoordeling.party_of(user),
            "own": next((i for i in invullingen if i.party == beoordeling.party_of(user)), None),
            "signer_side": beoordeling.signer_side(user),
            "is_opleider": beoordeling.stage.is_praktijkopleider(user),
            "may_conclude": user.has_perm("beoordeling.conclude", beoordeling),
            "may_write_school_part": beoordeling.school_part_open
            and user.has_perm("beoordeling.write_school_part", beoordeling),
            "collega": collega,
            "earlier": earlier,
            "column_labels": [i.get_party_display() for i in shown],
            "propose_zorg": beoordeling.proposes_zorg and allowed(user, "beoordeling.record_zorg", beoordeling),
            "zorg": beoordeling.zorg_recorded() if allowed(user, "beoordeling.record_zorg", beoordeling) else None,
            "wijzigingen": _trail(beoordeling, user),
        },
    )


def _trail(beoordeling, user):
    """The change log; before the reveal the details of the other party's answers stay hidden, like the answers."""
    party = beoordeling.party_of(user)
    trail = list(Wijziging.objects.for_object(beoordeling).select_related("user"))
    for wijziging in trail:
        of_party = wijziging.data.get("party")
        wijziging.hidden = bool(of_party) and not beoordeling.revealed and of_party != party
    return trail


@login_required
@beoordeling_view("beoordeling.fill")
def fill(request, beoordeling):
    """The form of one party; its page also saves it in the background as a concept (stagegids.longforms), answered
    in JSON, through the same lock and the same refusals as its buttons."""
    autosave = longforms.is_autosave(request)
    invulling = beoordeling.invullingen.get(party=beoordeling.party_of(request.user))
    if invulling.submitted_at or beoordeling.state not in (BeoordelingState.INVULLEN, BeoordelingState.GESPREK):
        done = invulling.already_submitted_message() if invulling.submitted_at else _("Dit formulier is al ingeleverd.")
        if autosave:
            return longforms.refused(done)
        messages.info(request, done)
        return redirect(beoordeling)
    if autosave and beoordeling.has_signature:
        return longforms.refused(SIGNED_NO_CONCEPT)
    criteria = list(beoordeling.criteria.all())
    form = InvullingForm(
        request.POST or None,
        initial={"revision": invulling.revision},
        beoordeling=beoordeling,
        criteria=criteria,
        antwoorden={a.criterium_id: a for a in invulling.antwoorden.all()},
        nvt_werkproces_ids=beoordeling.nvt_werkproces_ids(),
    )
    page = {"beoordeling": beoordeling, "form": form, "invulling": invulling}
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST and not autosave
        try:
            invulling.save_answers(
                by=request.user, revision=form.cleaned_data["revision"], answers=form.answers(), submit=submit
            )
        except StaleEdit:
            invulling.refresh_from_db()
            if autosave:
                return longforms.refused(STALE_CONCEPT, version=invulling.revision)
            rebase(form, field="revision", version=invulling.revision)
            messages.error(request, STALE)
            return render(request, "beoordeling/fill.html", page)
        except TransitionNotAllowed as refused:  # AlreadyDone too: handed in meanwhile
            if autosave:
                return longforms.refused(refused)
            (messages.info if isinstance(refused, AlreadyDone) else messages.error)(request, str(refused))
            return redirect(beoordeling)
        if autosave:
            return longforms.saved(invulling.revision)
        if submit:
            messages.success(request, _("Het formulier is ingeleverd."))
            return redirect(beoordeling)
        messages.success(request, _("Opgeslagen. U kunt later verder gaan."))
        return redirect("beoordeling:fill", beoordeling.pk)
    page["errors"] = longforms.error_links(form, form.summary_labels, form.summary_groups)
    if autosave:
        return longforms.invalid(page["errors"])
    return render(request, "beoordeling/fill.html", page)


def _step(request, beoordeling, step, **kwargs):
    try:
        step(by=request.user, **kwargs)
    except AlreadyDone as done:
        messages.info(request, str(done))
        return False
    except TransitionNotAllowed as refused:
        messages.error(request, str(refused))
        return False
    return True


@login_required
@require_POST
@beoordeling_view("beoordeling.open_gesprek")
def open_gesprek(request, beoordeling):
    if _step(request, beoordeling, beoordeling.open_gesprek):
        messages.success(request, _("Het gesprek is geopend: de antwoorden van beiden zijn nu zichtbaar."))
    return redirect(beoordeling)


@login_required
@beoordeling_view("beoordeling.conclude")
def conclude(request, beoordeling):
    if beoordeling.state != BeoordelingState.GESPREK:
        messages.error(request, _("De conclusie kan alleen tijdens het gesprek worden ingevuld."))
        return redirect(beoordeling)
    form = ConclusieForm(request.POST or None, instance=beoordeling, initial={"revision": beoordeling.revision})
    return _save_form(
        request,
        beoordeling,
        form,
        save=beoordeling.save_conclusie,
        template="beoordeling/conclude.html",
        success=_("De conclusie is opgeslagen."),
    )


@login_required
@beoordeling_view("beoordeling.write_school_part")
def school_part(request, beoordeling):
    if not beoordeling.school_part_open:
        messages.error(request, SIGNED_UNCHANGEABLE)
        return redirect(beoordeling)
    form = MboDeelForm(request.POST or None, instance=beoordeling, initial={"revision": beoordeling.revision})
    return _save_form(
        request,
        beoordeling,
        form,
        save=beoordeling.save_mbo_deel,
        template="beoordeling/school_part.html",
        success=_("Het deel van de school is opgeslagen."),
    )


def _save_form(request, beoordeling, form, *, save, template, success):
    """Save a form of beoordeling fields; when someone saved in between, show the form again with the text kept."""
    if request.method == "POST" and form.is_valid():
        try:
            save(by=request.user, revision=form.cleaned_data["revision"], **form.values())
        except StaleEdit:
            beoordeling.refresh_from_db(fields=["revision"])
            rebase(form, field="revision", version=beoordeling.revision)
            messages.error(request, STALE)
        except TransitionNotAllowed as refused:
            messages.error(request, str(refused))
            return redirect(beoordeling)
        else:
            messages.success(request, success)
            return redirect(beoordeling)
    return render(request, template, {"beoordeling": beoordeling, "form": form})


@login_required
@beoordeling_view("beoordeling.sign")
def sign(request, beoordeling):
    """The confirm step says what the signature makes final and who will see it; its POST signs."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _step(request, beoordeling, beoordeling.sign):
            messages.success(request, _("U heeft de beoordeling ondertekend."))
            # Twijfel or nee: the company lands on the proposal to record a concern and plan an extra gesprek.
            if beoordeling.proposes_zorg and allowed(request.user, "beoordeling.record_zorg", beoordeling):
                return redirect("beoordeling:zorg_voorstel", beoordeling.pk)
        return redirect(beoordeling)
    side = beoordeling.signer_side(request.user)
    if getattr(beoordeling, f"{side}_signed_at"):
        messages.info(request, beoordeling.already_signed_message(side))
        return redirect(beoordeling)
    refused = (
        [_("Alleen een beoordeling in gesprek kan worden ondertekend.")]
        if beoordeling.state != BeoordelingState.GESPREK
        else beoordeling.missing_for_signing()
    )
    if refused:
        messages.error(request, " ".join(refused))
        return redirect(beoordeling)
    other = "stagiair" if side == "bedrijf" else "bedrijf"
    return render(
        request,
        "beoordeling/sign_confirm.html",
        {
            "beoordeling": beoordeling,
            "form": form,
            "is_stagiair": side == "stagiair",
            "other_signed": getattr(beoordeling, f"{other}_signed_at") is not None,
        },
    )


@login_required
@beoordeling_view("beoordeling.record_zorg")
def zorg_voorstel(request, beoordeling):
    """The proposal after a tussenbeoordeling concluding twijfel or nee: the concern form, prefilled from the
    conclusion, with an extra voortgangsgesprek in a week. Nothing is recorded until the user saves it."""
    if not beoordeling.proposes_zorg:
        zorg = beoordeling.zorg_recorded()
        if zorg is not None:
            messages.info(request, _("Bij deze beoordeling is al een zorg vastgelegd."))
            return redirect("beoordeling:zorg", zorg.pk)
        messages.info(request, _("Alleen een tussenbeoordeling met de conclusie twijfel of nee stelt een zorg voor."))
        return redirect(beoordeling)
    in_a_week = timezone.localtime() + timedelta(days=7)
    held = beoordeling.moment.starts_at if beoordeling.moment else beoordeling.created_at
    happened = _("Tussenbeoordeling van %(date)s, conclusie: %(conclusie)s.") % {
        "date": date_format(timezone.localtime(held), "j F Y"),
        "conclusie": beoordeling.get_conclusie_display(),
    }
    initial = {
        "kind": ZorgKind.LEREN,
        "happened": f"{happened}\n{beoordeling.conclusie_toelichting}".strip(),
        "agreed": beoordeling.afspraken,
        "next_step": _("Extra voortgangsgesprek"),
        "next_step_on": in_a_week.date(),
        "extra_gesprek": in_a_week.replace(hour=10, minute=0, second=0, microsecond=0),
    }
    return record_page(
        request, beoordeling.stage, initial=initial, beoordeling=beoordeling, back=beoordeling.get_absolute_url()
    )


@login_required
@beoordeling_view("beoordeling.correct")
def correct(request, beoordeling):
    form = CorrectieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = beoordeling.correct(by=request.user, reason=form.cleaned_data["reason"])
        except TransitionNotAllowed as refused:
            messages.error(request, str(refused))
            return redirect(beoordeling)
        messages.success(
            request, _("Versie %(version)s is gemaakt. Beide handtekeningen zijn nodig.") % {"version": new.version}
        )
        return redirect(new)
    return render(request, "beoordeling/correct.html", {"beoordeling": beoordeling, "form": form})


def _queue_collega_mail(request, vraag, token):
    """The mail with the only copy of the link, through the outbox: it leaves after commit, from a worker."""
    outbox.queue(
        template="collega_feedback",
        to=vraag.email,
        context={
            "vraag": vraag,
            "stagiair": vraag.beoordeling.stage.stagiair.name,
            "asked_by": request.user.name,
            "link": request.build_absolute_uri(reverse("beoordeling:collega_antwoord", args=[token])),
        },
    )


@login_required
@beoordeling_view("beoordeling.ask_colleague")
def ask_colleague(request, beoordeling):
    form = CollegaVraagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            vraag, token = CollegaVraag.create(beoordeling=beoordeling, asked_by=request.user, **form.cleaned_data)
            _queue_collega_mail(request, vraag, token)
        messages.success(request, _("De vraag wordt verstuurd naar %(email)s.") % {"email": vraag.email})
        return redirect(beoordeling)
    return render(request, "beoordeling/ask_colleague.html", {"beoordeling": beoordeling, "form": form})


def _not_open(request, vraag):
    messages.info(
        request, _("De vraag aan %(name)s staat niet meer open; er is niets gewijzigd.") % {"name": vraag.name}
    )


def _collega_vraag(beoordeling, vraag_pk):
    return get_object_or_404(beoordeling.collega_vragen, pk=vraag_pk)


@login_required
@beoordeling_view("beoordeling.ask_colleague")
def collega_resend(request, beoordeling, vraag_pk):
    """A new link for an open request after a short confirm, mailed like the first through the outbox; a second
    click sends nothing and says so."""
    vraag = _collega_vraag(beoordeling, vraag_pk)
    if not vraag.is_open:
        _not_open(request, vraag)
        return redirect(beoordeling)
    form = CollegaResendForm(request.POST or None, vraag=vraag)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            token = vraag.renew(by=request.user, replaces=form.cleaned_data["replaces"])
            if token is not None:
                _queue_collega_mail(request, vraag, token)
        if token is not None:
            messages.success(
                request,
                _("De nieuwe link wordt verstuurd naar %(email)s; de oude link werkt niet meer.")
                % {"email": vraag.email},
            )
        elif vraag.is_open:
            messages.info(
                request,
                _("Er is al een nieuwe link naar %(email)s verstuurd; er is niets gewijzigd.") % {"email": vraag.email},
            )
        else:
            _not_open(request, vraag)
        return redirect(beoordeling)
    return render(
        request,
        "beoordeling/collega_step.html",
        {"beoordeling": beoordeling, "vraag": vraag, "form": form, "step": "resend"},
    )


@login_required
@beoordeling_view("beoordeling.ask_colleague")
def collega_revoke(request, beoordeling, vraag_pk):
    """Withdraw an open request after a short confirm: its link stops working; a second click says so."""
    vraag = _collega_vraag(beoordeling, vraag_pk)
    if not vraag.is_open:
        _not_open(request, vraag)
        return redirect(beoordeling)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if vraag.revoke(by=request.user):
            messages.success(
                request, _("De vraag aan %(name)s is ingetrokken; de link werkt niet meer.") % {"name": vraag.name}
            )
        else:
            _not_open(request, vraag)
        return redirect(beoordeling)
    return render(
        request,
        "beoordeling/collega_step.html",
        {"beoordeling": beoordeling, "vraag": vraag, "form": form, "step": "revoke"},
    )


def collega_antwoord(request, token):
    """The colleague's page: only the questions and the stagiair's name, whoever opens it, logged in or not."""
    vraag = CollegaVraag.open_for_token(token)
    if vraag is None:
        return _collega_invalid(request, token)
    form = CollegaAntwoordForm(request.POST or None, instance=vraag)
    if request.method == "POST" and form.is_valid():
        if not vraag.answer(**{name: form.cleaned_data[name].strip() for name in CollegaAntwoordForm.Meta.fields}):
            return _collega_invalid(request, token)
        return render(request, "beoordeling/collega_thanks.html")
    return render(
        request,
        "beoordeling/collega_answer.html",
        {"form": form, "stagiair": vraag.beoordeling.stage.stagiair.name, "name": vraag.name},
    )


def _collega_invalid(request, token):
    """A link that no longer works; a withdrawn one says so, so the colleague does not go looking for a mistake."""
    vraag = CollegaVraag.for_token(token)
    return render(
        request,
        "beoordeling/collega_invalid.html",
        {"revoked": vraag is not None and vraag.revoked_at is not None},
        status=404,
    )


@login_required
@stage_view("beoordeling.adjust_sjabloon")
def sjabloon(request, stage, kind):
    if kind not in BeoordelingKind.values:
        raise Http404
    own, copied = Formuliersjabloon.for_leerbedrijf(
        kind=kind, kwalificatie=stage.kwalificatie, leerbedrijf=stage.leerbedrijf
    )
    form = SjabloonForm(request.POST or None, instance=own)
    formset = criterium_formset(kwalificatie=stage.kwalificatie, sjabloon=own, copied=copied, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                form.instance.updated_by = request.user
                form.instance.updated_at = timezone.now()
                form.save()
                for criterium in formset.save(commit=False):
                    criterium.sjabloon = own
                    criterium.save()
                for criterium in formset.deleted_objects:
                    criterium.delete()
        except IntegrityError:
            # Two first saves at once: a colleague's made the leerbedrijf's own copy a moment before this one (one
            # per kind, kwalificatie and leerbedrijf). Theirs stands; this page shows it, to adjust again.
            messages.error(
                request,
                _(
                    "Een collega heeft dit formulier net aangepast, dus uw wijzigingen zijn niet opgeslagen. "
                    "Hieronder staat zijn versie; pas die zo nodig opnieuw aan."
                ),
            )
            return redirect("beoordeling:sjabloon", stage.pk, kind)
        messages.success(
            request, _("Het formulier is aangepast. Formulieren die al zijn ingevuld, blijven zoals ze waren.")
        )
        return redirect("beoordeling:sjabloon", stage.pk, kind)
    return render(
        request,
        "beoordeling/sjabloon.html",
        {"stage": stage, "sjabloon": own, "form": form, "formset": formset, "kind_label": BeoordelingKind(kind).label},
    )
