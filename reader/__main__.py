"""``python -m reader``: the command line's entry point (a process of its own, unlike ``reader.cli.main``).

Here, and not in ``main()``, torch is kept out when the model runs on ONNX: libraries that import
it only because it is installed (spaCy's thinc, 1.2 s idle) then go on without it. ``main()`` is
also called inside other processes (tests, the app's scripts), where torch may be wanted later.
"""

import sys

from reader.embedding.runtimes import keep_torch_out_if_unused

keep_torch_out_if_unused()

from reader.cli import main  # noqa: E402 - after torch is kept out

sys.exit(main())
