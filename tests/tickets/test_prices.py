"""K20: the desk never quotes prices or magnitudes; mentions_price finds them in a reply."""

import pytest

from tugi.tickets.prices import mentions_price


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Estonian
        ("See maksab 500 eurot.", ["maksab", "500 eurot"]),
        ("Hind on umbes 300 €.", ["Hind", "umbes 300 €"]),
        ("Uue sülearvuti hinnaga 1 200,50 € saame tellida.", ["hinnaga", "1 200,50 €"]),
        ("Saadame Teile hinnapakkumise homme.", ["hinnapakkumise"]),
        ("Töö maksumus selgub hiljem.", ["maksumus"]),
        ("Litsents tuleb umbes 500.", ["umbes 500"]),
        ("Kulub ligikaudu 2000 eurot", ["ligikaudu 2000 eurot"]),
        ("Tunnihind on 60", ["Tunnihind"]),
        ("Odavam variant on olemas.", ["Odavam"]),
        # English
        ("The price is €1 200,50.", ["price", "€1 200,50"]),
        ("It costs 30 EUR per seat.", ["costs", "30 EUR"]),
        ("That would be about 500.", ["about 500"]),
        ("Roughly 250 for the licence", ["Roughly 250"]),
        ("Expect ~500 for the licence.", ["~500"]),
        ("Somewhere in 300–400.", ["300–400"]),
        ("Somewhere in 300 - 400.", ["300 - 400"]),
        ("Somewhere in 300-400.", ["300-400"]),
        ("A monitor is 199 USD or $199 or 199$.", ["199 USD", "$199", "199$"]),
        ("It is cheaper than the old one.", ["cheaper"]),
        ("Pricing depends on the model", ["Pricing"]),
        ("Five euros, give or take", ["euros"]),
    ],
)
def test_finds_prices_and_magnitudes_K20(text, found):
    assert mentions_price(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Your ticket INC-000123 is resolved; see also REQ-004567 and CHG-000001.",
        "We will come on 2025-05-01 or 01.05.2025 at 14:30.",
        "We work 10:00–12:00 and 9–17 on weekdays.",
        "Please update to version 2.0.1 or 10.4.3-2.",
        "Call us at +372 501 6105 or 501-6105.",
        "It will take about 2 hours, umbes 2 tundi, or around 3 days.",
        "Kallis klient, meie hinnangul on see lihtne parandus.",
        "Palun hinnake meie tööd.",
        "Euroopa serverid on korras.",
        "The reply was sent to you.",
        "Windows 11 and Office 2021 on 3 computers.",
        "The backup covers 2023–2024.",
        "Disk usage is about 80 % and about 500 GB.",
        "",
    ],
)
def test_ignores_what_is_no_price_K20(text):
    assert mentions_price(text) == []


def test_each_passage_once_K20():
    assert mentions_price("500 € and again 500 €") == ["500 €"]
