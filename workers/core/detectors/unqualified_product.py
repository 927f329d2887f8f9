"""Unqualified health and beauty products: miracle weight loss, cures for chronic disease, whitening
injections, sexual enhancers, "no prescription needed", "not sold in pharmacies".

Inherently illicit products ("减肥药", "壮阳", "viagra no Rx") are strong; efficacy and cure claims add up
(each distinct claim counts) and are stronger next to a product, a disease or a weight/beauty topic;
talking about losing weight (a gym chat, a diary) is weak and needs a sale around it. Disclaimers ("不是减肥
神器", "不保证治病", "没吃什么药") lower the label.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.lexicon import CN_DIGITS
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "unqualified_product"
LABEL = "marketing_spam.unqualified_product"

_NUM = f"(?:\\d{{1,3}}|[{CN_DIGITS}]{{1,3}})"
_DURATION = f"(?:\\d{{1,3}}+|[{CN_DIGITS}]{{1,3}}+|半)(?:天|日|周|星期|个月|月|次|days?|weeks?|months?|sessions?)"
_G = "[^，。！？!?\\n]"

LEX = Lexicon({
    "disclaimer": (
        f"不是(?:药|神药|减肥药|保健品)|不能(?:减肥|治)|不保证|不吹|没什么{_G}{{0,3}}功效|没(?:吃|用|买){_G}{{0,4}}(?:药|代餐|产品|减肥)|"
        "不许|禁止|不准|严禁|打卡第|没有?(?:什么)?(?:神奇|奇效)|not an? ?(?:减肥|miracle|cure|magic|diet)|no (?:shakes|pills)"
    ),
    "illicit": (
        "减肥(?:药|茶|胶囊|丸|糖|套餐|神器|产品)|瘦身(?:胶囊|丸|糖果?|茶|药|套餐|腰带)|燃脂(?:茶|丸|药)|排油(?:丸|套餐)|"
        "美白(?:针|丸)|生发(?:液|水|精华)|增高(?:药|素)|壮阳|延时|增大|增硬|大力丸|缩阴|黑发丸|降糖(?:茶|神药|药)|"
        "抗癌(?:胶囊|药)|祖传|秘方|偏方|秘制|老中医|中医世家|神药|量子|药酒|viagra|cialis|phentermine|enlargement|"
        "diet pills|fat burn(?:er|ing)? pills|keto (?:pills|gummies|burn)|whitening (?:injection|drip|cream|soap)|"
        "gl[uy]tathione|gluta\\b|detox (?:tea|foot|pads)|skinny tea|slimming capsule|white soap|herbal cure"
    ),
    # efficacy, cure and beauty claims; each one found counts
    "claim": (
        f"{_DURATION}{_G}{{0,6}}(?:瘦|掉|减|长高|长出|白|转黑|转阴|见效|根治|治好|好了|就好|淡|去掉|-)|"
        f"(?:月|周|日|一天|一周|一个月)瘦{_G}{{0,2}}{_NUM}|瘦{_G}{{0,3}}{_NUM}(?:斤|kg|公斤)|(?:少|掉|减)了?{_NUM}斤|"
        "不节食|不运动|躺着就?瘦|不反弹|吃一颗掉|一颗顶|越吃越瘦|吃了就瘦|就(?:能)?(?:瘦|燃脂)|也能瘦|也能救|"
        "瘦(?:小肚|肚子|腿|脸|手臂)|清宿便|效果(?:好|很好|很猛|杠杠|明显)|真的(?:管用|有效)|立竿见影|根治|断根|治愈|治好|"
        "专治|包治|一次见效|见效|转阴|不复发|停掉胰岛素|不用再吃|药都停|停药|不开刀|一贴|化掉|肿瘤消失|抗癌|降糖|降血糖|"
        "降压|降三高|视力恢复|不孕不育|延缓衰老|都能调|龙精虎猛|无效退|不瘦不收|不瘦全额|保证瘦|一瓶搞定|不用看医生|买不到|"
        f"无需备案|没批号|无批号|三无|药厂|(?:斑|痘|痣|皱纹|白发){_G}{{0,6}}(?:去掉|没了|消失|淡化|转黑)|白到发光|不伤身|"
        f"(?:lose|lost|burn|down) ?{_NUM} ?(?:kg|pounds|lbs|inch)|was {_NUM} ?kg|"
        "(?:no|without) (?:diet|exercise|gym|surgery|side effects)|burns? (?:belly )?fat|while (?:u|you) sleep|"
        f"in (?:like )?{_NUM} days|results in|cure[ds]?\\b|reverse (?:it|diabetes)|throw away|stop (?:your )?meds|"
        "miracle|no (?:rx|prescription)|w/o prescription|without (?:a )?prescription|as seen on tv|doctors hate|"
        "100% (?:natural|herbal)|shades lighter|not on amazon|actually works|no more dark|glass skin|pull toxins|"
        "\\d ?inch(?:es)?"
    ),
    # a disease or condition: claims about it are cure claims
    "disease": (
        "糖尿病|血糖|血压|高血压|三高|癌|肿瘤|痛风|鼻炎|湿疹|乙肝|大三阳|痔疮|便秘|失眠|抑郁|焦虑|不孕|痛经|近视|脱发|秃|"
        "腰间盘|颈椎|风湿|关节炎|hpv|宫颈|妇科|前列腺|结节|增生|肌瘤|diabetes|blood pressure|cancer|eczema|psoriasis|"
        "arthritis|hair loss"
    ),
    # selling: price, shipping, agents, order
    "sale": (
        "包邮|宅配|顺丰|到付|代购|一件代发|下单|购买|原价|特价|买二送一|买一送一|限时|代理|拿货|试用装|清仓|现货|厂家直|"
        "order\\b|shipping|discreet|buy\\b|price|% off|use code|free trial|dm\\b|pm\\b"
    ),
    "beauty_sex": (
        "美白|祛斑|淡斑|去斑|生发|白发|增高|长高|丰胸|瘦脸|v脸|持久|男士保健|男士专用|男士专享|男人不行|一吃就硬|私密|私护|"
        "妇科|宫颈|whitening|bleach|stamina|skin\\b|eczema|men only|can'?t walk"
    ),
    "weight": "减肥|瘦身|燃脂|排油|刮油|宿便|排毒|酵素|代餐|左旋肉碱|胖|slim|keto\\b|weight loss|lose weight|detox|diet\\b|fat\\b",
    "product": (
        "药|茶|胶囊|丸|针|霜|贴|液|膏|粉|糖|素|奶昔|套餐|产品|神器|配方|方子|腰带|水杯|凝胶|笔|一粒|一颗|一盒|一瓶|"
        "pills?\\b|tea\\b|capsules?|gummies|drip\\b|injections?|cream|soap|oil\\b|patch|pads\\b|belt\\b|shake|"
        "supplements?|drops|serum|jabs?\\b|jars?\\b"
    ),
}, triggers=("illicit", "claim", "disease", "beauty_sex", "weight"))


class UnqualifiedProduct(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        hits = LEX.hits(ctx)
        out: list[Finding] = []

        def add(rule: str, weight: float, key: str) -> None:
            out.append(emit(NAME, ctx, f"unqualified_product.{rule}", LABEL, weight, hits[key][0]))

        product = "product" in hits or "illicit" in hits
        topical = product or "weight" in hits or "beauty_sex" in hits or "disease" in hits
        if "illicit" in hits:
            add("illicit_product", 0.45, "illicit")
        if "claim" in hits:
            n = len(hits["claim"])
            add("claim", round(min(0.5, (0.35 if topical else 0.2) + 0.1 * (n - 1)), 2), "claim")
        if "beauty_sex" in hits and product:
            add("beauty_sex_product", 0.25, "beauty_sex")
        if "weight" in hits and not out:
            add("weight_topic", 0.2 if product else 0.1, "weight")
        if out and topical and "sale" in hits:
            add("sale", 0.1, "sale")
        if out and "disclaimer" in hits:
            add("disclaimer", -0.4, "disclaimer")
        return out
