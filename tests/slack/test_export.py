"""Export: a click uploads the stack's CSV to the conversation through Slack's external upload flow (the stand-in
speaks files.getUploadURLExternal, takes the bytes at the upload URL and checks files.completeUploadExternal)."""

from __future__ import annotations

import csv
import io

from bot.core import KnowledgeBase
from bot.core.matrix import matrix
from bot.core.service_names import resolve_services
from bot.render.matrix_export import COLUMNS, LIST_SEPARATOR, row_record
from bot.slack.blocks import ACTION_EXPORT

from .conftest import SlackStandIn, block_action, post
from .test_http import unique

IDS = "ec2,rds,s3,lambda"


def click_export(web: str, slack_api: SlackStandIn, value: str, response_url: str) -> None:
    action = {"type": "button", "action_id": ACTION_EXPORT, "block_id": "b", "value": value}
    assert post(f"{web}/slack/events", block_action(action, response_url=response_url, ephemeral=True)).status == 200


def test_export_uploads_the_csv_that_matches_the_knowledge_base(web: str, slack_api: SlackStandIn,
                                                                kb: KnowledgeBase) -> None:
    before = len(slack_api.requests("/api/files.completeUploadExternal"))
    click_export(web, slack_api, IDS, slack_api.response_url(unique("export")))
    completed = slack_api.wait_for("/api/files.completeUploadExternal", before + 1)[-1].body
    assert completed["channel_id"] == "C123"
    assert "<@U123> exported" in completed["initial_comment"]
    [uploaded] = completed["files"]
    [asked] = [r.body for r in slack_api.requests("/api/files.getUploadURLExternal")
               if r.body["filename"] == "srm-matrix-ec2-rds-s3-lambda.csv"][-1:]
    data = slack_api.uploaded(uploaded["id"])
    assert int(asked["length"]) == len(data)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheets need to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    expected = matrix(kb, resolve_services(kb, IDS.split(",")))
    assert len(rows) - 1 == len(expected)
    for line, row in zip(rows[1:], expected, strict=True):
        record = row_record(row)
        assert line == [LIST_SEPARATOR.join(v) if isinstance(v, list) else str(v) for v in
                        (record[c] for c in COLUMNS)]


def test_a_failed_upload_is_told_to_the_clicker(web: str, slack_api: SlackStandIn) -> None:
    slack_api.fail_next("/api/files.completeUploadExternal", 200)  # ok: false, as Slack answers not_in_channel
    response_url = slack_api.response_url(unique("export-fail"))
    click_export(web, slack_api, "ec2", response_url)
    [told] = slack_api.wait_for(response_url.removeprefix(slack_api.url))
    assert told.body["response_type"] == "ephemeral"
    assert "could not upload the matrix here (fatal_error)" in told.body["text"]
    assert "srm matrix --services ec2 --format csv" in told.body["text"]


def test_a_refused_upload_of_the_bytes_is_told_to_the_clicker(web: str, slack_api: SlackStandIn) -> None:
    slack_api.fail_next("/upload", 500)
    response_url = slack_api.response_url(unique("upload-fail"))
    click_export(web, slack_api, "s3", response_url)
    [told] = slack_api.wait_for(response_url.removeprefix(slack_api.url))
    assert "could not upload the matrix here (HTTPError)" in told.body["text"]


def test_export_of_a_forged_value_names_the_unknown_service(web: str, slack_api: SlackStandIn) -> None:
    response_url = slack_api.response_url(unique("export-forged"))
    click_export(web, slack_api, "ec2,<!here>", response_url)
    [told] = slack_api.wait_for(response_url.removeprefix(slack_api.url))
    assert "&lt;!here&gt;" in str(told.body["blocks"]) and "<!here>" not in str(told.body)
