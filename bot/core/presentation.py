"""Wording shared by every renderer (terminal, Slack, Teams), so each platform says the same thing."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.answers import Answer, NoMatch
from bot.core.model import OWNER_LABELS, Artifact, Check

OWNER_EMOJI = {"aws": "\u2601\ufe0f", "customer": "\U0001f9d1\u200d\U0001f4bb", "shared": "\U0001f91d"}

AMBIGUOUS_PROMPT = "Your question fits several topics. Did you mean:"

NO_MATCH_MESSAGES = {
    "empty": "Ask me who is responsible for something in AWS, for example \"security groups\" or \"who patches "
             "the OS on RDS?\"",
    "off-topic": "I don't have an answer for that. I answer who is responsible for what under the AWS Shared "
                 "Responsibility Model.",
    "pricing": "That sounds like a pricing question. I only answer who is responsible for what under the AWS "
               "Shared Responsibility Model; see the AWS pricing pages for costs.",
    "how-to": "That sounds like a how-to question. I answer who is responsible for what under the AWS Shared "
              "Responsibility Model; the service's documentation has the steps.",
    "limits": "That sounds like a question about service limits or quotas. I answer who is responsible for what "
              "under the AWS Shared Responsibility Model; the Service Quotas pages have the numbers.",
    "status": "I can't tell whether something is up or down. For AWS services, the AWS Health Dashboard shows "
              "events that affect your account; for your own systems, ask the team that runs them.",
    "general": "That is a general question about AWS (how two things differ, when something launched, where it "
               "is available). I answer who is responsible for what under the AWS Shared Responsibility Model; the "
               "service's documentation has the rest.",
    "other-cloud": "I only know the AWS Shared Responsibility Model. Other cloud providers publish their own, and "
                   "their documentation says how they split the work.",
    "definition": "I don't define AWS services, but I can tell you who is responsible for what on one: try "
                  "\"who secures it?\" or \"who patches the OS on it?\"",
}

EXAMPLES = (
    "security groups",
    "who patches the guest OS on EC2?",
    "who patches the OS on RDS?",
    "is physical security AWS's job?",
    "KMS key rotation",
)


ACCESS_LABELS = {"public": "public", "artifact": "in AWS Artifact"}


def artifact_label(artifact: Artifact) -> str:
    """An audit artifact's name with where to get it: "SOC 2 Type 2 report (in AWS Artifact)"."""
    return f"{artifact.name} ({ACCESS_LABELS.get(artifact.access, artifact.access)})"


def owner_label(owner: str) -> str:
    """"AWS: security OF the cloud" and its siblings."""
    return OWNER_LABELS[owner]


def service_line(answer: Answer) -> str | None:
    """Why this owner, when something more specific than the entry decided it: the named service's record, its
    category's default, or the side of a shared control the question named. None when the entry's own answer
    stands (nothing to add to it)."""
    return answer.decision.reason or None


def difference_lines(answer: Answer) -> list[str]:
    """One line per other service where ownership or duties differ."""
    return [f"{service.name} ({OWNER_LABELS[o.owner].split(':')[0]}): {o.note}" for service, o in answer.differences]


def no_match_message(result: NoMatch) -> str:
    """Why nothing matched, in a sentence."""
    return NO_MATCH_MESSAGES.get(result.reason, NO_MATCH_MESSAGES["off-topic"])




def checks_line(checks: Sequence[Check]) -> str | None:
    """"Checked by: Security Hub EC2.8, SSM.1; Config rule ec2-instance-profile-attached", or None when nothing
    checks it. A Config rule a listed Security Hub control runs is not named again."""
    controls = [c.security_hub for c in checks if c.security_hub]
    rules = [c.config_rule for c in checks if c.config_rule and not c.security_hub]
    parts = ([f"Security Hub {', '.join(controls)}"] if controls else []) + (
        [f"Config rule{'s' if len(rules) > 1 else ''} {', '.join(rules)}"] if rules else [])
    return "Checked by: " + "; ".join(parts) if parts else None
