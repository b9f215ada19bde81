"""What the confirm page (stagegids/confirm.html) posts with a step that is final or changes what others may do."""

CONFIRMED = {"confirmed": "True"}
