"""Contact handles: one canonical value per account however it is written, spans into the original text,
and the look-alikes that are not handles."""
from __future__ import annotations

import pytest

from workers.core.handles import MAX_HANDLES, Handle, extract_handles
from workers.core.normalize import normalize


def handles(raw: str) -> list[tuple[str, str]]:
    """(value, original text behind the handle) for each handle of `raw`."""
    return [(h.value, raw[h.start : h.end]) for h in extract_handles(normalize(raw))]


def values(raw: str) -> list[str]:
    return [h.value for h in extract_handles(normalize(raw))]


def test_handle_fields():
    (h,) = extract_handles(normalize("加微信 xiaomei_8899"))
    assert h == Handle("wechat", "wechat:xiaomei_8899", 4, 16)


# --- WeChat -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("加微信 xiaomei_8899 日结", "xiaomei_8899"),
        ("加V信：Xiaomei_8899", "Xiaomei_8899"),
        ("ｖｘ：ｘｉａｏｍｅｉ＿８８９９", "ｘｉａｏｍｅｉ＿８８９９"),
        ("薇信 XIAOMEI_8899", "XIAOMEI_8899"),
        ("w x: xiaomei_8899", "xiaomei_8899"),
        ("v.x xiaomei_8899", "xiaomei_8899"),
        ("微: xiaomei_8899", "xiaomei_8899"),
        ("V: xiaomei_8899", "xiaomei_8899"),
        ("wechat xiaomei_8899", "xiaomei_8899"),
        ("加 微 信 号 是 xiaomei_8899", "xiaomei_8899"),
        ("微信号：xiao\u200bmei_8899", "xiao\u200bmei_8899"),
        ("威信 xiaomei_8899", "xiaomei_8899"),
    ],
)
def test_wechat_id_written_many_ways_gives_one_value(raw, written):
    assert handles(raw) == [("wechat:xiaomei_8899", written)]


def test_wxid_is_a_wechat_id():
    assert handles("wxid_abc123xyz 加我") == [("wechat:wxid_abc123xyz", "wxid_abc123xyz")]


@pytest.mark.parametrize("raw", ["微信支付", "加微信 account", "我的微信被封了", "微信 abc", "微信: 12345"])
def test_not_wechat_ids(raw):
    assert not any(v.startswith("wechat:") for v in values(raw))


# --- QQ -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("QQ: 987654321", "987654321"),
        ("扣扣：⑨⑧⑦⑥⑤④③②①", "⑨⑧⑦⑥⑤④③②①"),
        ("企鹅号 987654321", "987654321"),
        ("qq 987 654 321", "987 654 321"),
        ("ＱＱ号码是９８７６５４３２１", "９８７６５４３２１"),
        ("扣扣 九八七六五四三二一", "九八七六五四三二一"),
        ("q q 9 8 7 6 5 4 3 2 1", "9 8 7 6 5 4 3 2 1"),
    ],
)
def test_qq_number_written_many_ways_gives_one_value(raw, written):
    assert handles(raw) == [("qq:987654321", written)]


def test_a_qq_number_is_not_also_a_phone():
    assert values("qq 13800138000") == ["qq:13800138000"]


# --- phones -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("电话13800138000", "13800138000"),
        ("电话 138 0013 8000", "138 0013 8000"),
        ("138-0013-8000 找我", "138-0013-8000"),
        ("1 3 8 0 0 1 3 8 0 0 0", "1 3 8 0 0 1 3 8 0 0 0"),
        ("一三八零零一三八零零零", "一三八零零一三八零零零"),
        ("幺三八〇〇幺三八〇〇〇", "幺三八〇〇幺三八〇〇〇"),
        ("①③⑧⓪⓪①③⑧⓪⓪⓪", "①③⑧⓪⓪①③⑧⓪⓪⓪"),
        ("１３８００１３８０００", "１３８００１３８０００"),
        ("+86 138 0013 8000", "+86 138 0013 8000"),
        ("+8613800138000", "+8613800138000"),
        ("8613800138000", "8613800138000"),
        ("手机：1三8零0一3八000", "1三8零0一3八000"),
        ("我的电话是13800138000谢谢", "13800138000"),
    ],
)
def test_chinese_mobile_written_many_ways_gives_one_value(raw, written):
    assert handles(raw) == [("phone:+8613800138000", written)]


@pytest.mark.parametrize(
    "raw, value, written",
    [
        ("call +855 12 345 678 now", "phone:+85512345678", "+855 12 345 678"),
        ("+63 917 123 4567", "phone:+639171234567", "+63 917 123 4567"),
        ("+1 (415) 555-0123", "phone:+14155550123", "+1 (415) 555-0123"),
        ("联系 +60 12-555 0123", "phone:+60125550123", "+60 12-555 0123"),
    ],
)
def test_international_numbers(raw, value, written):
    assert handles(raw) == [(value, written)]


@pytest.mark.parametrize(
    "raw",
    [
        "订单号 2024052012345678", "价格 13800 元", "2024-05-20 13:80", "id: 12345678901234", "abc13800138000",
        "t.cn/13800138000x", "邮编 100080", "1.3800138000",
    ],
)
def test_not_phones(raw):
    assert not any(v.startswith("phone:") for v in values(raw))


# --- WhatsApp -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("WA: +85512345678", "+85512345678"),
        ("whatsapp +855 12 345 678", "+855 12 345 678"),
        ("WhatsApp我 +855-12-345-678", "+855-12-345-678"),
        ("wa.me/85512345678", "85512345678"),
        ("加wa 85512345678", "85512345678"),
        ("Ｗｈａｔｓａｐｐ：＋８５５１２３４５６７８", "＋８５５１２３４５６７８"),
    ],
)
def test_whatsapp_number_gives_one_value_and_is_not_a_phone(raw, written):
    assert handles(raw) == [("whatsapp:+85512345678", written)]


# --- Telegram -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("✈: @easyjob_cn", "easyjob_cn"),
        ("✈️ @EasyJob_CN", "EasyJob_CN"),
        ("飞机号 easyjob_cn", "easyjob_cn"),
        ("飛機號：easyjob_cn", "easyjob_cn"),
        ("加飞机 @easyjob_cn", "easyjob_cn"),
        ("tg: easyjob_cn", "easyjob_cn"),
        ("telegram @easyjob_cn", "easyjob_cn"),
        ("https://t.me/easyjob_cn", "easyjob_cn"),
        ("t.me/EasyJob_CN 进群", "EasyJob_CN"),
        ("联系 @easyjob_cn 领取", "easyjob_cn"),
        ("纸飞机：ｅａｓｙｊｏｂ＿ｃｎ", "ｅａｓｙｊｏｂ＿ｃｎ"),
    ],
)
def test_telegram_handle_gives_one_value(raw, written):
    assert handles(raw) == [("telegram:easyjob_cn", written)]


@pytest.mark.parametrize(
    "raw",
    [
        "email me at easyjob_cn@gmail.com", "简历发到 hr@company.com", "坐飞机去北京", "飞机晚点了 easyjob_cn",
        "@tony 明天见", "@张三 你好", "price@100", "telegram is an app",
    ],
)
def test_not_telegram(raw):
    assert not any(v.startswith("telegram:") for v in values(raw))


def test_an_email_address_is_neither_telegram_nor_url():
    assert values("write to easyjob_cn@gmail.com") == []


# --- URLs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, value, written",
    [
        ("点击 t.cn/ABC123 领取", "url:t.cn/abc123", "t.cn/ABC123"),
        ("https://bit.ly/3xYz9 ok", "url:bit.ly/3xyz9", "https://bit.ly/3xYz9"),
        ("dwz.cn/abc", "url:dwz.cn/abc", "dwz.cn/abc"),
        ("u.nu/xyz!", "url:u.nu/xyz", "u.nu/xyz"),
        ("www.xxx.com", "url:xxx.com", "www.xxx.com"),
        ("WWW.XXX.COM/path/", "url:xxx.com/path", "WWW.XXX.COM/path"),
        ("xxx点com", "url:xxx.com", "xxx点com"),
        ("访问www点xxx点com", "url:xxx.com", "www点xxx点com"),
        ("xxx dot com", "url:xxx.com", "xxx dot com"),
        ("ｘｘｘ．ｃｏｍ", "url:xxx.com", "ｘｘｘ．ｃｏｍ"),
        ("http://example.org:8080/a?b=1.", "url:example.org/a?b=1", "http://example.org:8080/a?b=1"),
        ("网址 shop.example.top/item/9", "url:shop.example.top/item/9", "shop.example.top/item/9"),
    ],
)
def test_urls_and_short_links(raw, value, written):
    assert handles(raw) == [(value, written)]


@pytest.mark.parametrize("raw", ["e.g. this", "1.5万", "3点30分", "v1.2.3", "file.txt", "好的。com"])
def test_not_urls(raw):
    assert not any(v.startswith("url:") for v in values(raw))


def test_same_url_written_differently_is_one_value():
    assert {v for raw in ("T.CN/abc123", "t．cn/abc123", "http://t.cn/abc123", "t.cn/abc123/") for v in values(raw)} == {
        "url:t.cn/abc123"
    }


# --- several handles, order, repetition, limits --------------------------------------------------------------


def test_several_handles_in_order_with_spans():
    raw = "兼职日结！加V信 xiaomei_8899 或 扣扣 987654321，电话 138-0013-8000，详情 t.cn/abc 飞机 @easyjob_cn"
    assert handles(raw) == [
        ("wechat:xiaomei_8899", "xiaomei_8899"),
        ("qq:987654321", "987654321"),
        ("phone:+8613800138000", "138-0013-8000"),
        ("url:t.cn/abc", "t.cn/abc"),
        ("telegram:easyjob_cn", "easyjob_cn"),
    ]


def test_a_repeated_handle_is_reported_once():
    raw = "vx: xiaomei_8899 ... 再说一遍 V信 xiaomei_8899"
    assert handles(raw) == [("wechat:xiaomei_8899", "xiaomei_8899")]


def test_at_most_max_handles_distinct_handles():
    raw = " ".join(f"+855{n:08d}" for n in range(MAX_HANDLES * 3))
    found = extract_handles(normalize(raw))
    assert len(found) == MAX_HANDLES
    assert found[0].value == "phone:+85500000000"


def test_no_handles_in_ordinary_text():
    for raw in ["今天天气不错，一起吃饭吧", "Meeting at 3pm, room 12", "价格 138 元", "好", ""]:
        assert values(raw) == []
