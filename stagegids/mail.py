from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(*, template, to, context, attachments=(), headers=None):
    """Send `templates/mail/<template>_subject.txt`, `.txt` and `.html` in Dutch, plain text and HTML; the first two
    through the plain-text template engine (settings.TEMPLATES), which escapes nothing.

    `attachments` are (filename, content, mimetype) triples; `headers` extra headers such as a stable Message-ID.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override("nl"):
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context, using="text").split())
        text = render_to_string(f"mail/{template}.txt", context, using="text")
        html = render_to_string(f"mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], from_email=settings.DEFAULT_FROM_EMAIL, headers=headers
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
