"""Uploaded images (an observatie's photo, a bewijsstuk): read by their header first, then re-encoded from the pixels
alone, so that nothing of the original's metadata is kept (GPS location, camera, date, an embedded thumbnail).

A compressed image can be tiny on disk and huge in memory: a 657 KB png of 13,000 x 13,000 pixels took 2.25 GB and
10 s to decode. The pixel count is in the header, so an image above MAX_PIXELS is refused before any pixel is decoded.
MAX_PIXELS lets through a photo of a 24-megapixel phone camera (the default of recent ones) and an A4 scan at 300 dpi
(9 megapixel); a 48-megapixel photo must be made smaller (it mostly exceeds the byte limits anyway). A png is decoded
whole, at 4 bytes a pixel and once more to shrink it: the largest accepted one peaks at about 250 MiB (bench/images.py
measures it and the others; the README has the figures).
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 25_000_000
# The long side of what is stored: sharp on any screen and in a pdf, a fraction of a phone camera's file.
MAX_SIDE = 2400
FORMATS = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png")}

# Pillow's own guard for every image the portal opens (WeasyPrint's too): a warning above this many pixels, an error
# above twice as many. Its default (89 million) would let the 169-million-pixel image above through with a warning.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def too_many_pixels():
    return ValidationError(
        _("Deze afbeelding is te groot: meer dan %(max)s megapixel. Verklein de afbeelding of kies een andere.")
        % {"max": MAX_PIXELS // 1_000_000}
    )


def strip_image(upload, mime):
    """`upload` (a jpg or png, `mime` as its first bytes say) re-encoded without metadata, at most MAX_SIDE pixels
    on its long side, as a ContentFile with a random name; or ValidationError with a Dutch message."""
    pil_format, extension = FORMATS[mime]
    try:
        # Image.open reads the header only; above twice MAX_PIXELS Pillow refuses already here.
        with Image.open(upload, formats=[pil_format]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_many_pixels()
            # A jpg is decoded at the smallest scale (1/2, 1/4, 1/8) that still gives MAX_SIDE: a fraction of the
            # memory and time. Turned upright after shrinking, for the same reason.
            shrink = min(1, MAX_SIDE / max(width, height))
            image.draft(None, (max(1, round(width * shrink)), max(1, round(height * shrink))))
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image)
            # A fresh image from the pixels carries no EXIF, XMP, ICC or text chunks of the original.
            mode = "RGB" if pil_format == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
            clean = Image.new(mode, image.size)
            clean.paste(image.convert(mode))
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen. Probeer een andere.")) from error
    out = io.BytesIO()
    clean.save(out, format=pil_format, **({"quality": 85} if pil_format == "JPEG" else {"optimize": True}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
