"""Rendering: the HTML of each variant, the tagged PDF (WeasyPrint and its mends), EPUB and braille."""
