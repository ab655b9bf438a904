"""What every page loads: its stylesheet and scripts are served (so the live server serves static
files), and the browser reports no Content Security Policy violation."""


from .conftest import unexpected


def test_the_stylesheet_and_scripts_are_served(page, live_server):
    page.goto(live_server.url + "/signin/")
    assets = page.eval_on_selector_all("link[rel=stylesheet], script[src]", "es => es.map(e => e.href || e.src)")
    assert any(a.endswith(".css") for a in assets)
    for url in assets:
        response = page.request.get(url)
        assert response.status == 200, url
        expected = "text/css" if url.endswith(".css") else "javascript"
        assert expected in response.headers["content-type"], url
    # and the browser applied the styles: the sign-in card is a white box, not a transparent block
    assert page.locator("main .card").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"


def test_pages_log_no_csp_violation(page, live_server, console_errors):
    page.goto(live_server.url + "/signin/")
    page.wait_for_load_state("load")
    violations = [e for e in console_errors if "Content Security Policy" in e]
    console_errors[:] = unexpected(console_errors)  # the known ones are this test's to report
    assert violations == []
