"""Every message of the corpus (tests/channels/corpus/*.eml, written the way the named mail
program writes it) read, threaded and judged as the intake will (K14, K2, S2)."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tugi.channels.email.loops import bounced_address, is_automatic
from tugi.channels.email.parsing import parse_message
from tugi.channels.email.threading import find_ticket_reference, new_text_of

CORPUS = Path(__file__).parent / "corpus"

# What the desk has sent or stored: Message-ID -> the ticket it belongs to.
KNOWN = {
    "ticket-INC-000123-1@tugi.example.com": "INC-000123",
    "reply-77@tugi.example.com": "INC-000123",
    "reply-101@tugi.example.com": "INC-000045",
    "ticket-REQ-000007-1@tugi.example.com": "REQ-000007",
}


def known_message_ids(message_ids: list[str]) -> str | None:
    return next((KNOWN[message_id] for message_id in message_ids if message_id in KNOWN), None)


def parsed_corpus(name: str):
    """The corpus file `name` read as the intake reads it."""
    return parse_message((CORPUS / name).read_bytes())


@dataclass
class Expected:
    subject: str
    sender: str  # the address; "" when none could be read
    snippet: str  # must be in the text
    new_text: str | None = None  # the whole new text, when it is worth pinning
    not_in_new_text: str | None = None  # quoted history that must have been folded away
    attachments: list[tuple[str, str, bool]] = field(default_factory=list)  # name, type, inline
    automatic: str | None = None  # a part of the reason; None: may be answered
    bounced: str | None = None
    reference: tuple[str | None, str] = (None, "none")
    problem: str | None = None  # a part of one of the problems noted
    sender_name: str | None = None


CASES = {
    "01_outlook_new_incident.eml": Expected(
        subject="Printer ei prindi",
        sender="mari.maasikas@naidis.ee",
        sender_name="Mari Maasikas",
        snippet="Ekraanil on viga \u201eE-202\u201c.",
        new_text=(
            "Tere,\n\nPrinter teisel korrusel ei prindi alates hommikust. Ekraanil on viga \u201eE-202\u201c.\n\n"
            "Lugupidamisega\nMari Maasikas\nOÜ Näidisfirma\nTel +372 5555 1234"
        ),
    ),
    "02_gmail_reply_in_reply_to.eml": Expected(
        subject="Re: printer",
        sender="mari.maasikas@gmail.com",
        snippet="nüüd prindib jälle",
        new_text="Tere,\n\nnüüd prindib jälle, aitäh!\n\nMari",
        reference=("INC-000123", "in-reply-to"),
    ),
    "03_thunderbird_references_only.eml": Expected(
        subject="Re: VPN ühendus katkeb",
        sender="jaan@tamm.ee",
        snippet="09:22:03 tunnel down",
        not_in_new_text="Kas probleem kordub",
        reference=("INC-000045", "references"),
    ),
    "04_outlook_vs_re_subject.eml": Expected(
        subject="VS: RE: [INC-000123] Server ei vasta",
        sender="peeter.kask@kask.ee",
        snippet="Saadetud: teisipäev, 4. märts 2025",
        new_text="Palun vaadake ka seda, meil on sama probleem.\n\nPeeter",
        reference=("INC-000123", "subject"),
    ),
    "05_apple_mail_inline_image.eml": Expected(
        subject="Veateade ekraanil",
        sender="kadri@kuusk.ee",
        snippet="kui avan raamatupidamise programmi",
        attachments=[("Screenshot.png", "image/png", True)],
    ),
    "06_estonian_windows_1257.eml": Expected(
        subject="Šveitsi kontori arvuti žurnaal",
        sender="ylle.oun@naidis.ee",
        sender_name="Ülle Õun",
        snippet="Šveitsi kontori arvutis ei tööta žurnaal ega õigused.",
    ),
    "07_koi8_r.eml": Expected(
        subject="Не работает принтер",
        sender="ivan@petrov.ee",
        sender_name="Иван Петров",
        snippet="Не работает принтер в бухгалтерии.",
    ),
    "08_newsletter_html_only.eml": Expected(
        subject="Märtsi uudised",
        sender="uudised@news.naidis.ee",
        snippet="Sel kuul:\n\n- uus hinnakiri (https://naidis.ee/hinnakiri)\n- hoolduspäev 15. märtsil\n\n1. Esimene",
        automatic="Precedence: bulk",
    ),
    "09_gmail_html_only_reply.eml": Expected(
        subject="Re: Uus kasutajakonto",
        sender="kristjan.kuusk@gmail.com",
        snippet="> Konto on loodud.",
        new_text="Tere!\n\nKonto sobib, aga palun lisage ka ligipääs kausta Arved.\n\nKristjan",
        reference=("REQ-000007", "references"),
    ),
    "10_forwarded_rfc822.eml": Expected(
        subject="Fwd: Makse ebaõnnestus",
        sender="mari.maasikas@naidis.ee",
        snippet="---------- Forwarded message ----------\nFrom: Arve Saatja <arved@pank.ee>",
        attachments=[("Makse ebaõnnestus.eml", "message/rfc822", False)],
    ),
    "11_dsn_bounce.eml": Expected(
        subject="Undelivered Mail Returned to Sender",
        sender="mailer-daemon@mx.example.com",
        snippet="could not\nbe delivered",
        attachments=[("attachment-1.txt", "text/rfc822-headers", False)],
        automatic="Auto-Submitted: auto-replied",
        bounced="vana.aadress@naidis.ee",
    ),
    "12_dsn_delayed.eml": Expected(
        subject="Delayed Mail (still being retried)",
        sender="mailer-daemon@mx.example.com",
        snippet="still awaiting delivery",
        automatic="delivery status notification",
    ),
    "13_out_of_office_estonian.eml": Expected(
        subject="Automaatne vastus: [INC-000123] Teie pöördumine on registreeritud",
        sender="tiina.tamm@naidis.ee",
        snippet="Olen puhkusel kuni 24.03.",
        automatic="X-Auto-Response-Suppress",
        reference=("INC-000123", "in-reply-to"),
    ),
    "14_out_of_office_english.eml": Expected(
        subject="Out of Office: Re: [INC-000150] Backup failed",
        sender="john.smith@example.org",
        snippet="out of the office until March 24",
        automatic="Auto-Submitted: auto-replied",
        reference=("INC-000150", "subject"),
    ),
    "15_eemal_kontorist.eml": Expected(
        subject="Eemal kontorist",
        sender="info@vaike-firma.ee",
        snippet="Oleme kontorist eemal",
        automatic="auto-reply subject",
    ),
    "16_very_long_line.eml": Expected(
        subject="Backup log server01",
        sender="backup@server01.naidis.ee",
        snippet="ERROR disk /dev/sda1 full; " * 100,
    ),
    "17_broken_from_no_brackets.eml": Expected(
        subject="Skript ei tööta",
        sender="jaan.tamm@naidis.ee",
        sender_name="Jaan Tamm",
        snippet="Varukoopia skript",
        problem="From: unparsable",
    ),
    "18_broken_from_unreadable.eml": Expected(
        subject="Temperatuur 31 C",
        sender="",
        snippet="temperatuur on 31 C",
        problem="From: no address could be read",
    ),
    "19_empty_body.eml": Expected(
        subject="Helistage mulle palun", sender="mati@mets.ee", snippet="", new_text="", problem="no body"
    ),
    "20_rfc2231_attachment.eml": Expected(
        subject="Arve ei klapi",
        sender="aino@oun.ee",
        sender_name="Aino Õunapuu",
        snippet="vt manuseid",
        attachments=[
            ("Õunapuu_arve.pdf", "application/pdf", False),
            (
                "Õunapuu_lepingu_lisa_nr_2_–_hooldus_ja_tugi.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                False,
            ),
        ],
    ),
    # The same message delivered twice: both copies read alike.
    **dict.fromkeys(
        ("21_duplicate_delivery_1.eml", "21_duplicate_delivery_2.eml"),
        Expected(subject="Meiliserver aeglane", sender="mari.maasikas@naidis.ee", snippet="väga aeglane"),
    ),
    "23_no_date_duplicated_headers.eml": Expected(
        subject="UPS alarm",
        sender="gw@naidis.ee",
        snippet="UPS on akutoitel.",
        problem="no Date; the time it was received is used",
    ),
    "24_raw_utf8_headers.eml": Expected(
        subject="Tõrge: sülearvuti ei käivitu",
        sender="jyri@oun.ee",
        sender_name="Jüri Õun",
        snippet="Sülearvuti näitab musta ekraani.",
    ),
    "25_wrong_declared_charset.eml": Expected(
        subject="Parool aegus",
        sender="kati@karu.ee",
        snippet="Õhtul oli veel kõik korras.",
        problem="declared iso-8859-1 but is UTF-8",
    ),
    "26_missing_charset_1257.eml": Expected(
        subject="Trükk ei tööta",
        sender="toomas@saar.ee",
        snippet="Šabloon ei ava, žurnaal tühi, õigused puuduvad.",
        problem="charset missing, read as cp1257",
    ),
    "27_mixed_encoded_words.eml": Expected(
        subject="Tähtis: server õhtul maas, kahju 100 € ja muu",
        sender="mart@pold.ee",
        sender_name="Märt Põld",
        snippet="Vt teemat.",
    ),
    "28_outlook_nested_with_pdf.eml": Expected(
        subject="RE: Muudatus",
        sender="mari.maasikas@naidis.ee",
        snippet="-----Algne kiri-----",
        new_text="Tere,\n\nsee on ikka lahendamata.\n\nMari",
        attachments=[("image001.png", "image/png", True), ("Muudatus.pdf", "application/pdf", False)],
    ),
    "29_exim_text_bounce.eml": Expected(
        subject="Mail delivery failed: returning message to sender",
        sender="mailer-daemon@mail.naidis.ee",
        snippet="The following address(es) failed",
        automatic="mailer-daemon",
        bounced="lahkunud.tootaja@naidis.ee",
    ),
    "30_read_receipt.eml": Expected(
        subject="Loetud: [INC-000123] Teie pöördumine on registreeritud",
        sender="mari.maasikas@naidis.ee",
        snippet="Teie kiri on loetud.",
        automatic="disposition-notification",
        reference=("INC-000123", "subject"),
    ),
}


def test_every_corpus_file_has_its_expectations():
    assert sorted(path.name for path in CORPUS.glob("*.eml")) == sorted(CASES)
    assert len(CASES) >= 25


@pytest.fixture(params=sorted(CASES), name="case")
def corpus_case(request):
    """Each corpus file, one test case apiece (its id is the file's name): the message read and what is expected."""
    return parsed_corpus(request.param), CASES[request.param]


def test_subject_and_sender(case):
    parsed, expected = case
    assert parsed.subject == expected.subject
    assert parsed.sender.address == expected.sender
    if expected.sender_name is not None:
        assert parsed.sender.name == expected.sender_name


def test_text(case):
    parsed, expected = case
    assert expected.snippet in parsed.text
    if expected.new_text is not None:
        assert new_text_of(parsed) == expected.new_text
    if expected.not_in_new_text is not None:
        assert expected.not_in_new_text in parsed.text
        assert expected.not_in_new_text not in new_text_of(parsed)


def test_attachments(case):
    parsed, expected = case
    assert [(a.filename, a.content_type, a.is_inline) for a in parsed.attachments] == expected.attachments
    for attachment in parsed.attachments:
        assert attachment.size == len(attachment.content) > 0


def test_automatic_and_bounce(case):
    parsed, expected = case
    reason = is_automatic(parsed)
    if expected.automatic is None:
        assert reason is None
    else:
        assert reason is not None and expected.automatic in reason
    assert bounced_address(parsed) == expected.bounced


def test_reference_and_how(case):
    parsed, expected = case
    assert find_ticket_reference(parsed, known_message_ids) == expected.reference


def test_problems_are_noted(case):
    parsed, expected = case
    if expected.problem is None:
        assert parsed.problems == ()
    else:
        assert any(expected.problem in problem for problem in parsed.problems), parsed.problems


def test_every_message_has_an_aware_date_and_an_id(case):
    parsed, _expected = case
    assert parsed.date is not None and parsed.date.utcoffset() is not None
    assert parsed.message_id and "<" not in parsed.message_id


def test_the_same_message_delivered_twice_has_the_same_message_id():
    first, second = parsed_corpus("21_duplicate_delivery_1.eml"), parsed_corpus("21_duplicate_delivery_2.eml")
    assert first.message_id == second.message_id == "dup-0317-aeglane@naidis.ee"
    assert first.header_all("Received") != second.header_all("Received")


def test_very_long_line_is_kept_whole():
    parsed = parsed_corpus("16_very_long_line.eml")
    longest = max(parsed.text.split("\n"), key=len)
    assert len(longest) == 20000


def test_inline_image_is_referenced_by_cid_in_the_sanitised_html():
    parsed = parsed_corpus("05_apple_mail_inline_image.eml")
    (image,) = parsed.attachments
    assert image.content_id == "F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F"
    assert f'src="cid:{image.content_id}"' in parsed.html
    assert image.content.startswith(b"\x89PNG")


def test_newsletter_html_is_sanitised():
    parsed = parsed_corpus("08_newsletter_html_only.eml")
    assert parsed.text_source == "html"
    for unsafe in ("<script", "track()", "onload", "<style", "news.naidis.ee/open", "Uudiskiri"):
        assert unsafe not in parsed.html
    assert '<a href="https://naidis.ee/hinnakiri"' in parsed.html
    assert "Küsimused: info@naidis.ee\nVaata ka https://naidis.ee" in parsed.text


def test_forwarded_message_is_read_as_well_as_kept():
    parsed = parsed_corpus("10_forwarded_rfc822.eml")
    (forwarded,) = parsed.forwarded
    assert forwarded.subject == "Makse ebaõnnestus"
    assert forwarded.sender.address == "arved@pank.ee"
    assert parse_message(parsed.attachments[0].content).message_id == "inner-0310@pank.ee"
    assert "konto on suletud" in new_text_of(parsed)
