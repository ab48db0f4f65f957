"""How the shop's email leaves: an SMTP server (``BOOKLET_SMTP_URL``), or files in its data folder.

``smtp://user:password@host:587`` speaks STARTTLS (refused if the server does not offer it),
``smtps://host:465`` TLS from the first byte; the server's certificate is checked against the
system's authorities (``SSL_CERT_FILE`` names another bundle). User and password are
optional and URL-encoded (``%40`` for ``@``). Without a URL each message is written as
``DATA/outbox/000123-order-confirmation.eml`` (0600): the shop says so at start, and its
pages never say a message was sent.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from ... import output
from ...errors import BookletError, WriteError
from .data import make_private_folder

ENV_SMTP = "BOOKLET_SMTP_URL"
PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT = 30  # seconds to wait for the server

Send = Callable[[int, str, str, str, bytes], None]  # (outbox id, kind, from, to, message)


class RefusedError(Exception):
    """The server refused a message for good (a 5xx reply): trying again would not help."""


class Transport(Protocol):
    """Where messages go."""

    @property
    def delivers(self) -> bool:
        """Tell whether messages really leave (SMTP), not only written to files."""
        ...

    def describe(self) -> str:
        """Return where messages go, for the shop's first lines."""
        ...

    def session(self) -> AbstractContextManager[Send]:
        """Open the way out (a connection) for a batch of messages; yield the function that sends one."""
        ...


@dataclass(frozen=True)
class Folder:
    """Messages written as files into a private folder, for a person or a script to send."""

    folder: Path
    delivers: bool = False

    def describe(self) -> str:
        return f"Email is not sent (no {ENV_SMTP}): messages are written to {self.folder}"

    @contextmanager
    def session(self) -> Iterator[Send]:
        try:
            make_private_folder(self.folder)
        except BookletError as exc:  # a file in its place, a full disk: tried again later
            raise OSError(str(exc)) from None

        def send(message_id: int, kind: str, sender: str, recipient: str, raw: bytes) -> None:
            try:
                output.write_private(self.folder / f"{message_id:06d}-{kind}.eml", raw)
            except WriteError as exc:
                raise OSError(f"{exc.path}: {exc.message}") from None

        yield send


@dataclass(frozen=True)
class Smtp:
    """An SMTP server, reached with TLS (STARTTLS or smtps)."""

    scheme: str
    host: str
    port: int
    user: str = ""
    password: str = ""
    context: ssl.SSLContext | None = None  # the tests trust their own authority
    delivers: bool = True

    def describe(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"Email is sent through {self.scheme}://{who}{self.host}:{self.port}"

    @contextmanager
    def session(self) -> Iterator[Send]:
        context = self.context or ssl.create_default_context()
        try:
            if self.scheme == "smtps":
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT, context=context
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
                server.ehlo()
                if not server.has_extn("starttls"):
                    server.close()
                    raise smtplib.SMTPNotSupportedError(f"{self.host} does not offer STARTTLS")
                server.starttls(context=context)
                server.ehlo()
            if self.user:
                server.login(self.user, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise OSError(f"the SMTP server refused the user and password ({exc.smtp_code})") from None

        def send(message_id: int, kind: str, sender: str, recipient: str, raw: bytes) -> None:
            try:
                server.sendmail(sender, [recipient], raw)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                if 500 <= code < 600:
                    raise RefusedError(f"{code} {text.decode(errors='replace')}") from None
                raise
            except smtplib.SMTPResponseException as exc:
                if 500 <= exc.smtp_code < 600:
                    said = exc.smtp_error
                    words = said.decode(errors="replace") if isinstance(said, bytes) else said
                    raise RefusedError(f"{exc.smtp_code} {words}") from None
                raise

        try:
            yield send
        finally:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                server.close()


def smtp(url: str, context: ssl.SSLContext | None = None) -> Smtp:
    """Return the SMTP server of a URL: ``smtp://`` (STARTTLS) or ``smtps://``, user and password optional."""
    parts = urlsplit(url)
    if parts.scheme not in PORTS or not parts.hostname:
        raise BookletError(
            f"{ENV_SMTP} or --smtp: use smtp://user:password@host:587 (STARTTLS) or smtps://host:465, "
            f"not {parts.scheme or url.split(':', 1)[0]!r}"
        )
    try:
        port = parts.port or PORTS[parts.scheme]
    except ValueError:
        raise BookletError(f"{ENV_SMTP} or --smtp: the port is not a number") from None
    return Smtp(
        parts.scheme,
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        context,
    )


def choose(url: str | None, folder: Path) -> Transport:
    """Return the SMTP server of ``url``, or files in ``folder`` when there is none."""
    return smtp(url) if url else Folder(folder)
