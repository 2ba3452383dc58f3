"""mrkdwn escaping: user and knowledge text can never ping (`<!channel>`) or disguise a link (`<url|label>`)."""

from __future__ import annotations

from bot.visible import visible


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's three control characters (`&` first), so `text` shows literally in mrkdwn and `text`;
    invisible and reordering characters are dropped first (`bot.visible`)."""
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link whose label and URL are both escaped (a `|` in the label cannot split it)."""
    return f"<{escape_mrkdwn(url).replace('|', '%7C')}|{escape_mrkdwn(label).replace('|', '/')}>"


def unescape_mrkdwn(text: str) -> str:
    """`escape_mrkdwn` undone (`&` last): the text a button value carries escaped, as it was typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
