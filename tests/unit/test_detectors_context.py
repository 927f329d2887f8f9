"""Context (damping): warnings, reported speech, news, questions, family and official identity checks, real
employers. A scammer's own reassurance ("不是骗子") is no warning."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors import Context


from workers.core.detectors.employer_context import EmployerContext
from workers.core.detectors.family_context import LABEL as VERIFY, FamilyContext
from workers.core.detectors.news_context import NewsContext
from workers.core.detectors.question_context import QuestionContext
from workers.core.detectors.warning_context import WarningContext


def weights(detector, text: str) -> dict[str, float]:
    return {f.rule_id: f.weight for f in detector.detect(ctx(text))}


@pytest.mark.parametrize("text", [
    "大家注意！有人私信说帮发朋友圈赚钱日结，这是诈骗，别信！",
    "千万不要帮陌生人辅助验证，给多少红包都别帮",
    "Heads up: nobody legit pays you to like videos. It's a task scam.",
    "唔好信呀！有人喺群入面话幫手轉發廣告，一條10蚊",
    "群里那个说扫码帮忙验证就给红包的，大家别扫，扫了号会被封",
    "把自己的微信号租给别人用，出了事就是帮信罪，几十块钱不值得",
])
def test_warnings_damp(text):
    assert weights(WarningContext(), text).get("context.warning", 0) <= -0.6


def test_a_scammers_reassurance_is_no_warning():
    assert "context.warning" not in weights(WarningContext(), "帮忙转发一下 给你十块 放心不是骗子")


def test_reported_speech_damps():
    assert weights(WarningContext(), "有人让我租微信号给他，一天给80")["context.reported_speech"] < 0


@pytest.mark.parametrize("text", [
    "据报道，警方破获一起刷单诈骗案",
    "The police arrested 30 people running a fake job scam promising $500 a day",
])
def test_news_damps(text):
    assert weights(NewsContext(), text)["context.news"] <= -0.6


@pytest.mark.parametrize("text", [
    "有人让我做微信辅助验证，给20块，这个靠谱吗？",
    "Is this a scam? someone offered me 200 to sell my old QQ account",
    "朋友叫我去柬埔寨做客服，说月薪两万还包住，你们觉得靠不靠谱",
    "帮陌生人刷个脸认证就给80块，这样会出事吗",
    "Is there a way to check if this recruiter is real? She wants a training fee before I start",
])
def test_questions_damp(text):
    assert weights(QuestionContext(), text)["context.question"] <= -0.5


@pytest.mark.parametrize("text", ["有没有人想赚点零花？帮发广告，一条五块", "你的QQ号还在用吗？租给我们每天50"])
def test_scam_openers_are_no_questions(text):
    assert "context.question" not in weights(QuestionContext(), text)


def test_family_damps_verification_only():
    found = FamilyContext().detect(ctx("妈，你的微信要好友辅助验证，我帮你扫一下码就行"))
    assert found and all(f.label == VERIFY and f.weight < 0 for f in found)
    assert FamilyContext().detect(ctx("妈，周末回家吃饭")) == []  # no verification, nothing to damp


def test_employer_context_needs_a_workplace():
    found = weights(EmployerContext(), "餐厅招兼职洗碗，每晚130，当天结，地址：湖滨路66号，时薪制")
    assert found["context.workplace"] < 0 and found["context.benefits"] < 0
    assert weights(EmployerContext(), "兼职打字员，¥10/hour，日结") == {}  # hourly pay alone is no employer
    assert weights(EmployerContext(), "remote job 月薪¥12000 无需interview 在家做") == {}  # negated interview
