"""`modworker scan`: exactly one JSON line per input line, in input order, errors in place."""
from __future__ import annotations

import subprocess
import sys

import orjson

from workers.adapters.codec import decode_event, reason_dicts, reasons_of
from workers.cli import main
from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY, REPO_ROOT

GOOD = {"event_id": "s1", "account_id": "a1", "surface": "moments", "sent_at": "2026-11-28T10:00:00Z"}


def _line(**over) -> bytes:
    return orjson.dumps({**GOOD, **over})


def _allowed(row: dict) -> bool:
    """Allowed: no labels, no reasons, and a score below the lowest threshold (the text model gives even
    clean text a small score, so it is not exactly 0)."""
    return (set(row) == {"event_id", "action", "labels", "score", "reasons"} and row["action"] == "allow"
            and row["labels"] == [] and row["reasons"] == [] and 0.0 <= row["score"] < 0.5)


def test_scan_writes_one_line_per_input_line_in_order(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join([
        _line(event_id="clean", text="今天天气不错，出去走走"),
        b"{not json",
        _line(event_id="scam", text="帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"),
        b"[1, 2, 3]",
        b"",
        _line(event_id="wrong-surface", surface="email", text="hi"),
        _line(event_id="empty", text=""),
    ]) + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["scan", "--input", str(src), "--output", str(out)]) == 0
    rows = [orjson.loads(l) for l in out.read_bytes().splitlines()]
    assert len(rows) == 7
    assert rows[0]["event_id"] == "clean" and _allowed(rows[0])
    assert rows[1]["line"] == 2 and "InvalidJson" in rows[1]["error"]
    assert rows[2]["event_id"] == "scam" and rows[2]["action"] != "allow"
    assert "recruitment_scam.paid_posting" in rows[2]["labels"]
    assert set(rows[2]) == {"event_id", "action", "labels", "score", "reasons"}
    reason = rows[2]["reasons"][0]
    assert {"detector", "rule_id", "weight", "start", "end"} <= set(reason)
    assert rows[3]["line"] == 4 and "NotAnObject" in rows[3]["error"]
    assert rows[4]["line"] == 5
    assert rows[5]["line"] == 6 and "surface" in rows[5]["error"]
    assert rows[6]["event_id"] == "empty" and _allowed(rows[6])


def test_scan_reads_standard_input_and_writes_standard_output():
    lines = _line(event_id="a", text="hello") + b"\n" + b"oops\n"
    proc = subprocess.run([sys.executable, "-m", "workers.cli", "scan", "--input", "-"], input=lines,
                          capture_output=True, check=True)
    rows = [orjson.loads(l) for l in proc.stdout.splitlines()]
    assert rows[0]["event_id"] == "a" and rows[0]["action"] == "allow"
    assert rows[1]["line"] == 2


def test_scan_evidence_spans_point_into_the_original_text(tmp_path):
    text = "兼职：刷\u200b单返利，垫付后返双倍，ＶＸ：rebate_king1"
    src = tmp_path / "in.jsonl"
    src.write_bytes(_line(event_id="z", text=text) + b"\n")
    out = tmp_path / "out.jsonl"
    main(["scan", "--input", str(src), "--output", str(out)])
    row = orjson.loads(out.read_bytes())
    spans = [text[r["start"]:r["end"]] for r in row["reasons"]]
    assert "刷\u200b单" in spans
    assert "rebate_king1" in spans


def test_scan_reports_a_reused_event_id_as_an_error_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join([
        _line(event_id="d1", text="早上好"),
        _line(event_id="d2", text="中午吃什么"),
        _line(event_id="d1", text="帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"),
    ]) + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["scan", "--input", str(src), "--output", str(out)]) == 0
    rows = [orjson.loads(l) for l in out.read_bytes().splitlines()]
    assert [r.get("event_id") for r in rows[:2]] == ["d1", "d2"]
    assert rows[2]["line"] == 3 and rows[2]["error"].startswith("DuplicateEvent") and "line 1" in rows[2]["error"]


def test_scan_reasons_are_the_reason_models_as_json_on_every_dev_decision():
    """scan writes `reason_dicts` (plain dicts, for speed): byte for byte what the Reason models of the
    enforcement events give, on every decision of the dev split that has reasons."""
    policy = load_policy(DEFAULT_POLICY)
    engine = Engine(policy)
    lines = (REPO_ROOT / "tests/data/corpus/dev.events.jsonl").read_bytes().splitlines()
    checked = 0
    for line in lines[:4000]:
        decision = engine.decide_text_only(decode_event(line))
        if decision.reasons:
            expected = [r.model_dump(mode="json") for r in reasons_of(decision)]
            assert orjson.dumps(reason_dicts(decision)) == orjson.dumps(expected)
            checked += 1
    assert checked > 1000
