"""Photos with an observatie: only jpg or png (checked by content), limited in size, and re-encoded from the
pixels alone so that no metadata (GPS location, camera, date) is kept.
"""

import io
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2400
FORMATS = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png")}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def clean_photo(upload):
    """A ContentFile with a random name holding the cleaned image, or ValidationError with a Dutch message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("De foto is te groot: maximaal 8 MB."))
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in FORMATS:
        raise ValidationError(_("Alleen een foto als jpg of png kan worden toegevoegd."))
    pil_format, extension = FORMATS[kind.mime]
    try:
        with Image.open(upload) as image:
            if image.format != pil_format:
                raise ValidationError(_("Alleen een foto als jpg of png kan worden toegevoegd."))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            # A fresh image from the pixels carries no EXIF, XMP, ICC or text chunks of the original.
            mode = "RGB" if pil_format == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
            clean = Image.new(mode, image.size)
            clean.paste(image.convert(mode))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Deze foto kan niet worden gelezen. Probeer een andere.")) from error
    out = io.BytesIO()
    clean.save(out, format=pil_format, **({"quality": 85} if pil_format == "JPEG" else {"optimize": True}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def content_type(name):
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
