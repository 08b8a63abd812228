"""Write an Atom 1.0 document (pure: no Flask, no database)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    """One item of a feed."""

    id: str
    title: str
    link: str
    author: str
    updated: datetime
    summary: str


def _time(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def build_feed(
    *, title: str, feed_id: str, self_url: str, site_url: str, entries: Sequence[Entry]
) -> bytes:
    """The feed as UTF-8 XML; `entries` newest first."""
    feed = ET.Element("feed", {"xmlns": NS, "xml:lang": "ko"})
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    _add(feed, "link", rel="self", href=self_url)
    _add(feed, "link", rel="alternate", href=site_url)
    newest = max((e.updated for e in entries), default=datetime(2026, 1, 1))
    _add(feed, "updated", _time(newest))
    _add(_add(feed, "author"), "name", "Studyhall")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", href=item.link)
        _add(entry, "updated", _time(item.updated))
        _add(_add(entry, "author"), "name", item.author)
        _add(entry, "summary", item.summary)
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body
