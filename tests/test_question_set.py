"""The question sets in tests/questions/ must keep the accuracy reached; `srm eval` prints the same figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Matcher
from bot.core.evaluation import Question, evaluate, load_questions

QUESTIONS = Path(__file__).parent / "questions"

# Sets written by the team and tuned on: the accuracy reached when each was last tuned.
# Sets written blind (holdout*, blind-*): their first-run figure, which stays the floor however far tuning lifts
# the set; a floor raised after tuning on a set would measure nothing. First runs: holdout 88.8%, holdout-2
# 83.3%, blind-3 67.4% (187 owner-keyed questions, 2026-12-02, on the matcher before the layer model).
FLOORS = {
    "core.yaml": 0.98, "kb-a.yaml": 0.99, "kb-b.yaml": 0.99, "kb-c.yaml": 1.0,
    "holdout.yaml": 0.88, "holdout-2.yaml": 0.83, "blind-3.jsonl": 0.67,
    # blind-4 (170 owner-keyed questions written by a helper that read neither the knowledge base nor the matcher):
    # first run 89.4% on 2026-12-03, on the layer model as it stood (commit afc2362).
    "blind-4.jsonl": 0.89,
    # blind-5 (100 service-doc questions over 77 services, each from an AWS page, written by a helper that read
    # neither the knowledge base nor the matcher): first run 73.0% on 2026-12-03 (commit 7293d3f's matcher).
    "blind-5.jsonl": 0.73,
    # blind-6 (120 service-doc questions over 81 services, each asking who does one part of a split an AWS page
    # describes, written by a helper that read neither the knowledge base nor the matcher): first run 56.7% on
    # 2026-12-03 (commit d042adf; 55.0% on the session's starting commit 69411f0).
    "blind-6.jsonl": 0.56,
    # blind-7 (120 questions of dev-external's kinds: 30 exam-option phrases, 15 stems, 55 service-doc, 10 near-domain,
    # 10 off-topic, written by a helper that read neither the knowledge base nor the matcher): first run 90.8% on
    # 2026-12-03 (commit 065a8c8; 90.0% on the session's starting commit 69411f0).
    "blind-7.jsonl": 0.9,
    # blind-8 (100 owner-keyed questions: 60 service-doc over 53 services, 15 exam phrases, 10 stems, 10 near-domain,
    # 5 off-topic, written from AWS pages by a helper that read neither the knowledge base nor the matcher): first
    # run 83.0% on 2026-12-03 (commit addc8ca's matcher, before any session-12 change). A second helper, as blind,
    # then checked the sources against AWS's pages and widened two owners (ACM renewal, Secrets Manager rotation);
    # the corrected set scores 84.0% on that same matcher. The floor stays at the very first run.
    "blind-8.jsonl": 0.83,
    # blind-9 (100 owner-keyed questions: 60 service-doc over 51 services, 15 exam phrases, 10 stems, 10 near-domain,
    # 5 off-topic, written from AWS pages by a helper that read neither the knowledge base nor the matcher): first
    # run 76.0% on 2026-12-03 (commit aa2082f, the session's starting matcher).
    "blind-9.jsonl": 0.76,
    # blind-10 (100 owner-keyed questions: 60 service-doc over 51 services, 15 exam phrases, 10 stems, 10 near-domain,
    # 5 off-topic, written from AWS pages by a helper that read neither the knowledge base nor the matcher; session
    # 14): first run 79.0% on 2026-12-04 (commit 972acb9: service-doc 45/60, exam 12/15, stems 8/10, near-domain
    # 9/10, off-topic 5/5).
    "blind-10.jsonl": 0.79,
    # blind-11 (100 owner-keyed questions: 60 service-doc over 55 services, 15 exam phrases, 10 stems, 10 near-domain,
    # 5 off-topic, written from AWS pages by a helper that read neither the knowledge base nor the matcher; session
    # 15): first run 73.0% on 2026-12-06 (commit e9c8b26: service-doc 39/60, exam 14/15, stems 7/10, near-domain
    # 9/10, off-topic 4/5; 72.0% on the session's starting commit bedba75).
    "blind-11.jsonl": 0.73,
    # blind-12 (100 owner-keyed questions: 60 service-doc over 51 services none of which blind-11 names, 15 exam
    # phrases, 10 stems, 10 near-domain, 5 off-topic, written as blind-11 was; session 15): first run 75.0% on
    # 2026-12-06 (commit 9a74b2d, after this session's class fixes: service-doc 42/60, exam 13/15, stems 8/10,
    # near-domain 8/10, off-topic 4/5; 73.0% on the session's starting commit bedba75).
    "blind-12.jsonl": 0.75,
    # blind-13 (100 owner-keyed questions: 60 service-doc over 51 services none of which blind-11 or blind-12 names,
    # 15 exam phrases, 10 stems, 10 near-domain, 5 off-topic, written as blind-11 was; session 15): first run 72.0%
    # on 2026-12-06 (commit 32b71af, near the session's end: service-doc 44/60, exam 10/15, stems 6/10, near-domain
    # 7/10, off-topic 5/5; 67.0% on the session's starting commit bedba75).
    "blind-13.jsonl": 0.72,
    # blind-14 (100 owner-keyed questions: 60 service-doc over 50 services none of which blind-11, blind-12 or
    # blind-13 names, 15 exam phrases, 10 stems, 10 near-domain, 5 off-topic, written as blind-11 was; session 16):
    # first run 76.0% on 2026-12-06 on the session's starting commit 9a75d42 (service-doc 46/60, exam 11/15, stems
    # 7/10, near-domain 7/10, off-topic 5/5; 78.0% with this session's first class fix, made before the set was
    # written, 79.0% once that fix was narrowed after this first run showed it losing one).
    "blind-14.jsonl": 0.76,
    # blind-15 (100 owner-keyed questions: 60 service-doc over 46 of the services our blind sets named least, 15
    # exam phrases, 10 stems, 10 near-domain, 5 off-topic, written as blind-11 was; session 17): first run 82.0% on
    # 2026-12-06 on the session's starting commit 9f77687 (service-doc 47/60, exam 15/15, stems 6/10,
    # near-domain 9/10, off-topic 5/5).
    "blind-15.jsonl": 0.82,
    # blind-16 (100 owner-keyed questions: 60 service-doc over 45 services our blind sets named least, written as
    # blind-11 was; session 17, begun after this session's first fixes): first run 79.0% on
    # 2026-12-06, on the session's starting commit 9f77687 and on 36535cd alike (service-doc 41/60, exam 14/15,
    # stems 10/10, near-domain 9/10, off-topic 5/5).
    "blind-16.jsonl": 0.79,
    # blind-17 (100 owner-keyed questions: 60 service-doc over 40 of the most widely used services, 15 exam phrases,
    # 10 stems, 10 near-domain, 5 off-topic, written as blind-11 was, near session 17's end): first run 86.0% on
    # 2026-12-06 on the session's starting commit 9f77687 (service-doc 49/60, exam 14/15, stems 8/10, near-domain
    # 10/10, off-topic 5/5; 88.0% on the commit it was added to).
    "blind-17.jsonl": 0.86,
    # blind-18 and blind-19 (100 owner-keyed questions each: 60 service-doc, 15 exam phrases, 10 stems, 10
    # near-domain, 5 off-topic; two helpers blind to the bot, the knowledge base and every set, one over the AWS-named
    # services, one over the Amazon-named ones; session 18): first runs on the session's starting commit 2d657e5,
    # blind-18 82.0% (service-doc 45/60, exam 15/15, stems 7/10, near-domain 10/10, off-topic 5/5), blind-19 88.0%
    # (52/60, 15/15, 8/10, 8/10, 5/5). blind-18's misses were read to find classes; blind-19's were not.
    "blind-18.jsonl": 0.82,
    "blind-19.jsonl": 0.88,
    # blind-20 and blind-21 (100 owner-keyed questions each, written as blind-18 and blind-19 were, each over a random
    # half of the catalog's services; session 19): first runs on the session's starting commit 3be3fe5, blind-20
    # 76.0% (service-doc 41/60, exam 13/15, stems 10/10, near-domain 7/10, off-topic 5/5), blind-21 82.0% (45/60,
    # 15/15, 9/10, 8/10, 5/5). blind-20's misses were read to find classes; blind-21's were not.
    "blind-20.jsonl": 0.76,
    "blind-21.jsonl": 0.82,
    # blind-22 (100 owner-keyed questions written as blind-20 was, over a random half of the catalog's services;
    # session 20): first run on the session's starting commit 3ecfe83, 80.0% (service-doc 42/60, exam 15/15, stems
    # 10/10, near-domain 8/10, off-topic 5/5). Its misses were read to find classes.
    "blind-22.jsonl": 0.80,
    # blind-23 (100 owner-keyed questions written as blind-22 was, over the other half of the catalog's services;
    # session 20, arrived after the session's first fixes): first run on the starting commit 3ecfe83, 81.0%
    # (service-doc 44/60, exam 15/15, stems 10/10, near-domain 7/10, off-topic 5/5). Its misses were not read.
    "blind-23.jsonl": 0.81,
    # Service sets, written from each service's AWS security pages before its statements were written (issue 14);
    # their floors are their first runs too.
    "services-existing.jsonl": 0.72, "services-network-security-management.jsonl": 0.54,
    "services-analytics-ml-integration.jsonl": 0.45, "services-more.jsonl": 0.55,
    "services-compute-storage-data.jsonl": 0.54,
    # Batch 5 (35 services, 112 questions): first run 63.4% on 2026-12-02, right after its statements loaded.
    "services-batch-5.jsonl": 0.63,
    # Batch 6 (sub-services whose split differs from their parent: EKS Auto Mode, EKS Hybrid Nodes, ECS and Lambda
    # Managed Instances; 24 questions): first run 33.3% on 2026-12-02, before their records were written.
    "services-batch-6.jsonl": 0.33,
    # Batch 7 (serverless and storage-class variants: ElastiCache Serverless, MSK Serverless, S3 directory buckets,
    # FSx for Lustre scratch file systems; 24 questions): first run 66.7% on 2026-12-02, before their records were
    # written.
    "services-batch-7.jsonl": 0.66,
    # Batch 8 (AWS IoT Greengrass, 3 questions written from its pages): first run 66.7% on 2026-12-03, before its
    # device-side statements (physical security, guest OS) were written.
    "services-batch-8.jsonl": 0.66,
    # Batch 9 (Amazon Timestream for LiveAnalytics, 4 questions from its pages): first run 100% on 2026-12-03,
    # answered through Timestream for InfluxDB's record before LiveAnalytics had one of its own.
    "services-batch-9.jsonl": 1.0,
    # Parts of shared statements (20 statements whose note names one thing AWS does and one you do, two questions
    # each, one per part; 40 questions): first run 52.5% on 2026-12-02, before the statements had sides.
    "services-parts.jsonl": 0.52,
    # Gap statements (encryption in transit, network placement, logging, backups and retention for services that
    # had none; one question per statement, written from its page before the statement): first runs on 2026-12-03.
    "services-gaps-gapc.jsonl": 0.42, "services-gaps-gapd.jsonl": 0.56, "services-gaps-gape.jsonl": 0.62,
    "services-gaps-gapf.jsonl": 0.56, "services-gaps-gapg.jsonl": 0.59,
    # Written in three batches, each committed before its statements; the floor is the batches' first runs
    # together (5 + 4 + 1 of 17).
    "services-gaps-gapi.jsonl": 0.58, "services-gaps-gaph.jsonl": 0.53, "services-gaps-gapj.jsonl": 0.75,
    # Parts of shared statements, one file per services file (session 10): one question per part, each batch
    # committed before its parts were written; the floor is the batches' first runs together.
    "services-sides-sides1.jsonl": 0.49, "services-sides-sides2.jsonl": 0.34, "services-sides-sides3.jsonl": 0.38,
    "services-sides-sides4.jsonl": 0.33, "services-sides-sides5.jsonl": 0.36,
    # Resilience statements for services that had none (session 10), one question per statement, each batch
    # committed before its statements: the batches' first runs together.
    "services-gaps-res1.jsonl": 0.5, "services-gaps-res2.jsonl": 0.2, "services-gaps-res3.jsonl": 0.14,
    "services-gaps-res4.jsonl": 0.77, "services-gaps-res5.jsonl": 0.75,
    # Maintenance parts of managed services (session 10; each batch's questions committed before its edits): the
    # batches' first runs together (5 of 15).
    "services-maint.jsonl": 0.33,
    # Patching, maintenance-window and version-upgrade parts across 22 managed services (session 11; questions
    # committed before any knowledge edit): the first run (27 of 36).
    "services-maint2.jsonl": 0.75,
    # Access parts, second batch (session 11; questions committed before any knowledge edit): the first run (25 of 36).
    "services-access2.jsonl": 0.69,
    # Logging and retention parts, in two batches by services file (session 11; each batch's questions committed
    # before any knowledge edit): the first runs (25 and 26 of 36).
    "services-logs1.jsonl": 0.69, "services-logs2.jsonl": 0.72,
    # Access parts (session 11; questions committed before any knowledge edit): the first run (25 of 36).
    "services-access1.jsonl": 0.69,
    # Encryption, network placement and backup parts over 24 services of services.yaml (session 12; questions
    # committed before any knowledge edit): the first run (34 of 36).
    "services-enc1.jsonl": 0.94,
    # Encryption, network placement and backup parts across 26 services (session 12; questions committed before any
    # knowledge edit): the first run (29 of 36).
    "services-enc3.jsonl": 0.8,
    # Network placement for five services that had none (session 10): first run 100%, the layer's default already
    # answered them; the statements add the interface endpoints AWS lists.
    "services-gaps-nofact.jsonl": 1.0,
    # Two-part questions ("who does A, and who does B?", 30 from AWS pages over 25 services, written by a helper that
    # read neither the knowledge base nor the matcher): first run 36.7% on 2026-12-03 (commit e284e64), before the
    # matcher read a question part by part.
    "services-compound.jsonl": 0.36,
    # Encryption, network placement and backup parts over 29 services (session 12; questions committed before any
    # knowledge edit): the first run (30 of 36).
    "services-enc2.jsonl": 0.83,
    # Maintenance notices, customer configuration and resilience parts over 25 services of four services files
    # (session 12; questions committed before any knowledge edit): the first run (28 of 36).
    "services-cfg2.jsonl": 0.77,
    # Maintenance notices, configuration the customer must still do and resilience parts over 26 services of three
    # services files (session 12; questions committed before any knowledge edit): the first run (25 of 36).
    "services-cfg3.jsonl": 0.69,
    # Maintenance notices, configuration the customer must still do, and resilience parts over 24 services of
    # services.yaml (session 12; questions committed before any knowledge edit): the first run (22 of 36).
    "services-cfg1.jsonl": 0.61,
    # Data handling, physical and host, capacity and scaling parts over 18 services of four services files (session 12;
    # questions committed before any knowledge edit): the first run (18 of 36).
    "services-dat2.jsonl": 0.5,
    # The eight services that had fewer than three questions in any set (RDS Custom and its two engines, AppFlow, B2B
    # Data Interchange, End User Messaging, Firewall Manager, Lake Formation, Macie, MediaTailor; 44 questions from
    # their AWS pages, written by a helper that read neither the knowledge base nor the matcher; session 14): first
    # run 54.5% (24 of 44) on commit 306db3c, before any knowledge edit.
    "services-batch-10.jsonl": 0.54,
    # EKS managed node groups, a catalog variant added in session 18 (10 questions from the EKS user guide's node
    # group pages, written by a helper that read neither the knowledge base nor the matcher): first run 70% (7 of
    # 10) on commit 42d0ead, before the variant's statements.
    "services-eks-managed-node-groups.jsonl": 0.7,
}
OVERALL_FLOOR = 0.98
"""For the entry-keyed YAML sets together; the owner-keyed blind sets are held by their own floors only."""


def entry_keyed_questions() -> list[Question]:
    """Every question of the entry-keyed (YAML) sets."""
    return [q for path in sorted(QUESTIONS.glob("*.yaml")) for q in load_questions(path)]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_each_question_set_keeps_its_accuracy(matcher: Matcher, name: str) -> None:
    scores = evaluate(matcher, load_questions(QUESTIONS / name))
    failures = [f"{q.q!r} -> {outcome}" for row in scores.values() for q, outcome in row.failures]
    assert scores["all"].accuracy >= FLOORS[name], "\n".join(failures)


def test_every_question_set_has_a_floor() -> None:
    assert sorted(p.name for p in (*QUESTIONS.glob("*.yaml"), *QUESTIONS.glob("*.jsonl"))) == sorted(FLOORS)


def test_all_question_sets_together(matcher: Matcher) -> None:
    questions = entry_keyed_questions()
    assert len(questions) >= 300
    assert evaluate(matcher, questions)["all"].accuracy >= OVERALL_FLOOR


def test_off_topic_questions_never_get_a_confident_answer(matcher: Matcher) -> None:
    scores = evaluate(matcher, [q for q in entry_keyed_questions() if q.wants_no_answer])
    assert scores["all"].accuracy == 1.0, [q.q for row in scores.values() for q, _ in row.failures]
