"""The stageplan's verslag in the stagemap: the agreed version, seen by whoever sees the stageplan.

Its source is the stageplan itself: a later agreed version replaces the earlier verslag.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagemap import kinds

from .models import PLAN_READERS, MomentKind, Skill, agreed_version


class StageplanVerslag(kinds.VerslagKind):
    code = "stageplan"
    label = gettext_lazy("stageplan (afgestemde versie)")

    source_roles = PLAN_READERS

    def finished(self, stage):
        version = agreed_version(stage)
        return [] if version is None else [version]

    def source(self, version):
        return version.stageplan, version.number

    def build(self, version):
        data = version.data
        skills = dict(Skill.choices)
        moment_kinds = dict(MomentKind.choices)
        return kinds.Draft(
            stage=version.stageplan.stage,
            title=_("Stageplan, afgestemde versie %(number)s") % {"number": version.number},
            template="verslagen/stageplan.html",
            context={
                "version": version,
                "beginsituatie": data.get("beginsituatie", {}),
                "leerdoelen": [
                    {
                        **d,
                        "skill": skills.get(d.get("skill"), d.get("skill")),
                        "target_date": kinds.parse_date(d.get("target_date")),
                    }
                    for d in data.get("leerdoelen", [])
                ],
                "momenten": [
                    {
                        **m,
                        "kind": moment_kinds.get(m.get("kind"), m.get("kind")),
                        "starts_at": kinds.parse_date(m.get("starts_at")),
                    }
                    for m in data.get("momenten", [])
                ],
            },
            signatures=[
                kinds.signature(_("stagiair"), version.agreed_by_stagiair, version.agreed_by_stagiair_at),
                kinds.signature(_("praktijkopleider"), version.agreed_by_opleider, version.agreed_by_opleider_at),
            ],
        )


STAGEPLAN = kinds.register(StageplanVerslag())
