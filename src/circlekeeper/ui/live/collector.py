"""While a circle runs, Python's cycle collector leaves alone what was there before it began.

A full collection walks every object the program has made (the database layer, the windows,
the scripts): about 90 ms on the large demo, arriving unannounced inside some key press. What
exists when a facilitator window opens lives on for the rest of the session, so it is moved
out of the collector's sight (``gc.freeze``) while a circle runs, and later collections walk
only what the circle itself made. When the last facilitator window closes it is handed back
(``gc.unfreeze``) and the next collection frees any cycles among it, as before: nothing is kept
longer than the circle. Objects someone else froze earlier (start-up, say) stay frozen, and
then so does what was alive when the circle opened; its garbage is collected first.
"""

from __future__ import annotations

import gc

_open = 0
_thaw = False  # whether closing the last window unfreezes (nobody froze before us)


def circle_opened() -> None:
    """A facilitator window opened: freeze what exists (once, for the first one open)."""
    global _open, _thaw
    _open += 1
    if _open == 1:
        _thaw = gc.get_freeze_count() == 0
        if not _thaw:
            # What is frozen now stays so after the circle (start-up's freeze is kept), so
            # free the garbage first: only what is alive is set aside. The walk skips what
            # start-up froze, so it costs only what was made since, once, as the window opens.
            gc.collect()
        gc.freeze()


def circle_closed() -> None:
    """A facilitator window closed: after the last one, let the collector see everything."""
    global _open
    if _open == 0:
        return
    _open -= 1
    if _open == 0 and _thaw:
        gc.unfreeze()
