"""Facts a review of the knowledge base found wrong stay right (issue 14's review list)."""

from __future__ import annotations

from pathlib import Path

from bot.core import KnowledgeBase
from bot.core.paths import shipped_knowledge_dir


def test_aws_owned_keys_do_not_give_s3_managed_keys_as_an_example(kb: KnowledgeBase) -> None:
    entry = kb.entry("aws-owned-keys")
    assert entry is not None
    examples = next(s for s in entry.explanation.split(". ") if "for example" in s)
    assert "SSE-S3" not in examples and "S3 managed keys" not in examples


def test_redshift_encryption_at_rest_carries_the_date_secure_by_default_began(kb: KnowledgeBase) -> None:
    redshift = kb.service("redshift")
    statement = redshift.statement_for("encryption-at-rest") if redshift else None
    assert statement is not None and statement.since is not None and statement.since.isoformat() == "2025-01-10"


def test_the_data_residency_exception_cites_the_customer_agreement(kb: KnowledgeBase) -> None:
    entry = kb.entry("data-residency")
    assert entry is not None and "https://aws.amazon.com/agreement/" in {link.url for link in entry.links}


def test_rds_iam_database_authentication_names_mariadb(kb: KnowledgeBase) -> None:
    entry = kb.entry("rds-iam-database-authentication")
    assert entry is not None and "MariaDB" in entry.summary


def test_no_link_uses_the_old_knowledge_center_path_and_no_file_cites_a_local_path() -> None:
    for file in Path(shipped_knowledge_dir()).rglob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        assert "aws.amazon.com/premiumsupport/knowledge-center" not in text, file
        assert "/tmp/" not in text, file
