"""Text a database cannot keep. PostgreSQL's text and jsonb refuse the NUL character, and no
database can store half of a UTF-16 surrogate pair (JSON's "\\ud800" decodes to one): input carrying
either is refused whole, with a sentence, before anything is written."""

from __future__ import annotations


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    if "\x00" in text:
        return "a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "half of a UTF-16 surrogate pair (\\ud800-\\udfff), which is no character"
    return None


def unstorable_in(value, path: str = "") -> tuple[str, str] | None:
    """The first text in a decoded JSON value that cannot be stored: (where, why), where being the
    path of keys and indexes ("" for the value itself); None when all can be. A stack, not recursion:
    as deep as the JSON parser allowed, without a RecursionError."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            why = unstorable(item)
            if why:
                return where, why
        elif isinstance(item, dict):
            for key, child in item.items():
                inner = f"{where}.{key}" if where else str(key)
                stack.append((key, where))
                stack.append((child, inner))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{index}" if where else str(index)) for index, child in enumerate(item))
    return None
