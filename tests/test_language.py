"""The language data (knowledge/language.yaml) is validated with file:line problems, and drives the matcher."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core import KnowledgeError, Matcher, NoMatch, load_knowledge
from bot.core.language import LanguageError, parse_language
from bot.core.normalize import fold, not_chosen, without_alternative, words
from bot.core.paths import shipped_knowledge_dir

SHIPPED = shipped_knowledge_dir() / "language.yaml"


def problems_with(tmp_path: Path, old: str, new: str) -> list[tuple[int, str]]:
    """The problems parsing the shipped language file reports once `old` is replaced by `new` (first place only)."""
    text = SHIPPED.read_text(encoding="utf-8")
    broken = tmp_path / "language.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LanguageError) as info:
        parse_language(broken)
    return info.value.problems


def line_of(prefix: str) -> int:
    """The line of the shipped language file that starts with `prefix`."""
    return next(n for n, t in enumerate(SHIPPED.read_text(encoding="utf-8").splitlines(), start=1)
                if t.startswith(prefix))


def test_the_shipped_language_file_is_valid() -> None:
    language = parse_language(SHIPPED)
    assert "who" in language.filler and "kubernetes" in language.known_words
    assert language.how_to.search("how do i create a bucket") and not language.how_to.search("who creates it")


def test_a_missing_cue_kind_is_named_with_its_line(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    broken = tmp_path / "language.yaml"
    broken.write_text(text.replace("  limits: [", "  limitz: ["), encoding="utf-8")
    with pytest.raises(LanguageError) as info:
        parse_language(broken)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t.startswith("  limits: ["))
    messages = [f"{n}: {m}" for n, m in info.value.problems]
    assert f"{line}: unknown cue kind 'limitz' (known: ownership, pricing, limits, status, general, " \
           "definition_openings, how_to_openings, how_to_verbs, how_to_phrases, condition_openings, " \
           "trailing_conditions, back_references, requests, reported_asks, second_asks, alternatives, either_or, " \
           "moves, split_asks, spans, other_clouds)" in messages


def test_a_broken_language_file_makes_the_base_invalid(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(shipped_knowledge_dir(), root)
    (root / "language.yaml").write_text("filler: [a, b]\njoined: 3\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    assert any(p.file == "language.yaml" and "field 'joined' must be a list" in p.message
               for p in info.value.problems)


def test_a_real_english_word_is_never_read_as_a_typo(matcher: Matcher) -> None:
    # "watches" is one slip from "patches"; read as a typo it used to answer guest OS patching with confidence.
    assert isinstance(matcher.match("who watches the watchmen"), NoMatch)
    # A word outside English and the knowledge base is still a typo.
    assert matcher.match("who patchs the guest os on ec2").entry.id == "guest-os-patching"


def test_words_of_the_trade_are_not_typos(matcher: Matcher) -> None:
    # "postgres" is not in the English list, but it is a known word: never "posture".
    result = matcher.match("postgres")
    assert isinstance(result, NoMatch) or all("posture" not in c.entry.id for c in result.candidates)


@pytest.mark.parametrize("opening", ["who's", "who is"])
def test_a_contracted_question_word_is_filler_like_the_full_one(matcher: Matcher, opening: str) -> None:
    result = matcher.match(f"{opening} responsible for security in EKS overall?")
    assert getattr(result, "entry", None) is not None and result.entry.id == "service-eks"


def test_aws_or_the_customer_asks_whose_it_is_without_being_the_topic(matcher: Matcher) -> None:
    result = matcher.match("sqs underlying servers - aws or customer")
    assert getattr(result, "owner", None) == "aws"
    assert result.entry.id != "security-in-the-cloud"


@pytest.mark.parametrize(("question", "reason"), [
    ("what is the difference between an ALB and an NLB", "general"),
    ("when did Amazon S3 launch", "general"),
    ("which regions have Amazon Bedrock", "general"),
    ("how do i rdp into a windows instance", "how-to"),
    ("could you explain how S3 prefixes and request rates affect latency?", "general"),
    ("which EBS volume type should we choose for a busy Postgres database?", "general"),
    ("how long does it take for a new Outpost rack to be delivered?", "general"),
])
def test_general_facts_and_remote_login_steps_are_refused_with_their_reason(matcher: Matcher, question: str,
                                                                           reason: str) -> None:
    result = matcher.match(question)
    assert isinstance(result, NoMatch) and result.reason == reason


def test_asking_whose_job_a_design_choice_is_is_still_answered(matcher: Matcher) -> None:
    assert not isinstance(matcher.match("who is responsible for how our DynamoDB partition keys affect throughput?"),
                          NoMatch)


def test_a_comparison_that_asks_whose_it_is_is_still_answered(matcher: Matcher) -> None:
    assert not isinstance(matcher.match("difference between who owns security groups and who owns NACLs"), NoMatch)


def test_the_english_word_list_holds_every_long_word_of_the_dictionary_and_nothing_else() -> None:
    import gzip
    import json
    from importlib import resources

    from bot.core.english import english_words

    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        dictionary = json.load(text)
    kept = {w for w in dictionary if len(w) >= 4 and w.isalpha() and w.isascii() and w.islower()}
    words = english_words()
    assert len(words) == len(kept) and all(w in words for w in kept)
    assert "watches" in words and "patchs" not in words and "café" not in words and 7 not in words


def test_follow_up_wording_comes_from_the_language_file() -> None:
    cues = parse_language(SHIPPED).follow_ups
    assert cues.service_follow_up("and on lambda") == "lambda"
    assert cues.service_follow_up("what about amazon rds then") == "amazon rds"
    assert cues.service_follow_up("and for s3 as well") == "s3"
    assert cues.service_follow_up("what about") is None and cues.service_follow_up("who patches rds") is None
    assert cues.asks_why("why") and cues.asks_why("how come")
    assert not cues.asks_why("why is the customer responsible for iam")


def test_follow_up_problems_are_named_with_their_lines(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    lines = text.splitlines()
    endings = next(n for n, t in enumerate(lines, start=1) if t.startswith("  endings: ["))
    why = next(n for n, t in enumerate(lines, start=1) if t.startswith("  why: ["))
    broken = tmp_path / "language.yaml"
    broken.write_text(text.replace("  endings: [then,", "  endings: [\"Then!\",")
                      .replace("  why: [why,", "  whys: [why,"), encoding="utf-8")
    with pytest.raises(LanguageError) as info:
        parse_language(broken)
    messages = [f"{n}: {m}" for n, m in info.value.problems]
    assert f"{endings}: follow_ups.endings: 'Then!' must be lowercase words of letters and digits separated by " \
           "single spaces (no apostrophes or punctuation)" in messages
    assert f"{why}: unknown follow-up kind 'whys' (known: service_openings, endings, why)" in messages
    section = next(n for n, t in enumerate(lines, start=1) if t.startswith("follow_ups:"))
    assert f"{section}: field 'follow_ups' needs 'why', a non-empty list of phrases" in messages
    assert str(broken) + f":{endings}: follow_ups.endings" in str(info.value)


def test_a_language_file_without_follow_ups_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    broken = tmp_path / "language.yaml"
    broken.write_text(text[:text.index("\n# Follow-ups")] + "\n", encoding="utf-8")
    with pytest.raises(LanguageError) as info:
        parse_language(broken)
    assert [m for _, m in info.value.problems] == [
        "field 'follow_ups' must be a mapping with service_openings, endings, why"]


def test_a_side_named_for_no_party_is_named_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, '  customer: ["our side"', '  us: ["our side"')
    assert (line_of('  customer: ["our side"'), "sides: 'us' is not a party (known: aws, customer)") in problems


@pytest.mark.parametrize(("question", "owner"), [("what is AWS's part of patch management?", "aws"),
                                                 ("patch management - what's on our end?", "customer"),
                                                 ("patch management - who decides?", "customer")])
def test_naming_a_party_s_side_of_any_shared_control_gets_that_side(matcher: Matcher, question: str,
                                                                    owner: str) -> None:
    result = matcher.match(question)
    assert result.owner == owner and result.decision.rule == "side"  # type: ignore[union-attr]


@pytest.mark.parametrize(("question", "entry_id"), [
    ("who controls access to our SMB file shares on FSx for Windows?", "iam-users-and-access"),
    ("is security shared on aws?", "shared-responsibility-model"),
    ("is backup a shared responsibility?", "shared-responsibility-model"),
])
def test_shared_names_the_model_only_as_shared_responsibility_or_alone(matcher: Matcher, question: str,
                                                                        entry_id: str) -> None:
    result = matcher.match(question)
    assert result.entry.id == entry_id  # type: ignore[union-attr]


def test_a_certificate_that_proves_an_identity_is_not_an_audit_certification(matcher: Matcher) -> None:
    result = matcher.match("who manages the certificate authority that signs our device certificates?")
    assert result.entry.id == "acm-private-ca"  # type: ignore[union-attr]
    assert matcher.match("AWS ISO 27001 certificate").entry.id == "iso-certifications"  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["who is accountable for security overall once we migrate to AWS?",
                                      "cloud security as a whole, aws or us?"])
def test_security_as_a_whole_in_any_setting_is_the_model_itself(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry.overview  # type: ignore[union-attr]


def test_encrypted_end_to_end_is_encryption_on_the_way_but_end_to_end_alone_means_overall() -> None:
    assert words("is it encrypted end-to-end?")[-1] == "endtoend"
    assert words("who owns security end to end")[-1] == "overal"


def test_a_key_aws_owns_is_not_our_own_key(matcher: Matcher) -> None:
    result = matcher.match("can we use our own keys for Amazon S3 Glacier archives?")
    assert not (hasattr(result, "entry") and result.entry.id == "aws-owned-keys")
    assert matcher.match("what are AWS owned keys?").entry.id == "aws-owned-keys"


def test_security_and_compliance_names_the_whole_model(matcher: Matcher) -> None:
    result = matcher.match("who is responsible for security and compliance overall?")
    assert result.entry.id == "shared-responsibility-model" and result.owner == "shared"


def test_an_auditor_s_control_area_framing_names_no_topic_of_its_own(matcher: Matcher) -> None:
    assert matcher.match("backups as a control area").entry.id == "backups"


def test_a_phrase_joined_at_the_end_is_joined_only_where_it_ends_the_question() -> None:
    # "... our functions run on" points back at what the functions run on; "run on EC2" says where they run.
    assert words("the servers our functions run on") == words("the servers our functions beneath")
    assert "beneath" not in words("the servers we run on EC2")


@pytest.mark.parametrize(("question", "owner"), [
    ("do we have to patch the servers our lambdas execute on", "aws"),
    ("who patches the machines our functions execute on", "aws"),
    ("who patches the servers that run SQS", "aws"),
    ("who patches our servers", "customer"),
])
def test_what_a_service_runs_on_is_its_hosts_and_servers_you_run_are_yours(matcher: Matcher, question: str,
                                                                          owner: str) -> None:
    assert matcher.match(question).owner == owner


def test_servers_you_run_on_ec2_are_never_called_aws_hosts(matcher: Matcher) -> None:
    assert matcher.match("who patches the servers that we run on EC2").owner != "aws"


def test_a_joined_item_with_a_wrong_at_end_is_named_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, "    at_end: true", "    at_end: sometimes")
    item = line_of("  - token: beneath")
    assert (item, "field 'at_end' of a joined item must be true or false") in problems


def test_a_joined_phrase_no_folded_question_can_hold_is_named_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, '"inter region", "cross region"', '"inter region", "cross-region"')
    item = line_of("  - token: interregion")
    assert (item, "joined phrase 'cross-region' must be lowercase words of letters and digits separated by single "
                  "spaces, as a folded question reads") in problems


@pytest.mark.parametrize(("question", "service"), [
    ("who creates the AWSServiceRoleForECS service-linked role in our account?", "ecs"),
    ("who creates the AWSServiceRoleForAmazonGuardDuty role?", "guardduty"),
])
def test_a_service_linked_role_s_name_names_its_service_and_is_aws_s(matcher: Matcher, question: str,
                                                                     service: str) -> None:
    answer = matcher.match(question)
    assert answer.service is not None and answer.service.id == service
    assert answer.owner == "aws"


def test_a_prefix_splits_only_a_word_that_goes_on_after_it() -> None:
    assert words("AWSServiceRoleForRDS") == words("service linked role for rds")
    assert words("awsservicerolefor") == ["awsservicerolefor"]


def test_a_prefix_item_without_its_words_is_named_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, "words: service linked role for aws}", "wrds: service linked role for aws}")
    item = line_of("  - {prefix: awsserviceroleforaws")
    assert (item, "each item of field 'prefixes' needs 'prefix' (one lowercase word of letters and digits) and "
                  "'words' (lowercase words separated by single spaces)") in problems


def test_what_a_question_names_as_not_chosen_is_set_apart_from_what_it_asks() -> None:
    question = "who encrypts the data when we haven't chosen a customer managed key?"
    assert not_chosen(question) == "haven't chosen a customer managed key"
    assert "customer managed" not in without_alternative(question)
    assert not_chosen("who encrypts the data?") == ""


def test_a_phrasal_verb_split_by_its_object_is_read_with_its_particle_beside_it() -> None:
    assert fold("who rolls the patched AMI out?") == "who rolls out the patched ami"
    assert fold("do we have to turn it on") == fold("do we have to turn on it")
    # An object longer than a few words leaves the words as typed; a particle already beside its verb stays.
    assert fold("we set the retention period of our backups up") == "we set the retention period of our backups up"
    assert fold("turn off the setting and then turn it on") == fold("turn off the setting and then turn on it")


def test_a_phrasal_verb_that_is_not_two_words_is_named_with_its_line(tmp_path: Path) -> None:
    problems = problems_with(tmp_path, '"roll out", "rolls out",', '"roll out", "rolls out further",')
    assert (line_of("phrasal_verbs:"), "field 'phrasal_verbs' must be a list of two-word phrases, a verb and its "
                                       "particle, lowercase as a folded question reads") in problems


def test_out_of_the_box_is_what_happens_by_itself_not_a_server(matcher: Matcher) -> None:
    assert fold("is it encrypted out of the box") == "is it encrypted automatically"
    result = matcher.match("Is CloudFront standard logging on out of the box, or do we turn it on?")
    assert not isinstance(result, NoMatch) and result.owner == "customer"
