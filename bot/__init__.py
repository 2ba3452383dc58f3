"""srm-bot: who is responsible for X under the AWS Shared Responsibility Model, answered in Slack and Teams."""

__version__ = "0.1.0"
