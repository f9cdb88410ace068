"""``reissue serve``: the library app on waitress (an event loop reads requests, a bounded pool of
threads answers them), with socket timeouts, a connection limit, escaped access log lines, the
security headers on waitress's own error answers, and Host/Origin checks for every bound address.

Behind a reverse proxy (public reading), run for example::

    reissue serve library.sqlite --host 127.0.0.1 --port 8000 --allowed-host library.example.org \\
        --base-url https://library.example.org/papers --threads 8

and let the proxy forward ``/papers/`` to ``http://127.0.0.1:8000/`` with ``Host`` kept.
"""

from __future__ import annotations

import os
import sys
import time

import click

from ..errors import ReissueError
from .app import SECURITY_HEADERS, App, make_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def loopback_hosts(host: str, port: int) -> set[str] | None:
    """Host headers accepted for a server bound to HOST:PORT (never None: every address is checked)."""
    return allowed_hosts_for(host, port, ())


def allowed_hosts_for(host: str, port: int, extra) -> set[str]:
    names = set()
    if host in LOOPBACK:
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    elif host not in ("0.0.0.0", "::", ""):
        names.add(f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    for name in extra:
        name = name.strip().lower()
        if not name:
            continue
        names.add(name)
        if not name.rsplit(":", 1)[-1].isdigit() or name.endswith("]"):
            names.add(f"{name}:{port}")  # with the port too (a proxy may keep it)
    return names


def escape_log(s: str) -> str:
    """A log field with every control character written as an escape (no terminal sequences)."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c.isprintable():
            out.append(c)
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


class AccessLog:
    """WSGI middleware: one escaped line per answer on stderr."""

    def __init__(self, app, stream=None):
        self.app = app
        self.stream = stream or sys.stderr

    def __call__(self, environ, start_response):
        status_box = {}

        def sr(status, headers, exc_info=None):
            status_box["s"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        t0 = time.perf_counter()
        body = self.app(environ, sr)
        path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        try:
            self.stream.write(f"{time.strftime('%H:%M:%S')} {escape_log(environ.get('REMOTE_ADDR', '-'))} "
                              f"{escape_log(environ.get('REQUEST_METHOD', '-'))} {escape_log(path[:300])} "
                              f"{status_box.get('s', '-')} {1000 * (time.perf_counter() - t0):.1f}ms\n")
        except (OSError, ValueError):
            pass
        return body


def make_server(app: App, host: str, port: int, *, threads: int = 8, connection_limit: int = 2000,
                channel_timeout: int = 30, quiet: bool = True, log: bool = False):
    """A waitress server for APP (not started: call .run()); ``.effective_port`` is the bound port."""
    from waitress.channel import HTTPChannel
    from waitress.server import create_server
    from waitress.task import ErrorTask

    class SecureErrorTask(ErrorTask):  # waitress's own 400/413/431 answers get the headers too
        def execute(self):
            self.response_headers.extend(SECURITY_HEADERS + [("Cache-Control", "no-store")])
            super().execute()

    class Channel(HTTPChannel):
        error_task_class = SecureErrorTask

    try:  # room for the connection limit's sockets
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, max(soft, connection_limit + 256))
        if want > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ImportError, ValueError, OSError):
        pass
    wsgi = AccessLog(app) if log else app
    srv = create_server(wsgi, host=host, port=port, threads=threads, connection_limit=connection_limit,
                        channel_timeout=channel_timeout, cleanup_interval=5, asyncore_use_poll=True,
                        max_request_header_size=16 * 1024, max_request_body_size=256 * 1024,
                        ident="reissue", expose_tracebacks=False, clear_untrusted_proxy_headers=True)
    srv.channel_class = Channel
    if quiet:
        import logging

        logging.getLogger("waitress").setLevel(logging.ERROR)
    srv.server_address = (host, srv.effective_port)  # like socketserver's
    closed = []

    def close_once():
        if not closed:
            closed.append(True)
            srv.close()

    srv.serve_forever = srv.run
    srv.server_close = srv.shutdown = close_once
    return srv


@click.command("serve")
@click.argument("library", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind (loopback by default; behind a reverse proxy keep loopback).")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allowed-host", "allowed_host", multiple=True, metavar="NAME[:PORT]",
              help="A Host name the server answers to (repeatable): the public name behind a proxy. "
                   "Loopback names are allowed when bound to loopback; every other name is refused.")
@click.option("--base-url", default="", help="Public prefix of every link, e.g. https://example.org/papers.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads answering requests (an event loop reads them).")
@click.option("--review", is_flag=True, help="One person on their own machine may review (no accounts; writes to "
              "the library).")
@click.option("--accounts", is_flag=True, help="Public reading; volunteers log in (reissue users add) to review, "
              "moderators revert.")
@click.option("--reviewer", default=None, help="Default reviewer name shown in review forms.")
@click.option("--quiet", is_flag=True, help="No access log on stderr.")
def serve_command(library, host, port, allowed_host, base_url, threads, review, accounts, reviewer, quiet):
    """Serve LIBRARY: library page, reader, search, review (with --review), JSON API."""
    if not os.path.exists(library):
        click.echo(f"reissue: error: {library}: no such library (create it with `reissue index EDITION_DIR "
                   f"--db {library}`)", err=True)
        raise SystemExit(2)
    from urllib.parse import urlsplit

    if base_url and (urlsplit(base_url).scheme not in ("http", "https") or urlsplit(base_url).query):
        click.echo("reissue: error: --base-url must be an http(s) URL such as https://example.org/papers", err=True)
        raise SystemExit(2)
    try:
        if review and accounts:
            click.echo("reissue: error: choose --review (one person, no accounts) or --accounts", err=True)
            raise SystemExit(2)
        app = make_app(library, review=review, reviewer=reviewer, accounts=accounts,
                       base_url=urlsplit(base_url).path if base_url else "",
                       secure_cookies=base_url.startswith("https:"))
        srv = make_server(app, host, port, threads=threads, log=not quiet)
    except ReissueError as exc:
        click.echo(f"reissue: error: {exc}", err=True)
        raise SystemExit(exc.exit_code)
    except OSError as exc:
        click.echo(f"reissue: error: cannot listen on {host}:{port} ({exc.strerror}); try another --port", err=True)
        raise SystemExit(2)
    real_port = srv.effective_port
    app.allowed_hosts = allowed_hosts_for(host, real_port, allowed_host)
    if base_url:
        app.allowed_hosts |= allowed_hosts_for("0.0.0.0", real_port, [urlsplit(base_url).netloc])
    if host not in LOOPBACK:
        click.echo(f"warning: listening on {host}, not loopback: anyone who can reach this machine can read"
                   + (" and write review decisions" if review else ""), err=True)
    shown = f"[{host}]" if ":" in host else host
    mode = "review ON" if review else "accounts" if accounts else "review off"
    click.echo(f"Serving {library} on http://{shown}:{real_port}/ ({mode}); "
               f"Host names allowed: {', '.join(sorted(app.allowed_hosts)) or 'none'}; Ctrl-C stops", )
    sys.stdout.flush()
    try:
        srv.run()
    except KeyboardInterrupt:
        pass
    finally:
        srv.close()
