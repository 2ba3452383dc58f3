"""The ownership model decides the owner: a service's record, its category's default for the layer, one side of a
shared control, or the entry. These are the cases issue 11 names as done."""

from __future__ import annotations

import pytest

from bot.core import Answer, Matcher, NoMatch


def answer(matcher: Matcher, question: str) -> Answer:
    result = matcher.match(question)
    assert isinstance(result, Answer), f"{question!r} got no answer: {result}"
    return result


@pytest.mark.parametrize("service", ["Athena", "SQS", "KMS", "Bedrock"])
def test_the_os_under_an_abstracted_service_is_aws_s_by_its_category_default(matcher: Matcher, service: str) -> None:
    result = answer(matcher, f"who patches the OS on {service}?")
    assert result.owner == "aws"
    assert result.decision.rule in {"category-default", "service-layer"}
    assert result.service is not None and result.service.name in result.decision.reason


def test_the_guest_os_on_ec2_stays_the_customer_s(matcher: Matcher) -> None:
    assert answer(matcher, "who patches the guest OS on EC2?").owner == "customer"


def test_a_question_naming_aws_s_side_of_patching_gets_aws(matcher: Matcher) -> None:
    result = answer(matcher, "who patches the servers under my instances?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("patch-management", "aws", "side")
    assert "side of a shared control" in result.decision.reason


def test_a_question_naming_the_customer_s_side_of_patching_gets_the_customer(matcher: Matcher) -> None:
    result = answer(matcher, "patching our application software")
    assert (result.entry.id, result.owner, result.decision.rule) == ("patch-management", "customer", "side")


def test_a_side_named_by_its_own_words_is_that_party_s_on_any_service(matcher: Matcher) -> None:
    # GameLift's statement on the guest OS of its fleets is shared; the software the customer uploads is not.
    result = answer(matcher, "who patches the software we deploy to Amazon GameLift fleets?")
    assert result.owner == "customer" and result.decision.rule == "side"


def test_patch_management_named_alone_is_shared(matcher: Matcher) -> None:
    assert answer(matcher, "patch management").owner == "shared"


def test_config_management_of_the_hypervisors_is_aws_s_side(matcher: Matcher) -> None:
    result = answer(matcher, "config management of the hypervisors")
    assert (result.entry.id, result.owner) == ("configuration-management", "aws")


def test_rotating_my_own_kms_keys_is_answered_as_the_customer_s(matcher: Matcher) -> None:
    assert answer(matcher, "who rotates my KMS CMKs?").owner == "customer"


def test_one_s3_encryption_question_worded_three_ways_gets_one_owner(matcher: Matcher) -> None:
    wordings = ["who encrypts data at rest in S3?", "is S3 encryption at rest our job or aws's",
                "s3 server side encryption responsibility", "who encrypts the objects in my s3 bucket"]
    assert {answer(matcher, w).owner for w in wordings} == {"shared"}


def test_a_service_statement_decides_the_layer_it_is_about(matcher: Matcher) -> None:
    oracle = answer(matcher, "who patches the operating system of RDS Custom for Oracle?")
    sql_server = answer(matcher, "who patches the operating system of RDS Custom for SQL Server?")
    assert (oracle.owner, sql_server.owner) == ("customer", "aws")
    assert oracle.decision.statement is not None and oracle.decision.statement.source.startswith("https://")


def test_a_shared_control_whose_sides_both_fall_to_aws_on_a_managed_service_is_aws_s(matcher: Matcher) -> None:
    assert answer(matcher, "Who patches the domain controllers of AWS Managed Microsoft AD?").owner == "aws"


@pytest.mark.parametrize("service", ["Amazon SNS", "AWS Glue", "Amazon ECS"])
def test_configuration_and_it_controls_are_shared_on_every_service(matcher: Matcher, service: str) -> None:
    result = answer(matcher, f"vulnerability analysis and IT controls of {service}")
    assert (result.entry.id, result.owner) == ("configuration-management", "shared")


def test_license_included_puts_the_license_on_aws(matcher: Matcher) -> None:
    result = answer(matcher, "who provides the Windows license on a license included instance?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("software-licensing", "aws", "side")


def test_bring_your_own_license_keeps_it_with_the_customer(matcher: Matcher) -> None:
    assert answer(matcher, "who answers to Oracle if we bring our own licenses (BYOL)?").owner == "customer"


def test_a_service_s_licensing_statement_speaks_for_it(matcher: Matcher) -> None:
    result = answer(matcher, "licensing of SQL Server on RDS")
    assert (result.entry.id, result.owner, result.decision.rule) == ("software-licensing", "shared", "service-layer")


@pytest.mark.parametrize(("question", "owner", "rule"), [
    ("who holds the licenses for the software behind AWS Lambda?", "aws", "category-default"),
    ("who is responsible for licensing on Amazon ElastiCache?", "aws", "category-default"),
    ("who handles licensing for AWS Managed Microsoft AD?", "aws", "service-layer"),
    ("who handles licensing for Amazon WorkSpaces desktops?", "shared", "service-layer"),
])
def test_licenses_of_the_software_aws_runs_come_with_the_service_unless_it_offers_byol(
        matcher: Matcher, question: str, owner: str, rule: str) -> None:
    result = answer(matcher, question)
    assert (result.owner, result.decision.rule) == (owner, rule)


def test_choosing_a_maintenance_window_is_the_customer_s_side(matcher: Matcher) -> None:
    result = answer(matcher, "who chooses the maintenance window on ElastiCache?")
    assert (result.entry.id, result.owner) == ("maintenance-windows", "customer")


@pytest.mark.parametrize(("question", "owner"), [
    ("who protects the CA private keys in AWS Private CA?", "aws"),
    ("who designs the CA hierarchy for a private CA?", "customer"),
])
def test_each_side_of_private_ca_is_its_party_s(matcher: Matcher, question: str, owner: str) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner, result.decision.rule) == ("acm-private-ca", owner, "side")
    assert "side of a shared control" in result.decision.reason


def test_rds_custom_for_oracle_licenses_are_the_customer_s(matcher: Matcher) -> None:
    assert answer(matcher, "Oracle licensing on RDS Custom for Oracle").owner == "customer"


def test_a_question_in_a_service_s_own_words_is_answered_from_its_statement(matcher: Matcher) -> None:
    # No entry or layer speaks of brokers restarted one at a time; MSK's statement on the guest OS does.
    result = answer(matcher, "who restarts the MSK brokers one at a time for security updates?")
    assert result.decision.rule == "service-layer"
    assert result.decision.statement is not None and result.decision.statement.layer == "guest-os"
    assert result.owner == "aws"


def test_a_question_no_statement_explains_is_still_refused(matcher: Matcher) -> None:
    result = matcher.match("who waters the office plants at the Glue team?")
    assert not isinstance(result, Answer)


def test_a_yes_no_question_about_a_named_service_is_answered_from_its_statements(matcher: Matcher) -> None:
    # No ownership cue: "is ... encrypted?" still asks what the service does, which its statement on the layer says.
    result = answer(matcher, "is Amazon Comprehend output encrypted?")
    assert result.decision.rule == "service-layer"
    assert "encryption-at-rest" in result.entry.layers


@pytest.mark.parametrize("question", [
    "who controls which teams can invoke our Amazon Bedrock agents?",
    "who restricts who can publish to an Amazon SNS topic of ours?",
])
def test_deciding_who_may_do_something_on_a_service_is_access(matcher: Matcher, question: str) -> None:
    result = answer(matcher, question)
    assert "identity" in result.entry.layers and result.owner == "customer"


@pytest.mark.parametrize(("question", "reason"), [
    ("which instance type is best for Amazon EMR?", "general"),
    ("reserved instances for RDS", "pricing"),
    ("how do I encrypt Amazon Comprehend output", "off-topic"),  # steps, not a duty: refused, as before
])
def test_questions_about_a_service_that_ask_no_duty_are_still_refused(matcher: Matcher, question: str,
                                                                      reason: str) -> None:
    result = matcher.match(question)
    assert isinstance(result, NoMatch) and result.reason == reason


@pytest.mark.parametrize(("question", "layer"), [
    ("who encrypts the search index in Amazon Kendra?", "encryption-at-rest"),
    ("who encrypts data in transit to Amazon Kendra?", "encryption-in-transit"),
    ("is the traffic between our clients and Amazon Kendra encrypted?", "encryption-in-transit"),
    ("who encrypts the connection from our app to Amazon Kendra?", "encryption-in-transit"),
])
def test_a_bare_encrypt_means_at_rest_unless_the_question_names_another_layer(
        matcher: Matcher, question: str, layer: str) -> None:
    result = answer(matcher, question)
    assert layer in result.entry.layers


def test_a_layer_aws_owns_everywhere_takes_aws_s_part_of_a_topic_shared_on_the_service(matcher: Matcher) -> None:
    result = answer(matcher, "who handles the physical security of CloudFront points of presence?")
    assert result.owner == "aws"
    assert result.decision.layer is not None and result.decision.layer.id == "physical-security"


def test_vulnerability_management_as_a_whole_is_shared_but_scanning_your_instances_is_yours(matcher: Matcher) -> None:
    assert answer(matcher, "vulnerability management responsibility").owner == "shared"
    assert answer(matcher, "who scans our EC2 instances for CVEs?").owner == "customer"


@pytest.mark.parametrize(("question", "owner"), [
    ("who keeps a lightsail instance patched after launch?", "customer"),
    ("who patches our RDS instances?", "aws"),
])
def test_patching_an_instance_means_its_guest_os_on_the_named_service(matcher: Matcher, question: str,
                                                                       owner: str) -> None:
    assert answer(matcher, question).owner == owner


def test_wiping_a_retired_disk_is_aws_s_even_when_it_held_our_data(matcher: Matcher) -> None:
    assert answer(matcher, "when AWS retires a disk that stored our files, who wipes it?").owner == "aws"


@pytest.mark.parametrize("question", ["who is responsible for security?", "cloud security - aws's or ours?",
                                      "security responsibility"])
def test_security_as_a_whole_is_answered_by_the_model_itself(matcher: Matcher, question: str) -> None:
    result = answer(matcher, question)
    assert result.entry.overview and result.owner == "shared"


def test_security_of_the_cloud_itself_stays_aws_s(matcher: Matcher) -> None:
    assert answer(matcher, "who secures the cloud itself?").owner == "aws"


@pytest.mark.parametrize(("question", "owner"), [
    ("do we maintain the GPUs that SageMaker training runs on?", "aws"),
    ("are we responsible for which database users can log in to Aurora?", "customer"),
    ("limiting which IP addresses can reach our Redshift cluster, is that on aws", "customer"),
])
def test_ownership_asked_as_do_we_or_is_that_on_aws(matcher: Matcher, question: str, owner: str) -> None:
    assert answer(matcher, question).owner == owner


@pytest.mark.parametrize(("question", "owner"), [
    ("who keeps other customers from reading our instance memory?", "aws"),
    ("security awareness training for our own staff - aws or us?", "customer"),
    ("vuln management across all our workloads, aws or both?", "shared"),
    ("who is responsible for securing an RDS instance end to end?", "shared"),
])
def test_isolation_training_abbreviations_and_whole_service_wording(matcher: Matcher, question: str,
                                                                    owner: str) -> None:
    assert answer(matcher, question).owner == owner


@pytest.mark.parametrize(("question", "owner"), [
    ("who applies patches to Amazon Athena?", "aws"),
    ("who applies software updates to Amazon OpenSearch Serverless?", "aws"),
    ("server maintenance for Amazon EMR clusters", "aws"),
])
def test_patching_a_managed_or_abstracted_service_is_its_software_layer(matcher: Matcher, question: str,
                                                                        owner: str) -> None:
    assert answer(matcher, question).owner == owner


def test_a_question_in_a_layer_s_own_words_gets_the_layer_s_topic_over_a_weak_specific_one(matcher: Matcher) -> None:
    result = answer(matcher, "compliance with computing security standards and regulations")
    assert result.entry.id == "workload-compliance"


def test_a_layer_named_with_words_that_only_say_it_is_run_is_the_layer_s_topic(matcher: Matcher) -> None:
    result = answer(matcher, "management, operation and review of IT controls")
    assert result.entry.id == "configuration-management" and result.owner == "shared"


def test_patching_an_ami_is_the_guest_os_and_the_customer_s(matcher: Matcher) -> None:
    assert answer(matcher, "who keeps the golden AMIs for our EC2 Image Builder pipelines patched?").owner == "customer"


@pytest.mark.parametrize(("question", "owner"), [
    ("can we switch off DataZone's encryption at rest?", "aws"),
    ("is DataZone encrypted at rest, and can we use our own key?", "shared"),
    ("who encrypts DataZone at rest?", "shared"),
])
def test_a_statement_calling_encryption_at_rest_shared_gives_the_side_the_question_names(
        matcher: Matcher, question: str, owner: str) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner, result.decision.rule) == ("encryption-at-rest", owner, "service-layer")
    assert result.decision.statement is not None and result.decision.statement.owner == "shared"
    assert (result.decision.side is not None) == (owner != "shared")


def test_a_generic_layer_topic_yields_to_the_layer_the_service_states(matcher: Matcher) -> None:
    result = answer(matcher, "is the data Amazon Location keeps encrypted?")
    assert (result.entry.id, result.decision.rule) == ("encryption-at-rest", "service-layer")
    assert result.service is not None and result.service.id == "location-service"


def test_a_choice_no_layer_names_on_a_service_is_the_customer_s_setting(matcher: Matcher) -> None:
    result = answer(matcher, "who registers the devices that use AWS IoT Greengrass?")
    assert (result.entry.id, result.owner) == ("service-settings", "customer")


def test_a_layer_saying_what_is_chosen_outranks_the_act_of_choosing(matcher: Matcher) -> None:
    result = answer(matcher, "do we need to turn on encryption for our Amazon Kendra index?")
    assert result.entry.id == "encryption-at-rest"


def test_the_verb_of_a_choice_never_replaces_a_topic_the_question_found(matcher: Matcher) -> None:
    assert answer(matcher, "who sets up Control Tower controls?").entry.id == "multi-account-landing-zone"


def test_a_building_block_named_beside_a_service_leaves_the_question_to_that_service(matcher: Matcher) -> None:
    result = answer(matcher, "who encrypts the reports Amazon Braket writes to S3?")
    assert result.service is not None and result.service.id == "braket"
    assert result.owner == "customer"


def test_a_service_s_keys_are_read_from_its_encryption_at_rest_statement(matcher: Matcher) -> None:
    result = answer(matcher, "how is the Amazon Kendra index encrypted if I don't give a KMS key?")
    assert (result.entry.id, result.owner) == ("customer-managed-keys", "aws")
    assert result.decision.statement is not None and result.decision.statement.layer == "encryption-at-rest"


def test_a_topic_within_the_keys_layer_keeps_its_own_owner_on_a_service(matcher: Matcher) -> None:
    assert answer(matcher, "With SSE-C, who manages the keys for S3 objects?").owner == "customer"


def test_the_hosts_named_beside_a_generic_data_topic_decide_for_the_service(matcher: Matcher) -> None:
    result = answer(matcher, "who runs the servers that process data in Amazon Comprehend?")
    assert (result.entry.id, result.owner) == ("host-operating-system", "aws")
    assert answer(matcher, "who owns the data Amazon Comprehend processes?").owner == "customer"


def test_the_security_settings_of_a_whole_service_are_the_customer_s_not_its_overview(matcher: Matcher) -> None:
    result = answer(matcher, "Amazon Cognito security settings, whose job?")
    assert (result.entry.id, result.owner) == ("service-settings", "customer")
    assert answer(matcher, "who configures Amazon Cognito?").entry.id == "service-cognito"


def test_a_version_upgrade_is_the_customer_s_side_of_a_service_s_shared_software(matcher: Matcher) -> None:
    result = answer(matcher, "who plans the major version upgrade of an Amazon MQ broker?")
    assert (result.owner, result.decision.rule, result.decision.layer.id) == ("customer", "service-layer",
                                                                              "service-software")
    assert result.decision.side is not None and result.decision.statement is not None
    assert result.decision.statement.owner == "shared"


def test_a_topic_outside_the_layer_the_question_names_yields_to_the_service_s_statement(matcher: Matcher) -> None:
    result = answer(matcher, "are EKS control plane logs delivered to CloudWatch by default?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("security-monitoring-and-alerting",
                                                                     "customer", "service-layer")


def test_a_service_s_own_name_never_names_a_layer(matcher: Matcher) -> None:
    assert answer(matcher, "who manages the zone-signing key for Route 53 DNSSEC?").entry.id == "route53-dnssec"


def test_running_the_machinery_of_an_abstracted_service_is_aws_s(matcher: Matcher) -> None:
    result = answer(matcher, "who runs the transcoding servers for AWS Elemental MediaConvert?")
    assert (result.entry.id, result.owner) == ("managed-service-platform", "aws")


def test_a_service_s_shared_compliance_is_aws_s_reports_and_your_workload(matcher: Matcher) -> None:
    result = answer(matcher, "on AWS Artifact, who proves our workload is compliant?")
    assert (result.owner, result.decision.rule) == ("customer", "service-layer")
    assert result.decision.side is not None and result.decision.side.owner == "customer"



@pytest.mark.parametrize(("question", "owner"), [
    ("who takes the backups of a Managed Service for Apache Flink application?", "aws"),
    ("who restores an Apache Flink application from an old snapshot in Managed Service for Apache Flink?",
     "customer"),
])
def test_a_service_s_shared_backups_are_its_own_snapshots_and_your_retention_and_restores(
        matcher: Matcher, question: str, owner: str) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner, result.decision.rule) == ("backups", owner, "service-layer")


def test_a_service_named_after_aws_s_infrastructure_is_not_that_infrastructure(matcher: Matcher) -> None:
    # "Nitro" names the hypervisor layer; in "Nitro Enclaves" it names the service, so only the software is asked.
    assert answer(matcher, "who patches the code we build into a Nitro enclave image?").owner == "customer"


def test_software_the_customer_adds_to_a_shared_guest_os_is_the_customer_s(matcher: Matcher) -> None:
    assert answer(matcher, "who patches software I install in CloudShell?").owner == "customer"


def test_spreading_a_workload_across_zones_is_the_customer_s_though_aws_builds_the_zones(matcher: Matcher) -> None:
    assert answer(matcher, "who spreads our workload across availability zones?").owner == "customer"
    assert answer(matcher, "who keeps the regions and availability zones running?").owner == "aws"


def test_a_zone_failure_on_a_service_that_fails_over_by_itself_is_aws_s(matcher: Matcher) -> None:
    result = answer(matcher, "who handles an Availability Zone failure in Amazon Data Firehose?")
    assert (result.owner, result.decision.rule) == ("aws", "service-layer")


def test_one_part_of_a_service_s_shared_record_named_by_its_words_is_that_party_s(matcher: Matcher) -> None:
    # RDS's record on backups is shared (AWS takes them, you keep and restore them); the retention is yours.
    result = answer(matcher, "who sets the retention period of automated backups on Amazon RDS?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("backups", "customer", "service-entry")
    assert result.decision.side is not None
    assert answer(matcher, "who is responsible for backups on Amazon RDS?").owner == "shared"


def test_a_layer_the_question_narrows_to_outranks_a_broader_topic_on_the_service(matcher: Matcher) -> None:
    # "Encrypted", said of a link, is encryption in transit; Outposts states that its service link's traffic is.
    result = answer(matcher, "is the traffic on the Outposts service link encrypted?")
    assert (result.owner, result.decision.rule) == ("aws", "service-layer")


@pytest.mark.parametrize(("question", "owner"), [
    # The guest OS on services that call it shared.
    ("who installs security patches for the system packages in CloudShell?", "aws"),
    ("Deadline Cloud customer managed fleets: who keeps the workers' OS patched?", "customer"),
    # Access on services that call it shared.
    ("who renews the AWS managed temporary credentials of a Cloud9 environment?", "aws"),
    ("who decides the IAM permissions our developers get in Cloud9?", "customer"),
    # Encryption in transit on services that call it shared.
    ("is traffic between MSK brokers encrypted by default?", "aws"),
    ("who has to require TLS for client connections to DocumentDB?", "customer"),
    # Resilience on services that call it shared.
    ("does MQ fail over automatically?", "aws"),
    ("who adds replicas in other zones for Aurora?", "customer"),
    # Network configuration on services that call it shared.
    ("by default, who manages the network a Lambda function runs on and its internet access?", "aws"),
    ("who sets the security groups of a Lambda function attached to our VPC?", "customer"),
    # Licensing on services that offer both models.
    ("on a Windows bundle in WorkSpaces, who provides the Windows license?", "aws"),
    ("who has to meet Microsoft's licensing terms when we bring our own licenses to WorkSpaces?", "customer"),
    # Logging on services that call it shared.
    ("does SageMaker send events automatically?", "aws"),
    ("who sets up logging for DataZone?", "customer"),
])
def test_the_part_of_a_layer_a_service_calls_shared_that_the_question_names_decides(
        matcher: Matcher, question: str, owner: str) -> None:
    result = answer(matcher, question)
    assert result.owner == owner and result.decision.side is not None
    assert result.decision.reason.count(result.decision.side.text) == 1, "the part is said once"


@pytest.mark.parametrize(("question", "owner"), [
    # CVE patching on managed node groups is documented as shared: EKS builds the patched AMI, you deploy it.
    ("who handles CVE patching of the nodes in our EKS managed node groups?", "shared"),
    ("who builds the patched AMI for EKS managed node groups?", "aws"),
    ("on EKS managed node groups, who rolls the patched AMI out to the nodes?", "customer"),
    # On EKS as a whole the node OS stays the customer's, as EKS's security chapter says.
    ("who patches the OS of our EKS worker nodes?", "customer"),
])
def test_eks_managed_node_groups_split_node_patching_as_their_docs_say(
        matcher: Matcher, question: str, owner: str) -> None:
    assert answer(matcher, question).owner == owner


@pytest.mark.parametrize(("question", "owner"), [
    # The service's own parts come before the layer's, and before how the question opens ("is ..." asks what
    # the service does by itself).
    ("is traffic between File Cache and an NFS data repository encrypted?", "customer"),
    ("is traffic from supporting instances to File Cache encrypted?", "aws"),
    ("can I turn off the mandatory controls in AWS Control Tower?", "aws"),
    ("who protects payment keys after I export them from AWS Payment Cryptography?", "customer"),
    # The statement's part named by its words outranks a shared topic's own sides ("auto scaling groups" is a
    # customer word of capacity planning) and a topic AWS owns everywhere (Regions and zones).
    ("who replaces instances that fail health checks in an EC2 Auto Scaling group?", "aws"),
    ("who adds Aurora Replicas in other Availability Zones so the cluster can fail over?", "customer"),
    # A shared record on a one-layer topic is split by the parts the service's statement gives that layer.
    ("who patches the OS of ECS tasks on Fargate?", "aws"),
    ("kubelet and os patching on eks nodes we run ourselves", "customer"),
])
def test_the_part_a_service_s_shared_statement_names_decides_with_that_part_s_words(
        matcher: Matcher, question: str, owner: str) -> None:
    result = answer(matcher, question)
    side, layer = result.decision.side, result.decision.layer
    assert result.owner == owner and side is not None and side in result.service.statement_for(layer.id).sides


def test_an_answer_links_the_aws_page_of_the_service_claim_that_decided_it(matcher: Matcher) -> None:
    result = answer(matcher, "is traffic between File Cache and an NFS data repository encrypted?")
    urls = [link.url for link in result.links]
    assert result.decision.statement.source in urls
    assert urls[-1] == result.service.security_url and len(urls) == len(set(urls))


def test_a_weak_topic_yields_to_the_layer_the_service_states_even_when_owners_agree(matcher: Matcher) -> None:
    # "streaming instances" is not a Kinesis stream: AppStream's capacity statement answers, Elastic fleet part.
    result = matcher.match("Streaming instance provisioning and availability for an AppStream 2.0 Elastic fleet")
    assert result.entry.id == "capacity-planning" and result.owner == "aws"
    assert matcher.match("who scales an always-on appstream fleet").owner == "customer"


def test_a_choice_topic_yields_to_the_layer_asked_about_and_a_service_name_names_no_layer(matcher: Matcher) -> None:
    # "configure" only says something is chosen; "Application" in the service's name is no application layer.
    result = matcher.match("is the replication traffic from the Application Migration Service agent encrypted, "
                           "or do we need to configure that?")
    assert result.entry.id == "encryption-in-transit" and result.owner == "aws"


def test_what_a_question_sets_against_its_choice_names_no_part(matcher: Matcher) -> None:
    # Both parts named: the default encryption is X-Ray's, the customer managed key yours.
    assert matcher.match("who encrypts X-Ray trace data with a customer managed key and the default encryption?"
                         ).owner == "shared"
    for cue in ("instead of", "rather than", "in place of"):
        answer = matcher.match(f"who encrypts X-Ray trace data with a customer managed key {cue} the default "
                               "encryption?")
        assert answer.owner == "customer", cue


@pytest.mark.parametrize("ask", ["who does what?", "AWS, us, or both?", "how is that split?"])
def test_a_question_asking_how_the_work_is_split_gets_the_split(matcher: Matcher, ask: str) -> None:
    # "DNS-validated" names ACM's part of certificate renewal; asked for the split, the answer is both parts.
    assert matcher.match("renewal of our DNS-validated ACM certificate - who renews it?").owner == "aws"
    assert matcher.match(f"renewal of our DNS-validated ACM certificate - {ask}").owner == "shared"


def test_you_sign_api_requests_and_the_service_verifies_the_signature(matcher: Matcher) -> None:
    assert matcher.match("who signs our API requests with SigV4?").owner == "customer"
    assert matcher.match("who verifies SigV4 signatures?").owner == "aws"
    assert matcher.match("SigV4 request signing - whose job?").owner == "shared"


def test_a_topic_one_party_owns_keeps_its_owner_when_no_part_is_named(matcher: Matcher) -> None:
    result = answer(matcher, "who patches Lambda functions deployed as container images?")
    assert (result.entry.id, result.owner) == ("lambda-container-images", "customer")


def test_the_other_party_s_part_of_a_one_party_topic_is_theirs(matcher: Matcher) -> None:
    result = answer(matcher, "who maintains the threat intelligence GuardDuty uses?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("guardduty-findings", "aws", "side")
    assert "AWS's side of it" in result.decision.reason


def test_both_parts_of_a_one_party_topic_asked_together_are_shared(matcher: Matcher) -> None:
    result = answer(matcher, "for Lambda container images, who publishes the patched base images, and who rebuilds "
                             "our image on them?")
    assert (result.entry.id, result.owner, result.decision.rule) == ("lambda-container-images", "shared", "parts")
    reason = result.decision.reason
    assert "publishes Lambda base images" in reason and "rebuilding your image" in reason


def test_one_ask_naming_both_parts_of_a_one_party_topic_keeps_its_owner(matcher: Matcher) -> None:
    result = answer(matcher, "who rebuilds our Lambda container image when AWS publishes a new base image?")
    assert (result.entry.id, result.owner) == ("lambda-container-images", "customer")


def test_the_other_party_s_part_of_a_one_party_statement_is_theirs(matcher: Matcher) -> None:
    # S3 access is the customer's, but new buckets block public access and disable ACLs by themselves.
    default = answer(matcher, "does a new S3 bucket block public access by default?")
    assert (default.owner, default.decision.side and default.decision.side.owner) == ("aws", "aws")
    assert answer(matcher, "who grants access to our S3 bucket with a bucket policy?").owner == "customer"


def test_a_part_of_a_service_s_record_named_by_its_words_is_that_party_s(matcher: Matcher) -> None:
    # Macie's record makes discovery the customer's; deleting the samples it extracts is Macie's own.
    result = answer(matcher, "Macie sensitive data discovery: who clears the extracted data samples from the cache?")
    assert (result.entry.id, result.owner) == ("macie-sensitive-data-discovery", "aws")
    assert result.decision.override is not None and result.decision.side is not None
    assert any("findings-findingid-reveal" in link.url for link in result.links)
    assert answer(matcher, "who scopes Macie's sensitive data discovery jobs?").owner == "customer"


def test_a_layer_of_each_party_named_together_is_the_shared_topic_of_both(matcher: Matcher) -> None:
    # The hypervisor is AWS's on EC2 and the guest OS the customer's: asked together, patching is shared.
    result = answer(matcher, "who patches the hypervisor and the guest OS on EC2?")
    assert (result.entry.id, result.owner) == ("patch-management", "shared")
    assert answer(matcher, "who patches the guest OS on EC2?").owner == "customer"


def test_a_shared_control_named_by_both_parts_stays_shared(matcher: Matcher) -> None:
    # AWS's part (its infrastructure devices) is the host OS layer: naming it with the customer's part is the
    # control as a whole, not the host OS instead.
    result = answer(matcher, "Configuration management of infrastructure devices, guest operating systems, "
                             "databases and applications")
    assert (result.entry.id, result.owner) == ("configuration-management", "shared")
    assert answer(matcher, "configuration management of our guest operating systems").owner == "customer"


def test_opting_out_of_ai_service_improvement_is_yours_except_where_the_service_uses_nothing(
        matcher: Matcher) -> None:
    rekognition = answer(matcher, "do we need to opt out of Rekognition using our images to improve the service?")
    assert (rekognition.entry.id, rekognition.owner) == ("ai-content-opt-out", "customer")
    bedrock = answer(matcher, "does bedrock train models on our prompts?")
    assert (bedrock.entry.id, bedrock.owner, bedrock.decision.rule) == ("ai-content-opt-out", "aws", "service-entry")


def test_a_part_named_as_not_chosen_asks_about_the_other_part(matcher: Matcher) -> None:
    # Location Service always encrypts with AWS owned keys; a customer managed key is the customer's option.
    result = answer(matcher, "who encrypts our Location Service trackers at rest when we haven't chosen a customer "
                             "managed key?")
    assert result.owner == "aws"
    assert answer(matcher, "who manages the customer managed key for our Location Service trackers?").owner == (
        "customer")


def test_hosting_something_on_a_service_names_no_host_layer(matcher: Matcher) -> None:
    result = answer(matcher, "We host our shop on EC2 instances. Who patches the web server software on them?")
    assert result.owner == "customer"
    assert answer(matcher, "who patches the hosts under our EC2 instances?").owner == "aws"


def test_another_service_s_own_topic_read_on_the_subject_is_the_subject_s_statement(matcher: Matcher) -> None:
    # CodeDeploy keeps its records in DynamoDB under a key it owns: the question is CodeDeploy's encryption at rest.
    result = answer(matcher, "who encrypts the deployment records CodeDeploy keeps in DynamoDB tables?")
    assert (result.entry.id, result.owner, result.service.id) == ("encryption-at-rest", "aws", "codedeploy")
    assert answer(matcher, "who encrypts our DynamoDB tables?").entry.id == "dynamodb-encryption"


def test_a_service_guide_s_configuration_chapter_title_is_the_shared_control(matcher: Matcher) -> None:
    result = answer(matcher, "configuration and vulnerability analysis in Amazon S3")
    assert (result.entry.id, result.owner) == ("configuration-management", "shared")


def test_a_building_block_named_beside_a_service_stands_for_its_layer_there(matcher: Matcher) -> None:
    result = answer(matcher, "who handles IAM for Amazon MQ?")
    assert (result.entry.id, result.owner, result.service.id) == ("iam-users-and-access", "customer", "mq")
    assert answer(matcher, "who handles Amazon MQ?").entry.id == "service-mq"


def test_key_management_names_the_keys_layer_not_the_aws_managed_keys_topic(matcher: Matcher) -> None:
    # "management" and "managed" share a stem: without joining "key management", it read as "AWS managed keys".
    result = answer(matcher, "key management on our EBS volumes")
    assert (result.decision.layer.id, result.owner, result.service.id) == ("encryption-at-rest", "customer", "ebs")
    assert answer(matcher, "who manages the aws managed keys?").entry.id == "aws-managed-keys"


@pytest.mark.parametrize("question", ["who is responsible for the overall security of a web app hosted on EC2?",
                                      "end-to-end security of a workload on AWS"])
def test_the_security_of_a_whole_workload_is_the_model_itself(matcher: Matcher, question: str) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner) == ("shared-responsibility-model", "shared")


def test_overall_does_not_turn_a_layer_question_into_the_model(matcher: Matcher) -> None:
    assert answer(matcher, "overall, who patches the guest OS on EC2?").entry.id == "guest-os-patching"


def test_a_stretch_of_the_stack_between_both_parties_layers_is_shared(matcher: Matcher) -> None:
    result = answer(matcher, "Securing both the hypervisor and the guest OS of our EC2 fleet")
    assert (result.entry.id, result.owner) == ("shared-responsibility-model", "shared")
    # A shared topic asked as such a stretch keeps both its parts, whatever layer one end names.
    result = answer(matcher, "protecting our Aurora cluster from the physical hardware all the way up to the data")
    assert result.owner == "shared"
    # Where a topic has both parts, it answers.
    assert answer(matcher, "who patches both the hypervisor and the guest OS on EC2?").entry.id == "patch-management"


def test_fsx_patches_its_software_and_the_window_s_day_and_time_are_yours(matcher: Matcher) -> None:
    assert answer(matcher, "who decides which day and time our FSx for Lustre file system gets patched?").owner == \
        "customer"
    assert answer(matcher, "who applies the patches to our FSx for OpenZFS file system?").owner == "aws"


def test_the_customer_named_in_the_third_person_is_us(matcher: Matcher) -> None:
    # An exam item's "the company's developers" are what a user calls "our developers".
    assert answer(matcher, "security awareness training for the company's developers").owner == "customer"


def test_a_side_reached_only_through_another_layer_yields_to_the_service_s_statement(matcher: Matcher) -> None:
    # "application" names the application layer (resilience's customer side), but the question is about fault
    # tolerance, which Managed Flink states as shared: its checkpoints are restored for you, their settings are yours.
    result = answer(matcher, "who is responsible for fault tolerance of our Managed Service for Apache Flink "
                             "application if a task manager crashes?")
    assert (result.entry.id, result.owner) == ("resilience-shared-responsibility", "shared")


@pytest.mark.parametrize(("question", "owner"), [
    ("Is the data in our Amazon Kendra index encrypted by default, or do we need to create a customer managed key?",
     "aws"),
    ("are our CodeBuild build artifacts encrypted out of the box, or do we have to set up our own KMS key?", "aws"),
    ("Are Amazon EBS volumes encrypted by default, or do we have to turn on EBS encryption by default ourselves?",
     "customer"),
])
def test_two_alternatives_ask_whether_the_first_holds_on_the_service(matcher: Matcher, question: str,
                                                                     owner: str) -> None:
    # The customer managed key offered as the second alternative is not what is asked; whether the service
    # encrypts by itself is, and its statement says (EBS encrypts only when asked to).
    assert answer(matcher, question).owner == owner


def test_a_service_guide_s_infrastructure_security_chapter_is_aws_s_network(matcher: Matcher) -> None:
    result = answer(matcher, "Infrastructure security in Amazon SQS")
    assert (result.entry.id, result.owner) == ("network-infrastructure", "aws")


def test_keys_a_question_calls_its_own_are_customer_managed(matcher: Matcher) -> None:
    # "manages our keys" stems like "AWS managed keys"; keys that are ours are the ones we created.
    result = answer(matcher, "who manages our KMS keys?")
    assert result.owner == "customer" and "customer managed keys" in result.decision.reason
    assert answer(matcher, "who manages aws managed keys?").owner == "aws"


@pytest.mark.parametrize(("question", "owner"), [
    ("do I have to set anything up for our Kendra index to be encrypted at rest?", "aws"),
    ("do we need to do anything to get our Amazon EBS volumes encrypted?", "customer"),
    ("do I have to turn on encryption at rest for our Kendra index?", "aws"),
    ("do we need to enable encryption at rest on our EBS volumes?", "customer"),
])
def test_asking_whether_anything_is_needed_asks_what_the_service_does_by_itself(matcher: Matcher, question: str,
                                                                               owner: str) -> None:
    assert answer(matcher, question).owner == owner


def test_already_taken_care_of_asks_what_the_service_does_by_itself(matcher: Matcher) -> None:
    question = "do we need to switch on encryption for our {} or is that already taken care of?"
    assert answer(matcher, question.format("SQS queues")).owner == "aws"
    assert answer(matcher, question.format("EBS volumes")).owner == "customer"


def test_putting_maintenance_off_is_choosing_when_it_happens(matcher: Matcher) -> None:
    result = answer(matcher, "can we put off the ElastiCache maintenance for a couple of weeks? whose decision is it?")
    assert result.owner == "customer"


def test_setting_something_up_is_not_s3_s_encryption_settings(matcher: Matcher) -> None:
    # "settings" stems to "set": as a side word alone it named the customer's part in any "sets up".
    result = answer(matcher, "If nobody on our team sets up default encryption on a new S3 bucket, are the objects "
                             "we upload encrypted?")
    assert (result.entry.id, result.owner) == ("s3-default-encryption", "aws")


@pytest.mark.parametrize(("question", "owner"), [("do we need to schedule backups for our RDS database?", "aws"),
                                                 ("do we have to set up backups for our EC2 instances?", "customer")])
def test_asking_whether_backups_need_scheduling_asks_what_the_service_does(matcher: Matcher, question: str,
                                                                          owner: str) -> None:
    assert answer(matcher, question).owner == owner


def test_the_load_balancer_scales_itself(matcher: Matcher) -> None:
    assert answer(matcher, "who scales the load balancer when traffic to our ALB triples?").owner == "aws"


def test_software_settings_left_at_their_defaults_are_the_service_s_own_behaviour(matcher: Matcher) -> None:
    # Lambda calls runtime updates shared: in the default Auto mode it applies them; other modes make them yours.
    result = answer(matcher, "We kept the default settings on our Lambda functions. Who applies runtime security "
                             "updates to them?")
    assert (result.owner, result.decision.side and result.decision.side.owner) == ("aws", "aws")
    assert answer(matcher, "We use Manual mode on our Lambda functions. Who applies runtime security updates to "
                           "them?").owner == "customer"


@pytest.mark.parametrize(("question", "entry", "owner"), [
    ("who provides Shield Standard?", "ddos-protection", "aws"),
    ("do we have to switch anything on to get Shield Standard?", "ddos-protection", "aws"),
    # A side named in the scene gives way to the side the question itself names.
    ("Shield Standard is on for our account. Who writes the WAF rate-based rules against an HTTP flood?",
     "ddos-protection", "customer"),
    # An HTTP flood is an attack; a flood is still water.
    ("who protects the data center from a flood?", "environmental-controls", "aws"),
])
def test_ddos_protection_splits_shield_standard_from_what_is_yours(
        matcher: Matcher, question: str, entry: str, owner: str) -> None:
    result = answer(matcher, question)
    assert (result.entry.id, result.owner) == (entry, owner)


def test_a_part_named_only_in_the_condition_a_question_ends_with_sets_the_scene(matcher: Matcher) -> None:
    # Publishing the AMI is AWS's part of ECS container instances; updating a Batch environment to it is yours.
    question = ("will AWS Batch update the image of our managed compute environments when a newer ECS optimized "
                "AMI ships?")
    assert answer(matcher, question).owner == "customer"
    assert answer(matcher, "who ships the newer ECS optimized AMIs?").owner == "aws"


def test_setting_up_a_service_s_prerequisites_is_the_customer_s(matcher: Matcher) -> None:
    result = answer(matcher, "who sets up the prerequisites for AWS Firewall Manager?")
    assert (result.entry.id, result.owner) == ("service-settings", "customer")


def test_a_side_named_in_the_scene_gives_way_to_the_part_the_question_names(matcher: Matcher) -> None:
    # Publishing is AWS's part of EKS node patching; rolling the AMI out is the customer's part on node groups.
    result = answer(matcher, "AWS has published a patched AMI for our EKS managed node groups. Who rolls it out to "
                             "the nodes?")
    assert result.owner == "customer"
