"""Sexual services: prostitution ads and paid "dating"; dating talk and warnings left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.sexual_services import LABEL, SexualServices


@pytest.mark.parametrize("text", [
    "同城约 上门服务 外围 可包夜 TG@luna_vip520",
    "寂\u200b寞\u200b了\u200b吗\u200b？ 同\u200b城\u200b妹\u200b妹\u200b陪\u200b你",
    "養生館新開業 技師都是年輕妹子 特色項目你懂的",
    "baby u up? im free tonight, 300 for the whole night, no time wasters",
    "Escorts available, ALL nationalities, WA +65 8123 4490 24hrs",
    "哥哥们我今天休息有想见面的可以约，只约今天哦，价格老样子",
])
def test_sexual_service_ads_are_caught(text):
    assert sum(f.weight for f in SexualServices().detect(ctx(text)) if f.label == LABEL) >= 0.3
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "我在探探上认识了一个男生，周六约了在星巴克见面，你那天帮我查岗打个电话",
    "问一下，上门按摩、全套服务这种小卡片塞到门缝里的，可以报警吗？",
    "今晚一个人在家好无聊，有人出来吃饭吗",
    "这家按摩店手法很好，腰疼好多了，推荐",
    "刚才有个 stranger 加我说可上门服务价格好商量，直接 report + block 了",
])
def test_dating_talk_and_warnings_are_allowed(text):
    assert LABEL not in labels(text)
