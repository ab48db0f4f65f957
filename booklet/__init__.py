"""booklet: accessible patient-information booklets from Markdown.

The version is written once, in pyproject.toml, and read from the installed package's
metadata when asked for (``booklet.__version__``, ``booklet --version``).
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """Return ``__version__`` from the package metadata (read only when asked, not at import)."""
    if name == "__version__":
        from importlib.metadata import version

        return version("booklet")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
