"""booklet: accessible patient-information booklets from Markdown."""

__version__ = "0.1.0"
__all__ = ["__version__"]
