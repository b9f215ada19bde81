"""The one PDF renderer. Every verslag goes through render_pdf().

WeasyPrint may load only the project's own static files and data: URIs. Its URL fetcher refuses everything else
(file://, http(s) to any host, other schemes), so a template or a user's text can never make the renderer read a
local file or reach the network; it never follows a redirect because it never speaks HTTP. Attachments
(`<link rel=attachment>`, `<a rel=attachment>`) are dropped. User text reaches the templates only through Django's
autoescaping, and users never supply CSS.
"""

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("stagegids.pdf")

# Static URLs resolve against this origin; no such host exists, and only the fetcher below knows it.
BASE_URL = "https://verslag.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


@dataclass(frozen=True)
class RenderedDocument:
    filename: str
    content_type: str
    content: bytes


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                path = _static_file(url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0])
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
            logger.warning("pdf: refused to fetch %s", url)
            raise ValueError(f"Not a static file of this project: {url}")

    return StaticOnlyFetcher


def _static_file(relative):
    """The file a static path names, only if it lies inside one of the static folders (no ../ escapes)."""
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    path = Path(found).resolve()
    roots = [Path(root).resolve() for root in _static_roots()]
    if not any(path.is_relative_to(root) for root in roots):
        return None
    return path


def _static_roots():
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            yield storage.location
        for _prefix, storage in getattr(finder, "locations", []):
            yield storage


def render_pdf(*, template, context, filename):
    """Render `template` with `context` to an A4, tagged (PDF/UA-1) PDF in Dutch."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string(template, {"STATIC": STATIC_PREFIX, **context})
    fetcher = _fetcher_class()()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    # The document keeps the fetcher it was rendered with; write_pdf takes no fetcher of its own.
    content = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedDocument(filename=filename, content_type="application/pdf", content=content)
