"""booklet: accessible patient-information booklets from Markdown.

The version is written once, here (pyproject.toml reads it when the package is built);
``booklet --version`` reads the same number from the installed package's metadata.
Reading it from the metadata at start-up would import importlib.metadata and email, about
15 ms on every command, and the cache key and every web page need it.
"""

__version__ = "0.2.0"
__all__ = ["__version__"]
