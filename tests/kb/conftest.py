"""A small knowledge base: public, internal and draft articles in two categories."""

from dataclasses import dataclass

import pytest

from tugi.kb import services
from tugi.kb.models import Article, Category, Visibility


@dataclass
class Library:
    printing: Category
    accounts: Category
    printer: Article
    password: Article
    internal: Article
    draft: Article


@pytest.fixture
def library(cast) -> Library:
    agent = cast.actor("agent")
    printing = services.category_create(actor=agent, name="Printing", order=1)
    accounts = services.category_create(actor=agent, name="Accounts", order=2)
    return Library(
        printing=printing,
        accounts=accounts,
        printer=services.article_create(
            actor=agent, title="The printer does not print", category=printing,
            body="Check that the printer is switched on and has paper. Then restart the print queue.",
        ),
        password=services.article_create(
            actor=agent, title="Forgotten password", category=accounts,
            body="Use the link „Unustasin parooli“ on the sign-in page of the mail server.",
        ),
        internal=services.article_create(
            actor=agent, title="Printer server restart procedure", category=printing,
            visibility=Visibility.INTERNAL, body="Sign in to prn-01 as root and restart cupsd. Secret runbook.",
        ),
        draft=services.article_create(
            actor=agent, title="Printer toner order (draft)", category=printing, is_published=False,
            body="Toner is ordered by the office manager.",
        ),
    )
