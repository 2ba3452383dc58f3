"""The experts command as parsed, who may set the channel (SRM_EXPERTS_SET_BY), and when the digest is due
(SRM_DIGEST_AT): bad settings are refused with a message naming the variable."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.conversation.experts import SetterPolicy, setter_policy
from bot.conversation.parse import BadCommand, Experts, parse
from bot.tips.digest import DigestSchedule, digest_schedule


@pytest.mark.parametrize(("text", "command"), [
    ("experts", Experts("show")),
    ("experts OFF", Experts("off")),
    ("experts here", Experts("here")),
    ("experts <#C0123ABC|sec-experts>", Experts("set", "C0123ABC", "sec-experts")),
    ("experts <#G9>", Experts("set", "G9", None)),
])
def test_the_experts_command_is_read_once(text: str, command: Experts) -> None:
    assert parse(text) == command


def test_a_channel_typed_as_text_gets_how_to_write_it() -> None:
    wrong = parse("experts #sec-experts")
    assert isinstance(wrong, BadCommand) and wrong.usage == "experts"
    assert "pick the channel from the list" in wrong.problem


def test_who_may_set_it() -> None:
    assert setter_policy({}) == SetterPolicy(everyone=False, admins=True, users=frozenset())
    listed = setter_policy({"SRM_EXPERTS_SET_BY": "U1, 29:user-1"})
    assert not listed.admins and listed.allows(("29:user-1",), lambda: pytest.fail("not asked"))
    assert not listed.allows(("U2",), lambda: True)
    assert setter_policy({"SRM_EXPERTS_SET_BY": "admins"}).allows(("U2",), lambda: True)
    with pytest.raises(ValueError, match="SRM_EXPERTS_SET_BY must list"):
        setter_policy({"SRM_EXPERTS_SET_BY": "admins; drop table"})


def test_when_the_digest_is_due() -> None:
    friday = digest_schedule({"SRM_DIGEST_AT": "16:30 Europe/Berlin friday"})
    assert friday == DigestSchedule(4, "16:30", "Europe/Berlin")
    week, due = friday.due_in_week(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC))
    assert (week, due) == ("2026-W49", dt.datetime(2026, 12, 4, 15, 30, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="SRM_DIGEST_AT must name a weekday"):
        digest_schedule({"SRM_DIGEST_AT": "09:00 UTC"})
    with pytest.raises(ValueError, match=r"SRM_DIGEST_AT: .*not a time of day"):
        digest_schedule({"SRM_DIGEST_AT": "monday 25:00"})
