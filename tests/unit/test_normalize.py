"""Normalization: every rule, its map back to original offsets, and hard negatives it must leave alone.
(Offsets against a reference pass, linear time and speed: test_normalize_offsets.py.)"""
from __future__ import annotations

import pytest

from tests.unit.normalize_helpers import check, corpus_texts, original_of
from workers.core.normalize import normalize
from workers.core.text import charmap, t2s


# --- 1. NFKC, full-width, casefold --------------------------------------------------------------------------


def test_full_width_and_case_fold_to_ascii_with_offsets():
    norm = check("ＶＸ：ＸＩＡＯＭＥＩ＿８８９９", "微信:xiaomei_8899")
    assert original_of(norm, "xiaomei_8899") == "ＸＩＡＯＭＥＩ＿８８９９"
    assert original_of(norm, "微信") == "ＶＸ"
    check("ＥＡＳＹ　ＭＯＮＥＹ", "easy money")
    check("𝐞𝐚𝐬𝐲 𝐦𝐨𝐧𝐞𝐲", "easy money")  # mathematical bold
    check("Straße", "strasse")


def test_accents_dropped_from_latin_letters_and_pinyin():
    check("jiān zhí", "兼职")
    check("café crème", "cafe creme")
    check("e\u0301asy", "easy")  # decomposed accent


def test_letters_with_a_stroke_lose_it_like_accents():
    norm = check("PØST 3 ads, Łike & share", "post 3 ads, like & share")
    assert original_of(norm, "post") == "PØST"
    check("pøst on your møments", "post on your moments")
    check("đaily ħelp", "daily help")


def test_full_width_punctuation_becomes_ascii():
    check("好的，明天见！", "好的,明天见!")
    norm = check("你好？", "你好?")
    assert original_of(norm, "?") == "？"


# --- 2. invisible characters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u2063", "\ufeff", "\ufe0f", "\u00ad",
     "\U000e0041", "\U000e0101", "\u034f", "\u180e", "\u202e"],
)
def test_invisible_characters_removed(invisible):
    raw = f"刷{invisible}单"
    norm = check(raw, "刷单")
    assert original_of(norm, "刷单") == raw
    assert original_of(norm, "单") == "单"


def test_zero_width_inside_latin_word_and_offsets():
    raw = "c\u200ba\u200bs\u200bh b\u200back"
    norm = check(raw, "cash back")
    assert original_of(norm, "back") == "b\u200back"


def test_control_characters_and_whitespace_runs():
    check("easy\t\tmoney", "easy money")
    check("easy   money\r\n\r\n  now", "easy money\nnow")
    check("a\x00b", "ab")
    check("好\u3000\u3000的 money", "好的money")


# --- 3. separators -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected, needle, behind",
    [
        ("加 微 信", "加微信", "微信", "微 信"),
        ("刷·单", "刷单", "刷单", "刷·单"),
        ("兼🔥职", "兼职", "兼职", "兼🔥职"),
        ("刷-单", "刷单", "刷单", "刷-单"),
        ("刷 . 单", "刷单", "刷单", "刷 . 单"),
        ("日★结", "日结", "日结", "日★结"),
        ("刷，单，日，结", "刷单日结", "刷单日结", "刷，单，日，结"),
        ("刷 单，日 结", "刷单日结", "单日", "单，日"),
        ("1 3 8 0 0 1 3 8 0 0 0", "13800138000", "13800138000", "1 3 8 0 0 1 3 8 0 0 0"),
        ("1-3-8-0-0-1-3-8-0-0-0", "13800138000", "0013", "0-0-1-3"),
        ("1.3.8.0.0.1.3.8.0.0.0", "13800138000", "138", "1.3.8"),
    ],
)
def test_separators_inside_spelled_out_words(raw, expected, needle, behind):
    norm = check(raw, expected)
    assert original_of(norm, needle) == behind


def test_spelled_out_latin_letters_are_joined():
    check("w x", "微信")
    check("v.x", "微信")
    check("q q 12345", "qq 12345")
    norm = check("加 V 信", "加微信")
    assert original_of(norm, "微信") == "V 信"


def test_english_words_keep_their_spaces():
    check("Earn easy money from home, DM me", "earn easy money from home, dm me")
    check("I'm a student and it's a job", "i'm a student and it's a job")
    check("Plan B. Then go", "plan b. then go")


def test_space_between_cjk_and_latin_or_digits_goes():
    check("每单 30 元", "每单30元")
    norm = check("做 Shopee 好评", "做shopee好评")
    assert original_of(norm, "shopee") == "Shopee"
    check("今天 天气 很好", "今天天气很好")


def test_sentence_punctuation_between_cjk_words_stays():
    check("好的，明天见。我们走吧！", "好的,明天见。我们走吧!")
    check("红包、礼物、惊喜", "红包、礼物、惊喜")


@pytest.mark.parametrize("raw", ["3-5天", "1.5万", "3.5元", "0.5", "2024-05-20", "1.2.3", "3~5个", "10:30"])
def test_numbers_with_punctuation_stay(raw):
    check(raw, raw)


# --- 4. homoglyphs and leetspeak -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("pаypal", "paypal"),  # Cyrillic а
        ("сash bаck", "cash back"),  # Cyrillic с, а
        ("рау", "pay"),  # a word made only of Cyrillic look-alikes
        ("ΕΑSY mοney", "easy money"),  # Greek capitals Ε Α, Greek ο
        ("wеchat", "微信"),  # Cyrillic е, then the nickname rule
    ],
)
def test_cyrillic_and_greek_lookalikes_in_latin_words(raw, expected):
    norm = check(raw, expected)
    assert norm.span(0, len(norm.text)) == (0, len(raw))


def test_real_cyrillic_text_is_left_alone():
    check("привет, как дела", "привет, как дела")
    check("Ελληνικά", "ελληνικά")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("m0ney", "money"),
        ("c@sh", "cash"),
        ("fr33", "free"),
        ("$cam", "scam"),
        ("1ike", "like"),
        ("h3ll0", "hello"),
        ("d@ily p@y", "daily pay"),
        ("c0mmission", "commission"),
        ("e@sy m0n3y", "easy money"),
    ],
)
def test_leetspeak_inside_words(raw, expected):
    norm = check(raw, expected)
    assert original_of(norm, expected.split()[0]) == raw.split()[0]


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000", "2024", "300元", "24h", "10k", "5g", "7pm", "win7", "top10", "iphone15", "abc123",
        "xiaomei_8899", "abc@gmail.com", "t.cn/a1b3", "@abc15", "b2b", "3d",
    ],
)
def test_leetspeak_never_touches_numbers_ids_and_addresses(raw):
    check(raw, raw.lower())


def test_no_leetspeak_on_an_id_after_a_handle_keyword():
    assert normalize("vx lucky7").text == "微信lucky7"
    assert normalize("微信: m0ney88").text == "微信: m0ney88"


# --- 5. numerals -------------------------------------------------------------------------------------------


def test_circled_and_parenthesized_digits():
    norm = check("扣扣：⑨⑧⑦⑥⑤④③", "qq:9876543")
    assert original_of(norm, "9876543") == "⑨⑧⑦⑥⑤④③"
    assert original_of(norm, "qq") == "扣扣"
    check("❶❸❽⓿⓪", "13800")
    check("⑴⑶⑻", "138")
    check("⒈⒊⒏", "138")
    check("１３８００１３８０００", "13800138000")
    check("1️⃣3️⃣8️⃣", "138")  # keycaps


def test_chinese_numerals_in_number_runs():
    norm = check("一三八零零一三八零零零", "13800138000")
    assert original_of(norm, "138") == "一三八"
    check("幺三八零零幺三八零零零", "13800138000")
    check("壹叁捌零零壹叁捌零零零", "13800138000")
    check("1三8零0一3八000", "13800138000")
    check("一三八○○一三八○○○", "13800138000")
    check("qq一二三", "qq123")
    check("电话：一三八", "电话:138")


@pytest.mark.parametrize(
    "raw", ["一起吃饭", "一条一天", "一天300", "100一单", "300一天", "零零后", "一五一十", "三三两两", "第一名", "一一对应"]
)
def test_ordinary_words_with_numerals_stay(raw):
    check(raw, raw)


# --- 6. traditional -> simplified -----------------------------------------------------------------------------


def test_traditional_to_simplified_keeps_offsets():
    raw = "內幕消息 明天必漲 飛機號 @insider_hk"
    norm = normalize(raw)
    assert norm.text == "内幕消息明天必涨telegram号 @insider_hk"
    assert original_of(norm, "必涨") == "必漲"
    assert original_of(norm, "telegram") == "飛機"


@pytest.mark.parametrize("phrase", ["乾隆", "乾淨", "瞭解", "計畫", "回覆", "頭髮", "於是", "甚麼", "錢鍾書"])
def test_traditional_phrases_convert_like_opencc(phrase):
    import opencc

    expected = opencc.OpenCC("t2s").convert(phrase)
    assert normalize(f"他說{phrase}").text == "他说" + expected


def test_simplified_text_with_ambiguous_characters_is_not_converted():
    check("什么东西坏了", "什么东西坏了")


def test_t2s_character_table_agrees_with_opencc_on_traditional_corpus_texts():
    import opencc

    cc = opencc.OpenCC("t2s")
    for text in corpus_texts():
        mapped = charmap.translate(text)
        if t2s.needs_t2s(mapped) and t2s.AMBIGUOUS.isdisjoint(mapped):
            assert t2s.to_simplified(mapped, ambiguous=False) == cc.convert(mapped)


def test_t2s_character_table_in_c_gives_the_table_and_the_rare_characters_of_the_result():
    from workers.core import normalize as normalize_module

    native = normalize_module._T2S_CHARS
    assert native is not None, "workers/core/text/_charstage.c is not built: run ops/setup"
    every = "".join(map(chr, sorted(t2s.CHAR_MAP))) + "瞭藉甦衹一二三零两" + "\U00020000x"
    checked = 0
    for text in [charmap.translate(t) for t in corpus_texts()] + [every, every[::-1], ""]:
        if not t2s.needs_t2s(text):
            continue
        out, rare = native.translate_rare(text)
        assert out == text.translate(t2s._TABLE) == t2s.to_simplified(text, ambiguous=False), text
        found = normalize_module._RARE.findall(out)
        assert (rare or frozenset()) == frozenset(found), text
        checked += 1
    assert checked > 500


# --- 7. nicknames and pinyin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["wx", "vx", "VX", "v信", "V信", "薇信", "微x", "weixin", "WeChat", "w x", "v·x", "Ｖ信", "加威信", "威信:", "微:"]
)
def test_wechat_nicknames(raw):
    assert "微信" in normalize(raw).text


def test_nickname_offsets_cover_the_written_token():
    norm = normalize("加V信：abc123")
    assert original_of(norm, "微信") == "V信"
    norm = normalize("加我 weixin abc123")
    assert original_of(norm, "微信") == "weixin"


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("扣扣 12345", "qq"), ("企鹅号 12345", "qq号"), ("QQ 12345", "qq"),
        ("飞机号 easyjob", "telegram号"), ("加飞机", "加telegram"), ("✈: @easyjob", "telegram:"), ("纸飞机群", "telegram群"),
        ("tg @easyjob", "telegram"), ("TG:easyjob", "telegram:"), ("✈️飞机 @x_job", "telegram"),
        ("WA: +85512345678", "whatsapp:"), ("whats app", "whatsapp"), ("加wa", "加whatsapp"),
        ("jz", "兼职"), ("兼zhi", "兼职"), ("jian职", "兼职"), ("shua单", "刷单"),
    ],
)
def test_other_nicknames(raw, canonical):
    assert canonical in normalize(raw).text


@pytest.mark.parametrize(
    "raw",
    [
        "坐飞机去北京", "飞机晚点了", "在飞机上睡觉", "进飞机舱", "下午去飞机场", "小朋友折纸飞机", "很有威信", "卫星发射成功",
        "微博", "微笑", "wa好厉害", "wait for me", "vx2000 model", "jzz", "我想要 v", "ojz", "stg",
    ],
)
def test_nicknames_need_their_context(raw):
    text = normalize(raw).text
    assert "telegram" not in text and "微信" not in text and "whatsapp" not in text and "兼职" not in text


def test_dotted_domains_in_words():
    norm = check("xxx点com", "xxx.com")
    assert original_of(norm, ".") == "点"
    check("www点abc点com", "www.abc.com")
    check("abc dot com", "abc.com")
    check("abc(dot)cn", "abc.cn")
    check("abc。com", "abc.com")
    check("3点30分", "3点30分")
    check("好的。com", "好的。com")
