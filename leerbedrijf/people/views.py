from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagegids import erasure, twofactor
from stagegids.forms import ConfirmForm, SetPasswordForNewAccountForm
from stagegids.policy import allowed, get_visible_or_404, require
from stagegids.roles import Role

from ..models import (
    COLLEGA_KINDS,
    Herkomst,
    Invitation,
    Leerbedrijf,
    MeewerkendeCollega,
    Membership,
    Stage,
    current_stop,
    with_onboarding_progress,
    with_status,
)
from ..models.status import over
from ..policy import stage_view
from .forms import CollegaForm, InvitationForm, ResendForm
from .invitations import resend_invitation, send_invitation

OVERVIEW_STAGES = 20
# The roles ended most recently, each with its undo; older ones are in the trail (Wijziging).
ENDED_SHOWN = 10


@login_required
def leerbedrijf_detail(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.view_leerbedrijf", leerbedrijf)
    # The overview shows the stages that are running or about to start; the stagiair list has them all.
    current = (
        with_onboarding_progress(with_status(leerbedrijf.stages.exclude(over())))
        .select_related("stagiair", "kwalificatie", "werkplekbegeleider")
        .order_by("start_date", "stagiair__name", "pk")
    )
    return render(
        request,
        "leerbedrijf/detail.html",
        {
            "leerbedrijf": leerbedrijf,
            "memberships": leerbedrijf.memberships.active().select_related("user").order_by("user__name", "role"),
            "ended": leerbedrijf.memberships.filter(ended_at__isnull=False)
            .annotate(
                held_again=Exists(
                    Membership.objects.active().filter(
                        user=OuterRef("user"), role=OuterRef("role"), leerbedrijf=OuterRef("leerbedrijf")
                    )
                )
            )
            .select_related("user", "ended_by")
            .order_by("-ended_at", "-pk")[:ENDED_SHOWN],
            "invitations": leerbedrijf.invitations.open().select_related("invited_by"),
            "erkenningen": leerbedrijf.erkenningen.select_related("kwalificatie"),
            "stages": current[:OVERVIEW_STAGES],
            "stage_count": leerbedrijf.stages.count(),
        },
    )


@login_required
def invite(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.invite", leerbedrijf)
    form = InvitationForm(request.POST or None, leerbedrijf=leerbedrijf)
    if request.method == "POST" and form.is_valid():
        invitation = send_invitation(request, leerbedrijf=leerbedrijf, **form.cleaned_data)
        messages.success(request, _("De uitnodiging wordt verstuurd naar %(email)s.") % {"email": invitation.email})
        return redirect(leerbedrijf)
    return render(request, "leerbedrijf/invite.html", {"leerbedrijf": leerbedrijf, "form": form})


def _invitation(request, pk, invitation_pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.invite", leerbedrijf)
    return leerbedrijf, get_object_or_404(leerbedrijf.invitations, pk=invitation_pk)


def _invitation_step(request, pk, invitation_pk, *, step):
    """Resend or withdraw an open invitation after a short confirm; a second click says it is no longer open."""
    leerbedrijf, invitation = _invitation(request, pk, invitation_pk)
    names = {"email": invitation.email}

    def still_open():
        return leerbedrijf.invitations.open().filter(pk=invitation.pk).exists()

    if not still_open():
        messages.info(request, _("De uitnodiging aan %(email)s staat niet meer open; er is niets gewijzigd.") % names)
        return redirect(leerbedrijf)
    if step == "resend":
        form = ResendForm(request.POST or None, initial={"sent": invitation.created_at})
    else:
        form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if step == "resend" and resend_invitation(request, invitation, sent=form.cleaned_data["sent"]):
            messages.success(
                request, _("Er gaat een nieuwe uitnodiging naar %(email)s; de oude link werkt niet meer.") % names
            )
        elif step == "revoke" and invitation.revoke(by=request.user):
            messages.success(request, _("De uitnodiging aan %(email)s is ingetrokken.") % names)
        elif step == "resend" and still_open():
            messages.info(
                request, _("Er ging al een nieuwe uitnodiging naar %(email)s; er is niets gewijzigd.") % names
            )
        else:
            messages.info(
                request, _("De uitnodiging aan %(email)s staat niet meer open; er is niets gewijzigd.") % names
            )
        return redirect(leerbedrijf)
    return render(
        request,
        "leerbedrijf/invitation_step.html",
        {"leerbedrijf": leerbedrijf, "invitation": invitation, "form": form, "step": step},
    )


@login_required
def invitation_resend(request, pk, invitation_pk):
    return _invitation_step(request, pk, invitation_pk, step="resend")


@login_required
def invitation_revoke(request, pk, invitation_pk):
    return _invitation_step(request, pk, invitation_pk, step="revoke")


def _membership(request, pk, membership_pk):
    """A role in the praktijkopleider's leerbedrijf, ended or not: a second click finds it and says it was done."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.manage_people", leerbedrijf)
    membership = get_visible_or_404(
        request.user, leerbedrijf.memberships.select_related("user", "ended_by"), pk=membership_pk
    )
    return leerbedrijf, membership


def _names(membership):
    return {"role": membership.get_role_display().lower(), "name": membership.user.name}


def _already_ended(request, membership):
    messages.info(
        request,
        _("De rol %(role)s van %(name)s was al beëindigd door %(by)s op %(when)s; er is niets gewijzigd.")
        % {
            **_names(membership),
            "by": membership.ended_by.name if membership.ended_by else "–",
            "when": date_format(timezone.localtime(membership.ended_at), "j F Y H:i"),
        },
    )


@login_required
def membership_end(request, pk, membership_pk):
    """The confirm step says what ending the role does and that it can be restored; its POST ends the role."""
    leerbedrijf, membership = _membership(request, pk, membership_pk)
    if membership.user_id == request.user.pk:
        messages.error(request, _("U kunt uw eigen rol niet beëindigen. Vraag een andere praktijkopleider."))
        return redirect(leerbedrijf)
    if membership.ended_at:
        _already_ended(request, membership)
        return redirect(leerbedrijf)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if membership.end(by=request.user):
            messages.success(request, _("De rol %(role)s van %(name)s is beëindigd.") % _names(membership))
        else:
            _already_ended(request, membership)
        return redirect(leerbedrijf)
    return render(
        request,
        "leerbedrijf/membership_end.html",
        {
            "leerbedrijf": leerbedrijf,
            "membership": membership,
            "form": form,
            "stages": leerbedrijf.stages.filter(
                Q(werkplekbegeleider=membership.user_id) | Q(praktijkbeoordelaar=membership.user_id)
            )
            .exclude(over())
            .select_related("stagiair")
            .order_by("start_date", "pk"),
        },
    )


@login_required
@require_POST
def membership_restore(request, pk, membership_pk):
    """Undo an ended role: the person holds it again, with what it gave them on their stages."""
    leerbedrijf, membership = _membership(request, pk, membership_pk)
    if membership.ended_at is None:
        messages.info(
            request, _("De rol %(role)s van %(name)s is al actief; er is niets gewijzigd.") % _names(membership)
        )
    elif membership.held_again() or not membership.restore(by=request.user):
        if membership.ended_at is None:
            messages.info(
                request, _("De rol %(role)s van %(name)s is al hersteld; er is niets gewijzigd.") % _names(membership)
            )
        else:
            messages.error(
                request,
                _("%(name)s is intussen opnieuw %(role)s; de oude rol is niet hersteld.") % _names(membership),
            )
    else:
        messages.success(request, _("De rol %(role)s van %(name)s is hersteld.") % _names(membership))
    return redirect(leerbedrijf)


def accept_invitation(request, token):
    """The link from the invitation e-mail: sets up an account, or adds the role to an existing one."""
    invitation = Invitation.open_for_token(token)
    if invitation is None:
        return _not_open(request, Invitation.for_token(token))
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated:
            messages.info(request, _("U heeft al een account. Log in om de uitnodiging aan te nemen."))
            return redirect_to_login(request.get_full_path())
        if request.user != existing:
            return render(request, "leerbedrijf/invitation_other_account.html", {"invitation": invitation}, status=403)
        if request.method == "POST":
            return _accepted(request, invitation, invitation.accept(request.user))
        return render(request, "leerbedrijf/invitation_accept.html", {"invitation": invitation})

    form = SetPasswordForNewAccountForm(request.POST or None, email=invitation.email, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    invitation.email, form.cleaned_data["password1"], name=form.cleaned_data["name"]
                )
                accepted = invitation.accept(user)
                if not accepted:
                    transaction.set_rollback(True)
        except IntegrityError:
            # A second "Account aanmaken" at the same moment made the account first.
            accepted = False
        if accepted:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _accepted(request, invitation, accepted)
        return _not_open(request, Invitation.for_token(token))
    return render(request, "leerbedrijf/invitation_accept.html", {"invitation": invitation, "form": form})


def _not_open(request, invitation):
    """A link that no longer works: a used one leads to the login or the start page (a second click), a withdrawn
    or expired one says so."""
    if invitation is not None and invitation.accepted_at is not None:
        if request.user.is_authenticated:
            messages.info(request, _("Deze uitnodiging is al aangenomen; er is niets gewijzigd."))
            return redirect("start")
        messages.info(request, _("Deze uitnodiging is al aangenomen. Log in met uw e-mailadres en wachtwoord."))
        return redirect("login")
    return render(
        request,
        "leerbedrijf/invitation_invalid.html",
        {"revoked": invitation is not None and invitation.revoked_at is not None},
        status=404,
    )


def _accepted(request, invitation, accepted):
    if not accepted:
        return _not_open(request, Invitation.objects.filter(pk=invitation.pk).first())
    messages.success(
        request,
        _("Welkom! U bent nu %(role)s bij %(organisatie)s.")
        % {
            "role": invitation.get_role_display().lower(),
            # An mbo-begeleider works at the school, whichever company invited them.
            "organisatie": invitation.onderwijsinstelling or invitation.leerbedrijf,
        },
    )
    return redirect("start")


@login_required
@stage_view(
    scope=lambda user: with_onboarding_progress(Stage.objects),
    related=("onderwijsinstelling", "mbo_begeleider", "werkplekbegeleider", "praktijkbeoordelaar"),
)
def stage_detail(request, stage):
    stop = current_stop(stage)
    if stop is not None:
        stop.stage = stage
    manages = allowed(request.user, "leerbedrijf.manage_collegas", stage)
    # Whom the stagiair rides along with now and next; those whose period is over only for the praktijkopleider,
    # who keeps the record.
    collegas = stage.collegas.select_related("user").order_by("start_date", "pk")
    if not manages:
        collegas = collegas.filter(ended_at__isnull=True, end_date__gte=timezone.localdate())
    collegas = list(collegas)
    return render(
        request,
        "leerbedrijf/stage_detail.html",
        {
            "stage": stage,
            "shows_onboarding": allowed(request.user, "leerbedrijf.view_onboarding", stage),
            # Until the invited mbo-begeleider accepts, the stage says who is on the way.
            "mbo_invited": None if stage.mbo_begeleider_id else stage.invitations.open().order_by("-pk").first(),
            # Why an interrupted or ended stage stopped, and whether the step can still be undone.
            "stop": stop,
            "undoable": stop is not None and stop.undoable(),
            "collegas": collegas,
            "manages_collegas": manages,
            "can_erase_stagiair": stage.stagiair.user_id is not None
            and allowed(request.user, "leerbedrijf.manage_people", stage.leerbedrijf),
            "today": timezone.localdate(),
            # The gids: a zij-instromer gets an informele begeleider besides the werkplekbegeleider (ch. 5). A hint
            # for the praktijkopleider, until one helps now or later.
            "suggest_informele": manages
            and stage.herkomst == Herkomst.ZIJ_INSTROMER
            and not any(c.kind == Role.INFORMELE_BEGELEIDER and not c.is_over for c in collegas),
        },
    )


@login_required
@stage_view("leerbedrijf.manage_collegas")
def collega_add(request, stage):
    """The praktijkopleider adds a colleague of the company who helps the eerste werkplekbegeleider for a period."""
    kind = request.GET.get("als")
    initial = {"kind": kind} if kind in dict(COLLEGA_KINDS) else {}
    form = CollegaForm(request.POST or None, stage=stage, initial=initial)
    if request.method == "POST" and form.is_valid():
        collega = MeewerkendeCollega.add(stage=stage, by=request.user, **form.cleaned_data)
        names = {"name": form.cleaned_data["user"].display_name, "stagiair": stage.stagiair.name}
        if collega is None:
            messages.info(
                request,
                _("%(name)s werkt in (een deel van) deze periode al mee bij %(stagiair)s; er is niets gewijzigd.")
                % names,
            )
        else:
            messages.success(request, _("%(name)s werkt mee bij de stage van %(stagiair)s.") % names)
        return redirect(stage)
    return render(request, "leerbedrijf/collega_form.html", {"stage": stage, "form": form})


@login_required
@stage_view("leerbedrijf.manage_collegas")
def collega_end(request, stage, collega_pk):
    """The confirm step says what ending does; its POST ends the help from now on (a second click changes nothing)."""
    collega = get_object_or_404(stage.collegas.select_related("user", "ended_by"), pk=collega_pk)
    names = {"name": collega.user.display_name}
    if collega.is_over:
        messages.info(request, _("%(name)s werkt al niet meer mee; er is niets gewijzigd.") % names)
        return redirect(stage)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if collega.end(by=request.user):
            messages.success(request, _("%(name)s werkt niet meer mee bij deze stage.") % names)
        else:
            messages.info(request, _("%(name)s werkt al niet meer mee; er is niets gewijzigd.") % names)
        return redirect(stage)
    return render(request, "leerbedrijf/collega_end.html", {"stage": stage, "collega": collega, "form": form})


def _person(request, pk, user_pk):
    """Someone of the praktijkopleider's leerbedrijf: a role there (held or ended) or a stagiair there."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.manage_people", leerbedrijf)
    people = (
        get_user_model()
        .objects.filter(Q(memberships__leerbedrijf=leerbedrijf) | Q(stagiairs__leerbedrijf=leerbedrijf))
        .distinct()
    )
    return leerbedrijf, get_object_or_404(people, pk=user_pk, anonymised_at__isnull=True)


def _known_elsewhere(person, leerbedrijf):
    """Whether `person` is known beyond `leerbedrijf` (a role or a stage elsewhere, or the beheer): then what concerns
    the whole account is not this company's praktijkopleider's to do."""
    return (
        person.is_staff
        or Membership.objects.active().filter(user=person).exclude(leerbedrijf=leerbedrijf).exists()
        or person.stagiairs.exclude(leerbedrijf=leerbedrijf).exists()
    )


@login_required
def person_erase(request, pk, user_pk):
    """A praktijkopleider asks to remove the account of someone who is only known at his company (a stagiair who
    asked him, a colleague who left); someone with a role elsewhere asks himself, or the beheerder does."""
    leerbedrijf, person = _person(request, pk, user_pk)
    elsewhere = _known_elsewhere(person, leerbedrijf)
    form = ConfirmForm(request.POST or None)
    if person.pk == request.user.pk:
        messages.error(request, _("Uw eigen account verwijdert u via uw profiel."))
        return redirect(leerbedrijf)
    if request.method == "POST" and form.is_valid() and not elsewhere:
        if erasure.request_erasure(person, by=request.user):
            messages.success(
                request,
                _("Het account van %(name)s is gedeactiveerd en wordt na de bewaartermijn geanonimiseerd.")
                % {"name": person.name},
            )
        else:
            messages.info(request, _("De verwijdering van dit account was al gevraagd; er is niets gewijzigd."))
        return redirect(leerbedrijf)
    return render(
        request,
        "leerbedrijf/person_erase.html",
        {
            "leerbedrijf": leerbedrijf,
            "person": person,
            "form": form,
            "elsewhere": elsewhere,
            "days": settings.RETENTION_DAYS["account_verwijderd"],
        },
    )


@login_required
def person_twofactor_reset(request, pk, user_pk):
    """A colleague lost his phone and his recovery codes: a praktijkopleider of the company removes his app, so that
    he logs in with his password and sets it up again. Only for someone whose roles are all at this company; anyone
    else (a beheerder, someone with a role elsewhere) asks the beheerder."""
    leerbedrijf, person = _person(request, pk, user_pk)
    colleague = Membership.objects.active().filter(user=person, leerbedrijf=leerbedrijf).exists()
    elsewhere = _known_elsewhere(person, leerbedrijf)
    if person.pk == request.user.pk:
        messages.error(
            request, _("Uw eigen tweestapsverificatie herstelt u niet zelf: vraag een collega of de beheerder.")
        )
        return redirect(leerbedrijf)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and colleague and not elsewhere:
        if twofactor.reset(person, by=request.user):
            messages.success(
                request,
                _("De tweestapsverificatie van %(name)s is hersteld; %(name)s krijgt daarvan een e-mail.")
                % {"name": person.name},
            )
        else:
            messages.info(
                request, _("%(name)s had geen tweestapsverificatie; er is niets gewijzigd.") % {"name": person.name}
            )
        return redirect(leerbedrijf)
    return render(
        request,
        "leerbedrijf/person_twofactor_reset.html",
        {"leerbedrijf": leerbedrijf, "person": person, "form": form, "allowed": colleague and not elsewhere},
    )
