"""`manage.py eligibility_parse_271 FILE`: the JSON contract out; a malformed file is one clear
message naming segment and position, with a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from edi.x271 import parse_271
from tests.edi.samples import DEPENDENT, SUBSCRIBER_MH

ROOT = Path(__file__).resolve().parents[2]


def run(path: Path, *args: str) -> dict:
    out = StringIO()
    call_command("eligibility_parse_271", str(path), *args, stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1  # one JSON object
    return json.loads(text)


def test_prints_the_parsed_271(tmp_path):
    # given
    path = tmp_path / "response.271"
    path.write_text(SUBSCRIBER_MH)

    # when
    output = run(path)

    # then
    assert output == parse_271(SUBSCRIBER_MH).as_json()
    (entry,) = output["transactions"]
    assert list(entry)[:6] == ["subscriber", "patient", "active", "plan_dates", "errors", "benefits"]
    assert list(entry["benefits"][2])[:11] == [
        "eb01", "service_types", "coverage_level", "in_network", "amount", "percent", "time_period", "quantity",
        "quantity_qualifier", "auth_required", "messages",
    ]  # fmt: skip
    assert (entry["benefits"][2]["amount"], entry["benefits"][4]["percent"]) == ("20.00", "0.2")


def test_crlf_file_with_byte_order_mark(tmp_path):
    path = tmp_path / "response.271"
    path.write_bytes(b"\xef\xbb\xbf" + DEPENDENT.replace("\n", "\r\n").encode())
    assert run(path)["transactions"][0]["patient"]["first_name"] == "LEO"


def test_trace_option_checks_the_answer(tmp_path):
    # given
    path = tmp_path / "response.271"
    path.write_text(SUBSCRIBER_MH)

    # when
    with pytest.raises(CommandError) as caught:
        run(path, "--trace", "ELG-000002")

    # then
    assert str(caught.value) == (
        f"{path}: segment 10 (TRN02) at character {SUBSCRIBER_MH.index('TRN*2')}: trace number 'ELG-000001' does "
        "not match the request's 'ELG-000002': this 271 answers another inquiry"
    )
    assert run(path, "--trace", "ELG-000001")["transactions"][0]["active"] is True


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        ("truncated", SUBSCRIBER_MH[:900], "the file is truncated"),
        (
            "bad amount",
            SUBSCRIBER_MH.replace("EB*C*IND*MH***23*1500*", "EB*C*IND*MH***23*15OO*"),
            "segment 26 (EB07) at character {p}: '15OO' is not a number",
        ),
        ("empty", "", "segment 1 (ISA) at character 0: the file does not start with an ISA segment"),
    ],
)
def test_malformed_file_is_one_clear_error(tmp_path, _case, text, message):
    # given
    path = tmp_path / "response.271"
    path.write_text(text)
    p = text.find("EB*C*IND*MH***23*15OO")

    # when
    with pytest.raises(CommandError) as caught:
        run(path)

    # then
    assert str(caught.value).startswith(f"{path}: segment ")
    assert message.format(p=p) in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read the file"):
        run(tmp_path / "nope.271")


def test_exit_status_and_stderr(tmp_path):
    # given
    path = tmp_path / "response.271"
    path.write_text(SUBSCRIBER_MH.replace("SE*39*", "SE*38*"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "billing.settings.test"}

    # when
    done = subprocess.run(
        [sys.executable, "manage.py", "eligibility_parse_271", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    # then
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"CommandError: {path}: segment 41 (SE01) at character {SUBSCRIBER_MH.index('SE*39')}: counts 38 segments "
        "(ST to SE), the file holds 39"
    )
