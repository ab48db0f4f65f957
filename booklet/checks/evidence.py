"""Evidence and dates: citations and references, DOIs, review dates, review status, other formats."""

from __future__ import annotations

import calendar
import html.parser
import re
from collections.abc import Iterator
from datetime import date

from .. import paths
from ..model import NEEDED_FOR_APPROVAL
from ..render import html as render_html
from ..render import templates
from .base import Context, Finding, Rule

UNCITED = Rule("REF-UNCITED", "warning", "a reference is never cited")
LIST_MISSING = Rule("REF-LIST-MISSING", "error", "the booklet has no references")
DOI_FORMAT = Rule("REF-DOI-FORMAT", "error", "a DOI is not well formed")
DOI_MISMATCH = Rule("REF-DOI-MISMATCH", "error", "a reference's text gives another DOI than its 'doi'")
REVIEW_OVERDUE = Rule("DATE-REVIEW-OVERDUE", "error", "the next review date has passed")
REVIEW_SOON = Rule("DATE-REVIEW-SOON", "warning", "the next review is due within 3 months")
REVIEW_INTERVAL = Rule(
    "DATE-REVIEW-INTERVAL", "warning", "the next review is more than 3 years after publication"
)
STATUS = Rule("META-STATUS", "warning", "the booklet is not approved for use with patients")
REVIEWS_MISSING = Rule(
    "META-REVIEWS-MISSING", "warning", "there is no approved clinical or no approved lay review"
)
REVIEW_OLD = Rule("META-REVIEW-OLD", "warning", "a review is of an older edition, or dated before it")
REVIEW_FUTURE = Rule("META-REVIEW-FUTURE", "error", "a review is dated after today")
OTHER_FORMATS = Rule(
    "META-OTHER-FORMATS", "warning", "the booklet does not say which other formats it comes in"
)
RULES = (
    UNCITED,
    LIST_MISSING,
    DOI_FORMAT,
    DOI_MISMATCH,
    REVIEW_OVERDUE,
    REVIEW_SOON,
    REVIEW_INTERVAL,
    STATUS,
    REVIEWS_MISSING,
    REVIEW_OLD,
    REVIEW_FUTURE,
    OTHER_FORMATS,
)

# Crossref's pattern for the DOIs it registers (https://www.crossref.org/blog/dois-and-matching-regular-expressions/)
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:<>A-Za-z0-9]+$")  # <> for old Wiley DOIs
DOI_IN_TEXT_RE = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
REVIEW_SOON_MONTHS = 3
REVIEW_MAX_YEARS = 3


def check(ctx: Context) -> Iterator[Finding]:
    """Report citation, reference, date, reviewer and other-format problems."""
    yield from _citations(ctx)
    yield from _dois(ctx)
    yield from _dates(ctx)
    yield from _reviews(ctx)
    yield from _other_formats(ctx)


def _citations(ctx: Context) -> Iterator[Finding]:
    """Report a booklet without references, and references never cited (citations are source rules)."""
    ids = {r.id for r in ctx.booklet.meta.references}
    cited = {key for source, _ in ctx.sources() for key in source.cited}
    if not ids:
        yield LIST_MISSING.at(
            ctx.slug, ctx.path, None, "there are no references: list the sources the booklet is based on"
        )
    for index, ref in enumerate(ctx.booklet.meta.references):
        if ref.id not in cited:
            yield UNCITED.at(
                ctx.slug,
                ctx.path,
                ctx.meta_line("references", index),
                f"reference '{ref.id}' is never cited: cite it with [@{ref.id}] where the text relies on it, "
                "or remove it",
            )


def _dois(ctx: Context) -> Iterator[Finding]:
    for index, ref in enumerate(ctx.booklet.meta.references):
        if ref.doi and not DOI_RE.match(ref.doi):
            yield DOI_FORMAT.at(
                ctx.slug,
                ctx.path,
                ctx.meta_line("references", index, "doi"),
                f"reference '{ref.id}': DOI '{ref.doi}' is not well formed (10.NNNN/suffix, "
                "no spaces or quotes): copy it from the publisher's page",
            )
        written = [m[0].rstrip(".,;:)]") for m in DOI_IN_TEXT_RE.finditer(f"{ref.text} {ref.url or ''}")]
        for doi in dict.fromkeys(written):
            line = ctx.meta_line("references", index, "text")
            if not DOI_RE.match(doi):
                yield DOI_FORMAT.at(
                    ctx.slug,
                    ctx.path,
                    line,
                    f"reference '{ref.id}': DOI '{doi}' in its text is not well formed",
                )
            elif ref.doi and doi.lower() != ref.doi.lower():
                yield DOI_MISMATCH.at(
                    ctx.slug,
                    ctx.path,
                    line,
                    f"reference '{ref.id}' gives DOI {doi} in its text but {ref.doi} as 'doi': "
                    "make them the same (readers follow 'doi')",
                )


def months_after(day: date, months: int) -> date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _dates(ctx: Context) -> Iterator[Finding]:
    meta, today = ctx.booklet.meta, ctx.today
    line = ctx.meta_line("next_review")
    if meta.next_review < today:
        yield REVIEW_OVERDUE.at(
            ctx.slug,
            ctx.path,
            line,
            f"the next review was due on {meta.next_review.isoformat()}: review the booklet, "
            "then set 'published' and 'next_review' again",
        )
    elif meta.next_review <= months_after(today, REVIEW_SOON_MONTHS):
        yield REVIEW_SOON.at(
            ctx.slug,
            ctx.path,
            line,
            f"the next review is due on {meta.next_review.isoformat()}, within {REVIEW_SOON_MONTHS} months: "
            "plan it now",
        )
    latest = months_after(meta.published, 12 * REVIEW_MAX_YEARS)
    if meta.next_review > latest:
        yield REVIEW_INTERVAL.at(
            ctx.slug,
            ctx.path,
            line,
            f"the next review ({meta.next_review.isoformat()}) is more than {REVIEW_MAX_YEARS} years after "
            f"publication: set it to {latest.isoformat()} or sooner",
        )


def _reviews(ctx: Context) -> Iterator[Finding]:
    """Report the review status, the reviews an approval still needs, and reviews out of date."""
    meta = ctx.booklet.meta
    if meta.draft:
        yield STATUS.at(
            ctx.slug,
            ctx.path,
            ctx.meta_line("status"),
            f"the booklet is '{meta.status}': every output carries a DRAFT mark and it cannot be ordered "
            "(but as a proof, with --allow-drafts)",
            "set 'status: approved' once a clinical and a lay reviewer have approved this edition",
        )
    for kind in NEEDED_FOR_APPROVAL:
        if not any(r.kind == kind for r in meta.approvals):
            yield REVIEWS_MISSING.at(
                ctx.slug,
                ctx.path,
                ctx.meta_line("reviews" if meta.reviews else "status"),
                f"there is no approved {kind} review of this edition",
                f"have it reviewed, then record it under 'reviews:' with 'kind: {kind}', 'role:', "
                "'date:' and 'outcome: approved'",
            )
    for index, r in enumerate(meta.reviews):
        line = ctx.meta_line("reviews", index)
        if r.day > ctx.today:
            yield REVIEW_FUTURE.at(
                ctx.slug,
                ctx.path,
                line,
                f"the {r.kind} review by '{r.role}' is dated {r.day.isoformat()}, after today",
                "record a review once it has happened, with the day it was done",
            )
        if r.edition not in ("", meta.edition):
            yield REVIEW_OLD.at(
                ctx.slug,
                ctx.path,
                line,
                f"the {r.kind} review by '{r.role}' is of the {r.edition}, "
                f"not this {meta.edition or 'edition'}",
                "review this edition again, or remove the old review",
            )
        elif r.day < months_after(meta.published, -12 * REVIEW_MAX_YEARS):
            yield REVIEW_OLD.at(
                ctx.slug,
                ctx.path,
                line,
                f"the {r.kind} review by '{r.role}' ({r.day.isoformat()}) is more than {REVIEW_MAX_YEARS} "
                f"years older than the edition published on {meta.published.isoformat()}",
                "review this edition again",
            )


def _other_formats(ctx: Context) -> Iterator[Finding]:
    """Check the booklet comes in another variant, and that each built web page says so."""
    booklet = ctx.booklet
    variants = booklet.variants()
    if len(variants) < 2:
        yield OTHER_FORMATS.at(
            ctx.slug,
            ctx.path,
            None,
            "the booklet is made in one format only, so it cannot say other formats are available: "
            "add another variant (for example easy-read.md)",
        )
        return
    for variant in variants:
        page = paths.variant_file(ctx.out_dir, booklet.slug, variant.stem, "html")
        if not page.is_file():
            continue
        wanted = templates.join_and(render_html.context(booklet, variant)["other_formats"])
        if wanted not in _plain(page.read_text(encoding="utf-8")):
            yield OTHER_FORMATS.at(
                ctx.slug,
                page,
                None,
                f"the page does not say the booklet also comes in {wanted}: "
                "rebuild it (booklet check --build)",
            )


class _Words(html.parser.HTMLParser):
    """Collect the text of an HTML page (a built web page, read as a browser would)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def _plain(page: str) -> str:
    """Return the words of an HTML page, tags left out and spaces collapsed."""
    reader = _Words()
    reader.feed(page)
    reader.close()
    return " ".join(" ".join(reader.words).split())
