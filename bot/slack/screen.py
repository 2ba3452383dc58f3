"""What the web process refuses before Bolt sees a request: oversized or unsigned bodies, and signed ones that are
malformed, nested too deep or carry fields of the wrong type (Bolt would fail on them with a 500)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

from bot.bodies import MAX_BODY_BYTES, BodyError, load_json, too_large
from bot.numbers import ascii_int

_DICTS = ("event", "team", "user", "channel", "container", "message", "view", "enterprise", "authed_user")
_STRINGS = ("type", "team_id", "api_app_id", "event_id", "enterprise_id", "callback_id", "trigger_id",
            "response_url", "token", "user_id", "channel_id", "command", "text")
_LISTS_OF_DICTS = ("actions", "authorizations")
_EVENT_STRINGS = ("type", "text", "ts", "thread_ts", "channel", "channel_type", "subtype", "bot_id", "tab")
_ANSWERED_EVENTS = ("app_mention", "message", "app_home_opened")


def content_length(text: str | None) -> int:
    """The Content-Length header as a number; BodyError (400, 413) when it is absent, not ASCII digits, or too big."""
    length = ascii_int(text or "0")
    if length is None:
        raise BodyError(400, "a Content-Length of ASCII digits is required")
    if length > MAX_BODY_BYTES:
        raise too_large()
    return length


def check_signature(verifier: SignatureVerifier, body: bytes, timestamp: str | None, signature: str | None) -> None:
    """BodyError (401) unless `body` carries Slack's valid, recent signature (a timestamp of ASCII digits)."""
    if ascii_int(timestamp) is None or not verifier.is_valid(body, timestamp or "", signature or ""):
        raise BodyError(401, "invalid request")


def parse(text: str, content_type: str | None) -> dict[str, Any]:
    """The body as Bolt will read it (a JSON object, a `payload=` form or a plain form); BodyError (400) when it is
    malformed, too deep, or a known field has the wrong type."""
    if content_type == "application/json" or text.startswith("{"):
        parsed = load_json(text) if text else {}
    elif "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        parsed = load_json(payload) if payload is not None else {}
    else:
        return dict(parse_qsl(text, keep_blank_values=True))  # a slash command: every value is a string
    if not isinstance(parsed, dict):
        raise BodyError(400, f"a JSON {type(parsed).__name__}, not an object")
    check_shape(parsed)
    return parsed


def _wrong(field: str, expected: str) -> BodyError:
    return BodyError(400, f"{field} is not {expected}")


def check_shape(body: dict[str, Any]) -> None:
    """BodyError (400) when a field the app reads has another type than Slack sends (a null is allowed)."""
    for name in _DICTS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            raise _wrong(name, "an object")
    for name in _STRINGS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise _wrong(name, "a string")
    for name in _LISTS_OF_DICTS:
        value = body.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(item, dict) for item in value)):
            raise _wrong(name, "a list of objects")
    event = body.get("event")
    if body.get("type") == "event_callback" and not isinstance(event, dict):
        raise _wrong("event", "an object")
    if isinstance(event, dict) and event.get("type") in _ANSWERED_EVENTS:
        for name in _EVENT_STRINGS:
            if event.get(name) is not None and not isinstance(event[name], str):
                raise _wrong(f"event.{name}", "a string")
    elif isinstance(event, dict) and not isinstance(event.get("type"), str):
        raise _wrong("event.type", "a string")


def describe(body: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """(team, channel, what) of a parsed request, for its log line: `/srm <first word>`, the event type, or the
    interaction type with its action or callback id. Only ids and names Slack sets, never the user's text."""
    if isinstance(body.get("command"), str):
        word = str(body.get("text") or "").split(" ", 1)[0].lower()
        what = body["command"] + (f" {word}" if word.isascii() and word.isalpha() and len(word) <= 12 else "")
        return body.get("team_id"), body.get("channel_id"), what
    event = body.get("event")
    if isinstance(event, dict):
        channel = event.get("channel")
        return body.get("team_id"), channel if isinstance(channel, str) else None, str(event.get("type"))
    team = (body.get("team") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    actions = body.get("actions") or [{}]
    detail = actions[0].get("action_id") or body.get("callback_id") or ""
    return team, channel, f"{body.get('type') or 'unknown'}{':' if detail else ''}{detail}"
