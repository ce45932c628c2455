"""The FastAPI application behind ``eventwire serve``: the HTTP API, its docs and the dashboard.

``create_app(db, token=...)`` opens the store once and returns the application. Safety, by
default: CORS closed (``cors_origins`` opens it to the named origins only), request bodies
bounded by ``max_body`` bytes and pages by ``MAX_PAGE`` rows, ``POST /api/ingest`` only with
the bearer token, every error a JSON body ``{"code": "EWnnn", "message": ...}`` (never a
traceback), and a Content-Security-Policy that lets the pages run only their own scripts.
"""

from __future__ import annotations

import hmac
import inspect
import io
import json
import logging
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from ..errors import (
    EventwireError,
    InputError,
    NotFound,
    RequestError,
    ServerError,
    StoreError,
    TooLarge,
    Unauthorized,
)
from ..store import Store, open_store
from . import data

log = logging.getLogger("eventwire.web")

MAX_PAGE = 1000  # rows per page of /api/events and /api/stories
MAX_POINTS = 50_000  # events per /api/points answer (the map); beyond it the answer says truncated
MAX_BODY = 5_000_000  # bytes of a POST body
MAX_ARTICLES = 500  # articles per POST /api/ingest
# threads answering requests at once: the work holds the GIL, so more threads only share one core
# in smaller slices (every answer slower, the slowest much slower) without answering more per second
THREADS = 4
DASHBOARD_PAGE, DASHBOARD_DYADS = 50, 12  # what the dashboard's first view asks for (static/app.js)
WEB = Path(str(resources.files("eventwire.web")))
STATIC = WEB / "static"
VENDOR = WEB / "vendor"

STATUS = [(NotFound, 404), (Unauthorized, 401), (TooLarge, 413), (RequestError, 422), (InputError, 400),
          (StoreError, 503)]  # fmt: skip
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def dumps(value: Any) -> bytes:
    """Compact JSON (dates and other objects as text)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def as_json(value: Any) -> Response:
    """A JSON answer serialised once, without FastAPI's generic encoder (the pages are large)."""
    return Response(value if isinstance(value, bytes) else dumps(value), media_type="application/json")


def _status(exc: EventwireError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 500)


def error_body(exc: EventwireError) -> dict[str, str]:
    """The JSON body of every error answer."""
    return dict(code=exc.code, message=exc.message, error=str(exc))


def _error(exc: EventwireError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(error_body(exc), status_code=_status(exc), headers=headers)


class SecurityHeaders:
    """Pure ASGI middleware: CSP and friends on every answer."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (TooLarge) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"request body of {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"request body above the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def filters_dependency() -> Callable[..., Any]:
    """A FastAPI dependency taking every Filters field as a query parameter and returning Filters."""
    params = []
    for spec in data.filter_specs():
        kind = spec["kind"] if spec["kind"] in (int, float, bool) else str
        annotation: Any = list[str] | None if spec["multiple"] else kind | None
        params.append(inspect.Parameter(
            spec["name"], inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[annotation, Query(description=spec["help"] or None)],
        ))  # fmt: skip

    names = {p.name for p in params}
    own: dict[Any, set[str]] = {}

    def dependency(request: Request, **values: Any) -> Any:
        endpoint = request.scope.get("endpoint")
        if endpoint not in own:
            own[endpoint] = set(inspect.signature(endpoint).parameters) if endpoint else set()
        unknown = sorted(set(request.query_params) - names - own[endpoint])
        if unknown:  # a misspelt filter must not silently select everything
            known = ", ".join(sorted((names | own[endpoint]) - {"request", "filters"}))
            raise RequestError(f"unknown parameter(s) {', '.join(unknown)}; this endpoint takes: {known}")
        return data.make_filters(values)

    request_param = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
    dependency.__signature__ = inspect.Signature([request_param, *params])  # type: ignore[attr-defined]
    return dependency


Filters = Annotated[Any, Depends(filters_dependency())]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (at most {MAX_PAGE}).")]


class Coding:
    """One Coder for the server, loaded on first use; coding is serialised (spaCy is not thread-safe)."""

    def __init__(self, settings: Any, coder: Any = None) -> None:
        self.settings = settings
        self.lock = threading.Lock()
        self.coder: Any = coder

    def code_many(self, raws: list[Any]) -> list[Any]:
        with self.lock:
            if self.coder is None:
                from ..pipeline import Coder

                self.coder = Coder(self.settings)
            return list(self.coder.code_many(raws))


def _articles_of(body: bytes, content_type: str) -> list[Any]:
    """The article objects or texts of a POST body: a JSON object, a JSON array, JSON lines, or a text."""
    text = body.decode("utf-8", errors="replace")
    if not text.strip():
        raise RequestError("the request body is empty; send an article (JSON object, text or HTML)")
    if "ndjson" in content_type or "jsonl" in content_type:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise RequestError(f"JSON lines body: line {exc.lineno}: {exc.msg}") from exc
    if "json" in content_type:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RequestError(f"JSON body: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        if isinstance(value, dict) and isinstance(value.get("articles"), list):
            value = value["articles"]
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, dict) for v in items):
            raise RequestError("JSON body: expected an article object, a list of them, or {\"articles\": [...]}")
        return items
    return [body]


def create_app(
    db: str | Path | Store | None,
    *,
    token: str | None = None,
    max_body: int = MAX_BODY,
    cors_origins: tuple[str, ...] | list[str] = (),
    settings: Any = None,
    coder: Any = None,
    warm: bool = False,
    threads: int = THREADS,
) -> FastAPI:
    """The application over one database (path, URL or open Store). StoreError when it cannot be opened.

    token: the bearer token ``POST /api/ingest`` requires (None: ingest is refused).
    coder: a loaded ``Coder`` to code with (default: one loaded on the first POST).
    warm: compute the dashboard's first view in the background at start (``eventwire serve`` does).
    threads: requests answered at once (the others wait their turn).
    """
    from ..settings import Settings

    store = db if isinstance(db, Store) else open_store(db, create=False)
    settings = settings or Settings.load()
    coding = Coding(settings, coder)
    cache = data.AnswerCache(store)

    # the answers the dashboard asks for, cached (as JSON bytes) while the data do not change
    def prepared(by: str, groups: tuple[str, ...], coarse: str) -> Any:
        """Every event split into its periods and groups once (eventwire.aggregate.prepare), for every aggregate."""
        from ..aggregate import prepare

        rows = lambda: cache.get(("rows",), lambda: data.all_rows(store))  # noqa: E731
        return cache.get(("prepared", by, groups, coarse), lambda: prepare(rows(), by, groups, coarse))

    def total(filters: Any) -> int:
        return cache.get(("total", filters), lambda: data.count_events(store, filters))

    def events_json(filters: Any, after: int | None, limit: int) -> bytes:
        return cache.get(("events", filters, after, limit),
                         lambda: dumps(data.page_events(store, filters, after, limit, count=lambda: total(filters))))

    def points_json(filters: Any) -> bytes:
        return cache.get(("points", filters), lambda: dumps(data.map_points(store, filters, MAX_POINTS)))

    def timeline_json(filters: Any, by: str) -> bytes:
        return cache.get(("timeline", by, filters), lambda: dumps(data.timeline(store, filters, by, prepared)))

    def dyads_json(filters: Any, limit: int) -> bytes:
        return cache.get(("dyads", limit, filters), lambda: dumps(data.top_dyads(store, filters, limit, prepared)))

    def facets_json() -> bytes:
        return cache.get(("facets",), lambda: dumps(data.facets(store)))

    def warm_up() -> None:
        """Compute the dashboard's first view in the background, so the first visit is answered from the cache."""
        try:
            everything = data.make_filters({})
            facets_json()
            points_json(everything)
            events_json(everything, None, DASHBOARD_PAGE)
            dyads_json(everything, DASHBOARD_DYADS)
            timeline_json(everything, "auto")
        except Exception:  # a warm-up failure only costs time; the request will report the error
            log.exception("warm-up failed")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if warm:
            threading.Thread(target=warm_up, name="eventwire-warm-up", daemon=True).start()
        yield
        if not isinstance(db, Store):
            store.close()

    app = FastAPI(
        title="eventwire",
        version=__version__,
        description="Event data coded from news: query events, stories and aggregates; code and ingest articles.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=6)  # 9 costs twice the time for ~2% less
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])  # fmt: skip
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(EventwireError)
    async def on_error(_request: Request, exc: EventwireError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(x) for x in err.get("loc", ())[1:])  # after the request part (query, path, body)
            parts.append(f"{where}: {err.get('msg')}")
        return _error(RequestError("; ".join(parts) or "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error(NotFound(f"no such page: {request.url.path}"))
        answer = _error(RequestError(f"{request.method} {request.url.path}: {exc.detail}"))
        answer.status_code = exc.status_code
        return answer

    @app.exception_handler(Exception)
    async def on_crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=exc)
        return _error(ServerError(f"internal error ({type(exc).__name__}); the server log has the details"))

    # -- reading ---------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"], summary="Server and database status")
    def health() -> dict[str, Any]:
        return dict(status="ok", version=__version__, counts=store.counts(),
                    dashboard_assets=(VENDOR / "versions.json").exists())  # fmt: skip

    @app.get("/api/events", tags=["events"], summary="Matching events, a page at a time (JSON or CSV)",
             responses={200: {"content": {"application/json": {}, "text/csv": {}}}})  # fmt: skip
    def events(
        request: Request,
        filters: Filters,
        limit: Limit = 100,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
        format: Annotated[str | None, Query(pattern="^(json|csv)$", description="json (default) or csv; "
                                            "or send Accept: text/csv.")] = None,  # noqa: A002
    ) -> Any:
        after = _offset(cursor) or None
        wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
        if not wants_csv:
            return as_json(events_json(filters, after, limit))
        page = data.page_events(store, filters, after, limit, count=lambda: total(filters))
        import csv

        buf = io.StringIO()
        columns = list(page["events"][0]) if page["events"] else [c for c in data.q.EVENT_COLUMNS]
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(page["events"])
        headers = {"X-Total-Count": str(page["total"])}
        if page["next_cursor"]:
            headers["X-Next-Cursor"] = page["next_cursor"]
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with its sentence, spans, rule and story")
    def event(event_id: Annotated[int, PathParam(ge=1)]) -> Any:
        return as_json(data.event_detail(store, event_id))

    @app.get("/api/points", tags=["events"], summary="Matching events with coordinates, compact, for the map")
    def points(filters: Filters) -> Any:
        return as_json(points_json(filters))

    @app.get("/api/articles/{article_id:path}", tags=["articles"],
             summary="One article: cleaned text and every event's spans")  # fmt: skip
    def article(article_id: str) -> Any:
        return as_json(data.article_detail(store, article_id))

    @app.get("/api/stories", tags=["events"], summary="Stories (deduplicated events) the matching mentions belong to")
    def stories(
        filters: Filters,
        limit: Limit = 100,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
    ) -> Any:
        offset = _offset(cursor)
        return as_json(data.page_stories(store, filters, offset, limit))

    @app.get("/api/aggregate", tags=["aggregates"], summary="A measure per period and group (eventwire.aggregate)",
             responses={200: {"content": {"application/json": {}, "text/csv": {}}}})  # fmt: skip
    def aggregate(
        request: Request,
        filters: Filters,
        by: Annotated[str, Query(pattern="^(day|week|month|year)$", description="Period: day, week, month, year.")]
        = "week",
        group: Annotated[list[str] | None, Query(description="Group columns, e.g. country,event_type "
                                                 "(repeatable or comma-separated).")] = None,
        measure: Annotated[str, Query(pattern="^[a-z_]+$", description="count, stories, articles, goldstein or "
                                      "fatalities.")] = "count",
        coarse: Annotated[str, Query(pattern="^(drop|spread)$", description="Events coarser than the period: "
                                     "drop (default) or spread.")] = "drop",
        complete: Annotated[bool, Query(description="Zero rows for empty periods.")] = False,
        format: Annotated[str | None, Query(pattern="^(json|csv)$")] = None,  # noqa: A002
    ) -> Any:
        key = ("aggregate", by, tuple(group or ()), measure, coarse, complete, filters)
        compute = lambda: data.aggregate_rows(store, filters, by, group, measure, coarse, complete, prepared)  # noqa: E731
        wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
        if not wants_csv:
            return as_json(cache.get((*key, "json"), lambda: dumps(compute())))
        result = cache.get(key, compute)
        import csv

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=result["columns"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(result["rows"])
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8")

    @app.get("/api/timeline", tags=["aggregates"], summary="Events per period by type, and the mean Goldstein score")
    def timeline(
        filters: Filters,
        by: Annotated[str, Query(pattern="^(auto|day|week|month|year)$", description="Period, or auto from the "
                                 "date range.")] = "auto",
    ) -> Any:
        return as_json(timeline_json(filters, by))

    @app.get("/api/dyads", tags=["aggregates"], summary="The top source -> target pairs: events and mean Goldstein")
    def dyads(
        filters: Filters,
        limit: Annotated[int, Query(ge=1, le=200)] = 15,
    ) -> Any:
        return as_json(dyads_json(filters, limit))

    @app.get("/api/facets", tags=["meta"], summary="Event types, countries, modalities and the date range stored")
    def facets() -> Any:
        return as_json(facets_json())

    # -- writing ---------------------------------------------------------------------
    body_doc = {"requestBody": {"content": {
        "application/json": {"schema": {"type": "object"}, "example": {"text": "Iran denied any involvement.",
                                                                       "published": "2023-11-22"}},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }}}  # fmt: skip

    @app.post("/api/code", tags=["coding"], summary="Code one article (nothing is stored)", openapi_extra=body_doc)
    async def code(
        request: Request,
        published: Annotated[str | None, Query(description="Publication date, when the article has none.")] = None,
        outlet: Annotated[str | None, Query()] = None,
        url: Annotated[str | None, Query()] = None,
        title: Annotated[str | None, Query()] = None,
    ) -> Any:
        from ..clean import load_article
        from ..pipeline import Failure

        body = await read_body(request, max_body)
        items = _articles_of(body, request.headers.get("content-type", ""))
        if len(items) != 1:
            raise RequestError(f"POST /api/code takes one article, got {len(items)}; use /api/ingest for many")
        kind = "html" if "html" in request.headers.get("content-type", "") else "auto"
        raw = load_article(items[0], name="request", kind=kind, published=published, outlet=outlet, url=url,
                           title=title, settings=settings)  # fmt: skip
        result = (await run_in_threadpool(coding.code_many, [raw]))[0]
        if isinstance(result, Failure):
            raise InputError(result.reason)
        return result.to_dict()

    ingest_doc = {"requestBody": {"content": {
        "application/json": {"schema": {"type": "object"}, "example": {"articles": [
            dict(id="a1", text="Iran denied any involvement.", published="2023-11-22")]}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    }}}  # fmt: skip

    @app.post("/api/ingest", tags=["coding"], summary="Code and store articles (bearer token required)",
              openapi_extra=ingest_doc)  # fmt: skip
    async def ingest(
        request: Request,
        published: Annotated[str | None, Query(description="Publication date for articles that lack one.")] = None,
        outlet: Annotated[str | None, Query()] = None,
        stories: Annotated[bool, Query(description="Cluster the new events into stories.")] = True,
    ) -> Any:
        _check_token(request, token)
        from ..clean import load_article
        from ..pipeline import Failure

        body = await read_body(request, max_body)
        items = _articles_of(body, request.headers.get("content-type", ""))
        if len(items) > MAX_ARTICLES:
            raise TooLarge(f"{len(items)} articles in one request; the limit is {MAX_ARTICLES}")
        raws, failures = [], []
        for i, item in enumerate(items):
            name = f"request[{i}]"
            try:
                raws.append(load_article(item, name=name, published=published, outlet=outlet, settings=settings))
            except InputError as exc:
                failures.append((name, item.get("id") if isinstance(item, dict) else None, str(exc)))
        coded = await run_in_threadpool(coding.code_many, raws) if raws else []
        docs = []
        for result in coded:
            if isinstance(result, Failure):
                failures.append(("request", result.article_id, result.reason))
            else:
                docs.append((result, {"source": "api", "kind": "api"}))
        written = await run_in_threadpool(store.write_batch, docs, failures)
        cache.clear()
        n_stories = None
        if stories and (written.event_pks or written.retracted_events):
            from ..stories import update_stories  # as ``eventwire ingest``: only the new events are clustered

            update = await run_in_threadpool(
                lambda: update_stories(store, written.event_pks, written.retracted_events, settings=settings))
            n_stories = update.total
            cache.clear()
        return dict(read=len(items), stored=written.articles, duplicates=written.duplicates,
                    superseded=written.superseded, events=written.events, failed=len(failures), stories=n_stories,
                    failures=[dict(article_id=a, reason=r) for _, a, r in failures])  # fmt: skip

    # -- pages -----------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor", StaticFiles(directory=VENDOR, check_dir=False), name="vendor")
    return app


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 12:
        raise RequestError(f"cursor {cursor[:40]!r}: not a cursor this server gave")
    return int(cursor)


def _check_token(request: Request, token: str | None) -> None:
    if not token:
        raise Unauthorized("ingest is switched off: start the server with --token or EVENTWIRE_TOKEN")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise Unauthorized("POST /api/ingest needs the header 'Authorization: Bearer <token>' with the server's token")


__all__ = ["create_app", "read_body", "error_body", "MAX_PAGE", "MAX_BODY", "MAX_POINTS"]
