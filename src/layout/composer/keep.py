"""Layout decisions: line composition -- keep-together (issue 10 item 6).

Two things are never split across lines (newspaper-conventions.md, "Keep together"):

* a number and its unit or measure word: 2月5日 breaks as 2月 | 5日, never as 2 | 月5日;
  56个, 3.8亿元, 1458公里, 8600平方米 stay whole (100MW and 94.9% are one token already);
* a person's name in a byline or credit: 本报记者 王某某 摄, 通讯员 李四 (marked by the caller
  as a `Run.keep` span, found with `credit_names`).

Every item of a kept group but its first is `glued` (Items.glued): no line break, legal or
forced, falls before it, unless the group alone is wider than the column (then it may break as
an overlong word does). The items stay as they are, so the Han–Latin quarter em between a
number and its unit stays too, and the digits are never letter-spaced.
"""
from __future__ import annotations

import re

from .classes import HAN, WORD

#: Units and measure words (量词) that follow an Arabic number in news copy: a closed list,
#: matched longest first right after the number token. Dates and times, counts, money, lengths,
#: areas, masses, volumes, energy, and the measure words of people, places, things and events.
#: A word missing here only means its number may end a line (as before); add it here.
UNITS = frozenset("""
    年 月 日 号 时 分 秒 周 天 夜 小时 分钟 周年 周岁 岁 季度 个月 月份 年度 届 期 批 轮 次 场 趟 遍 回
    个 元 角 美元 欧元 港元 块 倍 成 折 股 份 张 本 册 篇 部 首 幅 件 套 台 辆 架 艘 列 条 根 支 只
    头 匹 株 棵 朵 枚 颗 粒 座 栋 幢 间 层 处 所 家 户 村 人 名 位 员 口 人次 户次 车次 架次
    项 类 种 组 队 对 双 片 段 道 门 节 级 星 票 笔 宗 起 例
    米 千米 公里 厘米 毫米 平方米 平方千米 平方公里 亩 公顷 立方米 升 毫升 吨 公斤 千克 克 斤
    瓦 千瓦 兆瓦 万千瓦 千瓦时 度 千伏 摄氏度 标箱
""".split())
#: magnitudes and approximations that may come between the number and its unit (3.8亿元,
#: 15.3万元, 20余年, 300多家): taken in, then the unit after them if there is one
MAGNITUDES = frozenset("十百千万亿兆余多")
_LONGEST_UNIT = max(len(u) for u in UNITS)
#: the characters of a number token that keeps its unit: digits, decimal point, thousands
#: separator and the hyphen of a range (2025, 3.8, 1,280, 3-5年). A number with % or ‰ is one
#: token with its unit already (94.9%, classes.TOKEN_SUFFIX): a Han character after it is no
#: unit of it (7.5%的).
DIGITS = frozenset("0123456789")
NUMBER_CHARS = DIGITS | frozenset(".,-")


def is_number(token: str) -> bool:
    """An Arabic number token: digits, with . , and - between them (3.8, 1,280, 2025-2027)."""
    return token[0] in DIGITS and token[-1] in DIGITS and all(c in NUMBER_CHARS for c in token)


def unit_length(chars: list[str]) -> int:
    """How many of the Han characters after a number belong to its unit (0: none): magnitudes
    and approximations (万, 亿, 余, 多), then the longest unit in UNITS."""
    k, n = 0, len(chars)
    while k < n:
        for size in range(min(_LONGEST_UNIT, n - k), 0, -1):
            if "".join(chars[k:k + size]) in UNITS and not (size == 1 and chars[k] in MAGNITUDES):
                return k + size
        if chars[k] not in MAGNITUDES:
            return k
        k += 1
    return k


_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
#: role words of a byline or credit, after which come names (新华社记者, 本报通讯员: the prefix
#: does not matter); longest first
ROLES = ("文/图", "图/文", "摄影记者", "特约记者", "记者", "通讯员", "实习生", "摄影", "摄像",
         "撰稿", "责任编辑", "编辑", "责编", "美编", "校对", "供图", "供稿")
#: words that end a credit after the names (王某 摄, 李四报道)
TAILS = ("摄", "报道", "采写", "整理", "综合", "发自")
#: words after a role word that are not names: the tails, the roles, and the outlets and ranks
#: written before a role (文/图 本报记者 王某, 见习记者)
NOT_NAMES = (*TAILS, *ROLES, "本报", "新华社", "中新社", "特约", "见习", "实习", "首席", "驻")
_ROLE = "|".join(re.escape(r) for r in ROLES)
#: what may end a name: a space, 、, a closing bracket, the end, a tail word (本报记者王某摄)
#: or a role word (王某某通讯员李四)
_NAME_END = rf"(?=[ \u3000、）)]|$|{'|'.join(TAILS)}|{_ROLE})"
_ROLE_RE = re.compile(_ROLE)
#: a name after a role word or after another name: up to 4 Han characters (the shortest that
#: ends at a _NAME_END), the separators before it skipped
_NAME_RE = re.compile(rf"[ \u3000、:：/／]*({_HAN}{{2,4}}?){_NAME_END}")
#: 摄 after a name, which stays with it (王某 摄)
_SHOT = r"[ \u3000]?摄(?=[ \u3000）)]|$)"
_SHOT_RE = re.compile(_SHOT)
#: a name before 摄 with no role word: （王某 摄）
_SHOT_NAME_RE = re.compile(rf"(?<!{_HAN})({_HAN}{{2,4}}?){_SHOT}")


def credit_names(text: str) -> tuple[tuple[int, int], ...]:
    """Where the names of a byline or credit sit in `text`, as (start, end) character spans
    that no line break may cut: the names after a role word (本报记者 王某某 李四, 通讯员 李四)
    and a name before 摄 (王某 摄), which takes the 摄 in. A name is 2-4 Han characters ending at
    a space, 、, a bracket, the end, a tail word (摄, 报道) or a role word; a run of 5 or more
    Han characters after a role word is no name (记者了解到)."""
    names = set()
    for role in _ROLE_RE.finditer(text):
        pos = role.end()
        while (m := _NAME_RE.match(text, pos)) and not m.group(1).startswith(NOT_NAMES):
            names.add(m.span(1))
            pos = m.end(1)
    names.update(m.span(1) for m in _SHOT_NAME_RE.finditer(text) if not _ROLE_RE.fullmatch(m.group(1)))
    spans = {(a, shot.end() if (shot := _SHOT_RE.match(text, b)) else b) for a, b in names}
    return tuple(sorted(spans))


def glue(it, kept: list[bool], max_width: float) -> list[bool]:
    """For each item i (and the paragraph's end, i = len(it)): whether no line may break before
    it -- the unit after a number, or an item that starts inside a run's keep span (`kept`).
    A kept group wider than `max_width` pt is not glued: it breaks as an overlong word does."""
    n = len(it)
    glued = [False] * (n + 1)
    glued[1:n] = kept[1:]
    texts, kinds = it.text, it.kind
    for i in range(n - 1):
        if kinds[i] == WORD and kinds[i + 1] == HAN and is_number(texts[i]):
            j = i + 1
            while j < n and j <= i + _LONGEST_UNIT + 2 and kinds[j] == HAN:
                j += 1
            for k in range(i + 1, i + 1 + unit_length(texts[i + 1:j])):
                glued[k] = True
    _unglue_overlong(it, glued, max_width)
    return glued


def _unglue_overlong(it, glued: list[bool], max_width: float) -> None:
    """Release the groups (an item and the glued items after it) wider than max_width pt."""
    n, a = len(it), 0
    while a < n:
        b = a + 1
        while b < n and glued[b]:
            b += 1
        if b > a + 1 and sum(it.adv[a:b]) + sum(it.gap[a + 1:b]) > max_width:
            glued[a + 1:b] = [False] * (b - a - 1)
        a = b
