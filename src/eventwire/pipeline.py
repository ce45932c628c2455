"""The table of contents: the ordered stages that turn articles into coded documents.

1. clean      (eventwire.clean)       bytes/text -> RawArticle with cleaned text
2. nlp        (eventwire.nlp)         cleaned texts -> spaCy Docs, in batches with nlp.pipe
3. actors     (eventwire.actors)      Doc -> actor mentions (dictionaries + coreference)
4. events     (eventwire.events)      Doc + actors -> events (trigger + dependency rules)
5. attributes (eventwire.attributes)  dates, quantities, locations, attribution, modality
The Coder loads every resource once and runs the stages in this order; no stage calls a later one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .clean import RawArticle, load_article
from .errors import EventwireError
from .model import ArticleMeta, CodedArticle
from .nlp import load_model
from .settings import DEFAULT_SETTINGS, Settings


@dataclass
class Failure:
    """An article that could not be coded, with a one-line reason."""

    article_id: str | None
    source: str
    reason: str


class Coder:
    """Code articles into CodedArticle documents; load once, reuse for many articles.

    Example:
        >>> coder = Coder()
        >>> doc = coder.code("Iran denied any involvement.", published="2023-11-22")
    """

    def __init__(self, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.nlp = load_model(settings.model)

    def code(self, article: RawArticle | str, **meta: str | None) -> CodedArticle:
        """Code one article (a RawArticle, or a text with optional published/outlet/url/title)."""
        if isinstance(article, str):
            article = load_article(article, **meta, settings=self.settings)  # type: ignore[arg-type]
        result = next(self.code_many([article]))
        if isinstance(result, Failure):
            raise EventwireError(result.reason)
        return result

    def code_many(self, articles: Iterable[RawArticle]) -> Iterator[CodedArticle | Failure]:
        """Code articles in order, parsing with nlp.pipe in batches; failures are yielded, not raised."""
        batch: list[RawArticle] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    def _code_batch(self, batch: list[RawArticle]) -> Iterator[CodedArticle | Failure]:
        docs = self.nlp.pipe((a.text for a in batch), batch_size=self.settings.batch_size)
        for article, doc in zip(batch, docs):
            try:
                yield self._code_doc(article, doc)
            except EventwireError as exc:
                yield Failure(article.id, article.source, str(exc))
            except Exception as exc:  # one bad article never stops a batch
                yield Failure(article.id, article.source, f"[EW299] internal error while coding: {type(exc).__name__}: {exc}")

    def _code_doc(self, article: RawArticle, doc) -> CodedArticle:  # noqa: ANN001
        meta = ArticleMeta(
            id=article.id, title=article.title, published=article.published, outlet=article.outlet, url=article.url
        )
        return CodedArticle(article=meta, text=article.text)
