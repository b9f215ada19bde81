"""What the multi-host run checks once the load has ended and the workers have drained: from the receiving side (the
mail files, the bucket, the database the answers pointed at), not from the portal's own bookkeeping alone.

Each check returns (name, ok, detail); the run prints them and exits non-zero when one is not ok.
"""

import email
import email.policy
from collections import Counter
from pathlib import Path

# django.core.mail.backends.filebased ends every message with this line.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def read_mails(directory):
    """Every message the mail backends wrote into `directory`: (recipient, Message-ID, subject) each."""
    mails = []
    for path in sorted(Path(directory).glob("*.log")):
        for raw in path.read_bytes().split(SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            mails.append((str(message["To"]), str(message["Message-ID"]), str(message["Subject"])))
    return mails


def duplicated(keys):
    """The keys that occur more than once, with their counts."""
    return {key: count for key, count in Counter(keys).items() if count > 1}


def reminder_of(message_id):
    """The reminder's id in a Message-ID made by stagegids.queued.message_id("herinnering", ...), else None."""
    prefix = "<herinnering-"
    if not message_id.startswith(prefix):
        return None
    return int(message_id[len(prefix) :].split("-", 1)[0])


def mails_once(mails, *, reminder_keys, sent_reminders, sent_outbox):
    """No mail twice, per Message-ID and per (recipient, reminder key); every reminder and outbox row marked sent
    has its mail, and no mail came from a row that is not marked sent.

    `reminder_keys` maps a reminder's id to its unique key (subject, kind, occasion, sequence, recipient);
    `sent_reminders` and `sent_outbox` are the Message-IDs the database says were sent."""
    results = []
    twice = duplicated(message_id for _to, message_id, _subject in mails)
    results.append(("no Message-ID twice", not twice, f"{len(mails)} mails, duplicates {len(twice)}"))
    per_key = [
        (to, reminder_keys.get(reminder_of(message_id)))
        for to, message_id, _subject in mails
        if reminder_of(message_id) is not None
    ]
    twice = duplicated(per_key)
    unknown = sum(1 for _to, key in per_key if key is None)
    results.append(
        (
            "no reminder twice per (recipient, reminder key)",
            not twice and not unknown,
            f"{len(per_key)} reminder mails, duplicates {len(twice)}, of unknown reminders {unknown}",
        )
    )
    received = {message_id for _to, message_id, _subject in mails}
    for label, sent in (("reminders", sent_reminders), ("outbox mails", sent_outbox)):
        sent = set(sent)
        missing = sent - received
        results.append((f"every sent {label} received", not missing, f"{len(sent)} sent, not received {len(missing)}"))
    stray = received - set(sent_reminders) - set(sent_outbox)
    results.append(("no mail from a row not marked sent", not stray, f"{len(stray)}"))
    return results


def verslagen_once(sources):
    """No verslag made twice: `sources` holds (source_type, source_id, source_version) of every verslag."""
    twice = duplicated(sources)
    detail = f"{len(sources)} verslagen, duplicates {len(twice)}"
    return ("no verslag twice per document and version", not twice, detail)
