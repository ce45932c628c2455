"""The table of contents: the ordered stages that turn articles into coded documents.

1. clean      (eventwire.clean)       bytes/text -> RawArticle with cleaned text
   case       (eventwire.casing)      lines written all in capitals or all in lower case get their usual
                                      capitals (same length: offsets stay the original's), per
                                      Settings.case_restore; the parser reads the restored text
2. nlp        (eventwire.nlp)         cleaned texts -> spaCy Docs, in batches with nlp.pipe
3. actors     (eventwire.actors)      Doc -> actor mentions (dictionaries + coreference)
4. attributes (eventwire.attributes)  Doc -> mentions of places, times, quantities, attributions
5. events     (eventwire.events)      Doc + the mentions above -> events (trigger + dependency rules),
                                      each linked to its arguments' attributes and modality
6. filter     (eventwire.filter)      events + Doc -> a confidence and a background flag per event;
                                      events under Settings.min_confidence leave the output
The Coder loads every resource once and runs the stages in this order; no stage calls a later one.
(Attribute *detection* runs before events so that event rules can link an event to the date,
place, count and source in its own clause; it never depends on events.)
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator

from pydantic import BaseModel
from spacy.tokens import Doc

from .acled import AcledTyper
from .actors import ActorCoder
from .attributes.attribution import find_attributions
from .attributes.dates import find_times
from .attributes.locations import Geoparser
from .attributes.quantities import find_quantities
from .casing import CaseReport, CaseRestorer
from .clean import RawArticle, load_article
from .errors import EventwireError
from .events import ArticleInputs, EventExtractor, Explanation, load_patterns
from .filter import EventFilter
from .gazetteer import Gazetteer
from .model import ArticleMeta, AttributionScope, CodedArticle, Failure, TimeRef
from .nlp import load_model
from .resources import Resources
from .settings import Settings

_DONE = object()


class Coder:
    """Code articles into CodedArticle documents; load once, reuse for many articles.

    Example:
        >>> coder = Coder()
        >>> doc = coder.code("Iran denied any involvement.", published="2023-11-22")
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings = settings if settings is not None else Settings.load()
        self.resources = Resources.from_settings(settings)  # every stage reads its knowledge here
        self.nlp = load_model(settings.model)
        gazetteer = Gazetteer.load(settings.index_path() if settings.gazetteer_path or settings.home else None)
        self.actors = ActorCoder(resources=self.resources, gazetteer=gazetteer)
        self.case = CaseRestorer(self.resources, nlp=self.nlp, gazetteer=gazetteer, surfaces=[
            (form, entry.kind, entry.kind == "agent" and entry.title) for form, entry in self.actors.dictionary.surfaces])
        self.geoparser = Geoparser(gazetteer, resources=self.resources)
        self.events = EventExtractor(load_patterns(self.resources))
        self.acled = AcledTyper(self.resources)
        self.filter = EventFilter(self.resources, settings)
        self.last_explanation: Explanation | None = None

    def code(self, article: RawArticle | str | bytes, **meta: str | None) -> CodedArticle:
        """Code one article (a RawArticle, or a text/bytes with optional published/outlet/url/title)."""
        if not isinstance(article, RawArticle):
            article = load_article(article, **meta, settings=self.settings)  # type: ignore[arg-type]
        result = next(self.code_many([article]))
        if isinstance(result, Failure):
            raise EventwireError(result.reason)
        return result

    def code_many(self, articles: Iterable[RawArticle]) -> Iterator[CodedArticle | Failure]:
        """Code articles in order; failures are yielded, not raised.

        Texts are parsed with ``nlp.pipe`` in batches of ``settings.batch_size``. Parsing runs one
        batch ahead in a background thread, so the coder's own stages (pure Python) overlap with
        spaCy's matrix arithmetic, which releases the GIL. Results come back in input order.
        """
        size = self.settings.batch_size
        ready: queue.Queue = queue.Queue(maxsize=2)
        stop = threading.Event()

        def parse_ahead() -> None:
            try:
                batch: list[RawArticle] = []
                for article in articles:
                    batch.append(article)
                    if len(batch) >= size:
                        ready.put(self._parse(batch))
                        batch = []
                        if stop.is_set():
                            return
                if batch:
                    ready.put(self._parse(batch))
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
                ready.put(exc)
            finally:
                ready.put(_DONE)

        worker = threading.Thread(target=parse_ahead, name="eventwire-parse", daemon=True)
        worker.start()
        try:
            while True:
                item = ready.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                for article, doc in item:
                    yield self._code_one(article, doc)
        finally:
            stop.set()
            while worker.is_alive():  # unblock the parser if the consumer stopped early
                with contextlib.suppress(queue.Empty):
                    ready.get(timeout=0.05)
            worker.join()

    def _parse(self, batch: list[RawArticle]) -> list[tuple[RawArticle, Doc | Failure]]:
        """Parse one batch; if spaCy fails on it, each article is parsed alone, so that only the
        article spaCy cannot parse becomes a Failure, never its batch."""
        try:
            restored = [self.case.restore(a.text, self.settings.case_restore) for a in batch]
            docs = list(self.nlp.pipe((r.text for r in restored), batch_size=len(batch)))
            for doc, r, a in zip(docs, restored, batch, strict=True):
                if r.report is not None:  # later stages may ask what the text looked like as written
                    doc.user_data["eventwire_case"] = r.report
                    doc.user_data["eventwire_original"] = a.text
            return list(zip(batch, docs, strict=True))
        except Exception as exc:  # noqa: BLE001 - a batch is retried one by one; one article fails alone
            if len(batch) == 1:
                detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
                return [(batch[0], Failure(batch[0].id, batch[0].source,
                                           f"[EW202] spaCy could not parse the text ({detail})"))]
        return [pair for article in batch for pair in self._parse([article])]

    def _code_one(self, article: RawArticle, doc: Doc | Failure) -> CodedArticle | Failure:
        if isinstance(doc, Failure):
            return doc
        try:
            return self._code_doc(article, doc)
        except EventwireError as exc:
            return Failure(article.id, article.source, str(exc))
        except Exception as exc:  # one bad article never stops a batch
            detail = str(exc).splitlines()[0][:160] if str(exc) else ""
            return Failure(article.id, article.source, f"[EW299] internal error while coding ({type(exc).__name__}: "
                                                       f"{detail}); please report it with the article")

    def _code_doc(self, article: RawArticle, doc: Doc) -> CodedArticle:
        meta = ArticleMeta(
            id=article.id, title=article.title, published=article.published, outlet=article.outlet, url=article.url
        )
        # 3. actors
        actors, modifiers = self.actors.find_mentions(doc, date=article.published)
        # 4. attributes: places, times, quantities, attributions
        places = self.geoparser.geoparse(doc)
        times = find_times(doc.text, article.published, doc=doc, resources=self.resources)
        time_refs = [TimeRef(t.start, t.end, d) for t in times if (d := t.to_date()) is not None]
        quantities = find_quantities(doc, actors, places, skip=[(t.start, t.end) for t in times],
                                     resources=self.resources)
        attributions = find_attributions(doc, actors, resources=self.resources)
        # 5. events
        events, explanation = self.events.extract(
            ArticleInputs(
                doc=doc,
                article_id=article.id,
                published=article.published,
                actors=actors,
                modifiers=modifiers,
                places=places,
                times=time_refs,
                quantities=quantities,
                attributions=[AttributionScope(a.attribution, a.tokens) for a in attributions],
            )
        )
        self.acled.type_events(events, doc)  # ACLED event/sub-event type from the data-driven mapping
        # 6. filter: confidence and background; events under the threshold go to the explanation only
        events, _ = self.filter.apply(events, doc, article.published, explanation)
        self.last_explanation = explanation
        coded = CodedArticle(
            article=meta,
            text=article.text,
            events=events,
            quantities=quantities,
            locations=places,
            attributions=[a.attribution for a in attributions],
            actors=actors,
        )
        case: CaseReport | None = doc.user_data.get("eventwire_case")
        if case is not None:  # the text was parsed with restored capitals: quote the original
            explanation.notes.append(case.describe())
            _quote_original(coded, article.text)
        return coded


def _quote_original(obj: object, text: str) -> None:
    """Give every span of a coded article (an object with text, start and end) the original text's
    case: restoration changed only the case of letters, so the offsets are the original's."""
    if isinstance(obj, list):
        for item in obj:
            _quote_original(item, text)
        return
    if not isinstance(obj, BaseModel):
        return
    start, end, quoted = getattr(obj, "start", None), getattr(obj, "end", None), getattr(obj, "text", None)
    if isinstance(start, int) and isinstance(end, int) and isinstance(quoted, str):
        original = text[start:end]
        if original.lower() == quoted.lower():
            obj.text = original  # type: ignore[attr-defined]
        elif original.strip().lower() == quoted.lower():
            obj.text = original.strip()  # type: ignore[attr-defined]
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if isinstance(value, (list, BaseModel)):
            _quote_original(value, text)
