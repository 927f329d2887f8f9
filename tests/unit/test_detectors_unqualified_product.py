"""Unqualified products: miracle weight loss, cures, enhancers; fitness chat and honest home goods left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.unqualified_product import LABEL, UnqualifiedProduct


@pytest.mark.parametrize("text", [
    "姐妹们！我用了28天从146瘦到112，不节食不运动，躺着就瘦 想要的私我，名额有限",
    "祖传秘方，三副药根治糖尿病，停掉胰岛素！咨询加薇信 zhongyi_laowang",
    "減·肥·藥 泰國正品 一天一顆 月瘦20斤 加賴",
    "kеto gуmmies 🍬 burn fat while u sleep, send KETO to WA +1 (347) 555-0193",
    "V1agra / C1alis 100mg no Rx needed, discreet shipping",
    "这个生发水用了三周就长出新头发，秃了也能救，要的扣1",
])
def test_unqualified_products_are_caught(text):
    assert sum(f.weight for f in UnqualifiedProduct().detect(ctx(text)) if f.label == LABEL) >= 0.35
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "打卡第30天 从142斤到131斤，没吃什么药也没买什么代餐，不反弹才是王道",
    "群里的减肥搭子们，今晚跑步走起？7点江边集合",
    "帮闺蜜带货：homemade granola 一罐 ¥58。Not a 减肥神器 just a tasty breakfast 要的找我",
    "朋友家的蜂蜜，一瓶85，不保证治病也没什么神奇功效，就是好吃",
    "姐妹们别买那个“喝一周瘦十斤、不节食不运动”的酵素！我闺蜜喝了进医院",
    "新闻：一男子在朋友圈销售三无减肥药并宣称月瘦30斤，被法院判刑两年",
])
def test_fitness_home_goods_and_warnings_are_allowed(text):
    assert LABEL not in labels(text)
