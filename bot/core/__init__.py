"""The platform-free core: knowledge base, matcher and answers. Nothing here imports Slack or Teams."""

from bot.core.answers import Ambiguous, Answer, Candidate, NoMatch, Result, outcome_of, result_to_dict
from bot.core.loader import KnowledgeError, Problem, default_knowledge_dir, load_knowledge
from bot.core.matcher import THRESHOLDS, Matcher
from bot.core.model import Artifact, Entry, KnowledgeBase, Link, Override, Service, Tip
from bot.core.thresholds import Thresholds

__all__ = [
    "THRESHOLDS",
    "Ambiguous",
    "Answer",
    "Artifact",
    "Candidate",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Link",
    "Matcher",
    "NoMatch",
    "Override",
    "Problem",
    "Result",
    "Service",
    "Thresholds",
    "Tip",
    "default_knowledge_dir",
    "load_knowledge",
    "outcome_of",
    "result_to_dict",
]
