"""K20: the desk never quotes prices or magnitudes. ``mentions_price`` finds what in a reply reads as a
price, a cost or an approximate amount, so the console can warn the agent before the reply is sent.
Pure (no database). It errs towards warning, but ticket references, dates, times, versions,
phone numbers and time estimates are not amounts and do not trigger it."""

from __future__ import annotations

import re

from tugi.core.errors import DomainError

_NUMBER = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY = (
    r"€|\$|£|"
    r"\b(?:eur|usd|gbp|"
    r"euro|eurot|euros|eurod|eurost|eurole|euroga|euroni|eurodes|eurodega|eurone|euri|"
    r"dollar|dollars|dollarit|dollari|dollarid|"
    r"cent|cents|senti)\b"
)
# Words that speak of a price or a cost, in English and Estonian. "hinnang" (an assessment) and
# "hinnata" (to assess) are not prices; "kallis" is also "dear", so it is left out.
_PRICE_WORDS = (
    r"\b(?:price|prices|priced|pricing|pricelist|cost|costs|costing|costly|cheap|cheaper|cheapest|expensive|"
    r"\w*hind|\w*hinna|hinnas|hinnast|hinnale|hinnaga|hinnad|hindu|hindade|hinnaks|hinda|"
    r"hinnakiri\w*|hinnapakkumi\w*|maksumus\w*|"
    r"maksab|maksavad|maksaks|maksaksid|maksis|maksid|maksma|maksta|odav\w*)\b"
)
# What follows a number when it counts something other than money: a time estimate is no price.
_UNITS = (
    r"(?:h|min|mins|minute|minutes|hour|hours|day|days|week|weeks|month|months|year|years|sec|seconds|"
    r"tund|tundi|tunni|tunniga|minut|minutit|minuti|päev|päeva|päevaga|nädal|nädalat|nädala|kuu|kuud|"
    r"aasta|aastat|sekund|sekundit|%|gb|mb|tb|kb)(?!\w)"
)
_APPROXIMATE = (
    rf"(?:\b(?:about|around|approximately|approx\.?|roughly|circa|ca\.|umbes|ligikaudu|u\.)|~|≈)\s*"
    rf"(?:{_NUMBER})(?![\w,:/-]|\.\w)(?!\s*{_UNITS})"
)
_RANGE = re.compile(
    rf"(?<![\w.,:/+-])(?P<low>\d+(?:[.,]\d{{1,2}})?)(?P<gap>\s*[–—]\s*|\s+-\s+|-)(?P<high>\d+(?:[.,]\d{{1,2}})?)"
    rf"(?![\w,:/-]|\.\w)(?!\s*{_UNITS})",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    rf"(?:(?:{_CURRENCY})\s?(?:{_NUMBER})|(?:{_NUMBER})\s?(?:{_CURRENCY})|{_CURRENCY})", re.IGNORECASE
)
_WORDS = re.compile(_PRICE_WORDS, re.IGNORECASE)
_APPROX = re.compile(_APPROXIMATE, re.IGNORECASE)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _is_price_range(match: re.Match) -> bool:
    low, high = match["low"], match["high"]
    low_value, high_value = _number(low), _number(high)
    if high_value <= low_value or high_value < 25:
        return False  # 9–17 (working hours), 1–3 (days), 2024–2023 (nothing) are not prices
    if 1900 <= low_value <= 2100 and 1900 <= high_value <= 2100:
        return False  # a span of years
    if match["gap"] == "-":
        # A bare hyphen joins phone numbers (501-6105) too; a range's ends have as many digits.
        return len(low.split(",")[0].split(".")[0]) == len(high.split(",")[0].split(".")[0])
    return True


def mentions_price(text: str) -> list[str]:
    """The passages of ``text`` that mention a price, a cost or an approximate amount, in the order
    they appear, each once (overlapping finds merged): [] when the text is clean."""
    text = text or ""
    spans = [m.span() for pattern in (_AMOUNT, _WORDS, _APPROX) for m in pattern.finditer(text)]
    spans += [m.span() for m in _RANGE.finditer(text) if _is_price_range(m)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[str] = []
    for start, end in merged:
        snippet = text[start:end].strip()
        if snippet and snippet not in found:
            found.append(snippet)
    return found


class PriceMentioned(DomainError):
    """Raised by the services when the desk's public text names a price or a magnitude and the
    sender has not confirmed it (K20). ``found`` lists the passages, for the warning."""

    status = 409

    def __init__(self, found: list[str]):
        from django.utils.translation import gettext

        super().__init__(
            gettext("The reply seems to name a price or a magnitude (%(found)s). The desk does not quote prices: "
                    "quotes come from the service manager. Remove it, or send it again confirmed.")
            % {"found": ", ".join(found)},
            code="price_mentioned", field="body",
        )
        self.found = found
