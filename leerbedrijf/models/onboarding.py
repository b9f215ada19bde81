"""Onboarding of a stagiair: the checklists of chapter 6 of the gids ("Hoe zorg je voor een goede start?").

Every stage gets the gids's items in three phases, plus the leerbedrijf's own items from its onboarding template.
Each item is copied onto the stage with its text, so that editing the template later never changes what a stage
already had, and a ticked item keeps who ticked it and when.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids.roles import BEGELEIDER_ROLES, Role

from .organisatie import Leerbedrijf, Membership, Stage, StageQuerySet, roles_of


class OnboardingPhase(models.TextChoices):
    VOOR_DE_START = "voor_de_start", _("Vóór de start")
    EERSTE_DAG = "eerste_dag", _("Eerste dag")
    EERSTE_WEEK = "eerste_week", _("Eerste week")


class DefaultResponsible(models.TextChoices):
    PRAKTIJKOPLEIDER = "praktijkopleider", _("de praktijkopleider")
    WERKPLEKBEGELEIDER = "werkplekbegeleider", _("de werkplekbegeleider van de stage")


P, W = DefaultResponsible.PRAKTIJKOPLEIDER, DefaultResponsible.WERKPLEKBEGELEIDER

# The gids's own items, in its words and order (chapter 6). The key is what makes onboarding_for() idempotent.
GIDS_ITEMS = [
    (
        "informeer_collegas",
        OnboardingPhase.VOOR_DE_START,
        P,
        _("Informeer directe collega’s en de receptiemedewerker dat er een nieuwe stagiair start."),
    ),
    (
        "bepaal_begeleider",
        OnboardingPhase.VOOR_DE_START,
        P,
        _("Bepaal wie de begeleider van de stagiair wordt en communiceer dit met beiden."),
    ),
    (
        "praktische_spullen",
        OnboardingPhase.VOOR_DE_START,
        P,
        _(
            "Zorg dat praktische spullen klaarliggen. Denk aan passende werkkleding, werkschoenen, "
            "beschermingsmiddelen en gereedschappen."
        ),
    ),
    (
        "administratie",
        OnboardingPhase.VOOR_DE_START,
        P,
        _(
            "Regel alle administratieve zaken die je ook regelt voor een nieuwe medewerker. Zoals toegangspas, "
            "inlogcodes, veiligheidsinstructies en huisregels."
        ),
    ),
    (
        "opvangen",
        OnboardingPhase.EERSTE_DAG,
        W,
        _("Zorg dat er iemand klaarstaat om de stagiair op te vangen en welkom te heten."),
    ),
    (
        "kennismaking",
        OnboardingPhase.EERSTE_DAG,
        W,
        _(
            "Maak tijd voor een uitgebreide kennismaking. Toon interesse en wees nieuwsgierig naar wat de stagiair "
            "graag uit deze stage wil halen."
        ),
    ),
    ("voorstellen", OnboardingPhase.EERSTE_DAG, W, _("Stel de stagiair voor aan andere collega’s.")),
    (
        "klant_tot_plank",
        OnboardingPhase.EERSTE_DAG,
        P,
        _(
            "Vertel ‘van klant tot plank’ over je bedrijf. Beschrijf stap voor stap wat er gebeurt als een klant "
            "iets vraagt of bestelt tot het is uitgevoerd en de factuur wordt gestuurd."
        ),
    ),
    (
        "rondleiden",
        OnboardingPhase.EERSTE_DAG,
        W,
        _("Leid de stagiair hierbij rond door het bedrijf en laat alle verschillende afdelingen zien."),
    ),
    (
        "planning_eerste_dagen",
        OnboardingPhase.EERSTE_WEEK,
        P,
        _(
            "Maak een duidelijke planning voor de eerste dagen. Met wie loopt de stagiair mee? Wat wordt er "
            "verwacht, op welk moment? Wanneer zijn de pauzes?"
        ),
    ),
    ("kleine_taken", OnboardingPhase.EERSTE_WEEK, W, _("Laat de stagiair al zelf kleine taken uitvoeren.")),
    (
        "pauze",
        OnboardingPhase.EERSTE_WEEK,
        W,
        _("Zorg dat de stagiair niet alleen zit in de pauze, maar betrokken wordt bij gesprekken."),
    ),
    (
        "tijd_voor_uitleg",
        OnboardingPhase.EERSTE_WEEK,
        W,
        _(
            "Plan voldoende tijd in om de stagiair dingen uit te leggen. Die weet namelijk nog niet wat er precies "
            "wordt verwacht en hoe alles werkt."
        ),
    ),
]
GIDS_TEXT = {key: text for key, _phase, _responsible, text in GIDS_ITEMS}

# "A few working days before the start": enough to get clothing, a pass and log-ins ready.
WORKING_DAYS_BEFORE_START = 3
# The first week is five working days; its items are due on the fifth.
FIRST_WEEK_DAYS = 4


def working_days_before(day, count):
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_date(phase, start_date):
    if phase == OnboardingPhase.VOOR_DE_START:
        return working_days_before(start_date, WORKING_DAYS_BEFORE_START)
    if phase == OnboardingPhase.EERSTE_DAG:
        return start_date
    return start_date + timedelta(days=FIRST_WEEK_DAYS)


class OnboardingTemplateItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))


class OnboardingTemplateItem(models.Model):
    """An item a leerbedrijf adds to the gids's checklists; stages created after it get a copy."""

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="onboarding_template")
    phase = models.CharField(_("fase"), max_length=20, choices=OnboardingPhase.choices)
    text = models.CharField(_("actie"), max_length=300)
    responsible = models.CharField(
        _("wie is verantwoordelijk"),
        max_length=20,
        choices=DefaultResponsible.choices,
        default=DefaultResponsible.PRAKTIJKOPLEIDER,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OnboardingTemplateItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("eigen onboarding-actie")
        verbose_name_plural = _("eigen onboarding-acties")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text


class OnboardingItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=onboarding_stages().visible_to(user).values("pk"))

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class OnboardingItem(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="onboarding_items")
    phase = models.CharField(_("fase"), max_length=20, choices=OnboardingPhase.choices)
    gids_key = models.CharField(max_length=40, blank=True, editable=False)
    template_item = models.ForeignKey(
        OnboardingTemplateItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    custom_text = models.CharField(_("actie"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_items",
        verbose_name=_("verantwoordelijk"),
    )
    due_date = models.DateField(_("uiterlijk"))
    done_at = models.DateTimeField(_("afgevinkt op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgevinkt door"),
    )

    objects = OnboardingItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("onboarding-actie")
        verbose_name_plural = _("onboarding-acties")
        ordering = ["due_date", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "gids_key"], condition=~Q(gids_key=""), name="onboarding_gids_item_once"
            ),
            models.UniqueConstraint(
                fields=["stage", "template_item"],
                condition=Q(template_item__isnull=False),
                name="onboarding_template_item_once",
            ),
        ]
        indexes = [
            models.Index(fields=["responsible", "due_date"], condition=Q(done_at__isnull=True), name="onboarding_open")
        ]

    def __str__(self):
        return str(self.text)

    @property
    def text(self):
        # Gids items are translated from the code, so they follow the gids's wording and the user's language.
        return GIDS_TEXT[self.gids_key] if self.gids_key else self.custom_text

    @property
    def is_done(self):
        return self.done_at is not None

    def is_overdue(self, today=None):
        return not self.is_done and self.due_date < (today or timezone.localdate())

    def set_done(self, *, by, done=True):
        """Tick off or undo, as a conditional update: a second click, or a colleague's from an older page, changes
        nothing, so who ticked it off and when stay those of the first. Whether it changed."""
        rows = OnboardingItem.objects.filter(pk=self.pk, done_at__isnull=done)
        changed = rows.update(done_at=timezone.now() if done else None, done_by=by if done else None)
        self.refresh_from_db(fields=["done_at", "done_by"])
        return bool(changed)


def default_praktijkopleider(leerbedrijf_id):
    membership = (
        Membership.objects.active()
        .filter(leerbedrijf_id=leerbedrijf_id, role=Role.PRAKTIJKOPLEIDER)
        .order_by("created_at", "pk")
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def build_onboarding_items(stage, *, praktijkopleider, template_items, skip_gids=(), skip_templates=()):
    """Unsaved items for `stage`: what onboarding_for() saves, and what the bench generator bulk-inserts."""

    def person(responsible):
        if responsible == DefaultResponsible.WERKPLEKBEGELEIDER and stage.werkplekbegeleider_id:
            return stage.werkplekbegeleider_id
        return praktijkopleider.pk if praktijkopleider else None

    items = [
        OnboardingItem(
            stage=stage,
            phase=phase,
            gids_key=key,
            position=position,
            responsible_id=person(responsible),
            due_date=due_date(phase, stage.start_date),
        )
        for position, (key, phase, responsible, _text) in enumerate(GIDS_ITEMS)
        if key not in skip_gids
    ]
    items += [
        OnboardingItem(
            stage=stage,
            phase=template.phase,
            template_item=template,
            custom_text=template.text,
            position=len(GIDS_ITEMS) + position,
            responsible_id=person(template.responsible),
            due_date=due_date(template.phase, stage.start_date),
        )
        for position, template in enumerate(template_items)
        if template.pk not in skip_templates
    ]
    return items


def onboarding_for(stage, *, praktijkopleider=None):
    """Give `stage` the gids's checklists and its leerbedrijf's own items; a second call adds nothing twice.

    Call it wherever a stage is made. The responsible person defaults to `praktijkopleider` (or the leerbedrijf's
    first praktijkopleider) and, for the items that happen on the shop floor, to the stage's werkplekbegeleider.
    """
    existing = list(stage.onboarding_items.values_list("gids_key", "template_item_id"))
    items = build_onboarding_items(
        stage,
        praktijkopleider=praktijkopleider or default_praktijkopleider(stage.leerbedrijf_id),
        template_items=OnboardingTemplateItem.objects.filter(leerbedrijf_id=stage.leerbedrijf_id),
        skip_gids={key for key, _template in existing if key},
        skip_templates={template for _key, template in existing if template},
    )
    # ignore_conflicts: two calls at the same moment still give each item once (the unique constraints decide).
    OnboardingItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


def hand_over_to_werkplekbegeleider(stage, *, previous_id):
    """Give the stage's (new) werkplekbegeleider the open items that fall to the werkplekbegeleider.

    Made before he was linked, they went to a praktijkopleider (build_onboarding_items), and to his predecessor when
    he replaces one. An item someone gave to another person on purpose stays where it is.
    """
    if not stage.werkplekbegeleider_id or stage.werkplekbegeleider_id == previous_id:
        return 0
    if previous_id:
        held_by_default = Q(responsible_id=previous_id)
    else:
        opleiders = Membership.objects.active().filter(leerbedrijf_id=stage.leerbedrijf_id, role=Role.PRAKTIJKOPLEIDER)
        held_by_default = Q(responsible__isnull=True) | Q(responsible_id__in=opleiders.values("user_id"))
    werkplek_keys = [key for key, _phase, responsible, _text in GIDS_ITEMS if responsible == W]
    return (
        OnboardingItem.objects.filter(stage=stage, done_at__isnull=True)
        .filter(Q(gids_key__in=werkplek_keys) | Q(template_item__responsible=W))
        .filter(held_by_default)
        .update(responsible_id=stage.werkplekbegeleider_id)
    )


def with_onboarding_progress(stages, today=None):
    """Annotate stages with onboarding_total, onboarding_done and onboarding_overdue, as subqueries.

    Subqueries rather than joins, so that it combines with any other annotation and filter without double counting.
    Nothing is late on an interrupted or ended stage: its onboarding no longer waits for anyone.
    """
    today = today or timezone.localdate()

    def count(condition):
        rows = (
            OnboardingItem.objects.filter(condition, stage=OuterRef("pk"))
            .order_by()
            .values("stage")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    return stages.annotate(
        onboarding_total=count(Q()),
        onboarding_done=count(Q(done_at__isnull=False)),
        onboarding_overdue=Case(
            When(~Q(stopped=""), then=Value(0)), default=count(Q(done_at__isnull=True, due_date__lt=today))
        ),
    )


def held_items(user):
    """The onboarding items `user` holds at a leerbedrijf they work for. Holding one lets them open that stage's
    onboarding even without another role on the stage; an item outlives its holder's role, the access does not."""
    return OnboardingItem.objects.filter(responsible=user, stage__leerbedrijf__in=roles_of(user).leerbedrijf_ids())


def holds_item_on(user, stage):
    """Whether `user` holds an item of `stage`'s onboarding. Read once per request and kept on the user object
    (like roles_of), so that a list of stages asks the rule without a query per stage."""
    if not hasattr(user, "_stagegids_item_stages"):
        user._stagegids_item_stages = set(held_items(user).values_list("stage", flat=True))
    return stage.pk in user._stagegids_item_stages


class OnboardingStageQuerySet(StageQuerySet):
    """Stages whose onboarding a user may open: the stages they see, and those where they hold an item."""

    def visible_to(self, user):
        return super().visible_to(user) | self.filter(pk__in=held_items(user).values("stage"))


def onboarding_stages():
    return OnboardingStageQuerySet(model=Stage)


def responsible_choices(leerbedrijf):
    """The people of the leerbedrijf an item can be given to: praktijkopleiders and the begeleiders."""
    return (
        get_user_model()
        .objects.filter(
            memberships__leerbedrijf=leerbedrijf,
            memberships__ended_at__isnull=True,
            memberships__role__in=[Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES],
        )
        .distinct()
        .order_by("name")
    )
