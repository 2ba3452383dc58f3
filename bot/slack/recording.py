"""Feedback and unanswered questions go to the store off the request path: a store failure is logged, never
shown to the user, and never delays an answer (the store retries by itself)."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bot.conversation.conversation import Vote, Where, vote_record

LOGGER = logging.getLogger("srm.slack.recording")


class Recorder:
    """Records feedback and misses through `store` (or only logs them when there is no store)."""

    def __init__(self, store: Any | None, executor: ThreadPoolExecutor | None = None) -> None:
        self.store = store
        self._executor = executor or ThreadPoolExecutor(max_workers=2, thread_name_prefix="srm-record")

    def feedback(self, vote: Vote, where: Where) -> Future[None] | None:
        """Record a helpful / not helpful vote by `where.user_id` on the answer `vote` names."""
        LOGGER.info("feedback entry=%s helpful=%s team=%s", vote.entry_id or "-", vote.helpful, where.team_id or "-")
        if self.store is None:
            return None
        return self._executor.submit(self._call, "record_feedback", **vote_record(vote, where))

    def miss(self, *, question: str, team_id: str | None) -> Future[None] | None:
        """Record a question nothing matched."""
        LOGGER.info("unanswered question team=%s chars=%d stored=%s", team_id or "-", len(question),
                    "yes" if self.store is not None else "no (no database)")
        if self.store is None:
            return None
        return self._executor.submit(self._call, "record_miss", question=question, platform="slack",
                                     team_id=team_id)

    def _call(self, method: str, **kwargs: Any) -> None:
        try:
            getattr(self.store, method)(**kwargs)
        except Exception:
            LOGGER.exception("store.%s failed; the answer was sent anyway", method)
