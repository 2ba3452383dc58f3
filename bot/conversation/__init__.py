"""The conversation layer between the core and the chat platforms: what was asked (`parse`), answered once
(`Conversation`) as a platform-neutral reply (`bot.conversation.replies`); Slack and Teams only render and send it."""

from bot.conversation.conversation import Conversation, Where
from bot.conversation.parse import Command, parse

__all__ = ["Command", "Conversation", "Where", "parse"]
