"""Normalization: every rule, its map back to original offsets, hard negatives, the two ways offsets are
computed agreeing, linear time on crafted input, and a speed report."""
from __future__ import annotations

import glob
import json
import random
import re
import statistics
import time
from pathlib import Path

import pytest

from workers.core.normalize import Normalized, _steps, normalize
from workers.core.text import charmap, rules, t2s

CORPUS = sorted(glob.glob(str(Path(__file__).resolve().parents[1] / "data" / "corpus" / "src" / "*.jsonl")))


def corpus_texts() -> list[str]:
    texts = []
    for path in CORPUS:
        with open(path, encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def _reference(original: str) -> tuple[str, list[int], list[int]]:
    """Text and per-character offsets (start, end in the original) computed without `Normalized`'s lazy
    edit log: the same steps, but every substitution rebuilds the offset lists of the whole text. A character
    of a replacement maps to the matched character it equals when the replacement has the match's length or
    keeps a subsequence of it, else to the whole match."""
    text, starts, ends = charmap.translate_tracked(original)
    box = [starts, ends]

    def sub(pattern, fn, s, same_length=False):
        pieces, new_starts, new_ends, pos = [], [], [], 0
        for m in pattern.finditer(s):
            a, b = m.span()
            r = fn if isinstance(fn, str) else fn(m)
            pieces.append(s[pos:a])
            new_starts += box[0][pos:a]
            new_ends += box[1][pos:a]
            if len(r) == b - a:
                sources = [(i, i) for i in range(a, b)]
            else:
                kept, i = [], a
                for ch in r:
                    while i < b and s[i] != ch:
                        i += 1
                    kept.append(i)
                    i += 1
                sources = [(k, k) for k in kept] if all(k < b for k in kept) else [(a, b - 1)] * len(r)
            for first, last in sources:
                new_starts.append(box[0][first])
                new_ends.append(box[1][last])
            pieces.append(r)
            pos = b
        pieces.append(s[pos:])
        new_starts += box[0][pos:]
        new_ends += box[1][pos:]
        box[0], box[1] = new_starts, new_ends
        return "".join(pieces)

    text = _steps(text, original.isascii(), sub)
    return text, box[0], box[1]


def original_of(norm: Normalized, needle: str, occurrence: int = 0) -> str:
    """The original text behind the `occurrence`-th `needle` in the normalized text."""
    start = -1
    for _ in range(occurrence + 1):
        start = norm.text.index(needle, start + 1)
    a, b = norm.span(start, start + len(needle))
    return norm.original[a:b]


def check(raw: str, expected: str) -> Normalized:
    norm = normalize(raw)
    assert norm.text == expected, (raw, norm.text)
    return norm


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


# --- offsets in general -----------------------------------------------------------------------------------


def test_span_edge_cases():
    norm = normalize("加 微 信")
    assert norm.span(0, 0) == (0, 0)
    assert norm.span(3, 3) == (5, 5)
    assert norm.span(-5, 100) == (0, 5)
    assert norm.span(2, 1) == (4, 4)
    empty = normalize("")
    assert empty.text == "" and empty.span(0, 0) == (0, 0)
    assert normalize("\u200b\u200b").span(0, 0) == (0, 0)
    assert norm.index == (0, 2, 4)
    assert norm.spans([(0, 1), (1, 3)]) == [(0, 1), (2, 5)]


def test_repeated_short_texts_come_from_the_cache():
    raw = "加 V 信 xiaomei_8899"
    assert normalize(raw) is normalize(raw)
    assert normalize(raw).span(1, 3) == (2, 5)  # 微信 <- "V 信"
    long_raw = raw * 40
    assert normalize(long_raw) is not normalize(long_raw)
    assert normalize(long_raw) == normalize(long_raw)


def test_explicit_index_constructor_still_works():
    norm = Normalized("a b", "ab", (0, 2))
    assert norm.span(0, 2) == (0, 3)
    assert norm.index == (0, 2)


def _disguised(rng: random.Random, text: str) -> str:
    out = []
    for ch in text:
        r = rng.random()
        if r < 0.08:
            out.append(ch + rng.choice(["\u200b", " ", "·", "🔥", "-", "\ufe0f", "，"]))
        elif r < 0.12 and "0" <= ch <= "9":
            out.append("①②③④⑤⑥⑦⑧⑨"[int(ch) - 1] if ch != "0" else "⓪")
        elif r < 0.16 and ch.isascii() and ch.isalpha():
            out.append(chr(ord(ch.upper()) + 0xFEE0))
        elif r < 0.18 and ch in "aeoc":
            out.append({"a": "а", "e": "е", "o": "о", "c": "с"}[ch])
        else:
            out.append(ch)
    return "".join(out)


def test_offsets_agree_with_the_reference_pass_on_corpus_and_disguised_texts():
    """`normalize` + lazy `span` give the same text and the same per-character offsets as `_reference`,
    which rebuilds per-character offset lists at every step."""
    rng = random.Random(7)
    texts = corpus_texts()
    texts += [_disguised(rng, t) for t in texts]
    assert len(texts) > 2000
    for raw in texts:
        norm = normalize(raw)
        text, starts, ends = _reference(raw)
        assert norm.text == text, raw
        assert norm.spans([(i, i + 1) for i in range(len(text))]) == list(zip(starts, ends)), raw


def test_normalizing_twice_changes_nothing_more_on_the_corpus():
    for raw in corpus_texts():
        once = normalize(raw).text
        assert normalize(once).text == normalize(normalize(once).text).text


# --- linear time --------------------------------------------------------------------------------------------


def _unbounded_repeats_over_more_than_one_character(pattern: re.Pattern[str]) -> list[str]:
    parser = re._parser  # type: ignore[attr-defined]
    bad: list[str] = []

    def single_char(items) -> bool:
        return len(items) == 1 and items[0][0] in (parser.LITERAL, parser.NOT_LITERAL, parser.IN, parser.ANY)

    def walk(items) -> None:
        for op, av in items:
            if op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT):
                lo, hi, sub = av
                if hi == parser.MAXREPEAT and not single_char(list(sub)):
                    bad.append(str(sub)[:80])
                walk(sub)
            elif op in (parser.SUBPATTERN, parser.ATOMIC_GROUP):
                walk(av[-1])
            elif op in (parser.ASSERT, parser.ASSERT_NOT):
                walk(av[1])
            elif op is parser.BRANCH:
                for alt in av[1]:
                    walk(alt)

    walk(parser.parse(pattern.pattern))
    return bad


def _all_patterns():
    import workers.core.handles as handles
    import workers.core.normalize as normalize_module

    for module in (rules, handles, normalize_module, charmap, t2s):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value


def test_no_regex_repeats_an_unbounded_group():
    offenders = {
        name: bad for name, p in _all_patterns() if (bad := _unbounded_repeats_over_more_than_one_character(p))
    }
    assert offenders == {}


ADVERSARIAL = {
    "letters": "a" * 100_000,
    "spaces": " " * 100_000,
    "lone letters": "a " * 50_000,
    "cjk": "刷" * 100_000,
    "spaced cjk": "刷 " * 50_000,
    "cjk commas": "刷，" * 50_000,
    "digits": "1" * 100_000,
    "spaced digits": "1 " * 50_000,
    "dashed digits": "1-" * 50_000,
    "numerals": "一" * 100_000,
    "mixed numerals": "一1" * 50_000,
    "at signs": "@a" * 50_000,
    "dots": "a." * 50_000,
    "domains": "a.com" * 20_000,
    "schemes": "http://" * 14_000,
    "nicknames": "vx " * 33_000,
    "wechat colon": "微信:" * 33_000,
    "phones": "13800138000 " * 8_000,
    "leet": "m0n3y " * 16_000,
    "zero width": "a\u200b" * 50_000,
    "emoji": "兼🔥" * 50_000,
    "variation selectors": "✈\ufe0f" * 50_000,
    "telegram context": "加飞机" * 33_000,
    "cyrillic": "аa" * 50_000,
    "russian": "привет как дела " * 6_000,
    "look-alike words": "рау " * 25_000,
    "traditional": "發" * 100_000,
    "handles mix": ("加 V 信：x1a0mei_8899 ① ② ③ 刷·单 https://t.cn/AbC 一三八零零 m0ney @easy_job ✈: " * 2_000)[:100_000],
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_crafted_100kb_input_is_handled_quickly(name):
    from workers.core.handles import extract_handles

    text = ADVERSARIAL[name]
    started = time.perf_counter()
    norm = normalize(text)
    handles = extract_handles(norm)
    norm.span(0, len(norm.text))
    elapsed = time.perf_counter() - started
    print(f"{name}: {len(text)} chars, {elapsed * 1000:.1f} ms, {len(handles)} handles")
    assert elapsed < 1.0


# --- speed report -------------------------------------------------------------------------------------------


def test_speed_report_on_corpus():
    """Not a benchmark (machines are noisy): prints microseconds per call, without the cache of repeated
    texts, and fails only when something became catastrophically slow."""
    from workers.core.handles import extract_handles
    from workers.core.normalize import _normalize_cached

    uncached = _normalize_cached.__wrapped__
    texts = corpus_texts()
    normalize_runs, handles_runs = [], []
    for _ in range(5):
        started = time.perf_counter()
        norms = [uncached(text) for text in texts]
        normalize_runs.append((time.perf_counter() - started) / len(texts) * 1e6)
        started = time.perf_counter()
        for norm in norms:
            extract_handles(norm)  # computes the offsets of the texts holding a handle
        handles_runs.append((time.perf_counter() - started) / len(texts) * 1e6)
    per_call, handles_per_call = statistics.median(normalize_runs), statistics.median(handles_runs)
    print(f"normalize: {per_call:.1f} us/call, extract_handles: {handles_per_call:.1f} us/call ({len(texts)} texts)")
    assert per_call < 500 and handles_per_call < 500
