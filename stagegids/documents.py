"""Uploaded pdfs (a bewijsstuk, a certificate) are stored without the document's metadata, as a photo is stored
without its EXIF (stagegids/images.py): the author, the software, the times and the XMP stream name people and
details that are none of the portal's business, and a colleague who downloads the file sees them."""

import io
import logging
import uuid

from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PdfStreamError

logger = logging.getLogger(__name__)

# /SigFlags bit 1: the document holds at least one signature field.
SIGNATURES_EXIST = 1


def strip_pdf(upload):
    """`upload` (a pdf by its first bytes) written anew by pypdf without its document information and XMP
    metadata, as a ContentFile with a random name.

    Kept as it came, metadata and all: a pdf pypdf cannot read (a viewer may still show it, and the upload was
    checked by its first bytes only, as before), an encrypted one (rewriting would need its password) and a signed
    one (rewriting would break the signature, which is worth more as evidence than the metadata is a risk)."""
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted or _is_signed(reader):
            upload.seek(0)
            return upload
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer.xmp_metadata = None
        # The XMP stream itself stays in the file, unreferenced, unless orphans are dropped.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    # What a malformed file makes pypdf raise; any other error is ours and shows.
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        logger.info("pdf kept with its metadata: pypdf could not rewrite it (%s)", type(error).__name__)
        upload.seek(0)
        return upload
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.pdf")


def _is_signed(reader):
    form = reader.trailer["/Root"].get("/AcroForm")
    return form is not None and int(form.get_object().get("/SigFlags", 0)) & SIGNATURES_EXIST
