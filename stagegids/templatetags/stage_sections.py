from django import template

from stagegids.sections import sections_for

register = template.Library()


@register.simple_tag
def stage_sections(user, stage, compact=False):
    return sections_for(user, stage, compact=bool(compact))
