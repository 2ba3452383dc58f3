"""The words of quiz tips, the same on every platform (each renderer escapes them for its markup)."""

from __future__ import annotations

from bot.core.model import Entry

OWNER_BUTTONS = (("aws", "AWS"), ("customer", "Customer"), ("shared", "Shared"))
"""(owner, button label) of a quiz's answers, in the order shown."""
ONE_ANSWER = "One answer per person counts."


def question(entry: Entry) -> str:
    """"Who owns this: Guest operating system patching?"."""
    return f"Who owns this: {entry.title}?"


def tally_text(answered: int, correct: int) -> str:
    """How the channel did on its last quiz."""
    if not answered:
        return "Last quiz: nobody answered. Give this one a try!"
    people = "person" if answered == 1 else "people"
    return f"Last quiz: {answered} {people} answered, {correct} got it right ({round(100 * correct / answered)}%)."


def verdict(correct: bool) -> str:
    """The first words of the answer to a click."""
    return "\u2705 Right!" if correct else "\u274c Not quite."


def already_answered(first_answer: str) -> str:
    """Told to a second click: the first answer is the one counted."""
    return f"You had answered already; your first answer ({first_answer}) is the one counted."


def explanation(entry: Entry, tip_text: str | None) -> str:
    """Why the owner is who it is: the tip's text and the entry's summary."""
    return f"{tip_text} {entry.summary}" if tip_text else entry.summary
