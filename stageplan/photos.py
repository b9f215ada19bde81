"""Photos with an observatie: only jpg or png (checked by content), limited in size, and stored without metadata
(stagegids.images: no GPS location, camera or date is kept).
"""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stagegids.images import FORMATS, strip_image

MAX_BYTES = 8 * 1024 * 1024
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
# Also the page's own messages when it checks a photo before keeping it on the device (static/js/offline.js).
TOO_BIG = _("De foto is te groot: maximaal 8 MB.")
NOT_A_PHOTO = _("Alleen een foto als jpg of png kan worden toegevoegd.")


def clean_photo(upload):
    """A ContentFile with a random name holding the cleaned image, or ValidationError with a Dutch message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_BIG)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in FORMATS:
        raise ValidationError(NOT_A_PHOTO)
    return strip_image(upload, kind.mime)


def content_type(name):
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
