"""Schema documents generated from the wire models: JSON Schema and AsyncAPI 3.0."""

from __future__ import annotations

from typing import Any

from schemas.article import RawArticle
from schemas.deadletter import DeadLetterHeaders
from schemas.record import SummitRecord
from schemas.summit import SCHEMA_VERSION, RegionalSummit

DEFAULT_TOPICS = {
    "input": "news.articles.raw",
    "output": "news.summits.enriched",
    "dlq": "news.articles.raw.dlq",
    "table": "news.summits",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each wire model, by file stem."""
    return {
        "raw_article": RawArticle.model_json_schema(by_alias=True),
        "regional_summit": RegionalSummit.model_json_schema(by_alias=True),
        "summit_record": SummitRecord.model_json_schema(by_alias=True),
        "dead_letter_headers": DeadLetterHeaders.model_json_schema(by_alias=True),
    }


def asyncapi(topics: dict[str, str] | None = None) -> dict[str, Any]:
    """An AsyncAPI 3.0 document for the four channels, built from the same models."""
    topics = {**DEFAULT_TOPICS, **(topics or {})}
    schemas = json_schemas()
    components: dict[str, Any] = {}
    for name, schema in schemas.items():
        defs = schema.pop("$defs", {})
        components.update(defs)
        components[name] = schema
    text = _rewrite_refs(components)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "summit-consumer",
            "version": SCHEMA_VERSION,
            "description": "Raw news articles in; RegionalSummit events out (a plain log keyed by "
            "summit_id); the summit table (SummitRecord per summit_id, compacted); dead letters aside.",
        },
        "defaultContentType": "application/json",
        "channels": {
            "rawArticles": {
                "address": topics["input"],
                "messages": {"rawArticle": {"$ref": "#/components/messages/rawArticle"}},
            },
            "enrichedSummits": {
                "address": topics["output"],
                "messages": {"regionalSummit": {"$ref": "#/components/messages/regionalSummit"}},
            },
            "deadLetters": {
                "address": topics["dlq"],
                "messages": {"deadLetter": {"$ref": "#/components/messages/deadLetter"}},
            },
            "summitTable": {
                "address": topics["table"],
                "description": "compacted: the latest record of a summit_id is the whole merged view of "
                "that meeting",
                "messages": {"summitRecord": {"$ref": "#/components/messages/summitRecord"}},
            },
        },
        "operations": {
            "consumeArticles": {
                "action": "receive",
                "channel": {"$ref": "#/channels/rawArticles"},
                "messages": [{"$ref": "#/channels/rawArticles/messages/rawArticle"}],
            },
            "publishSummits": {
                "action": "send",
                "channel": {"$ref": "#/channels/enrichedSummits"},
                "messages": [{"$ref": "#/channels/enrichedSummits/messages/regionalSummit"}],
            },
            "publishDeadLetters": {
                "action": "send",
                "channel": {"$ref": "#/channels/deadLetters"},
                "messages": [{"$ref": "#/channels/deadLetters/messages/deadLetter"}],
            },
            "consumeSummits": {
                "action": "receive",
                "channel": {"$ref": "#/channels/enrichedSummits"},
                "summary": "the table stage (summit-consumer table) folds the events",
                "messages": [{"$ref": "#/channels/enrichedSummits/messages/regionalSummit"}],
            },
            "publishSummitTable": {
                "action": "send",
                "channel": {"$ref": "#/channels/summitTable"},
                "messages": [{"$ref": "#/channels/summitTable/messages/summitRecord"}],
            },
        },
        "components": {
            "schemas": text,
            "messages": {
                "rawArticle": {
                    "name": "RawArticle",
                    "payload": {"$ref": "#/components/schemas/raw_article"},
                },
                "regionalSummit": {
                    "name": "RegionalSummit",
                    "payload": {"$ref": "#/components/schemas/regional_summit"},
                    "bindings": {
                        "kafka": {
                            "key": {
                                "type": "string",
                                "description": "summit_id (summit_key before it existed)",
                            }
                        }
                    },
                },
                "summitRecord": {
                    "name": "SummitRecord",
                    "payload": {"$ref": "#/components/schemas/summit_record"},
                    "bindings": {"kafka": {"key": {"type": "string", "description": "summit_id"}}},
                },
                "deadLetter": {
                    "name": "DeadLetter",
                    "summary": "The input bytes unchanged; headers say why.",
                    "payload": {"type": "string", "format": "binary"},
                    "headers": {"$ref": "#/components/schemas/dead_letter_headers"},
                },
            },
        },
    }


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/$defs/", "#/components/schemas/")
                if k == "$ref" and isinstance(v, str)
                else _rewrite_refs(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node
