"""`modworker eval` on small hand-made corpora: the report, and corpora it must refuse with every problem named.

The quality targets themselves are measured on the test split by test_eval_targets.py; these tests use
their own few messages (written here), never the test split.
"""
from __future__ import annotations

import orjson
import pytest

from workers.cli import main

BASE = {"account_id": "a1", "surface": "group", "sent_at": "2026-11-28T10:00:00Z"}
MESSAGES = [  # (event id, text, labels, kind)
    ("scam", "帮发朋友圈一条10元，日结，加我微信 xiaomei_8899", ["recruitment_scam.paid_posting"], "abuse"),
    ("clean", "今天天气不错，周末一起去爬山吗", [], "benign"),
    ("warning", "大家注意，群里有人说帮发朋友圈赚钱，都是骗子，别加他微信", [], "hard_negative"),
]


def _events(rows=MESSAGES, extra: list[bytes] = ()) -> bytes:
    lines = [orjson.dumps({**BASE, "event_id": i, "account_id": f"acct-{i}", "text": t}) for i, t, _, _ in rows]
    return b"\n".join(lines + list(extra)) + b"\n"


def _labels(rows=MESSAGES, extra: list[bytes] = ()) -> bytes:
    lines = [orjson.dumps({"event_id": i, "labels": l, "kind": k, "hn_kind": "warning" if k == "hard_negative"
                           else None}) for i, _, l, k in rows]
    return b"\n".join(lines + list(extra)) + b"\n"


def _run(tmp_path, events: bytes, labels: bytes, *flags: str) -> int:
    (tmp_path / "events.jsonl").write_bytes(events)
    (tmp_path / "labels.jsonl").write_bytes(labels)
    return main(["eval", "--input", str(tmp_path / "events.jsonl"), "--labels", str(tmp_path / "labels.jsonl"),
                 *flags])


def test_report_scores_each_labeled_message(tmp_path, capsys):
    assert _run(tmp_path, _events(), _labels(), "--json") == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["events"] == 3
    assert report["categories"]["recruitment_scam"]["tp"] == 1
    assert report["benign_flagged"] == [0, 2] and report["hard_negative_flagged"] == [0, 1]


def test_text_report_names_the_figures(tmp_path, capsys):
    assert _run(tmp_path, _events(), _labels()) == 0
    out = capsys.readouterr().out
    assert "recruitment_scam" in out and "benign flagged (any action but allow): 0/2" in out
    assert "hard negatives flagged: 0/1" in out


def test_events_without_a_label_are_decided_but_not_scored(tmp_path, capsys):
    unlabeled = orjson.dumps({**BASE, "event_id": "extra", "text": "晚上吃什么"})
    assert _run(tmp_path, _events(extra=[unlabeled]), _labels(), "--json") == 0
    captured = capsys.readouterr()
    assert orjson.loads(captured.out)["events"] == 3
    assert "1 event(s)" in captured.err and "not scored" in captured.err


def test_unreadable_event_lines_are_named_by_line_and_nothing_is_scored(tmp_path, capsys):
    bad = [b"{not json", orjson.dumps({"event_id": "no-text"}), b"[1, 2]"]
    assert _run(tmp_path, _events(extra=bad), _labels()) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no partial report
    assert "3 problem(s)" in captured.err
    assert "line 4: InvalidJson" in captured.err
    assert "line 5: InvalidEvent" in captured.err and "text: Field required" in captured.err
    assert "line 6: NotAnObject" in captured.err
    assert "Traceback" not in captured.err


def test_event_id_given_twice_is_refused(tmp_path, capsys):
    again = orjson.dumps({**BASE, "event_id": "scam", "text": "another text"})
    assert _run(tmp_path, _events(extra=[again]), _labels()) == 2
    assert "line 4: event_id 'scam' given twice" in capsys.readouterr().err


@pytest.mark.parametrize("line, problem", [
    (b"not json", "not JSON"),
    (b'"a string"', "not a JSON object"),
    (b'{"labels": []}', 'no "event_id" string'),
    (b'{"event_id": "x", "labels": "recruitment_scam"}', '"labels" is not a list'),
    (b'{"event_id": "x", "labels": [], "kind": "spam"}', "\"kind\" 'spam' is not one of"),
    (b'{"event_id": "x", "labels": ["marketing_spam.fraud_drainage"], "kind": "benign"}',
     "\"kind\" 'benign' does not agree with labels"),
    (b'{"event_id": "scam", "labels": []}', "event_id 'scam' labeled twice"),
])
def test_malformed_label_lines_are_named_by_line(tmp_path, capsys, line, problem):
    assert _run(tmp_path, _events(), _labels(extra=[line])) == 2
    err = capsys.readouterr().err
    assert f"labels.jsonl line 4: {problem}" in err


def test_labeled_event_missing_from_the_events_is_refused(tmp_path, capsys):
    assert _run(tmp_path, _events(MESSAGES[:2]), _labels()) == 2
    err = capsys.readouterr().err
    assert "labeled events missing" in err and "event_id 'warning'" in err


def test_many_problems_are_counted_past_the_ones_shown(tmp_path, capsys):
    bad = [b"{broken"] * 25
    assert _run(tmp_path, _events(), _labels(extra=bad)) == 2
    err = capsys.readouterr().err
    assert "25 problem(s)" in err and "... and 5 more" in err


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["eval", "--input", str(tmp_path / "nope.jsonl"), "--labels", str(tmp_path / "nope2.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("modworker eval:") and "No such file" in err
