"""The side-by-side view of a beoordeling: per werkproces each party's scores, the differences first (chapter 9:
"de punten waarover jullie van mening verschillen, zijn de moeite waard om over door te praten")."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import NVT


class Answer(NamedTuple):
    column: str  # whose answer: a party, named as the column's heading (a card's line on a phone)
    score: str  # the score's label
    toelichting: str


class Result(NamedTuple):
    column: str
    text: str


@dataclass
class Row:
    criterium: object
    answers: list  # one Answer per shown invulling, in the order of the columns
    differs: bool

    @property
    def empty(self):
        return not any(answer.score or answer.toelichting for answer in self.answers)


@dataclass
class Group:
    label: str
    rows: list = field(default_factory=list)
    results: list = field(default_factory=list)  # one Result per shown invulling
    observaties: list = field(default_factory=list)

    @property
    def differs(self):
        return any(row.differs for row in self.rows)

    @property
    def answered_rows(self):
        return [row for row in self.rows if not row.empty]

    @property
    def empty_rows(self):
        return [row for row in self.rows if row.empty]


def werkproces_result(beoordeling, rows_scores):
    """voldoende or onvoldoende for one werkproces: a critical criterium below voldoende decides on its own."""
    passing = {value: ok for value, _label, ok in beoordeling.scale_steps()}
    answered = [(criterium, score) for criterium, score in rows_scores if score and score != NVT]
    if not answered:
        return ""
    if any(criterium.critical and not passing.get(score) for criterium, score in answered):
        return _("onvoldoende (kritisch criterium)")
    good = sum(1 for _criterium, score in answered if passing.get(score))
    return _("voldoende") if good * 2 >= len(answered) else _("onvoldoende")


def compare(*, beoordeling, criteria, invullingen, observaties):
    labels = {value: str(label) for value, label, _ok in beoordeling.scale_steps()}
    labels[NVT] = _("n.v.t.")
    columns = [capfirst(invulling.get_party_display()) for invulling in invullingen]
    scores = {
        invulling.pk: {a.criterium_id: (a.score, a.toelichting) for a in invulling.antwoorden.all()}
        for invulling in invullingen
    }
    by_werkproces = {}
    for observatie in observaties:
        by_werkproces.setdefault(observatie.leerdoel.werkproces_id, []).append(observatie)
    groups = {}
    for criterium in criteria:
        label = criterium.werkproces_label or _("Beroepshouding")
        group = groups.get(label)
        if group is None:
            group = groups[label] = Group(label=label, observaties=by_werkproces.get(criterium.werkproces_id, []))
        given = [scores[i.pk].get(criterium.pk, ("", "")) for i in invullingen]
        answered = {score for score, _toelichting in given if score}
        group.rows.append(
            Row(
                criterium=criterium,
                answers=[
                    Answer(column, labels.get(score, ""), toelichting)
                    for column, (score, toelichting) in zip(columns, given, strict=True)
                ],
                differs=len(invullingen) > 1 and len(answered) > 1,
            )
        )
    for group in groups.values():
        group.results = [
            Result(
                column,
                werkproces_result(
                    beoordeling, [(row.criterium, scores[i.pk].get(row.criterium.pk, ("",))[0]) for row in group.rows]
                ),
            )
            for column, i in zip(columns, invullingen, strict=True)
        ]
        # Stable sort: within a werkproces the differing criteria come first, the form's order otherwise.
        group.rows.sort(key=lambda row: not row.differs)
    return sorted(groups.values(), key=lambda group: not group.differs)
