"""Inbound wire model: one RawArticle as the scrapers publish it (lenient in, strict out)."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_BODY_ALIASES = ("body", "content", "text")
_HTML_HINT = re.compile(
    r"<\s*/?\s*(?:p|br|div|span|a|b|i|strong|em|h[1-6]|ul|ol|li|html|body|article|section|img|table|tr|td|figure|script|style)\b[^>]*>",
    re.I,
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "br",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "article",
        "section",
        "figure",
        "blockquote",
        "ul",
        "ol",
        "table",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_LANGUAGE = re.compile(r"^[a-z]{2}$")
MAX_BODY_CHARS = 1_000_000


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Return the visible text of `text` when it looks like HTML, else `text` unchanged."""
    if not _HTML_HINT.search(text):
        return text
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    joined = unescape("".join(parser.parts))
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in joined.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_published(value: object) -> date | datetime | None:
    """Parse an RFC 3339 date-time or a `YYYY-MM-DD` date; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        raise ValueError("published_at must be an RFC 3339 date-time or YYYY-MM-DD string")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"published_at {text[:40]!r} is not RFC 3339 or YYYY-MM-DD") from exc


def derive_id(url: str | None, body: str) -> str:
    """A stable article id: from the url when there is one, else from the body."""
    basis, prefix = (url, "url") if url else (body, "body")
    return f"{prefix}-{hashlib.sha256(basis.encode('utf-8', 'surrogatepass')).hexdigest()[:20]}"


class RawArticle(BaseModel):
    """One scraped article. `body` is the text every mention offset points into."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=False)

    id: str = Field(min_length=1, max_length=512)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    url: str | None = None
    title: str | None = None
    source: str | None = None
    language: str | None = Field(default=None, description="ISO 639-1; detected when absent")
    published_at: date | datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _lenient_input(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"an article is a JSON object, got {type(data).__name__}")
        data = dict(data)
        for alias in _BODY_ALIASES:
            if data.get(alias) not in (None, ""):
                data["body"] = data[alias]
                break
        else:
            raise ValueError("article has no body (expected a non-empty 'body', 'content' or 'text')")
        if not isinstance(data["body"], str):
            raise ValueError(f"body must be text, got {type(data['body']).__name__}")
        data["body"] = strip_html(data["body"])
        if not data["body"].strip():
            raise ValueError("body is empty once whitespace and markup are removed")
        if data.get("id") in (None, ""):
            url = data.get("url") if isinstance(data.get("url"), str) else None
            data["id"] = derive_id(url, data["body"])
        elif isinstance(data["id"], int) and not isinstance(data["id"], bool):
            data["id"] = str(data["id"])
        return data

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> str | None:
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise ValueError("language must be an ISO 639-1 code")
        code = value.strip().lower().replace("_", "-").split("-")[0]
        if not _LANGUAGE.match(code):
            raise ValueError(f"language {value[:20]!r} is not an ISO 639-1 code")
        return code

    @field_validator("published_at", mode="before")
    @classmethod
    def _published(cls, value: object) -> date | datetime | None:
        return parse_published(value)

    @property
    def published_date(self) -> date | None:
        """The publication day, whatever precision was given."""
        if isinstance(self.published_at, datetime):
            return self.published_at.date()
        return self.published_at
