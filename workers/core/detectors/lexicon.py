"""Shared vocabulary and the per-event money scan.

Written against the NORMALIZED text: NFKC, lower case, simplified Chinese, contact words folded to canonical
tokens ("微信", "qq", "telegram", "兼职"). A few raw spellings ("vx", "v信", "飞机") are kept as well so the
detectors do not depend on every folding being in place. Every repetition is bounded. Alternatives start
with a literal character (see `Lexicon`).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, Spans

CN_DIGITS = "一二两三四五六七八九十百千万几壹贰叁肆伍陆柒捌玖拾佰仟"
_CN = f"[{CN_DIGITS}]"
# what follows a number that is a count, a time or a size, not an amount of money
_NOT_MONEY = r"(?![\d.]|[个张次条篇件回遍小时分钟秒点号岁年月日天周人群份盒斤楼层位名瓶颗粒单码集期%]|kg|km|cm|h\b|hours?|hrs?|min|days?|steps|yrs?)"
_CUR_POST = r"(?:元|块|毛|角|蚊|刀|rmb|usdt|美元|美金|台币|港币|dollars?|bucks|pesos?)"

# Digits of an amount are taken possessively ("{0,8}+": never given back): what must come after them (a unit, a
# currency, "/", "per", "each") never starts with a digit, "," or ".", so giving one back could never make a
# match, and `re` no longer tries (a test compares both forms at every digit of the corpus).
MONEY = (
    r"[¥$€£₱] ?\d[\d,.]{0,8}+(?:k|w|万)?|(?:rmb|usdt|usd|rm|hk\$|nt\$|s\$|php) ?\d[\d,.]{0,8}+(?:k|w|万)?|"
    rf"\d[\d,.]{{0,8}}+ ?(?:k|w|万)? ?{_CUR_POST}|{_CN}{_CN}{{0,5}}{_CUR_POST}"
)
# a bare amount: "一次五十", "一次50", "给二百"; not "一天三张", "每天快走一小时", "七八个码"
AMOUNT = rf"\d(?>\d{{0,5}})(?:\.\d{{1,2}})?{_NOT_MONEY}|{_CN}(?>{_CN}{{1,5}}){_NOT_MONEY}"
_UNIT = r"(?:单|条|个|次|群|篇|则|张|码|刀|赞|号|天)"
_EN_UNIT = (r"(?:post|task|order|group|moment|scan|like|follow|review|share|qr|account|acc|time|each|day|hour|hr|"
            r"week|month|mo\b|repost)")
# a rate per piece or per day: "一单3元", "每条五块", "一个群2元", "5元/条", "¥5/post", "30一个", "一天200"
RATE = (
    rf"[一每1] ?{_UNIT}(?:群)?[^。！？!?\n，,]{{0,5}}(?:{MONEY}|{AMOUNT})|"
    r"单价|按(?:条|次|单|个|天|群)(?:算|结|计|收费|给钱)|"
    rf"\d[\d,.]{{0,8}}+ ?(?:元|块|毛|rmb|usdt)? ?(?:/ ?|每|一|per |an? |each ?){_UNIT}|"
    rf"[¥$€£₱] ?\d[\d,.]{{0,8}}+(?:k|w)? ?(?:/ ?|per |an? |each ?){_EN_UNIT}|[¥$€£₱] ?\d[\d,.]{{0,8}}+ each\b|"
    rf"{_CN}{_CN}{{0,5}}(?:元|块|毛)? ?(?:/ ?|每|一){_UNIT}|per (?:task|order|post|scan|like|review|group|time|day)|"
    r"\d{1,5} each\b"
)

# an amount handed over: "给你五十", "给二百", "拿200", "转你30"
PAID_AMOUNT = f"(?:给你|给|拿|赚|得|转你|转|付你|付|收入)(?:{AMOUNT})"
MONEY_LEXICON = Lexicon({"rate": RATE, "money": MONEY + "|" + PAID_AMOUNT, "amount": AMOUNT})


def money(ctx: Context) -> Hits:
    """Rates, amounts of money and bare amounts in the text: {"rate": [...], "money": [...], "amount": [...]}.
    Computed once per event, on first use by any detector."""
    return MONEY_LEXICON.hits(ctx)


def pay_spans(ctx: Context) -> Spans:
    """Every span that is money or a rate (not a bare number: "门票60", a phone number)."""
    m = money(ctx)
    return m.get("rate", []) + m.get("money", [])


# pay words for a task, besides amounts: "日结", "给你…红包", "赚", "pay", "earn"
PAY_WORDS = (
    "赚|日结|当天结|周结|月结|结算|结钱|红包|佣金|报酬|给你[^，。！？!?\\n]{0,3}(?:钱|红包)|给钱|拿钱|有钱拿|算钱|付费|计费|收入|"
    "零花|外快|辛苦费|发钱|pay|paid|earn|cash|money|income|commission|reward"
)

# an account as the object of a trade ("微信号", "老号", "accounts"); a bare app name is more often the contact
# channel ("whatsapp me"), so it counts only next to a trade verb or with "your/idle/old"
APPS = "微信|wechat|weixin|qq|whatsapp|douyin|tiktok|抖音|支付宝|alipay|陌陌|微博|weibo|小红书|快手"
ACCOUNT_OBJ = (
    "微信号|v信号|vx号|qq号|q号|微号|账号|帐号|账户|帐户|小号|老号|闲置号|实名号|白号|组合号|游戏号|抖音号|"
    "account|accounts|acct|accts|acc0unt|"
    # bank cards, online banking, SIM cards and e-wallets: rented out to launder money ("跑分", "走账")
    "银行卡|储蓄卡|电话卡|手机卡|网银|对公账户|对公户|bank accounts?|bank cards?|sim cards?|e-?wallets?"
)
# platforms whose accounts are rented and sold too; only with "your/idle/old" (never next to a trade verb alone:
# "selling on Shopee" is a shop, not an account for sale)
PLATFORMS = (
    "instagram|insta\\b|ig\\b|facebook|fb\\b|snapchat|twitter|telegram|飞机号|shopee|lazada|tokopedia|grab\\b|"
    "uber\\b|deliveroo|foodpanda|coinbase|binance|kraken|paypal|venmo|gcash|闲鱼|淘宝|拼多多|美团|饿了么"
)

# close relatives and people one knows (identity verification among family is not a scam)
KIN = (
    "妈(?<!宝妈)|爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|老婆|老公|儿子|女儿|闺女|孙子|孙女|舅舅|舅妈|姑姑|姑妈|阿姨|叔叔|二叔|小姑|"
    "姨妈|大姨|小姨|哥哥|姐姐|弟弟|妹妹|表姐|表哥|堂哥|室友|阿嬷|阿公|阿妈|阿爸|家族群|家里人|家人(?!们)|"
    "mom\\b|mum\\b|dad\\b|mother|father|grandma|grandpa|granny|auntie|aunt\\b|uncle|sis\\b|sister|brother|daughter|"
    "son\\b|husband|wife|roommate|landlord|family"
)

# an upfront fee the victim pays before earning (negations are excluded by the detectors)
FEE_NOUN = (
    "押金|保证金|会员费|会费|培训费|入职费|入门费|中介费|介绍费|报名费|材料费|材料包|工具包|手续费|服务费|激活费|体检费|"
    "工服费|授权书|入职礼包|工作手机|签证费|办证费|deposit|training fee|onboarding fee|registration fee|"
    "membership|starter pack|starter kit|processing fee|joining fee|application fee|fee\\b|software"
)
FEE_VERB = "先交|先缴|先付|需交|需缴|需付|要交|须交|需先|需要先|先购买|先买|缴纳|交纳|需购买|另收|pay\\b|buy\\b|purchase"

# "先交押金300", "押金300", "¥199 training fee", "pay ¥50 membership", "需先购买校对软件¥199"; the detectors
# drop matches right after a negation ("无需交押金", "不收押金", "no fee")
FEE = (
    rf"(?:{FEE_VERB})[^。！？!?\n]{{0,8}}(?:{FEE_NOUN})|(?:{FEE_NOUN})[^。！？!?\n]{{0,3}}(?:{MONEY})|"
    rf"(?:先交|先缴|先付|需先|需要先|先购买|先买)[^。！？!?\n]{{0,12}}(?:{MONEY})|"
    rf"[¥$] ?\d[\d,.]{{0,6}}[^。！？!?\n]{{0,4}}(?:{FEE_NOUN})|\d[\d,.]{{0,6}} ?元[^。！？!?\n]{{0,4}}(?:{FEE_NOUN})|"
    rf"(?:交|缴|付)[^。！？!?\n]{{0,3}}(?:{FEE_NOUN})|"
    # English fees named as such: "just a small registration fee", "test fee RM40", "the agent fee is 3000"
    r"(?:small|one-time|one time|refundable|minimal|nominal|token|tiny|little) (?:[a-z]{3,12} )?fees?\b|"
    r"(?:registration|training|test|agent|agency|activation|placement|kit|uniform|admin|verification) fees?\b|"
    rf"fees? (?:is|of|costs?|=) (?:only |just )?(?:{MONEY})"
)
_NEGATION = ("不", "无", "免", "零", "没", "no ", "no", "without ", "free ", "zero ")


def negated(text: str, start: int) -> bool:
    """Whether the match at `start` directly follows a negation ("无需交押金", "no deposit")."""
    head = text[max(0, start - 8):start]
    return head.endswith(_NEGATION) or head.rstrip().endswith(("no", "无需", "不用", "不需", "不需要", "免"))
