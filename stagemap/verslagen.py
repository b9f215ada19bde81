"""Making verslagen: render once from the source's data, store with hash, source, version and signatures.

The kinds (stagemap.kinds) say which documents are finished and what their verslag shows; this module renders and
stores, and marks an earlier verslag of the same source "vervangen".
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from stagegids.pdf import render_pdf

from . import kinds
from .models import Verslag


def make_verslag(*, stage, kind, title, template, context, source, source_version, signatures, by):
    """Render a verslag of `source` once and store it; an earlier current verslag of the same source is replaced."""
    document = render_pdf(
        template=template,
        context={"stage": stage, "title": title, "made_by": by.name, "made_at": timezone.now(), **context},
        filename=f"{title}.pdf",
    )
    source_type = source._meta.label
    with transaction.atomic():
        verslag = Verslag(
            stage=stage,
            kind=kind,
            title=title,
            sha256=hashlib.sha256(document.content).hexdigest(),
            source_type=source_type,
            source_id=source.pk,
            source_version=str(source_version),
            signatures=signatures,
            created_by=by,
        )
        verslag.file.save(document.filename, ContentFile(document.content), save=False)
        verslag.save()
        Verslag.objects.current().filter(source_type=source_type, source_id=source.pk).exclude(pk=verslag.pk).update(
            replaced_by=verslag
        )
    return verslag


def make_verslag_of(kind, document, *, by):
    """The verslag of one finished `document` of `kind`."""
    source, version = kind.source(document)
    draft = kind.build(document)
    signatures = [{**s, "at": kinds.parse_date(s["at"])} for s in draft.signatures]
    return make_verslag(
        stage=draft.stage,
        kind=kind.code,
        title=draft.title,
        template=draft.template,
        context={**draft.context, "signatures": signatures},
        source=source,
        source_version=version,
        signatures=draft.signatures,
        by=by,
    )


def _has_current(stage, source, version):
    return (
        Verslag.objects.current()
        .filter(stage=stage, source_type=source._meta.label, source_id=source.pk, source_version=str(version))
        .exists()
    )


def in_page(verslag):
    """The verslag as HTML inside the portal's page: its kind's template and context, rendered again from the
    document it was made of, so it shows what its pdf shows. None when that document is no longer at the version
    the verslag holds (corrected since, or not a document of its kind): then only the pdf shows it.

    The template's frame (verslagen/base.html) leaves out the document's own <html> and print stylesheet when
    `in_page` is set; the portal's stylesheet styles it (.verslag-weergave)."""
    kind = kinds.get(verslag.kind)
    for document in kind.finished(verslag.stage):
        source, version = kind.source(document)
        if (source._meta.label, source.pk, str(version)) == (
            verslag.source_type,
            verslag.source_id,
            verslag.source_version,
        ):
            break
    else:
        return None
    draft = kind.build(document)
    # What the pdf stored is shown as stored: its title, maker and signatures; the rest is the document's data.
    signatures = [{**s, "at": kinds.parse_date(s["at"])} for s in verslag.signatures]
    with translation.override("nl"):
        html = render_to_string(
            draft.template,
            {
                "stage": verslag.stage,
                "title": verslag.title,
                "made_by": verslag.created_by.name,
                "made_at": verslag.created_at,
                **draft.context,
                "signatures": signatures,
                "in_page": True,
            },
        )
    # Rendered by the template engine with autoescaping, as the pdf is: user text in it is escaped already.
    return mark_safe(html)  # noqa: S308


def make_missing_verslagen(stage, *, by):
    """Make the verslag of every finished document of `stage`, of every registered kind, that has none yet."""
    made = []
    for kind in kinds.registered():
        for document in kind.finished(stage):
            if not _has_current(stage, *kind.source(document)):
                made.append(make_verslag_of(kind, document, by=by))
    return made
