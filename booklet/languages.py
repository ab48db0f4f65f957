"""The languages a booklet may be translated into: a table of data, read by every later step.

Each row names a language by its BCP 47 tag (the folder name under ``translations/``),
in itself (as the catalogue shows it), its writing direction and script, and the chain
of font families that set it (the first family that has a character sets it; every
family is a font committed in fonts/). The English original is not a row: it is the
booklet itself (``language: en-GB`` in booklet.md).

``braille`` is liblouis's literary table of the language (Debian's liblouis-data), when it
can write the whole of a translation in 6-dot braille: Welsh grade 2 (contracted, as
English's UEB grade 2), Polish and Arabic grade 1 (uncontracted, as they are read every day).
None yet, though liblouis has tables, for Urdu (ur-pk-g1 has no Latin letters, and every
translation keeps English words: opening hours, addresses, references), Punjabi (pa.tbl
writes the @ of an email address as an 8-dot cell), Bengali (conjuncts in 8-dot cells a
6-dot BRF cannot hold) and Chinese (its braille spells sounds, not characters, so no
back-translation can check it).
"""

from __future__ import annotations

from dataclasses import dataclass

LATIN = ("Atkinson Hyperlegible", "DejaVu Sans")  # the English booklet's chain (styles/base.css)
STYLESHEET = "languages.css"  # in styles/: the script fonts and each language's chain, for translations


def chain(script_font: str) -> tuple[str, ...]:
    """Return a chain with a script's font between Atkinson Hyperlegible and DejaVu Sans.

    Latin words (reference titles, names) keep Atkinson Hyperlegible; the script's font
    comes before DejaVu Sans, which has some Arabic letters of its own that must not be used.
    """
    return (LATIN[0], script_font, *LATIN[1:])


@dataclass(frozen=True)
class Language:
    """One language a translation may be written in."""

    tag: str  # BCP 47: the translation's folder name, its HTML lang and its PDF /Lang
    name: str  # in English, for messages and the README
    native: str  # in itself, as readers look for it: 'Cymraeg', 'العربية'
    script: str  # ISO 15924 code: Latn, Arab, Beng, Guru, Hans
    fonts: tuple[str, ...]  # font families in the order they are tried (each in fonts/)
    review_note: str  # "needs review by a professional translator before publication", in the language
    direction: str = "ltr"  # 'rtl' for Arabic script
    braille: str = ""  # liblouis's literary table of the language ('' when liblouis has none)

    @property
    def rtl(self) -> bool:
        """Return whether the language is written right to left."""
        return self.direction == "rtl"


LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        # The review notes were written here, not by a professional translator: they need review too.
        Language(
            "cy",
            "Welsh",
            "Cymraeg",
            "Latn",
            LATIN,
            "Mae angen i gyfieithydd proffesiynol adolygu'r cyfieithiad hwn cyn ei gyhoeddi.",
            braille="cy-cy-g2.ctb",
        ),
        Language(
            "pl",
            "Polish",
            "Polski",
            "Latn",
            LATIN,
            "To tłumaczenie musi zostać sprawdzone przez profesjonalnego tłumacza przed publikacją.",
            braille="pl.tbl",
        ),
        Language(
            "ar",
            "Arabic",
            "العربية",
            "Arab",
            chain("Noto Naskh Arabic"),
            "تحتاج هذه الترجمة إلى مراجعة من مترجم محترف قبل نشرها.",
            "rtl",
            braille="ar-ar-g1.utb",
        ),
        Language(
            "ur",
            "Urdu",
            "اردو",
            "Arab",
            chain("Noto Naskh Arabic"),
            "اس ترجمے کو شائع کرنے سے پہلے کسی پیشہ ور مترجم سے نظرِ ثانی کروانا ضروری ہے۔",  # noqa: RUF001 - the Urdu full stop
            "rtl",
        ),
        Language(
            "bn",
            "Bengali",
            "বাংলা",
            "Beng",
            chain("Noto Sans Bengali"),
            "প্রকাশের আগে এই অনুবাদটি একজন পেশাদার অনুবাদকের দ্বারা পর্যালোচনা করা প্রয়োজন।",
        ),
        Language(
            "pa",
            "Punjabi",
            "ਪੰਜਾਬੀ",
            "Guru",
            chain("Noto Sans Gurmukhi"),
            "ਪ੍ਰਕਾਸ਼ਨ ਤੋਂ ਪਹਿਲਾਂ ਇਸ ਅਨੁਵਾਦ ਦੀ ਕਿਸੇ ਪੇਸ਼ੇਵਰ ਅਨੁਵਾਦਕ ਵੱਲੋਂ ਜਾਂਚ ਕੀਤੀ ਜਾਣੀ ਜ਼ਰੂਰੀ ਹੈ।",
        ),
        Language(
            "zh-Hans",
            "Chinese (Simplified)",
            "中文",
            "Hans",
            chain("Noto Sans CJK SC"),
            "本译文在发布前需要由专业翻译人员审核。",
        ),
    )
}


# Right to left: the blocks mirrored (rtl.css), then each variant's pages (margins, running heads).
RTL_STYLESHEETS = {
    "standard": ("rtl.css",),  # a rtl document starts on a :left page: facing pages mirror by themselves
    "large-print": ("rtl.css", "rtl-large-print.css"),
    "easy-read": ("rtl.css",),
}


def stylesheets(tag: str, variant: str) -> tuple[str, ...]:
    """Return the stylesheets of styles/ a translation adds after its variant's ('' tag: none)."""
    lang = LANGUAGES.get(tag)
    if lang is None:
        return ()
    return (STYLESHEET, *(RTL_STYLESHEETS.get(variant, ("rtl.css",)) if lang.rtl else ()))


def get(tag: str) -> Language | None:
    """Return the language of a BCP 47 tag as written in the table (None: not one booklet knows)."""
    return LANGUAGES.get(tag)


def display_name(tag: str) -> str:
    """Return a language as a dispatcher and a reader both find it: 'Welsh (Cymraeg)'."""
    lang = get(tag)
    return f"{lang.name} ({lang.native})" if lang else tag


def bound_right(tag: str) -> bool:
    """Return whether a booklet in this language ('' : the English original) is bound on the right.

    A right-to-left booklet opens from the right: its spine is on the right of the front
    cover, and its printer's spreads are mirrored (booklet/press/imposition.py).
    """
    lang = LANGUAGES.get(tag)
    return lang is not None and lang.rtl


def font_stack(lang: Language) -> str:
    """Return the CSS font-family value of a language: its chain, then the generic family."""
    return ", ".join(f'"{family}"' for family in lang.fonts) + ", sans-serif"
