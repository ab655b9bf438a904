"""Reading real mail (K14): one RFC 5322 message in, one `ParsedMessage` out.

Real mail is broken in every way a program can break it, and nothing that arrives may be lost, so
`parse_message` never raises on odd input: what was odd but survived is written into `problems`,
and only input with nothing usable in it raises `MalformedMessage`, whose reason the intake keeps
with the quarantined message. The standard library's `email` package (policy.default) reads the
structure; headers and text are decoded here, because the package gives up on exactly the cases
real mail has (raw 8-bit headers, wrong or missing charsets, unknown charset names).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import errors as email_errors
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from quopri import decodestring as quopri_decode

import nh3

# What the email package (and the codecs under it) raise on input it cannot read. Kept explicit
# rather than a bare Exception so that a programming error in this module still surfaces.
_READ_ERRORS = (
    ValueError,  # includes UnicodeError, HeaderParseError, binascii.Error
    LookupError,  # unknown charsets; IndexError in the header parser
    TypeError,
    AttributeError,
    AssertionError,
    email_errors.MessageError,
)

MAX_NESTING = 20


class MalformedMessage(ValueError):
    """Nothing usable could be read; `reason` says why, for the quarantine."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Address:
    name: str
    address: str  # lower-cased; "" when no address could be read

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    content: bytes = field(repr=False)
    is_inline: bool = False  # shown inside the body (an image referenced by cid:, or disposition inline)
    content_id: str | None = None  # without angle brackets


@dataclass(frozen=True)
class DeliveryReport:
    """One recipient block of a delivery status notification (RFC 3464)."""

    final_recipient: str
    action: str  # failed / delayed / delivered / relayed / expanded, lower-cased
    status: str  # e.g. 5.1.1
    original_recipient: str = ""
    diagnostic_code: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without angle brackets; synthesised (see has_message_id) when missing
    has_message_id: bool
    in_reply_to: str | None
    references: tuple[str, ...]  # oldest first, as in the header
    subject: str
    sender: Address  # the From header
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None  # aware; from Date, else from the newest Received header
    text: str  # the best text: text/plain when present, else a rendering of the HTML
    text_source: str  # "plain", "html" or "none"
    html: str | None  # sanitised with nh3
    attachments: tuple[Attachment, ...]
    forwarded: tuple[ParsedMessage, ...]  # message/rfc822 parts, also kept as attachments
    content_type: str  # of the whole message, e.g. multipart/report
    report_type: str | None  # the report-type parameter of multipart/report
    delivery_reports: tuple[DeliveryReport, ...]
    auto_submitted: str | None
    precedence: str | None
    list_id: str | None
    list_unsubscribe: str | None
    return_path: str | None  # "" for the null sender <> of bounces
    headers: tuple[tuple[str, str], ...]  # every header, decoded, in order
    problems: tuple[str, ...]

    def header(self, name: str) -> str | None:
        """The first header of that name, decoded; None when absent."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def header_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


# -- bytes and charsets ---------------------------------------------------------------------

_SNIFF_CANDIDATES = ("cp1252", "cp1257", "koi8_r")
_COMMON_NON_ASCII = set("äöüõšžÄÖÜÕŠŽéèêàáâíóôúûñçßåøæÅØÆÉÈÀÁÍÓÚÑÇąčęėįųūĄČĘĖĮŲŪ–—„“”‘’«»…€°§©®·½")


def _is_single_byte(codec: str) -> bool:
    return codec == "ascii" or codec.startswith(("cp12", "iso8859", "koi8", "latin", "mac", "cp4", "cp8"))


def _plausibility(text: str) -> int:
    """Higher for text that reads as a human language: common accented letters, Cyrillic words
    that start with (at most) a capital, no replacement characters or C1 controls."""
    score = 0
    for word in re.findall(r"\w+|[^\w\s]", text):
        for index, char in enumerate(word):
            if char.isascii():
                continue
            is_cyrillic_lower = "\u0430" <= char <= "\u044f" or char == "\u0451"
            is_cyrillic_capital = ("\u0410" <= char <= "\u042f" or char == "\u0401") and (index == 0 or word.isupper())
            if char in _COMMON_NON_ASCII or is_cyrillic_lower or is_cyrillic_capital:
                score += 1
            else:
                score -= 3 if char == "\ufffd" or "\x80" <= char <= "\x9f" else 1
        if re.search(r"[a-zA-Z]", word) and re.search(r"[\u0400-\u04ff]", word):
            score -= 3  # a Latin word with Cyrillic letters in it: the wrong code page
    return score


def _sniff(data: bytes) -> str:
    candidates = [(data.decode(codec, errors="replace"), codec) for codec in _SNIFF_CANDIDATES]
    best = max(candidates, key=lambda pair: (_plausibility(pair[0]), -_SNIFF_CANDIDATES.index(pair[1])))
    return best[1]


def decode_bytes(data: bytes, declared: str | None, what: str, problems: list[str]) -> str:
    """Text from bytes in whatever charset they really are. The declared charset wins when the
    bytes are valid in it, except that valid UTF-8 declared as a single-byte charset is UTF-8 (a
    mail program that lies says latin-1; random latin-1 text is practically never valid UTF-8)."""
    name = (declared or "").strip().strip("\"'").lower()
    codec = None
    if name and name not in ("unknown-8bit", "x-unknown", "unknown"):
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            problems.append(f"{what}: unknown charset {declared!r}")
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            problems.append(f"{what}: not valid {declared}")
        else:
            if codec != "utf-8" and _is_single_byte(codec) and not data.isascii():
                try:
                    utf8 = data.decode("utf-8")
                except UnicodeDecodeError:
                    return text
                problems.append(f"{what}: declared {declared} but is UTF-8")
                return utf8
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _sniff(data)
    if not name or codec:
        problems.append(f"{what}: charset {'missing' if not name else 'wrong'}, read as {guess}")
    return data.decode(guess, errors="replace")


# -- headers ----------------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")


def _decode_encoded_word(charset: str, encoding: str, payload: str, problems: list[str]) -> str:
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix: =?utf-8*et?Q?...?=
    try:
        if encoding in "Bb":
            compact = re.sub(r"\s+", "", payload)
            data = base64.b64decode(compact + "=" * (-len(compact) % 4))
        else:
            data = quopri_decode(payload.replace("_", " ").encode("ascii", "surrogateescape"), header=False)
    except (binascii.Error, ValueError):
        problems.append(f"undecodable encoded word =?{charset}?{encoding}?…?=")
        return payload
    return decode_bytes(data, charset, "encoded word", problems)


def decode_words(value: str, problems: list[str]) -> str:
    """RFC 2047 encoded words (Q and B, mixed with plain text, split across charsets); the
    whitespace between two adjacent encoded words is not part of the text."""
    out: list[str] = []
    position = 0
    previous_was_word = False
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if not (previous_was_word and between.strip() == ""):
            out.append(between)
        out.append(_decode_encoded_word(*match.groups(), problems))
        position = match.end()
        previous_was_word = True
    out.append(value[position:])
    return "".join(out)


def _unfold(raw: str) -> str:
    return re.sub(r"\r?\n[ \t]*", " ", raw).strip()


def _raw_header_text(name: str, raw: str, problems: list[str]) -> str:
    """The header as text before encoded words are decoded: unfolded, raw 8-bit bytes (which the
    parser keeps as surrogates) read as UTF-8 (RFC 6532) or the most plausible code page."""
    text = _unfold(raw)
    if any("\udc80" <= char <= "\udcff" for char in text):
        data = text.encode("ascii", "surrogateescape")
        text = decode_bytes(data, None, f"{name} header (raw 8-bit)", problems)
    return text


def _clean_text(value: str) -> str:
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value)
    return re.sub(r"\s+", " ", value).strip()


_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def _addresses(name: str, raw: str | None, problems: list[str]) -> tuple[Address, ...]:
    if raw is None:
        return ()
    text = _raw_header_text(name, raw, problems)
    result: list[Address] = []
    try:
        pairs = getaddresses([text])
    except _READ_ERRORS:
        pairs = []
    for display, address in pairs:
        if not address and not display:
            continue
        if _ADDRESS.fullmatch(address) and address.lower() in text.lower():
            result.append(Address(_clean_text(decode_words(display, problems)).strip("\"' "), address.lower()))
    if result or not text.strip() or text.strip() == "<>":
        return tuple(result)
    # The parser could not make sense of it: take any addresses written in it, and the rest as name.
    found = _ADDRESS.findall(text)
    if not found:
        problems.append(f"{name}: no address could be read from {text!r}")
        return (Address(_clean_text(decode_words(text, problems)), ""),)
    problems.append(f"{name}: unparsable, read the address(es) out of {text!r}")
    rest = _ADDRESS.sub("", text)
    rest = _clean_text(decode_words(re.sub(r"[<>\"(),;]", " ", rest), problems))
    return tuple(Address(rest if index == 0 else "", address.lower()) for index, address in enumerate(found))


_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


def message_ids_in(raw: str | None) -> list[str]:
    if not raw:
        return []
    found = _MESSAGE_ID.findall(raw)
    if not found:  # written without angle brackets, as some programs do
        found = [token.strip("<>,;") for token in raw.split() if "@" in token]
    seen: list[str] = []
    for message_id in found:
        if message_id not in seen:
            seen.append(message_id)
    return seen


def _parse_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(_unfold(raw))
    except _READ_ERRORS:
        return None
    if parsed is None or not 1980 <= parsed.year <= 2200:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_DEFECT_NOTES = {
    "MissingHeaderBodySeparatorDefect": "no blank line between the headers and the body",
    "StartBoundaryNotFoundDefect": "a multipart boundary never starts",
    "CloseBoundaryNotFoundDefect": "a multipart is not closed (truncated message?)",
    "NoBoundaryInMultipartDefect": "a multipart without a boundary",
    "MultipartInvariantViolationDefect": "a multipart that is not one",
    "InvalidBase64PaddingDefect": "base64 with wrong padding",
    "InvalidBase64CharactersDefect": "base64 with invalid characters",
    "InvalidBase64LengthDefect": "base64 of impossible length",
    "FirstHeaderLineIsContinuationDefect": "the first header line is a continuation",
    "MisplacedEnvelopeHeaderDefect": "a 'From ' envelope line among the headers",
    "InvalidMultipartContentTransferEncodingDefect": "a multipart with a transfer encoding",
}


def _defect_notes(part: Message, where: str) -> list[str]:
    notes = []
    for defect in getattr(part, "defects", []):
        kind = type(defect).__name__
        if kind in _DEFECT_NOTES:
            notes.append(f"{where}: {_DEFECT_NOTES[kind]}")
    return notes


# -- HTML ---------------------------------------------------------------------------------------

_QUOTE_CLASSES = {"gmail_quote", "gmail_quote_container", "gmail_attr", "moz-cite-prefix", "yahoo_quoted"}
_SANITISER = {
    "tags": set(nh3.ALLOWED_TAGS) | {"font"},
    "clean_content_tags": {"script", "style", "title", "head", "template", "noscript"},
    "attributes": {
        **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
        "a": {"href", "hreflang", "title"},
        "img": {"src", "alt", "width", "height", "title"},
        "*": {"dir", "lang"},
    },
    "tag_attribute_values": {"blockquote": {"type": {"cite"}}},
    "allowed_classes": {"div": _QUOTE_CLASSES, "blockquote": _QUOTE_CLASSES, "span": _QUOTE_CLASSES},
    "url_schemes": {"http", "https", "mailto", "tel", "cid"},
}


def _only_embedded_images(element: str, attribute: str, value: str) -> str | None:
    # Remote images are trackers as often as pictures; the desk shows only what the mail carries.
    if element == "img" and attribute == "src" and not value.lower().startswith("cid:"):
        return None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(html, attribute_filter=_only_embedded_images, **_SANITISER)


class _TextRenderer(HTMLParser):
    """HTML as readable text: paragraphs, line breaks, lists, links as "text (url)", quotes
    prefixed with "> " (or left out with drop_quotes)."""

    PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote", "dl", "figure"}
    BLOCK = PARAGRAPH | {"div", "tr", "li", "dt", "dd", "article", "section", "header", "footer", "center", "hr"}
    SKIP = {"script", "style", "head", "title", "template", "noscript"}

    def __init__(self, drop_quotes: bool):
        super().__init__(convert_charrefs=True)
        self.drop_quotes = drop_quotes
        self.lines: list[tuple[int, str]] = []
        self.current = ""
        self.current_depth = 0
        self.quote_depth = 0
        self.pre = 0
        self.skip: list[str] = []  # the tag being skipped, once per level of its nesting
        self.lists: list[list] = []  # [kind, counter]
        self.links: list[tuple[str, list[str]]] = []

    def _break(self) -> None:
        self.lines.append((self.current_depth, self.current.rstrip()))
        self.current = ""

    def _block(self, paragraph: bool) -> None:
        if self.current.strip():
            self._break()
        else:
            self.current = ""
        if paragraph and self.lines and self.lines[-1][1] != "":
            self.lines.append((self.quote_depth, ""))

    def _emit(self, text: str) -> None:
        if not self.current:
            self.current_depth = self.quote_depth
        self.current += text
        for _href, collected in self.links:
            collected.append(text)

    def _is_quote(self, tag: str, attrs: dict) -> bool:
        classes = set((attrs.get("class") or "").split())
        return (tag == "blockquote") or (tag == "div" and bool(classes & _QUOTE_CLASSES))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip:
            if tag == self.skip[0]:
                self.skip.append(tag)
            return
        if tag in self.SKIP or (self.drop_quotes and self._is_quote(tag, attrs)):
            self.skip.append(tag)
            return
        if tag in self.BLOCK:
            self._block(tag in self.PARAGRAPH and not (tag in ("ul", "ol") and self.lists))
        if tag == "br":
            self._break()
        elif tag == "hr":
            self._emit("----")
            self._break()
        elif tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self._emit(f"{indent}{self.lists[-1][1]}. ")
            else:
                self._emit(f"{indent}- ")
        elif tag in ("td", "th"):
            if self.current.strip():
                self._emit(" ")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", []))
        elif tag == "img" and attrs.get("alt"):
            self._emit(f"[{attrs['alt'].strip()}]")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "a" and self.links:
            href, collected = self.links.pop()
            label = " ".join("".join(collected).split())
            target = href[7:] if href.lower().startswith("mailto:") else href
            if href and not href.startswith(("#", "javascript:", "cid:")) and target.rstrip("/") != label.rstrip("/"):
                self._emit(f" ({target})" if label else target)
        elif tag == "blockquote":
            if self.current.strip():
                self._break()
            while self.lines and self.lines[-1][1] == "":
                self.lines.pop()
            self.quote_depth = max(self.quote_depth - 1, 0)
            self.lines.append((self.quote_depth, ""))
            return
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCK:
            self._block(tag in self.PARAGRAPH and not (tag in ("ul", "ol") and self.lists))

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self._emit(first)
            for line in rest:
                self._break()
                self._emit(line)
            return
        text = re.sub(r"\s+", " ", data)
        if not self.current.strip() or self.current.endswith(" "):
            text = text.lstrip()
        if text:
            self._emit(text)

    def text(self) -> str:
        if self.current.strip():
            self._break()
        out: list[str] = []
        for depth, line in self.lines:
            rendered = (("> " * depth) + line).rstrip() if depth else line
            if rendered == "" and out and out[-1] == "":
                continue
            out.append(rendered)
        return "\n".join(out).strip("\n")


def html_to_text(html: str, *, drop_quotes: bool = False) -> str:
    renderer = _TextRenderer(drop_quotes=drop_quotes)
    renderer.feed(html)
    renderer.close()
    return renderer.text()


# -- the body -----------------------------------------------------------------------------------


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ParsedMessage] = field(default_factory=list)
    reports: list[DeliveryReport] = field(default_factory=list)

    def take_parts_of(self, other: _Body) -> None:
        self.attachments += other.attachments
        self.forwarded += other.forwarded
        self.reports += other.reports


def _safe_filename(name: str | None, content_type: str, number: int, problems: list[str]) -> str:
    if name:
        cleaned = _clean_text(decode_words(name, problems) if "=?" in name else name)
        cleaned = re.split(r"[\\/]", cleaned)[-1].strip(". ")
        if cleaned != name:
            problems.append(f"attachment name {name!r} cleaned to {cleaned!r}")
        if cleaned:
            return cleaned[:200]
    extension = mimetypes.guess_extension(content_type) or (
        ".eml" if content_type.startswith("message/") else ".txt" if content_type.startswith("text/") else ".bin"
    )
    return f"attachment-{number}{extension}"


def _payload_bytes(part: Message, problems: list[str]) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except _READ_ERRORS as error:
        problems.append(f"{part.get_content_type()} part could not be decoded ({error})")
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return payload


def _part_text(part: Message, problems: list[str]) -> str:
    data = _payload_bytes(part, problems)
    try:
        declared = part.get_content_charset()
    except _READ_ERRORS:
        declared = None
    if declared is None and part.get_content_type() == "text/html":
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
        declared = meta.group(1).decode("ascii") if meta else None
    return decode_bytes(data, declared, f"{part.get_content_type()} body", problems).replace("\r\n", "\n")


def _report_blocks(part: Message, problems: list[str]) -> list[DeliveryReport]:
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [{key.lower(): _unfold(str(value)) for key, value in block.raw_items()} for block in payload]
    else:
        text = payload if isinstance(payload, str) else ""
        blocks = []
        for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
            fields = dict(re.findall(r"^([\w-]+):\s*(.*(?:\n[ \t].*)*)", chunk, re.MULTILINE))
            blocks.append({key.lower(): _unfold(value) for key, value in fields.items()})
    reports = []
    for block in blocks:
        recipient = block.get("final-recipient")
        if not recipient:
            continue
        reports.append(
            DeliveryReport(
                final_recipient=recipient.split(";", 1)[-1].strip().strip("<>").lower(),
                action=block.get("action", "").strip().lower(),
                status=block.get("status", "").strip().split(" ")[0],
                original_recipient=block.get("original-recipient", "").split(";", 1)[-1].strip().strip("<>").lower(),
                diagnostic_code=block.get("diagnostic-code", ""),
            )
        )
    if not reports:
        problems.append("a delivery-status part without recipients")
    return reports


def _attachment(part: Message, body: _Body, problems: list[str], number: int, data: bytes | None = None) -> None:
    content_type = part.get_content_type()
    try:
        name = part.get_filename() or part.get_param("name")
    except _READ_ERRORS:
        name = None
        problems.append("an attachment name could not be read")
    if isinstance(name, tuple):  # an RFC 2231 value the package left undecoded
        name = name[2]
    content = data if data is not None else _payload_bytes(part, problems)
    content_id = message_ids_in(part.get("Content-ID", None) and str(part.get("Content-ID")))
    disposition = part.get_content_disposition()
    body.attachments.append(
        Attachment(
            filename=_safe_filename(name, content_type, number, problems),
            content_type=content_type,
            size=len(content),
            content=content,
            is_inline=disposition == "inline" and part.get_content_maintype() == "image",
            content_id=content_id[0] if content_id else None,
        )
    )


def _walk(part: Message, body: _Body, problems: list[str], depth: int) -> None:
    problems += _defect_notes(part, part.get_content_type())
    if depth > MAX_NESTING:
        problems.append(f"parts nested deeper than {MAX_NESTING} were kept as attachments")
        _attachment(part, body, problems, len(body.attachments) + 1, data=_part_as_bytes(part))
        return
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        _forwarded(part, body, problems, depth)
        return
    if content_type == "message/delivery-status":
        body.reports += _report_blocks(part, problems)
        return
    if part.is_multipart():
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if content_type == "multipart/alternative":
            _alternative(children, body, problems, depth)
        elif content_type == "multipart/related" and children:
            start = message_ids_in(part.get_param("start") or "")
            root = next((c for c in children if start and message_ids_in(c.get("Content-ID", "")) == start),
                        children[0])
            for child in children:
                if child is root:
                    _walk(child, body, problems, depth + 1)
                else:
                    _resource(child, body, problems, depth)
        else:
            if content_type == "multipart/encrypted":
                problems.append("an encrypted message: its parts are kept as attachments")
            for child in children:
                _walk(child, body, problems, depth + 1)
        return
    disposition = part.get_content_disposition()
    try:
        has_name = bool(part.get_filename())
    except _READ_ERRORS:
        has_name = True
    if content_type in ("text/plain", "text/html") and disposition != "attachment" and not has_name:
        (body.plain if content_type == "text/plain" else body.html).append(_part_text(part, problems))
        return
    _attachment(part, body, problems, len(body.attachments) + 1)


def _resource(part: Message, body: _Body, problems: list[str], depth: int) -> None:
    """A part of multipart/related other than its root: an image or style the root refers to."""
    if part.is_multipart() or part.get_content_type().startswith("message/"):
        _walk(part, body, problems, depth + 1)
    else:
        _attachment(part, body, problems, len(body.attachments) + 1)


def _alternative(children: list[Message], body: _Body, problems: list[str], depth: int) -> None:
    plain: list[str] = []
    html: list[str] = []
    for child in children:
        alternative = _Body()
        _walk(child, alternative, problems, depth + 1)
        body.take_parts_of(alternative)
        if "".join(alternative.plain).strip():
            plain = alternative.plain
        if "".join(alternative.html).strip():
            html = alternative.html
    body.plain += plain
    body.html += html


def _part_as_bytes(part: Message) -> bytes:
    try:
        return part.as_bytes()
    except _READ_ERRORS:
        return part.as_string().encode("utf-8", "surrogateescape")


def _forwarded(part: Message, body: _Body, problems: list[str], depth: int) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    data = _part_as_bytes(inner) if isinstance(inner, Message) else _payload_bytes(part, problems)
    try:
        parsed = _parse(data, depth + 1)
    except MalformedMessage as error:
        problems.append(f"an attached message could not be read: {error.reason}")
        parsed = None
    if parsed is not None:
        body.forwarded.append(parsed)
    subject = parsed.subject if parsed and parsed.subject else "forwarded message"
    filename = part.get_filename() or f"{subject}.eml"
    body.attachments.append(
        Attachment(
            filename=_safe_filename(filename, "message/rfc822", len(body.attachments) + 1, problems),
            content_type="message/rfc822",
            size=len(data),
            content=data,
        )
    )


def forwarded_block(message: ParsedMessage) -> str:
    """How an attached message is mentioned in the text, so the agent reads it with the rest."""
    lines = ["---------- Forwarded message ----------", f"From: {message.sender}"]
    if message.date:
        lines.append(f"Date: {message.date.isoformat()}")
    lines.append(f"Subject: {message.subject}")
    if message.to:
        lines.append("To: " + ", ".join(str(address) for address in message.to))
    return "\n".join(lines) + "\n\n" + message.text


# -- the message ----------------------------------------------------------------------------------

_SINGLE_HEADERS = ("from", "subject", "date", "message-id", "in-reply-to", "to", "cc", "reply-to")
_TRACE_HEADERS = {"received", "delivered-to", "return-path", "x-original-to", "envelope-to", "x-spam-status"}


def _synthetic_message_id(headers: list[tuple[str, str]], raw: bytes) -> str:
    """A Message-ID for mail without one, the same however often and by whichever way the same
    message arrives: trace headers the delivery adds are left out."""
    digest = hashlib.sha256()
    for name, value in headers:
        if name.lower() not in _TRACE_HEADERS:
            digest.update(f"{name.lower()}:{value}\n".encode("utf-8", "surrogateescape"))
    separator = re.search(rb"\r?\n\r?\n", raw)
    digest.update(raw[separator.end() :] if separator else b"")
    return f"{digest.hexdigest()[:40]}@no-message-id.tugi.invalid"


class _ReadingPolicy(policy.EmailPolicy):
    """``policy.default`` that reads a header's structure once: the package parses a header anew on
    every access, and reading one part asks for its Content-Type about ten times (type, charset,
    file name, ...), which was half the time spent on a message. Header objects do not change, so
    equal headers share one."""

    def header_fetch_parse(self, name, value):
        return _parsed_header(self, name, value)


@functools.lru_cache(maxsize=2048)
def _parsed_header(reading: policy.EmailPolicy, name: str, value: str):
    return policy.EmailPolicy.header_fetch_parse(reading, name, value)


_READING = _ReadingPolicy()


def parse_message(raw: bytes) -> ParsedMessage:
    """Read one RFC 5322 message. Raises only MalformedMessage, when nothing usable is in it."""
    return _parse(raw, 0)


def _parse(raw: bytes, depth: int) -> ParsedMessage:
    if not isinstance(raw, bytes | bytearray):
        raise MalformedMessage(f"expected bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise MalformedMessage("empty message")
    # A UTF-8 byte order mark before the first header makes the parser see no headers at all.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        message = BytesParser(policy=_READING).parsebytes(raw)
    except _READ_ERRORS as error:
        raise MalformedMessage(f"not an RFC 5322 message: {error}") from error
    problems: list[str] = _defect_notes(message, "message")
    raw_headers = [(str(name), str(value)) for name, value in message.raw_items()]
    if not any(name.lower() in _SINGLE_HEADERS for name, _ in raw_headers):
        raise MalformedMessage("no mail headers (From, To, Subject, Date, Message-ID) found")

    headers: list[tuple[str, str]] = []
    for name, value in raw_headers:
        text = _raw_header_text(name, value, problems)
        headers.append((name, _clean_text(decode_words(text, problems))))
    first_raw: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name, value in raw_headers:
        key = name.lower()
        first_raw.setdefault(key, value)
        counts[key] = counts.get(key, 0) + 1
    for key in _SINGLE_HEADERS:
        if counts.get(key, 0) > 1:
            problems.append(f"{key} header appears {counts[key]} times; the first is used")

    def decoded(name: str) -> str | None:
        return next((value for key, value in headers if key.lower() == name), None)

    message_ids = message_ids_in(first_raw.get("message-id"))
    has_message_id = bool(message_ids)
    if not has_message_id:
        problems.append("no Message-ID; a stable one was made from the content")
    in_reply_to = message_ids_in(first_raw.get("in-reply-to"))
    references = message_ids_in(" ".join(value for key, value in raw_headers if key.lower() == "references"))

    senders = _addresses("From", first_raw.get("from"), problems)
    if not senders:
        problems.append("no From")
    sender = senders[0] if senders else Address("", "")

    date = _parse_date(first_raw.get("date"))
    if date is None:
        received = [value for key, value in raw_headers if key.lower() == "received"]
        date = _parse_date(received[0].rsplit(";", 1)[-1]) if received and ";" in received[0] else None
        problems.append(
            ("unreadable Date" if "date" in first_raw else "no Date")
            + ("; the time it was received is used" if date else "")
        )

    body = _Body()
    try:
        _walk(message, body, problems, depth)
    except RecursionError as error:
        problems.append("the parts are nested too deep to read")
        raise MalformedMessage("parts nested too deep") from error

    html = sanitise_html("\n".join(body.html)) if body.html else None
    plain = "\n\n".join(text.strip("\n") for text in body.plain if text.strip())
    if plain:
        text, source = plain, "plain"
    elif html:
        text, source = html_to_text(html), "html"
    else:
        text, source = "", "none"
        if not body.attachments:
            problems.append("no body")
    if html:
        referenced = {cid.lower() for cid in re.findall(r"cid:([^\"'\s>)]+)", html, re.IGNORECASE)}
        body.attachments = [_with_inline(attachment, referenced) for attachment in body.attachments]
    if body.forwarded:
        blocks = "\n\n".join(forwarded_block(forwarded) for forwarded in body.forwarded)
        text = f"{text}\n\n{blocks}" if text else blocks

    try:
        content_type = message.get_content_type()
        report_type = message.get_param("report-type") if content_type == "multipart/report" else None
    except _READ_ERRORS:
        content_type, report_type = "text/plain", None
    return_path = first_raw.get("return-path")

    return ParsedMessage(
        message_id=message_ids[0] if has_message_id else _synthetic_message_id(raw_headers, raw),
        has_message_id=has_message_id,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=tuple(references),
        subject=decoded("subject") or "",
        sender=sender,
        reply_to=_addresses("Reply-To", first_raw.get("reply-to"), problems),
        to=_addresses("To", first_raw.get("to"), problems),
        cc=_addresses("Cc", first_raw.get("cc"), problems),
        date=date,
        text=text,
        text_source=source,
        html=html,
        attachments=tuple(body.attachments),
        forwarded=tuple(body.forwarded),
        content_type=content_type,
        report_type=str(report_type).lower() if report_type else None,
        delivery_reports=tuple(body.reports),
        auto_submitted=decoded("auto-submitted"),
        precedence=decoded("precedence"),
        list_id=decoded("list-id"),
        list_unsubscribe=decoded("list-unsubscribe"),
        return_path=(message_ids_in(return_path) or [""])[0] if return_path is not None else None,
        headers=tuple(headers),
        problems=tuple(dict.fromkeys(problems)),
    )


def _with_inline(attachment: Attachment, referenced: set[str]) -> Attachment:
    if attachment.content_id and attachment.content_id.lower() in referenced and not attachment.is_inline:
        return Attachment(
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            content=attachment.content,
            is_inline=True,
            content_id=attachment.content_id,
        )
    return attachment
