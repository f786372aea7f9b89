"""Endpoint abuse against a real server on 127.0.0.1, through the site's pages and URLs: every
attack is refused cleanly.

The families of attacks: path traversal, malformed Accept headers, SPARQL injection through
canned-query parameters, script in report text (in Chromium) and security headers. The server,
the store and the tally are shared with test_endpoint_abuse_queries.py (tests/reliability/
abuse.py and conftest.py); the tally is printed at the end::

    endpoint abuse (endpoint_abuse_pages): N attacks, N refused cleanly
"""
from __future__ import annotations

import http.client
from urllib.parse import quote

import pytest
import requests

from tests.conftest import BROWSER_TIMEOUT_MS
from tests.reliability.abuse import ASK, XSS_RECOMMENDATION
from tests.reliability.servers import SCRIPT

pytestmark = pytest.mark.usefixtures("abuse_site_still_serving")


def _raw_get(site: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of dots or escapes)."""
    host, port = site.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


# -- path traversal --------------------------------------------------------------------------

TRAVERSALS = [
    "/download/..%2F..%2F..%2Fetc%2Fpasswd",
    "/download/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/download/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/download/..%5c..%5c..%5cetc%5cpasswd",
    "/download/../../../../etc/passwd",
    "/download//etc/passwd",
    "/download/%2Fetc%2Fpasswd",
    "/download/.stamp",
    "/download/.lock",
    "/download/ofsted-kg.ttl%00.txt",
    "/doc/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/doc/../../../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/doc/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/doc//etc/passwd",
    "/doc/authority/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/doc/authority/E06000023%00",
    "/doc/authority/a%20b",
    "/doc/authority/%22%3E%3Cimg%20src%3Dx%3E",
    "/doc/authority/%7B%7D%7C%5E%60",
    "/id/..%2F..%2F..%2Fetc%2Fpasswd",
    "/id/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/id/%252e%252e%252fetc%252fpasswd",
    "/id//etc/passwd",
    "/def/..%2F..%2Fserver%2Fconfig.py",
    "/def/%3Cx%3E",
    "/static/..%2Fconfig.py",
    "/static/%2e%2e%2fconfig.py",
    "/static/%252e%252e%252fconfig.py",
    "/static/../config.py",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/static/..%5cconfig.py",
    "/editor/assets/..%2F..%2F..%2Fconfig.py",
    "/editor/assets/%2e%2e%2f%2e%2e%2fconfig.py",
    "/queries/..%2F..%2Fqueries%2Fjudgements.rq",
    "/queries/%2e%2e%2fserver%2fconfig",
]
LEAKS = (b"root:x:0:0", b"def load(", b"OFSTED_KG_", b"SELECT", b"Traceback", b"import ")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal(abuse_site, abuse_tally, path):
    status, body = _raw_get(abuse_site, path, {"Accept": "text/html"})
    if status in (301, 302, 303, 307, 308):
        clean = True               # /id/ redirects to its /doc/ page: which must refuse in turn
    else:
        clean = status in (400, 404) and not any(leak in body for leak in LEAKS)
    abuse_tally.record(f"path traversal {path}", clean, f"HTTP {status}: {body[:160]!r}")
    assert clean, (status, body[:300])


def test_traversal_redirects_land_on_refusals(abuse_site, abuse_tally):
    for path in [p for p in TRAVERSALS if p.startswith("/id/")]:
        r = requests.get(abuse_site + path, headers={"Accept": "text/html"}, allow_redirects=True)
        ok = r.status_code in (400, 404) and not any(leak.decode() in r.text for leak in LEAKS)
        abuse_tally.record(f"path traversal {path} (followed)", ok, f"HTTP {r.status_code} {r.url}")
    assert not abuse_tally.failures("path traversal /id/"), abuse_tally.failures()


# -- malformed Accept headers -----------------------------------------------------------------

ACCEPTS = {
    "garbage": "garbage",
    "separators only": ";;;,,,;;",
    "bad q": "application/json;q=abc",
    "q out of range": "text/csv;q=2, */*;q=-1",
    "wildcard subtype first": "*/json",
    "NUL-like escapes": "text/html\\x00;q=1",
    "very long single range": "text/" + "x" * 6000,
    "thousands of ranges": ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(600)),
    "many parameters": "text/csv" + ";a=b" * 1500,
    "non-ASCII": "téxt/cśv",
}
ACCEPT_TARGETS = {
    "sparql": ("/sparql?query=" + quote(ASK), (200, 406)),
    "entity": ("/doc/authority/E06000023", (200, 406)),
    "service description": ("/sparql", (200, 406)),
    "void": ("/.well-known/void", (200, 406)),
    "missing page": ("/no/such/page", (404,)),
}


@pytest.mark.parametrize("accept", list(ACCEPTS))
def test_malformed_accept(abuse_site, abuse_tally, accept):
    for target, (path, allowed) in ACCEPT_TARGETS.items():
        r = requests.get(abuse_site + path, headers={"Accept": ACCEPTS[accept].encode("utf-8")})
        abuse_tally.check(f"Accept {accept} on {target}", r, allowed)
    assert not abuse_tally.failures(f"Accept {accept}"), abuse_tally.failures(f"Accept {accept}")


# -- SPARQL injection through canned-query parameters -----------------------------------------

INJECTIONS = [
    'x" } UNION { ?s ?p ?o } #',
    "x' } UNION { ?s ?p ?o } #",
    '") || true || ("',
    "?s ?p ?o",
    "<http://example.org/> . } ; DROP ALL ; #",
    '"""',
    "E06000023> } UNION { ?a ?b ?c",
    "\\u0022 } UNION { ?s ?p ?o } #",
    "\u0000",
    "Bristol\u202e } #",
    "x" * 2000,
]


def _canned_params():
    from queries import load_all
    return [(q.name, p.name) for q in sorted(load_all().values(), key=lambda q: q.name) for p in q.params]


def _rows(site: str, name: str, params: dict) -> tuple[int, int | None]:
    r = requests.get(f"{site}/queries/{name}.json", params=params, timeout=30)
    return r.status_code, (len(r.json()["results"]["bindings"]) if r.status_code == 200 else None)


@pytest.mark.parametrize("query, param", _canned_params())
def test_canned_parameters_carry_no_injection(abuse_site, abuse_tally, query, param):
    from queries import get
    q = get(query)
    p = next(p for p in q.params if p.name == param)
    baselines = [_rows(abuse_site, query, {})]
    if p.example:
        baselines.append(_rows(abuse_site, query, {param: p.example}))
    most = max(n for status, n in baselines if status == 200)
    for payload in INJECTIONS:
        status, n = _rows(abuse_site, query, {param: payload})
        html = requests.get(f"{abuse_site}/queries/{query}", params={param: payload}, timeout=30)
        clean = (status == 400 or (status == 200 and n <= most)) and html.status_code in (200, 400)
        abuse_tally.record(f"injection into {query}?{param}={payload[:30]!r}", clean,
                           f"json HTTP {status} rows {n} (at most {most}); html HTTP {html.status_code}")
    assert not abuse_tally.failures(f"injection into {query}?{param}="), abuse_tally.failures(f"injection into {query}")


# -- script in report text, in Chromium --------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(browser):
    """The session's shared Chromium (see tests/conftest.py)."""
    return browser


@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "/doc/" + XSS_RECOMMENDATION,
    "/queries/recommendations?words=pwned",
    "/queries/recommendations?words=" + quote(SCRIPT),
    "/sparql?query=" + quote('SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "pwned")) }')
    + "&format=html",
])
def test_script_in_report_text_shows_as_text(abuse_site, abuse_tally, chromium, path):
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        response = page.goto(abuse_site + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)                       # give an onerror handler time to fire
        pwned = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        body = page.inner_text("body")
        injected = page.evaluate("""() => [...document.querySelectorAll('script, img')]
            .filter(e => (e.getAttribute('src') || '') === 'x' || (e.textContent || '').includes('__pwned'))
            .length""")
        status = response.status if response else None
    finally:
        context.close()
    if status == 406:                                   # /sparql has no HTML results page
        abuse_tally.record(f"script in report text via {path}", True, "406: no HTML rendering")
        return
    shows = SCRIPT in body and "onerror" in body
    clean = pwned is None and not dialogs and injected == 0 and status == 200 and shows
    abuse_tally.record(f"script in report text via {path}", clean,
                       f"HTTP {status} __pwned={pwned} dialogs={dialogs} elements={injected} shown={shows}")
    assert clean, abuse_tally.failures(f"script in report text via {path}")


# -- security headers ------------------------------------------------------------------------

HTML_PAGES = ["/", "/queries", "/queries/judgements", "/queries/recommendations?words=pwned",
              "/doc/authority/E06000023", "/doc/" + XSS_RECOMMENDATION, "/def", "/shapes", "/download/",
              "/sparql", "/editor", "/no/such/page", "/queries/judgements?framework_filter=nope"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_security_headers_on_html(abuse_site, abuse_tally, path):
    r = requests.get(abuse_site + path, headers={"Accept": "text/html"})
    h = r.headers
    csp = h.get("Content-Security-Policy", "")
    framing = "frame-ancestors 'none'" in csp or h.get("X-Frame-Options", "").upper() == "DENY"
    clean = (r.headers.get("Content-Type", "").startswith("text/html")
             and "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
             and h.get("X-Content-Type-Options") == "nosniff" and framing
             and h.get("Referrer-Policy") in ("strict-origin-when-cross-origin", "no-referrer", "same-origin"))
    abuse_tally.record(f"security headers on {path}", clean, f"HTTP {r.status_code} {dict(h)}")
    assert clean, dict(h)


def test_nosniff_on_every_response(abuse_site, abuse_tally):
    for path in ["/sparql?query=" + quote(ASK), "/queries/judgements.json", "/queries/judgements.csv",
                 "/doc/authority/E06000023.ttl", "/static/style.css", "/download/void.ttl", "/nope.json"]:
        r = requests.get(abuse_site + path)
        abuse_tally.record(f"nosniff on {path}", r.headers.get("X-Content-Type-Options") == "nosniff",
                           f"HTTP {r.status_code} {dict(r.headers)}")
    assert not abuse_tally.failures("nosniff"), abuse_tally.failures("nosniff")
