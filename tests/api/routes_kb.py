"""The FAQ and knowledge base (K18) and the guide to reporting a problem (K14) in the API matrix."""

from tugi.kb import services

from .routespec import CLIENTS, RouteSpec, _only

DESK_WRITES = {"anonymous": 401, **_only(CLIENTS, 403)}
DESK_ONLY_THING = {"anonymous": 401, **_only(CLIENTS, 404)}  # a client cannot find what is not for them


def _article(visibility):
    def prepare(cast, ticket):
        article = services.article_create(actor=cast.actor("agent"), title="Printer jams", body="Open tray 2.",
                                          visibility=visibility)
        return {"slug": article.slug}
    return prepare


def _empty_category(cast, ticket):
    return {"slug": services.category_create(actor=cast.actor("agent"), name="Printers").slug}


def _article_body(cast):
    return {"title": "VPN does not connect", "body": "Restart the client.", "visibility": "public"}


ROUTES = (
    RouteSpec("read the FAQ (K18)", "GET", "/kb/articles", {"anonymous": 401}, 200, prepare=_article("internal")),
    RouteSpec("read a public article (K18)", "GET", "/kb/articles/{slug}", {"anonymous": 401}, 200,
              prepare=_article("public"), openapi_path="/kb/articles/{slug}"),
    RouteSpec("read an internal article", "GET", "/kb/articles/{slug}", DESK_ONLY_THING, 200,
              prepare=_article("internal")),
    RouteSpec("FAQ suggestions while reporting (K18)", "GET", "/kb/suggestions?title=printer jams",
              {"anonymous": 401}, 200, prepare=_article("public"), openapi_path="/kb/suggestions"),
    RouteSpec("read the categories", "GET", "/kb/categories", {"anonymous": 401}, 200),
    RouteSpec("read the guide (K14)", "GET", "/guide", {}, 200),
    RouteSpec("write an article", "POST", "/kb/articles", DESK_WRITES, 201, body=_article_body),
    RouteSpec("change an article", "POST", "/kb/articles/{slug}", DESK_WRITES, 200, prepare=_article("public"),
              body=_article_body),
    RouteSpec("delete an article", "POST", "/kb/articles/{slug}/delete", DESK_WRITES, 204, prepare=_article("public"),
              openapi_path="/kb/articles/{slug}/delete"),
    RouteSpec("add a category", "POST", "/kb/categories", DESK_WRITES, 201, body=lambda cast: {"name": "Network"}),
    RouteSpec("change a category", "POST", "/kb/categories/{slug}", DESK_ONLY_THING, 200, prepare=_empty_category,
              body=lambda cast: {"name": "Printing", "order": 2}, openapi_path="/kb/categories/{slug}"),
    RouteSpec("delete a category", "POST", "/kb/categories/{slug}/delete", DESK_ONLY_THING, 204,
              prepare=_empty_category, openapi_path="/kb/categories/{slug}/delete"),
    RouteSpec("change the guide (K14)", "POST", "/guide", DESK_WRITES, 200,
              body=lambda cast: {"title": "How to report", "body": "Tell us what you saw."}),
)
