"""Logging for booklet: one namespace, and a level policy the CLI applies.

Level policy:
- ``booklet`` at WARNING: something the user should fix but that did not stop the work;
- ``booklet`` at INFO: one summary line per command (what was written, how long it took);
- ``booklet`` at DEBUG: what each step is doing, for ``--verbose``;
- ``booklet.progress`` at INFO: one line per output file, shown as a progress display.

The library never configures handlers and never prints; only ``cli.py`` does.
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger("booklet")
PROGRESS = logging.getLogger("booklet.progress")
