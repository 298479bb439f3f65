"""Taking what stays alive out of the cyclic collector's sight, at the moments it is known to stay."""

from __future__ import annotations

import gc


def freeze_heap() -> None:
    """Take what is alive now out of the cyclic collector's sight (``gc.freeze``).

    A full collection walks every tracked object holding the interpreter lock: with 200
    articles open that was 130,000 objects and 50-90 ms, a stall of the window each time.
    What is alive once a comparison is on screen mostly stays alive (the articles, the
    comparison, the widgets), so it is frozen and later collections walk only what came
    since. Frozen objects are still freed by reference counting as usual; only garbage
    cycles among them would outlive their use, and the comparison's objects hold none.
    """
    gc.freeze()
