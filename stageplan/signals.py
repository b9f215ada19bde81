"""What the stageplan tells later apps without knowing them (apps depend one way: beoordeling listens here)."""

from django.dispatch import Signal

# Sent inside the transaction when both the stagiair and the praktijkopleider have agreed a version;
# arguments: version (StageplanVersion), by (the user whose agreement completed it).
stageplan_agreed = Signal()
