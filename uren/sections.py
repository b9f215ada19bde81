"""The sections of a stage that the hours contribute (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(Section("uren", _("Uren"), "uren:stage", "uren.view_uren", order=75))
# For the mbo-begeleider of a stage whose company shows them the ziekmeldingen; the company side finds them on the
# Uren page. Asking it costs a query, so it is left out of lists of stages.
register(
    Section(
        "ziekmeldingen",
        _("Ziekmeldingen"),
        "uren:ziekmeldingen",
        "uren.view_ziekmeldingen",
        order=76,
        unless="uren.view_uren",
        in_lists=False,
    )
)
