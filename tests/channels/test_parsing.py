"""parse_message on odd input: it notes what was odd and never raises, except MalformedMessage
when nothing usable is in the bytes (K14: nothing that arrives is lost)."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tugi.channels.email.parsing import MalformedMessage, decode_words, html_to_text, parse_message

HEAD = b"From: Mari <mari@naidis.ee>\r\nTo: tugi@example.com\r\nSubject: x\r\nMessage-ID: <m1@naidis.ee>\r\n"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(b"", "empty message"), (b"  \r\n\r\n ", "empty message"), (b"\x00\x01\x02garbage", "no mail headers")],
)
def test_nothing_usable_raises_malformed_message_with_the_reason(raw, reason):
    with pytest.raises(MalformedMessage) as raised:
        parse_message(raw)
    assert reason in raised.value.reason


def test_a_string_instead_of_bytes_is_malformed():
    with pytest.raises(MalformedMessage):
        parse_message("From: a@b.ee\n\nhi")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_after_headers_never_raise(body):
    parsed = parse_message(HEAD + b"Content-Type: multipart/mixed; boundary=b\r\n\r\n" + body)
    assert parsed.message_id == "m1@naidis.ee"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_raise_anything_but_malformed_message(raw):
    with contextlib.suppress(MalformedMessage):
        parse_message(raw)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("=?QqBb_:;<>\"'@ ,\r\n\tõšž€") + ["utf-8", "koi8-r", "x-bogus"]), max_size=40))
def test_random_headers_never_raise(tokens):
    value = "".join(tokens)
    raw = f"From: {value}\r\nTo: {value}\r\nSubject: {value}\r\nDate: {value}\r\nReferences: {value}\r\n\r\nhi"
    parse_message(raw.encode("utf-8"))


def test_a_message_without_message_id_gets_a_stable_one_whatever_the_delivery_added():
    body = b"From: a@b.ee\r\nSubject: s\r\nDate: Mon, 3 Mar 2025 10:00:00 +0200\r\n\r\nhello\r\n"
    first = parse_message(b"Received: from mx1 by x; Mon, 3 Mar 2025 10:00:01 +0200\r\n" + body)
    second = parse_message(b"Received: from mx2 by y; Mon, 3 Mar 2025 10:00:09 +0200\r\nDelivered-To: t@x\r\n" + body)
    other = parse_message(body.replace(b"hello", b"hello!"))
    assert not first.has_message_id
    assert first.message_id == second.message_id != other.message_id
    assert first.message_id.endswith("@no-message-id.tugi.invalid")
    assert any("no Message-ID" in problem for problem in first.problems)


def test_message_ids_without_angle_brackets_are_read():
    parsed = parse_message(
        b"From: a@b.ee\nMessage-ID: abc@b.ee\nIn-Reply-To: x@y.ee (Jaan)\nReferences: <r1@y> r2@y\n\nx"
    )
    assert (parsed.message_id, parsed.in_reply_to) == ("abc@b.ee", "x@y.ee")
    assert parsed.references == ("r1@y",)


def test_encoded_words_q_and_b_across_charsets():
    problems: list[str] = []
    value = "=?utf-8?Q?=C3=95un?= =?ISO-8859-1?B?5A==?= ja =?windows-1257?Q?=F0?=!"
    assert decode_words(value, problems) == "Õunä ja š!"
    assert problems == []


def test_an_encoded_word_in_an_unknown_charset_is_read_and_noted():
    problems: list[str] = []
    assert decode_words("=?x-bogus?Q?T=C3=B5rge?=", problems) == "Tõrge"
    assert any("unknown charset" in problem for problem in problems)


def test_a_timezone_less_date_is_read_as_utc():
    parsed = parse_message(b"From: a@b.ee\nDate: 3 Mar 2025 10:00:00 -0000\n\nx")
    assert parsed.date.utcoffset().total_seconds() == 0


def test_an_unparsable_date_without_received_is_none_and_noted():
    parsed = parse_message(b"From: a@b.ee\nDate: eile hommikul\n\nx")
    assert parsed.date is None
    assert "unreadable Date" in parsed.problems


def test_a_text_part_marked_as_attachment_stays_an_attachment():
    raw = HEAD + (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=log.txt\r\n\r\nlog\r\n--b--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.text == "body"
    assert [a.filename for a in parsed.attachments] == ["log.txt"]


def test_an_attachment_name_with_a_path_is_cut_to_its_last_part():
    raw = HEAD + (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="..\\\\..\\\\windows/evil.exe"\r\n\r\nMZ\r\n--b--\r\n'
    )
    (attachment,) = parse_message(raw).attachments
    assert attachment.filename == "evil.exe"


def test_an_empty_plain_alternative_falls_back_to_the_html():
    raw = HEAD + (
        b"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n \r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Tere</p><p>abi</p>\r\n--b--\r\n"
    )
    parsed = parse_message(raw)
    assert (parsed.text, parsed.text_source) == ("Tere\n\nabi", "html")


def test_an_unclosed_multipart_is_read_and_noted():
    raw = HEAD + b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhalf"
    parsed = parse_message(raw)
    assert parsed.text == "half"
    assert any("not closed" in problem for problem in parsed.problems)


def test_html_rendering_keeps_paragraphs_breaks_lists_and_links():
    html = (
        "<h2>Viga</h2><p>Rida&nbsp;üks<br>rida kaks</p><ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>"
        '<p><a href="https://tugi.example.com/kb/1">juhend</a>, <a href="https://x.ee">https://x.ee</a>, '
        '<a href="mailto:tugi@example.com">tugi@example.com</a></p><pre>  kood\n    taane</pre>'
        "<table><tr><td>Nimi</td><td>Mari</td></tr><tr><td>Tel</td><td>5555</td></tr></table>"
    )
    assert html_to_text(html) == (
        "Viga\n\nRida üks\nrida kaks\n\n- a\n  - a1\n- b\n\n"
        "juhend (https://tugi.example.com/kb/1), https://x.ee, tugi@example.com\n\n"
        "  kood\n    taane\n\nNimi Mari\nTel 5555"
    )


def test_html_blockquotes_are_quoted_and_can_be_dropped():
    html = "<p>uus</p><blockquote type='cite'><p>vana</p><blockquote>vanem</blockquote></blockquote><p>lõpp</p>"
    assert html_to_text(html) == "uus\n\n> vana\n>\n> > vanem\n\nlõpp"
    assert html_to_text(html, drop_quotes=True) == "uus\n\nlõpp"
