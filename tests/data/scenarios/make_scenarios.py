"""Generates the counter scenarios of tests/integration/test_counter_scenarios.py (behaviour scenarios, not
labeled corpus). Run `.venv/bin/python tests/data/scenarios/make_scenarios.py` to rewrite the files.

- burst.jsonl      one account, 40 short group messages in 2 minutes (30 at 2 s, then 10 at 6 s)
- campaign.jsonl   one ad, with the small edits rings make between copies, from 25 accounts in 8 minutes
- greetings.jsonl  25 people saying good morning in one big group in 8 minutes (no campaign)
- handle.jsonl     one WeChat ID promoted by 10 accounts with 10 different texts, a minute apart
- all.jsonl        the four, in event-time order (the replay scenario)
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
DAY = datetime(2026, 11, 28, tzinfo=timezone.utc)

CHAT = ["哈哈哈", "真的假的", "我也想去", "几点开始", "好耶", "太强了", "笑死", "同意", "明天见", "收到",
        "在路上了", "马上到", "你们先吃", "等等我", "好的呀", "不错不错", "厉害", "我看看", "有道理", "冲冲冲",
        "下雨了", "带伞没", "好冷啊", "晚点说", "稍等", "没问题", "可以的", "来了", "哈哈", "牛",
        "好热", "饿了", "吃啥", "随便", "火锅吧", "行", "走起", "到了", "人呢", "门口"]

AD_VARIANTS = [
    "招聘宝妈学生党，帮发朋友圈一条10元，日结不拖欠，加我微信 {id}",
    "招聘宝妈学生党!!帮发朋友圈一条15元💰日结不拖欠，加我微信 {id}",
    "招聘 宝妈 学生党，帮发朋友圈 一条 8 元，日结不拖欠，加我微信：{id}",
    "招聘宝\u200b妈学生党，帮发朋友圈一条１０元，日结不拖欠，加我微信 {id}",
    "🔥招聘宝妈学生党🔥，帮发朋友圈一条20元，日结不拖欠～加我微信 {id} ！！！",
    "【招聘】宝妈学生党，帮发朋友圈一条12元，日结不拖欠，加我微信 {id}",
]
# one copy with a word edited (日结 -> 当天结): it shares some bands, not all (tests/unit covers the mechanics)
AD_WORD_EDIT = "招聘宝妈学生党，帮发朋友圈一条10元，当天结不拖欠，加我微信 {id}"

GREETINGS = ["早上好", "早上好！", "大家早上好", "早安", "早呀", "good morning", "Good morning!", "早上好☀️",
             "早上好呀", "morning all", "各位早", "早上好～", "早！", "Good morning everyone", "早上好🌞"]

HANDLE_TEXTS = [
    "有兴趣的朋友加微信 jobs_vip_777 了解一下", "周末有空吗？详情加微信 jobs_vip_777", "想赚点零花钱的加vx：jobs_vip_777",
    "宝妈在家也能做，微信 jobs_vip_777", "学生党看过来 wx jobs_vip_777", "轻松上手，问我微信号 jobs_vip_777",
    "名额不多了，速加微信 jobs_vip_777", "感兴趣私信或加微信 jobs_vip_777", "真实可靠，微信：jobs_vip_777",
    "需要的联系微信 jobs_vip_777 哦",
]


def _event(eid: str, account: str, surface: str, conv: str | None, text: str, at: datetime) -> dict:
    return {"event_id": eid, "account_id": account, "surface": surface, "conversation_id": conv, "text": text,
            "sent_at": at.isoformat().replace("+00:00", "Z")}


def burst() -> list[dict]:
    start = DAY.replace(hour=8)
    times = [2 * i for i in range(30)] + [60 + 6 * i for i in range(10)]
    return [_event(f"burst-{i:02d}", "burst-1", "group", "g-fans", CHAT[i], start + timedelta(seconds=s))
            for i, s in enumerate(times)]


def campaign() -> list[dict]:
    start = DAY.replace(hour=9)
    out = []
    for i in range(25):
        template = AD_WORD_EDIT if i == 11 else AD_VARIANTS[i % len(AD_VARIANTS)]
        surface = ("group", "moments", "group")[i % 3]
        conv = f"g-city-{i % 5}" if surface == "group" else None
        out.append(_event(f"camp-{i:02d}", f"camp-acct-{i:02d}", surface, conv,
                          template.format(id=f"jz{i:02d}_hire{100 + 7 * i}"), start + timedelta(seconds=20 * i + 5)))
    return out


def greetings() -> list[dict]:
    start = DAY.replace(hour=9)
    return [_event(f"greet-{i:02d}", f"greet-acct-{i:02d}", "group", "g-big", GREETINGS[i % len(GREETINGS)],
                   start + timedelta(seconds=20 * i + 11)) for i in range(25)]


def handle() -> list[dict]:
    start = DAY.replace(hour=10)
    return [_event(f"handle-{i:02d}", f"handle-acct-{i:02d}", ("group", "moments")[i % 2],
                   "g-jobs" if i % 2 == 0 else None, text, start + timedelta(minutes=i))
            for i, text in enumerate(HANDLE_TEXTS)]


def write(name: str, events: list[dict]) -> None:
    (HERE / name).write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))


def main() -> None:
    parts = {"burst.jsonl": burst(), "campaign.jsonl": campaign(), "greetings.jsonl": greetings(),
             "handle.jsonl": handle()}
    for name, events in parts.items():
        write(name, events)
    everything = sorted((e for events in parts.values() for e in events), key=lambda e: (e["sent_at"], e["event_id"]))
    write("all.jsonl", everything)


if __name__ == "__main__":
    main()
