"""What the leerbedrijf tells the apps above it, which it cannot name (apps depend one way: it sends, they listen).

Sent inside the transaction of the step, with `stop` (a StageStop) and `by` (who took the step):

- `stage_stopped`: a stage was interrupted or ended; the stageplan cancels its moments still to come and reports
  them on the stop, the stagemap asks for the closing verslag.
- `stage_stop_undone`: that step was undone within its grace period; the moments it cancelled come back, its
  verslag goes.
- `stage_resumed`: an interruption ended with a new end date; the verslag is made again with it.
"""

from django.dispatch import Signal

stage_stopped = Signal()
stage_stop_undone = Signal()
stage_resumed = Signal()
