"""The evaluatie at the end of a stage: the stagiair's answers, the evaluatiegesprek and the lessons (chapter 10
of the gids, afronding).

Who sees what: the evaluatie is between the stagiair and the praktijkopleider only (evaluatie_stages below; actions
are in rules.py beside this module). The stagiair is asked how the begeleiding went and what tips they have, which
they answer more freely when their own werkplekbegeleider does not read it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage
from stagegids.concurrency import StaleEdit, save_if_current
from stagegids.models import Wijziging
from stagegids.roles import Role
from stagemap.signals import document_finished

from ..gesprekken.models import GesprekAction, ShownUntilChanged, already_submitted, field_changes


class EvaluatieQuestion:
    def __init__(self, key, section, text, scale=None):
        self.key, self.section, self.text, self.scale = key, section, text, scale


class EvaluatieSection(models.TextChoices):
    STAGE = "stage", _("De stage")
    WERK = "werk", _("Het werk")
    BEGELEIDING = "begeleiding", _("De begeleiding")


# The gids's questions for the evaluatiegesprek (chapter 10). The keys are stored with every answer: never rename
# one, add a new key instead. `scale` gives the meaning of 1 and 5 where a score makes the answers comparable.
EVALUATIE_QUESTIONS = [
    EvaluatieQuestion(
        "stage_ervaren",
        EvaluatieSection.STAGE,
        _("Hoe heb je je stage ervaren?"),
        (_("heel slecht"), _("heel goed")),
    ),
    EvaluatieQuestion(
        "verwachtingen",
        EvaluatieSection.STAGE,
        _("Zijn de verwachtingen die je vooraf had uitgekomen?"),
        (_("helemaal niet"), _("helemaal wel")),
    ),
    EvaluatieQuestion(
        "hier_werken",
        EvaluatieSection.STAGE,
        _("Wil je hier in de toekomst werken? Waarom wel of niet?"),
        (_("zeker niet"), _("zeker wel")),
    ),
    EvaluatieQuestion(
        "werkdruk",
        EvaluatieSection.WERK,
        _("Hoe heb je de werkdruk ervaren?"),
        (_("veel te laag"), _("veel te hoog")),
    ),
    EvaluatieQuestion("manager", EvaluatieSection.WERK, _("Wat zou jij hier veranderen als jij de manager zou zijn?")),
    EvaluatieQuestion(
        "duidelijk",
        EvaluatieSection.WERK,
        _("Was het duidelijk wat je moest doen? Wat wel en wat niet?"),
        (_("helemaal niet duidelijk"), _("heel duidelijk")),
    ),
    EvaluatieQuestion(
        "begeleiding",
        EvaluatieSection.BEGELEIDING,
        _("Hoe heb je de begeleiding ervaren?"),
        (_("heel slecht"), _("heel goed")),
    ),
    EvaluatieQuestion("tips", EvaluatieSection.BEGELEIDING, _("Welke tips heb je voor mij?")),
    EvaluatieQuestion("overig", EvaluatieSection.BEGELEIDING, _("Heb je nog andere dingen die je graag wil delen?")),
]
QUESTIONS_BY_KEY = {question.key: question for question in EVALUATIE_QUESTIONS}
SCALE = range(1, 6)


EVALUATIE_READERS = (Role.PRAKTIJKOPLEIDER, Role.STAGIAIR)


def evaluatie_stages(user):
    return Stage.objects.for_roles(user, *EVALUATIE_READERS)


class EvaluatieQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=evaluatie_stages(user))

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Evaluatie(ShownUntilChanged, models.Model):
    """The end of a stage: the stagiair's answers, the evaluatiegesprek, the prospects and the lessons."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="evaluatie")
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)

    gesprek_notes = models.TextField(_("Verslag van het evaluatiegesprek"), blank=True)
    next_stage = models.BooleanField(_("volgende stage bij ons"), default=False)
    bijbaan = models.BooleanField(_("vakantie- of bijbaan"), default=False)
    baan = models.BooleanField(_("een baan bij ons"), default=False)
    elders = models.BooleanField(_("verder bij een andere plek"), default=False)
    vooruitzichten = models.TextField(_("Toelichting op de toekomstplannen"), blank=True)
    lessen = models.TextField(_("Wat nemen we mee naar de volgende stage?"), blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The stagiair's answers and the praktijkopleider's afronding are versioned apart: they never collide.
    answers_version = models.PositiveIntegerField(default=1)
    afronding_version = models.PositiveIntegerField(default=1)

    # The same rows as Wijziging.objects.for_object(evaluatie); declared so that deleting it deletes its trail.
    wijzigingen = GenericRelation(Wijziging, related_query_name="evaluatie")

    objects = EvaluatieQuerySet.as_manager()

    AFRONDING_FIELDS = ("gesprek_notes", "next_stage", "bijbaan", "baan", "elders", "vooruitzichten", "lessen")
    OWNER = "stage"

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self):
        return _("Evaluatie van %(stage)s") % {"stage": self.stage}

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    def prospects(self):
        return [
            self._meta.get_field(name).verbose_name
            for name in ("next_stage", "bijbaan", "baan", "elders")
            if getattr(self, name)
        ]

    def answers_by_key(self):
        if self.pk is None:
            return {}
        return {answer.question: answer for answer in self.antwoorden.all()}

    def questions_with_answers(self):
        answers = self.answers_by_key()
        return [(question, answers.get(question.key)) for question in EVALUATIE_QUESTIONS]

    def log_action(self, action, *, by, changes=None, data=None):
        return Wijziging.log(self, action, user=by, role=self.stage.role_of(by), changes=changes, data=data)

    def already_submitted(self):
        if self.is_submitted:
            return already_submitted(
                _t("Je evaluatie was al ingediend op %(when)s; er is niets gewijzigd."), self.submitted_at
            )
        return None

    def save_answers(self, *, version, by, answers, submit):
        """Answers: {key: (score, text)}. Refused (StaleEdit) when stale or already submitted; AlreadySubmitted when
        this very submit won meanwhile (a second click, or two at once)."""
        extra = {"submitted_at": timezone.now()} if submit else {}
        data = {key: {"score": score, "text": text} for key, (score, text) in answers.items()}
        self.ensure_saved()
        try:
            with transaction.atomic():
                save_if_current(
                    Evaluatie.objects.filter(pk=self.pk, submitted_at__isnull=True),
                    field="answers_version",
                    seen=version,
                    **extra,
                )
                for key, (score, text) in answers.items():
                    EvaluatieAntwoord.objects.update_or_create(
                        evaluatie=self, question=key, defaults={"score": score, "text": text}
                    )
                action = GesprekAction.EVALUATIE_SUBMITTED if submit else GesprekAction.EVALUATIE_SAVED
                self.log_action(action, by=by, data=data)
        except StaleEdit:
            self.refresh_from_db()
            if submit and (already := self.already_submitted()):
                raise already from None
            self.log_action(GesprekAction.REFUSED, by=by, data=data)
            raise
        self.refresh_from_db()

    def record_afronding(self, *, version, by, values):
        """The evaluatiegesprek is recorded: the stagemap makes (or, after a change, renews) its verslag."""
        self.ensure_saved()
        try:
            with transaction.atomic():
                changes = field_changes(self, values)
                save_if_current(
                    Evaluatie.objects.filter(pk=self.pk),
                    field="afronding_version",
                    seen=version,
                    **values,
                    recorded_at=timezone.now(),
                    recorded_by=by,
                )
                self.log_action(GesprekAction.AFRONDING_SAVED, by=by, changes=changes)
                document_finished.send(sender=Evaluatie, stage_id=self.stage_id, by=by)
        except StaleEdit:
            self.log_action(GesprekAction.REFUSED, by=by, data=values)
            raise
        self.refresh_from_db()


class EvaluatieAntwoord(models.Model):
    evaluatie = models.ForeignKey(Evaluatie, on_delete=models.CASCADE, related_name="antwoorden")
    question = models.CharField(max_length=30, choices=[(q.key, q.text) for q in EVALUATIE_QUESTIONS])
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["evaluatie", "question"], name="evaluatie_one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="evaluatie_score_1_to_5"
            ),
        ]

    def __str__(self):
        return self.question
