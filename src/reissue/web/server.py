"""The library web app (``reissue serve``), kept as the stable import path.

The app is split by concern: ``core`` (route table, request, parameters, responses, headers),
``app`` (the WSGI application: dispatch, Host/Origin checks, caching, templates),
``render`` (text fragments), ``pages`` (what one page of an issue shows, for this reader and the
static edition.html alike), ``views_library``, ``views_reader``, ``views_search``, ``views_review``,
``views_api`` (one module per page), ``serve`` (server and command), templates in ``web/templates/``
(Jinja2, autoescaped; ``_page.html`` renders a page for both readers, ``_review.html`` the review).

Routes:

    GET  /                                   library: titles, issues by year, counts
    GET  /edition/<id>                       -> first page of the issue
    GET  /edition/<id>/page/<key>            reader (?view=original, ?hl=query); key = printed page
                                             number when unique in the issue, else s<sequence>
    GET  /edition/<id>/contents              the issue's articles (titles, bylines, pages)
    GET  /edition/<id>/article/<aid>         one article
    GET  /edition/<id>/corrections           every correction of the issue, least confident first
    POST /edition/<id>/review                review decision (only with --review)
    GET  /search?q=&title=&year=&from=&to=&lang=&article=&edition=&sort=&advanced=&page=
    GET  /api/search?…&limit=&offset=        the same as JSON (hits name their article)
    GET  /api/editions, /api/edition/<id>, /healthz
    GET  /static/reader.css|reader.js|query.js
"""

from .app import App, HTTPError, Response, make_app  # noqa: F401
from .serve import allowed_hosts_for, escape_log, loopback_hosts, make_server, serve_command  # noqa: F401
