"""Markdown to safe HTML: articles are written by staff but read by talents, so the
rendered HTML keeps only harmless tags, and links only to http(s) and mail addresses
(``javascript:`` and ``data:`` URLs are dropped, raw ``<script>`` is removed with its
content, event-handler attributes never survive)."""

from __future__ import annotations

import html as html_lib
import re

import markdown
import nh3

TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """The body as sanitised HTML (safe to mark safe in a template)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


def plain_text(text: str) -> str:
    """The body as plain text for a reply (a talent's messages are plain text): one
    paragraph per block, list items as "• item" lines, links as "text (address)"."""
    html = render_markdown(text).replace(">\n<", "><")
    html = re.sub(r'<a href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", html)
    html = re.sub(r"<li>", "• ", html)
    html = re.sub(r"</(p|h2|h3|h4|ul|ol|pre|blockquote|table)>", "\n\n", html)
    html = re.sub(r"</(li|tr)>|<br>", "\n", html)
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
