"""What the mends of :mod:`booklet.render.weasyfix` share while they are in force."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

ACTIVE: ContextVar[bool] = ContextVar("weasyfix_active", default=False)  # inside mended()
IN_ARTIFACT: ContextVar[bool] = ContextVar("weasyfix_in_artifact", default=False)  # in a margin box

Replacement = tuple[Any, str, Callable[..., Any]]  # (owner, attribute, the mended function)
