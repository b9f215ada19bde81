"""Single-use links (invitations, collega-feedback, the aanmelding of a leerbedrijf): the plain token exists only in
the e-mail; the database keeps its hash, so a leaked table opens nothing."""

import hashlib
import secrets


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
