"""The matcher: typos, synonyms, acronyms, service overrides, off-topic, odd input, Slack markup."""

from __future__ import annotations

import pytest

from bot.core import Ambiguous, Answer, Matcher, NoMatch
from bot.core.normalize import main_clause, two_asks


def answer(matcher: Matcher, question: str) -> Answer:
    result = matcher.match(question)
    assert isinstance(result, Answer), f"{question!r} -> {result}"
    return result


@pytest.mark.parametrize(
    ("question", "entry_id", "owner"),
    [
        ("security groups", "security-groups", "customer"),
        ("securty groups", "security-groups", "customer"),  # typo
        ("SG", "security-groups", "customer"),  # acronym
        ("firewall rules", "security-groups", "customer"),  # synonym
        ("NACL", "network-acls", "customer"),
        ("hypervisr", "virtualization-layer", "aws"),
        ("who destroys old hard drives?", "media-sanitization", "aws"),
    ],
)
def test_topics_are_found_by_name_typo_synonym_and_acronym(
    matcher: Matcher, question: str, entry_id: str, owner: str
) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner) == (entry_id, owner)


@pytest.mark.parametrize(
    ("question", "service", "owner"),
    [
        ("who patches the guest OS on EC2?", "ec2", "customer"),
        ("who patches the OS on RDS?", "rds", "aws"),
        ("who patches the os on lamda", "lambda", "aws"),  # service typo
        ("who patches the os for dynamo db", "dynamodb", "aws"),  # split service name
        ("OS patching on Fargate", "fargate", "aws"),
        ("who patches the OS in RDS Custom for Oracle?", "rds-custom-oracle", "customer"),
    ],
)
def test_a_named_service_applies_its_own_record(matcher: Matcher, question: str, service: str, owner: str) -> None:
    result = answer(matcher, question)
    assert result.entry.id == "guest-os-patching"
    assert result.service is not None and result.service.id == service
    # The service's record for the entry, or its statement for the guest OS layer, decided it.
    assert result.owner == owner and result.decision.rule in {"service-entry", "service-layer"}


def test_the_default_owner_and_differences_when_no_service_is_named(matcher: Matcher) -> None:
    result = answer(matcher, "guest OS patching")
    assert result.owner == result.entry.owner == "customer" and result.service is None
    assert {s.id for s, _ in result.differences} >= {"rds", "lambda", "fargate"}


@pytest.mark.parametrize(
    ("question", "service"),
    [("who is responsible for security in S3?", "s3"), ("lambda", "lambda"), ("RDS Custom", "rds-custom"),
     ("who configures EKS?", "eks")],
)
def test_a_question_about_a_whole_service_gets_the_service_overview(
    matcher: Matcher, question: str, service: str
) -> None:
    result = answer(matcher, question)
    assert result.entry.id == f"service-{service}" and result.service is not None and result.service.id == service
    assert result.links[0].url == result.service.security_url


def test_a_topic_named_like_a_service_gets_the_topic(matcher: Matcher) -> None:
    assert answer(matcher, "shield advanced").entry.id == "shield-advanced"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("who turns on CloudTrail?", "cloudtrail-logging"),
        ("who is responsible for enabling CloudTrail?", "cloudtrail-logging"),
        ("do we have to switch on GuardDuty ourselves?", "guardduty-findings"),
        ("who activates Shield Advanced?", "shield-advanced"),
    ],
)
def test_switching_a_service_on_asks_about_that_setting_not_the_whole_service(
    matcher: Matcher, question: str, entry_id: str
) -> None:
    assert answer(matcher, question).entry.id == entry_id


def test_switching_on_a_service_without_such_a_setting_still_gets_the_overview(matcher: Matcher) -> None:
    assert answer(matcher, "who turns on EC2?").entry.id == "service-ec2"
    assert isinstance(matcher.match("who enables it?"), NoMatch)  # "enable" alone is no topic


@pytest.mark.parametrize(("question", "entry"), [("pen tset policy", "penetration-testing"),
                                                 ("who does the pen tset?", "penetration-testing"),
                                                 ("point in tiem recovery on dynamodb", "point-in-time-recovery")])
def test_two_neighbouring_letters_swapped_in_a_four_letter_word_are_a_typo(
        matcher: Matcher, question: str, entry: str) -> None:
    assert answer(matcher, question).entry.id == entry


@pytest.mark.parametrize("question", ["pen tent policy", "coed dorms"])
def test_other_four_letter_words_are_not_taken_for_an_index_word(matcher: Matcher, question: str) -> None:
    # "tent" is one letter off "test", "coed" is "code" with its last letters swapped: both are real words.
    result = matcher.match(question)
    assert not (isinstance(result, Answer) and result.entry.id in {"penetration-testing", "application-security"})


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("what's the weather", "off-topic"),
        ("hello", "empty"),
        ("thanks!", "empty"),
        ("", "empty"),
        ("🙂🙂🙂", "empty"),
        ("how do I create an S3 bucket", "how-to"),
        ("how much does EC2 cost?", "pricing"),
        ("what are the console steps to create a KMS key?", "how-to"),
        ("what's the idle timeout of an application load balancer?", "limits"),
    ],
)
def test_off_topic_and_near_domain_questions_get_no_answer(matcher: Matcher, question: str, reason: str) -> None:
    result = matcher.match(question)
    assert isinstance(result, NoMatch) and result.reason == reason


def test_slack_markup_is_undone_before_matching(matcher: Matcher) -> None:
    result = answer(matcher, "<@U024BE7LH> who owns <#C123|general> security groups &amp; stuff?")
    assert result.entry.id == "security-groups"
    assert "<@" not in result.question and "&amp;" not in result.question


def test_a_link_label_is_matched_not_its_url(matcher: Matcher) -> None:
    assert answer(matcher, "<https://evil.example/hypervisor|security groups>").entry.id == "security-groups"


def test_ten_thousand_characters_are_answered(matcher: Matcher) -> None:
    result = matcher.match("security groups " + "x" * 10_000)
    assert isinstance(result, Answer | NoMatch | Ambiguous)
    assert len(result.question) <= 10_016


@pytest.mark.parametrize(
    "question", ["Sécurité groups 🔒", "مجموعات الأمان security groups", "security\x00groups\u202e"]
)
def test_unicode_emoji_and_control_characters_do_not_break_matching(matcher: Matcher, question: str) -> None:
    assert isinstance(matcher.match(question), Answer | Ambiguous | NoMatch)


def test_answers_carry_links_and_evidence(matcher: Matcher) -> None:
    result = answer(matcher, "physical security")
    assert result.owner == "aws"
    assert result.links and all(link.url.startswith("https://") for link in result.links)
    assert {a.id for a in result.artifacts} & {"soc2", "soc3", "iso27001", "data-center-controls"}


def test_close_candidates_are_ambiguous_with_at_most_five(matcher: Matcher) -> None:
    result = matcher.match("encryption")
    assert isinstance(result, Ambiguous | Answer)
    if isinstance(result, Ambiguous):
        assert 2 <= len(result.candidates) <= 5


def test_answer_entry_rebuilds_an_answer_for_a_button_click(matcher: Matcher) -> None:
    result = matcher.answer_entry("guest-os-patching", "rds")
    assert result is not None and result.owner == "aws"
    assert matcher.answer_entry("no-such-entry") is None
    service_answer = matcher.answer_entry("service-lambda")
    assert service_answer is not None and service_answer.entry.title.endswith("AWS Lambda")


def test_a_question_asked_again_reuses_its_result_and_a_new_one_does_not(matcher: Matcher) -> None:
    cached = Matcher(matcher.kb, cache_size=8)
    first = cached.match("who patches the guest OS on EC2?")
    assert cached.match("who patches the guest OS on EC2?") is first
    other = cached.match("who patches the guest os on ec2?")  # only word-for-word repeats are reused
    assert other is not first
    assert (other.question, other.entry, other.owner) == ("who patches the guest os on ec2?", first.entry, first.owner)
    uncached = Matcher(matcher.kb, cache_size=0)
    assert uncached.match("security groups") is not uncached.match("security groups")


def test_long_questions_are_never_kept_in_the_cache(matcher: Matcher) -> None:
    cached = Matcher(matcher.kb, cache_size=8)
    long_question = "who is responsible for security groups " + "please " * 60
    assert cached.match(long_question) is not cached.match(long_question)


def test_the_cache_size_comes_from_the_environment_and_is_checked(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SRM_ANSWER_CACHE", "0")
    uncached = Matcher(matcher.kb)
    assert uncached.match("security groups") is not uncached.match("security groups")
    monkeypatch.setenv("SRM_ANSWER_CACHE", "2")
    cached = Matcher(matcher.kb)
    assert cached.match("security groups") is cached.match("security groups")
    monkeypatch.setenv("SRM_ANSWER_CACHE", "lots")
    with pytest.raises(ValueError, match="SRM_ANSWER_CACHE must be a whole number"):
        Matcher(matcher.kb)


def test_a_service_named_by_one_of_its_many_word_names_in_the_singular_is_found(matcher: Matcher) -> None:
    services, _ = matcher.detect_services("who writes the code of a glue job?")
    assert [s.id for s in services] == ["glue"]
    assert matcher.detect_services("which instance type should I pick?")[0] == []


def test_a_service_is_found_by_its_name_without_aws_or_amazon_where_two_words_remain(matcher: Matcher) -> None:
    services, _ = matcher.detect_services("who keeps network firewall rule groups up to date?")
    assert [s.id for s in services] == ["network-firewall"]
    assert matcher.detect_services("who can connect to my database?")[0] == []  # "Amazon Connect" needs "amazon"


@pytest.mark.parametrize("question, service", [
    ("who encrypts events stored on an Amazon EventBridge event bus?", "eventbridge"),
    ("are EBS snapshots stored locally on an Outpost encrypted?", "outposts"),
])
def test_encryption_said_of_another_topic_is_answered_by_the_services_encryption_statement(
        matcher: Matcher, question: str, service: str) -> None:
    result = matcher.match(question)
    assert isinstance(result, Answer) and result.entry.id == "encryption-at-rest"
    assert result.decision.statement is not None and result.service.id == service


def test_who_may_do_something_to_a_topic_is_access_on_the_named_service(matcher: Matcher) -> None:
    result = matcher.match("who can download SOC reports from AWS Artifact?")
    assert isinstance(result, Answer) and result.owner == "customer" and result.decision.layer.id == "identity"


def test_encryption_said_of_a_topic_whose_own_layer_is_named_stays_with_the_topic(matcher: Matcher) -> None:
    result = matcher.match("Encrypting customer data stored in S3")
    assert isinstance(result, Answer) and result.entry.id == "customer-data" and result.owner == "customer"


def test_a_service_named_only_by_a_word_like_instances_yields_to_one_named_by_its_name(matcher: Matcher) -> None:
    services, _ = matcher.detect_services("who replaces unhealthy instances in an auto scaling group?")
    assert [s.id for s in services] == ["ec2", "ec2-auto-scaling"]  # first mention first
    result = matcher.match("who replaces unhealthy instances in an auto scaling group?")
    assert isinstance(result, Answer) and result.service.id == "ec2-auto-scaling"


def test_a_service_named_beside_one_of_its_variants_yields_to_the_variant(matcher: Matcher) -> None:
    result = matcher.match("does EKS bring our hybrid nodes to the new Kubernetes version when we upgrade the cluster?")
    assert isinstance(result, Answer) and result.service.id == "eks-hybrid-nodes"


def test_a_service_that_another_named_service_runs_for_you_is_its_building_block(matcher: Matcher) -> None:
    result = matcher.match("who scales the EC2 capacity behind an ECS Managed Instances capacity provider?")
    assert isinstance(result, Answer) and result.service.id == "ecs-managed-instances" and result.owner == "aws"


def test_a_one_word_name_written_with_its_inner_capitals_is_the_product(matcher: Matcher) -> None:
    services, _ = matcher.detect_services("can I encrypt an existing WorkSpace?")
    assert [s.id for s in services] == ["workspaces"]
    assert matcher.detect_services("who secures our slack workspace?")[0] == []


def test_a_short_real_word_beside_a_service_alias_is_no_typo_of_it(matcher: Matcher) -> None:
    # "instances up" is not read as a typo of EC2's "instances", which would name EC2 by more than a generic word.
    result = matcher.match("in EKS Auto Mode, who keeps the kubelet on the instances up to date?")
    assert isinstance(result, Answer) and result.service.id == "eks-auto-mode" and result.owner == "aws"


def test_a_full_text_guess_outside_the_layer_the_question_names_yields_to_that_layer(matcher: Matcher) -> None:
    result = matcher.match("security monitoring of our aws account, whose job")
    assert isinstance(result, Answer) and result.owner == "customer"
    assert "logging-monitoring" in result.entry.layers


def test_a_phrase_joined_for_its_meaning_does_not_hide_a_service_name(matcher: Matcher) -> None:
    # "vpn certificate" is joined into one token for identity; "Client VPN" is still named.
    services, _ = matcher.detect_services("who revokes a departed employee's Client VPN certificate?")
    assert [s.id for s in services] == ["client-vpn"]


def test_did_you_mean_whose_topics_all_give_one_owner_answers_an_ownership_question(matcher: Matcher) -> None:
    result = matcher.match("who secures the origin behind cloudfront")
    assert isinstance(result, Answer) and result.owner == "customer"
    assert result.alternatives, "the other topic stays offered"


@pytest.mark.parametrize("question", ["RDS Custom for Oracle operating system updates", "EC2 operating system updates"])
def test_a_phrase_naming_another_service_does_not_answer_for_this_one(matcher: Matcher, question: str) -> None:
    # "WorkSpaces operating system updates" is WorkSpaces' topic; the same words about EC2 are the guest OS.
    assert matcher.match(question).entry.id == "guest-os-patching"
    assert matcher.match("operating system updates on workspaces").entry.id == "workspaces-patching"


def test_a_service_named_beside_the_subject_is_part_of_what_is_asked_of_it(matcher: Matcher) -> None:
    # Transit Gateway is what FinSpace's environment connects through: FinSpace's network statement answers.
    result = matcher.match("who connects a FinSpace kdb environment to our network through a transit gateway?")
    assert result.owner == "customer" and result.decision.statement.layer == "network-config"


def test_a_proper_name_written_with_its_capitals_names_the_service(matcher: Matcher) -> None:
    services, _ = matcher.detect_services("when Auto Scaling terminates an instance, what happens?")
    assert [s.id for s in services] == ["ec2-auto-scaling"]


@pytest.mark.parametrize("question", ["who handles auto scaling?", "Auto Scaling: who owns it?",
                                      "who configures DynamoDB Auto Scaling?"])
def test_a_proper_name_in_lower_case_first_or_beside_another_service_names_nothing(
        matcher: Matcher, question: str) -> None:
    # In lower case, as a question's first word, or as another service's feature, the words mean capacity.
    services, _ = matcher.detect_services(question)
    assert "ec2-auto-scaling" not in [s.id for s in services]


@pytest.mark.parametrize("question", [
    # A weak topic yields to the layer named loosely: "parameter store" is only a topic's name here.
    "are previous versions of a Parameter Store parameter kept by Systems Manager?",
    # "Network Firewall" names network configuration only as the product's name; the deletion is what is asked.
    "who protects an AWS Network Firewall against being deleted by accident?",
    # Log retention's name shares "keep"; "keep the history" of task runs says more than that.
    "for how long does DataSync keep the history of past task runs?",
    # Losing files is a backup question.
    "whose fault is it when files in the CloudShell home directory are gone?",
])
def test_what_a_service_keeps_and_loses_is_its_backup_statement(matcher: Matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.decision.statement is not None and result.decision.statement.layer == "backup-recovery"


def test_a_building_block_named_beside_the_subject_still_names_its_layer(matcher: Matcher) -> None:
    # "VPC settings" are Q Business's network configuration, though "VPC" is also a service's name.
    result = matcher.match("who sets the VPC settings that a Q Business connector uses to reach our network?")
    assert result.owner == "customer" and result.decision.statement.layer == "network-config"


def test_on_the_way_is_in_transit(matcher: Matcher) -> None:
    result = matcher.match("who stops a Nitro enclave's KMS secret from being read on its way through the parent?")
    assert result.decision.statement is not None and result.decision.statement.layer == "encryption-in-transit"


def test_typos_are_respelled_before_layers_and_sides_are_read(matcher: Matcher) -> None:
    # "netwrok infrastucture" names the network infrastructure, which is AWS's side of DDoS protection.
    result = matcher.match("ddos protecion for the netwrok infrastucture, aws or us?")
    assert result.entry.id == "ddos-protection" and result.owner == "aws"
    assert result.question == "ddos protecion for the netwrok infrastucture, aws or us?", "quoted as typed"


def test_a_real_word_is_never_respelled(matcher: Matcher) -> None:
    assert matcher._respelled("who watches the logs") == "who watches the logs"
    assert matcher._respelled("who pathces the hypervisr") == "who patches the hypervisor"


def test_asked_how_to_do_what_a_service_puts_on_you_the_statement_answers(matcher: Matcher) -> None:
    result = matcher.match("how can we keep a record of past Compute Optimizer recommendations?")
    assert isinstance(result, Answer) and result.owner == "customer"
    assert result.decision.statement is not None and result.decision.statement.layer == "backup-recovery"
    # Steps for something the service does itself stay a how-to question.
    assert isinstance(matcher.match("how do I tail lambda logs in cloudwatch"), NoMatch)


@pytest.mark.parametrize("question", ["is the data in our Kendra index encrypted if we never configured anything?",
                                      "are CodeBuild artifacts encrypted at rest if we don't bring our own key?"])
def test_saying_nothing_was_set_asks_what_the_service_does_by_default(matcher: Matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.owner == "aws" and result.decision.side is not None and result.decision.side.owner == "aws"


@pytest.mark.parametrize("question", [
    "Before our DocumentDB cluster gets its OS update, who takes a snapshot of the data?",
    "Once the Neptune OS update is scheduled — who takes the backup of the cluster?"])
def test_a_condition_only_sets_the_scene_for_what_is_asked(matcher: Matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.entry.id == "backups" and result.decision.statement.layer == "backup-recovery"


def test_a_condition_opening_the_sentence_that_asks_only_sets_the_scene_too(matcher: Matcher) -> None:
    # The failed server is when the question asks; the backup of the data kept on it is what it asks about.
    result = answer(matcher, "Our reporting database runs on EC2 and keeps its files on instance store volumes. If "
                             "the physical server fails, who makes sure we have a backup?")
    assert (result.entry.id, result.owner) == ("instance-store-data", "customer")


def test_the_main_clause_is_what_follows_a_condition_unless_it_points_back() -> None:
    assert main_clause("Before the OS update is applied, who takes a snapshot?") == "who takes a snapshot?"
    assert main_clause("If a Region fails — who moves traffic?") == "who moves traffic?"
    assert main_clause("When a disk fails, who wipes the data on it?") is None, "'it' is the disk"
    assert main_clause("Who takes a snapshot, before or after the update?") is None, "no condition opens it"


def test_a_word_narrowing_a_layer_counts_where_the_topic_does_not_own_it(matcher: Matcher) -> None:
    # "encrypted" is also the RDS encryption topic's word; "traffic" is not, and makes it encryption in transit.
    result = matcher.match("is the network traffic from our app servers to Aurora DSQL encrypted?")
    assert result.decision.statement is not None and result.decision.statement.layer == "encryption-in-transit"


def test_a_condition_does_not_make_a_question_a_status_check(matcher: Matcher) -> None:
    assert isinstance(matcher.match("If one AZ goes down, does Neptune keep the cluster available by itself?"), Answer)
    assert isinstance(matcher.match("is us-east-1 down right now?"), NoMatch)


def test_a_layer_that_only_says_something_is_chosen_leaves_the_entry_its_own_layer(matcher: Matcher) -> None:
    # "enabling" names only a choice; the question is still about Timestream's encryption at rest, always on.
    result = matcher.match("Does Timestream for LiveAnalytics encrypt our records at rest without us enabling it?")
    assert result.owner == "aws" and result.decision.statement is not None
    assert result.decision.statement.layer == "encryption-at-rest"


def test_a_services_regions_and_zones_are_asked_about_for_how_it_spans_them(matcher: Matcher) -> None:
    # Regions and zones of a named service are its resilience; "inter-Region" only says what kind of link it is.
    spread = matcher.match("does EMR Serverless move our job runs to another Availability Zone on its own?")
    assert spread.decision.statement is not None and spread.decision.statement.layer == "resilience"
    assert matcher.match("is traffic over cross-Region VPC peering encrypted?").owner == "aws"


def test_a_short_phrase_naming_a_duty_asks_whose_duty_it_is(matcher: Matcher) -> None:
    result = matcher.match("Screening of staff who work in the data centers")
    assert isinstance(result, Answer) and result.owner == "aws"
    assert isinstance(matcher.match("reset my laptop password please"), NoMatch), "a request of one's own"


def test_a_layer_named_as_what_is_encrypted_gives_way_to_the_encryption(matcher: Matcher) -> None:
    # "application" names the application layer, but the question asks what encrypts it.
    result = matcher.match("which key encrypts the index of our Amazon Q Business application by default?")
    assert result.decision.statement is not None and result.decision.statement.layer == "encryption-at-rest"


def test_a_question_asking_two_things_is_split_with_its_scene() -> None:
    assert two_asks("On RDS, who applies the patches, and who picks the window?") == (
        "On RDS, who applies the patches?", "On RDS, who picks the window?")
    assert two_asks("KMS rotation - who rotates AWS managed keys and who turns it on for ours?") == (
        "KMS rotation - who rotates AWS managed keys?", "KMS rotation - who turns it on for ours?")
    assert two_asks("who patches the guest OS on EC2?") is None, "one thing asked"
    assert two_asks("Is it encrypted, and who sets that up?") is None, "the first part asks no who"


def test_two_parts_with_two_owners_make_the_pair_shared_and_say_whose_each_is(matcher: Matcher) -> None:
    result = answer(matcher, "On EC2, who patches the guest OS and who patches the hypervisor?")
    assert result.owner == "shared" and result.decision.rule == "parts"
    assert "first part is yours" in result.decision.reason and "second part is AWS's" in result.decision.reason
    assert result.question == "On EC2, who patches the guest OS and who patches the hypervisor?"


def test_two_parts_with_one_owner_keep_it(matcher: Matcher) -> None:
    result = answer(matcher, "In our VPC, who writes the security group rules, and who configures the network ACLs?")
    assert result.owner == "customer" and result.decision.rule != "parts"


def test_a_law_or_framework_named_by_its_name_is_compliance_with_it(matcher: Matcher) -> None:
    answer = matcher.match("who makes sure our clinic's app satisfies HIPAA?")
    assert isinstance(answer, Answer) and answer.entry.id == "workload-compliance" and answer.owner == "customer"


def test_a_layer_named_only_by_the_services_name_gives_way_to_its_statement(matcher: Matcher) -> None:
    # "Instances" in "Lambda Managed Instances" names the service, not a guest OS of yours; what the question says
    # of the functions is what the service's virtualization statement puts on the customer.
    result = answer(matcher, "who is responsible for separating functions that don't trust each other on Lambda "
                             "Managed Instances?")
    assert result.decision.layer is not None and result.decision.layer.id == "virtualization"
    assert result.owner == "customer"


def test_a_question_about_another_clouds_model_gets_no_owner(matcher: Matcher) -> None:
    result = matcher.match("Is Microsoft Azure's shared responsibility model the same as AWS's?")
    assert isinstance(result, NoMatch) and result.reason == "other-cloud"
    beside_a_service = matcher.match("who manages the trust between Azure AD and IAM Identity Center?")
    assert isinstance(beside_a_service, Answer) and beside_a_service.owner == "customer"


def test_a_part_of_a_services_statement_named_by_its_words_answers_where_no_topic_fits(matcher: Matcher) -> None:
    result = matcher.match("one AZ is impaired; who starts a zonal shift to move our Network Load Balancer's traffic "
                           "away from it?")
    assert isinstance(result, Answer) and result.decision.layer is not None
    assert result.decision.layer.id == "resilience" and result.owner == "customer"
    # A part's words beside a layer the question names loosely ("servers") leave that layer the answer.
    servers = matcher.match("who manages the servers Glue ETL jobs run on?")
    assert isinstance(servers, Answer) and servers.owner == "aws"


def test_a_service_the_question_moves_away_from_is_not_what_it_asks_about(matcher: Matcher) -> None:
    result = matcher.match("We are migrating our queue from RabbitMQ on EC2 to Amazon SQS. Who patches the operating "
                           "system under it?")
    assert isinstance(result, Answer) and result.service is not None
    assert (result.service.id, result.owner) == ("sqs", "aws")


def test_who_reports_a_question_names_no_topic(matcher: Matcher) -> None:
    # "An auditor asks" is not a compliance question; what the auditor asks is about the data centers.
    result = matcher.match("An auditor asks whether we or AWS control entry to the buildings where our data sits")
    assert isinstance(result, Answer) and (result.entry.id, result.owner) == ("physical-security", "aws")


def test_a_part_named_in_a_scene_sentence_yields_to_the_part_the_question_asks(matcher: Matcher) -> None:
    # App Runner: a pinned version is the customer's part, the minor and patch updates App Runner's.
    result = matcher.match("We pin only the major runtime version in apprunner.yaml. Who updates the minor and patch "
                           "versions of the runtime on every deployment?")
    assert isinstance(result, Answer) and result.owner == "aws"


def test_a_service_name_holding_a_side_s_words_names_no_side(matcher: Matcher) -> None:
    # "AWS End User Messaging" says no "AWS end": patching there is AWS's by the service's category, not a side.
    result = matcher.match("who is responsible for patch management with AWS End User Messaging?")
    assert isinstance(result, Answer) and result.service is not None and result.service.id == "end-user-messaging"
    assert result.decision.rule != "side"


def test_a_layer_named_only_by_the_service_s_name_yields_to_the_statement_its_other_words_name(
        matcher: Matcher) -> None:
    # "Firewall" in Firewall Manager names no firewall rules: the question is about its administrator account.
    result = matcher.match("Who designates the Firewall Manager administrator account for our organization?")
    assert isinstance(result, Answer) and result.owner == "customer"
    assert result.decision.layer is None or result.decision.layer.id != "network-config"


def test_a_word_of_another_service_s_name_used_as_an_everyday_word_names_no_topic_of_it(matcher: Matcher) -> None:
    # A Managed Grafana workspace is Grafana's; the WorkSpaces patching topic's phrases name Amazon WorkSpaces.
    result = answer(matcher, "who starts the upgrade of our Amazon Managed Grafana workspace to Grafana 10?")
    assert result.entry.id != "workspaces-patching" and result.service.id == "managed-grafana"
    assert answer(matcher, "who installs updates on our WorkSpaces?").entry.id == "workspaces-patching"


def test_under_names_the_host_layer_only_as_where_something_sits(matcher: Matcher) -> None:
    # "Underlying" and "under" share a stem; an age limit is nothing beneath a service.
    assert not isinstance(matcher.match("who decides whether our chatbot may be used by kids under 16?"), Answer)
    assert answer(matcher, "do we have to maintain anything under our SNS topics?").owner == "aws"


def test_scaling_out_is_scaling(matcher: Matcher) -> None:
    result = answer(matcher, "who scales out the instances behind our Lambda Managed Instances capacity provider?")
    assert (result.owner, result.decision.side.owner) == ("aws", "aws")


def test_a_statement_part_named_in_the_scene_yields_to_the_choice_the_question_asks(matcher: Matcher) -> None:
    # SES's opportunistic TLS is its own part; requiring TLS is a setting of yours, which "who configures" asks.
    scene = "Amazon SES tries opportunistic TLS when it delivers mail."
    assert answer(matcher, scene + " Who does that?").owner == "aws"
    result = answer(matcher, scene + " If we want plain-text delivery refused, who configures that?")
    assert (result.owner, result.decision.side.owner) == ("customer", "customer")


def test_a_choice_question_asks_about_the_layer_the_topic_s_name_gives(matcher: Matcher) -> None:
    # Redshift Serverless encrypts every namespace: "enable" is a choice verb, "encryption" the topic's own word.
    result = answer(matcher, "on Redshift Serverless do we need to remember to enable encryption?")
    assert result.decision.layer is not None and result.decision.layer.id == "encryption-at-rest"
    assert result.owner == "aws"


def test_a_service_on_the_customer_s_premises_leaves_physical_security_to_the_customer(matcher: Matcher) -> None:
    result = answer(matcher, "who guards the room where the rack holding our S3 on Outposts buckets stands?")
    assert (result.owner, result.decision.layer.id) == ("customer", "physical-security")
    assert answer(matcher, "who guards the data centers behind our S3 buckets?").owner == "aws"


def test_acting_on_ai_output_is_the_customer_s_call(matcher: Matcher) -> None:
    result = answer(matcher, "who has to check that Textract output is accurate before we rely on it?")
    assert (result.entry.id, result.owner) == ("ai-output-review", "customer")


def test_msk_serverless_broker_configuration_is_aws_s_and_topic_settings_are_yours(matcher: Matcher) -> None:
    assert answer(matcher, "on MSK Serverless who manages the broker settings?").owner == "aws"
    assert answer(matcher, "on MSK Serverless who sets the topic retention?").owner == "customer"


def test_encryption_said_in_the_scene_is_not_what_a_permission_question_asks(matcher: Matcher) -> None:
    # CloudFront encrypts what it stores itself; letting origin access control use a key of yours is your setting.
    question = ("Our CloudFront distribution serves an S3 bucket encrypted with a KMS key. Who grants the origin "
                "access control permission to decrypt with that key?")
    assert answer(matcher, question).owner == "customer"
    assert answer(matcher, "is what CloudFront stores at the edge encrypted at rest?").owner == "aws"


def test_switching_on_a_service_for_another_asks_about_that_setting(matcher: Matcher) -> None:
    # "for Security Hub" says what AWS Config is turned on for; turning it on is still the customer's setting.
    result = answer(matcher, "who enables AWS Config for Security Hub?")
    assert (result.entry.id, result.owner) == ("aws-config-rules", "customer")
    assert answer(matcher, "who turns on GuardDuty for EKS?").entry.id == "guardduty-findings"


def test_a_layer_a_service_s_name_names_yields_to_the_settings_the_question_asks(matcher: Matcher) -> None:
    # "Firewall" in Firewall Manager's name names no firewall rule: its prerequisites are set up in your account.
    result = answer(matcher, "AWS Firewall Manager prerequisites: who sets those up?")
    assert (result.entry.id, result.owner) == ("service-settings", "customer")


def test_turning_off_automatic_minor_upgrades_leaves_applying_them_to_the_customer(matcher: Matcher) -> None:
    assert answer(matcher, "We disabled automatic minor version upgrades on our RDS database. Who applies the new "
                           "minor versions now?").owner == "customer"
    assert answer(matcher, "with automatic minor version upgrades on, who applies minor versions on our RDS "
                           "database?").owner == "aws"


def test_guardduty_s_own_copy_of_flow_logs_leaves_the_customer_s_flow_logs_with_the_customer(matcher: Matcher) -> None:
    assert answer(matcher, "do we need to create flow logs for GuardDuty?").owner == "aws"
    result = answer(matcher, "GuardDuty analyses flow logs, so is retaining our flow logs for a year on AWS?")
    assert (result.entry.id, result.owner) == ("vpc-flow-logs", "customer")


def test_a_shared_topic_asked_as_a_whole_keeps_both_parts_whatever_the_scene_names(matcher: Matcher) -> None:
    # Naming the subnets the cluster uses sets the scene; "overall" asks for the whole split.
    question = "we give EKS the subnets and IAM roles it needs, so is cluster health overall ours or AWS's?"
    assert (answer(matcher, question).entry.id, answer(matcher, question).owner) == ("eks-cluster-health", "shared")


def test_asking_whether_one_party_does_all_of_a_shared_task_gets_the_split(matcher: Matcher) -> None:
    assert answer(matcher, "are backups on RDS Custom for Oracle entirely handled by AWS?").owner == "shared"
    assert answer(matcher, "is patching the hypervisor under EC2 entirely handled by AWS?").owner == "aws"


def test_upgrading_an_eks_cluster_s_version_is_started_by_the_customer(matcher: Matcher) -> None:
    assert answer(matcher, "who upgrades the EKS cluster version?").owner == "customer"
    assert answer(matcher, "who patches the EKS control plane?").owner == "aws"


def test_batch_on_eks_nodes_are_shared_between_batch_and_the_cluster_owner(matcher: Matcher) -> None:
    result = answer(matcher, "we run AWS Batch on our EKS cluster - who looks after the compute environment's nodes?")
    assert (result.entry.id, result.owner) == ("batch-on-eks-nodes", "shared")
    assert answer(matcher, "who scales the nodes of our Batch on EKS compute environment?").owner == "aws"
