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
from workers.core.detectors.quote_context import QuoteContext, quoted_span
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
    "If a 'recruiter' texts you about earning 500 a day liking videos, just block. My cousin paid 'fees' for weeks",
    "No real doctor sells a tea that 'cures diabetes in 30 days' by DM. Please tell your parents",
    "各位街坊：最近有人喺WhatsApp搵人幫手刷單，話一單返佣兩成，呢啲全部係騙案，唔好回覆。",
    "有人叫我阿媽幫手掃碼解封，俾兩百蚊，梗係呃人啦",
    "群里刚才那个“日赚五百”的链接大家不要 click，是钓鱼网站",
    "Mod note: removed 4 accounts today for posting 'earn $300/day liking videos'. Report anything similar.",
    "That 'detox tea' your aunt forwarded is not FDA approved and the 'doctor' in the clip is an actor.",
    "Friendly reminder: no legit company pays you to rate hotels and then asks you to top up first.",
    "爸，那个“膝盖贴一贴就好”的群你还是退了吧，卖的都是没批号的东西",
    "表弟，别借微信号给那个网友，他说租号一天给五十，出了事背锅的是你",
    "Nobody is paying you RM40 just to follow shops on TikTok. Please don't send them your 'deposit'",
    "Guys hati-hati, my neighbour kena tipu by a 'part time like job', lost RM3k in two days",
    "Mag-ingat po tayo, may nag-aalok ng 'online job' sa GC na kailangan muna mag-deposit. Modus yan",
])
def test_warnings_damp(text):
    assert weights(WarningContext(), text).get("context.warning", 0) <= -0.6


@pytest.mark.parametrize("text", [
    "WhatsApp banned? We unblock banned accounts in 1 hour, $50 each, DM me",
    "Loan not approved by the bank? We approve in 5 minutes, no credit check, WhatsApp +60 12 345 6789",
])
def test_offers_that_sound_like_moderation_are_no_warning(text):
    assert "context.warning" not in weights(WarningContext(), text)


def test_a_scammers_reassurance_is_no_warning():
    assert "context.warning" not in weights(WarningContext(), "帮忙转发一下 给你十块 放心不是骗子")


@pytest.mark.parametrize("text", [
    "New in town 🔥 real pics, no fake. incall/outcall available 24/7, 兼职",
    "哥，今晚需要按摩吗？🈚️套路 🈶照片 可以看了再定，兼职妹妹",
    "Dating for adults only 18+, no fake profiles, meet in 1 hour, part-time girls",
    "男士專屬紓壓館，女師傅手法細膩，有特別加值項目，兼職",  # 別加 inside 特別加值
    "我这有日本带回来的减肥药，一天一粒完全不饿，要不要帮你订一瓶？兼职代购",  # 不要帮 inside 要不要帮
])
def test_spammers_reassurance_and_offers_are_no_warning(text):
    assert "context.warning" not in weights(WarningContext(), text)


def test_reported_speech_damps():
    assert weights(WarningContext(), "有人让我租微信号给他，一天给80")["context.reported_speech"] < 0


@pytest.mark.parametrize("text", [
    "Someone messaged me offering $300 a day to like videos, is that real?",
    "A guy on Telegram offered me 500 to rent out my WhatsApp",
    "Someone in the alumni group keeps posting 'forward this to your Moments, 80 a day'",
    "Someone in a Facebook group wants to rent my old account for $50/week",
    "我收到短信说帮忙做任务日结三百",
    "今天又被拉进一个炒股群，群主天天说跟着老师能翻倍",
])
def test_reports_of_what_someone_offered_damp(text):
    assert weights(WarningContext(), text).get("context.reported_speech", 0) < 0


@pytest.mark.parametrize("text", [
    "I need someone to help me pass the real-name verification, I pay 500",  # the scammer asking
    "yo, someone's buying aged accounts for $60, I can hook you up",  # a broker
    "someone wants to rent your account, dm me",
    "We're offering $100 to users who help complete KYC for new members",  # the offer itself
    "你收到短信后把验证码发我就行，事后请你吃饭",  # the code the scammer wants
])
def test_a_scammers_own_someone_is_no_report(text):
    assert "context.reported_speech" not in weights(WarningContext(), text)


@pytest.mark.parametrize("text", [
    "据报道，警方破获一起刷单诈骗案",
    "The police arrested 30 people running a fake job scam promising $500 a day",
    "PUBLIC ADVISORY: overseas 'customer service' jobs in Myanmar offering free flights are trafficking fronts",
])
def test_news_damps(text):
    assert weights(NewsContext(), text)["context.news"] <= -0.6


@pytest.mark.parametrize("text", [
    "有人让我做微信辅助验证，给20块，这个靠谱吗？",
    "Is this a scam? someone offered me 200 to sell my old QQ account",
    "朋友叫我去柬埔寨做客服，说月薪两万还包住，你们觉得靠不靠谱",
    "帮陌生人刷个脸认证就给80块，这样会出事吗",
    "Is there a way to check if this recruiter is real? She wants a training fee before I start",
    "rent my old WhatsApp number for $20 a week = scam?",
    "Got a DM saying I won a lucky draw and must add their agent to claim it. Safe to ignore?",
    "同事拉我进了个刷单群，说做任务返佣百分之二十，我只看没做，会不会有什么风险",
    "有个陌生人出两百块买我闲置的抖音号，他图啥啊",
    "我妈说有人请她帮忙刷脸，一次五十，我听着就不太对",
    "群里天天有人发代刷单广告，要不要踢了他",
    "Do real employers ever want a deposit before a typing job from home starts? Asking for my sister",
    "A 'recruiter' wants me to pay $80 for training first. sounds fishy to me",
    "有人叫我帮他在Shopee刷单，先下单再退款，说佣金百分之十，这是 legit 的吗？",
    "这个『居家手工活，材料包押金198』是真的工厂吗？",
    "朋友让我把微信号租给他用一个月，给五百，这样有问题吗",
    "想问一下大家，群里那个日结兼职靠谱吗",
    "Quick question: my aunt got a text about a part-time job paying $300 a day",
    "Should I report this? A stranger offered me 50 a day to rent my WhatsApp",
    # worry and legitimacy questions said indirectly
    "有个群主说帮他在美团写好评一条三块，这种算不算违法啊",
    "收到短信说我的快递丢了要加客服微信理赔，要不要回",
    "那个卖家说这个减肥茶孕妇也能喝，我在哺乳期能喝吗",
    "师姐介绍的那个在家录视频赚钱的活，我看了流程感觉怪怪的",
    "A company wants a 1500 rupees joining fee for a data entry post. Is this genuine? Please guide",
    "Someone from 'HR' says I can earn 800 a day liking videos. legit ba yan?",
    "My dad got a call about a forex account in his name. How do we check if it's real?",
    "does Shopee actually pay people to leave ratings? my cousin keeps sending me a link",
])
def test_questions_damp(text):
    assert weights(QuestionContext(), text)["context.question"] <= -0.5


@pytest.mark.parametrize("text", [
    "有没有人想赚点零花？帮发广告，一条五块",
    "你的QQ号还在用吗？租给我们每天50",
    "Hi, sorry wrong number 😅 but do you know anything about crypto? My uncle's platform doubled my money",
    "要不要试试？一单一结，做完就提现",
    "还在犹豫什么？名额只剩三个，错过就没有了，私我",
    # generic openers that ask the reader about the reader
    "想問下你有冇興趣幫我哋轉發廣告？每條$20，做完即刻過數",
    "你好，想问问你有没有闲置的抖音号，我们租过来用，一天给你二十块",
    "Quick q: are you open to a remote role? Commission 0.5% per task, paid daily",
    "Quick question — do you use Instagram? We're hiring people to post our sponsored content, $20/post",
    "Does anyone here need a part time? You like posts and they pay 3 each, about 200 a day",
    "You just post their products on your status and get paid 3000 each day. Should I add you to the group?",
    "有偿求助！帮忙辅助微信注册，扫个码就行，一次50元",
    "necesitamos promotoras para publicar en sus stories, $8 por story, part-time job desde casa",
    "Does anyone really want to earn 300 a day from home? Message me, spots are limited",
    "Do you really want to stay broke? This team pays daily for simple likes",
])
def test_scam_openers_are_no_questions(text):
    assert "context.question" not in weights(QuestionContext(), text)


@pytest.mark.parametrize("text", [
    "我妈收到一条短信“帮忙在朋友圈转发广告，一条十元，日结”，让我看看是不是真的",
    'My uncle got this: "Earn $300 daily, just like and follow TikTok videos, add our HR on WhatsApp." Thoughts?',
    "群里有人发「兼职打字员，日结200，先交50押金」，你们谁做过",
    "又看到「0基础月入三万，包机票包住宿，柬埔寨客服」这种广告，真的不要去",
])
def test_a_quoted_offer_damps(text):
    assert weights(QuoteContext(), text)["context.quote"] < 0


@pytest.mark.parametrize("text", [
    'Hiring "Moments Promoters" now: post our pictures daily, $8 per post, DM me',  # a name, not speech
    "招募「抖音 快手 小红书 评论区 发帖员」，一条0.5元，每晚结算，加扣扣",
    "“日结兼职，帮忙点赞，一单五元，加微信 abc123”",  # nothing said outside the quotation
    "Looking for 'brand ambassadors, paid weekly' to post on your FB, RM30 a post",  # single quotes
])
def test_names_slogans_and_bare_forwards_are_no_quotation(text):
    assert "context.quote" not in weights(QuoteContext(), text)


def test_the_quotation_scan_is_linear_and_points_at_the_quotation():
    text = "他说“帮忙点赞，一单五块，当天结”是真的吗"
    start, end = quoted_span(text)
    assert text[start:end] == "“帮忙点赞，一单五块，当天结”"
    # unclosed, too long, too short: each opening mark jumps to its closing one
    assert quoted_span("“" * 100_000) is None
    assert quoted_span('"a,"' * 25_000) is None
    assert quoted_span("「" + "很长，" * 200 + "」 你看") is None


def test_family_damps_verification_only():
    found = FamilyContext().detect(ctx("妈，你的微信要好友辅助验证，我帮你扫一下码就行"))
    assert found and all(f.label == VERIFY and f.weight < 0 for f in found)
    assert FamilyContext().detect(ctx("妈，周末回家吃饭")) == []  # no verification, nothing to damp


@pytest.mark.parametrize("text", [
    "hi 姐姐 sorry 打扰，我微信被限制了，要好友辅助验证，帮我扫一下码吧",
    "阿姨您好，我是您邻居的朋友，我的号要辅助解封，您帮忙扫个码可以吗",
    "宝妈们有空的帮忙做个人脸认证，一次给80",
])
def test_a_strangers_form_of_address_is_no_family(text):
    assert "context.kin" not in {f.rule_id for f in FamilyContext().detect(ctx(text))}


def test_a_family_cue_after_a_negation_does_not_damp():
    assert "context.official_process" not in {f.rule_id for f in FamilyContext().detect(ctx(
        "帮忙做个人脸认证，无需银行卡，一次给80"))}
    assert "context.official_process" in {f.rule_id for f in FamilyContext().detect(ctx(
        "爸爸的手机银行要重新做实名认证，官方APP的流程"))}


def test_employer_context_needs_a_workplace():
    found = weights(EmployerContext(), "餐厅招兼职洗碗，每晚130，当天结，地址：湖滨路66号，时薪制")
    assert found["context.workplace"] < 0 and found["context.benefits"] < 0
    assert weights(EmployerContext(), "兼职打字员，¥10/hour，日结") == {}  # hourly pay alone is no employer
    assert weights(EmployerContext(), "remote job 月薪¥12000 无需interview 在家做") == {}  # negated interview


@pytest.mark.parametrize("text", [
    # a fee before the work: no employer charges one
    "恭喜您通过面试！入职前需缴纳工装及工牌费用158元，请于今天18:00前转账至财务",
    "NOW HIRING: Remote Customer Support. Pay: $25/hr. After the interview you need to pay $75 for a background check",
    # a CV the person is told about, not asked for
    "Hi, we reviewed your resume on the job site and you're shortlisted for a remote assistant position, $800/week",
    "您好，看到您在求职平台上的简历，我们这边有一个网络兼职的岗位，每天只需一小时，日结200元",
    # an interview in a chat app
    "Position: online assistant, $45/hr, part-time. Interviews via Telegram with our HR manager",
    "POSITION: Virtual Assistant. PAY: $28/hour. STEPS: 1) Chat interview 2) Receive offer",
])
def test_fake_recruiters_cues_are_no_employer(text):
    assert weights(EmployerContext(), text) == {}


@pytest.mark.parametrize("text", [
    "We're hiring baristas, $18/hr plus tips. Send your resume to jobs@beanhouse.com or walk in at 12 Main St",
    "门店招收银员，时薪22元，有意者带简历到店面试，地址：湖滨路66号",
    "Thanks for applying for the cashier job! Your interview is on Monday 10am at our office. No fees at any stage.",
    "Warehouse job: video interview next week, then an on-site day. We pay $21 hourly, benefits from day one.",
])
def test_real_employers_still_damp(text):
    assert weights(EmployerContext(), text).get("context.workplace", 0) < 0


# --- context when only the text model flags a message ----------------------------------------------------------

@pytest.fixture(scope="module")
def engine():
    from workers.core.engine import Engine
    from workers.core.policy import load_policy
    from workers.settings import DEFAULT_POLICY
    return Engine(load_policy(DEFAULT_POLICY))


def analysed(engine, text: str):
    from schemas.models import MessageEvent
    event = MessageEvent.model_validate({"event_id": "e", "account_id": "a", "surface": "group",
                                         "conversation_id": "g", "text": text, "sent_at": "2026-11-28T00:00:00Z"})
    analysis = engine.analyze(event)
    return analysis, engine.decide(event, analysis)


def test_a_question_damps_the_model_when_no_rule_topic_fired(engine):
    text = "Got this: 'Join our VIP stock group, teacher gives daily picks, add WhatsApp'. Safe to ignore?"
    analysis, decision = analysed(engine, text)
    assert not [f for f in analysis.findings if f.label and f.detector != "text_model"]  # no rule topic
    model = max(f.weight for f in analysis.findings if f.detector == "text_model")
    assert model * engine.model_share >= max(0.5, engine.model_alone_min)  # the model alone would flag it
    assert "context.question" in {f.rule_id for f in analysis.findings}
    assert decision.action == "allow"


def test_a_label_only_the_model_found_acts_from_the_policys_alone_bar_on():
    from dataclasses import replace

    from workers.core.engine import Engine
    from workers.core.policy import load_policy
    from workers.settings import DEFAULT_POLICY
    policy = load_policy(DEFAULT_POLICY)
    text = "代购美国 NMN，抗衰老逆生长，吃了半年我妈白头发都变黑了，现在 ¥399 一瓶，要的群里 @ 我"  # a dev message
    outcomes = {}
    for bar in (0.0, policy.text_model.alone_min_score, 0.99):
        engine = Engine(replace(policy, text_model=replace(policy.text_model, alone_min_score=bar)))
        analysis, decision = analysed(engine, text)
        assert not [f for f in analysis.findings if f.label and f.detector != "text_model"]  # no rule topic
        outcomes[bar] = (decision.action, decision.labels)
    assert outcomes[0.0] == outcomes[policy.text_model.alone_min_score]
    assert outcomes[0.0][1] == ("marketing_spam.unqualified_product",) and outcomes[0.0][0] != "allow"
    assert outcomes[0.99] == ("allow", ())  # the same model score, under a bar it does not reach


def test_without_a_topic_only_the_warning_is_asked_not_reported_speech():
    # scams open with "a friend introduced me" as often as warnings do: the model-only path leaves it out
    text = "有人说帮发朋友圈一天赚200，千万别信"
    assert {"context.warning", "context.reported_speech"} <= set(weights(WarningContext(), text + " 兼职"))
    assert [f.rule_id for f in WarningContext().context(ctx(text))] == ["context.warning"]
    assert WarningContext().context(ctx("朋友介绍的，效果真的好，私信我")) == []


def test_context_is_not_asked_when_nothing_could_be_flagged(engine):
    analysis, decision = analysed(engine, "Beware of the rain tomorrow, is this umbrella legit? 😂")
    assert analysis.findings == () and decision.action == "allow"
