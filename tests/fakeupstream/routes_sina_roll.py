"""Sina finance roll news (``feed.mix.sina.com.cn/api/roll/get``), UTF-8 JSON.

Recorded format (research 5.4): ``result.status``, ``result.data[]`` with ``docid, title, stitle,
url, wapurl, intro, summary, ctime`` (unix seconds as strings), ``intime``, ``mtime``,
``media_name``, ``keywords``. Scenario day Friday 2026-08-21 (Asia/Shanghai). Five items concern
北方稀土/600111/稀土 (one only through the ``keywords`` tag, one only through the theme word 稀土,
one with an ANSI escape and Rich markup in its title); the rest are unrelated market news.

Scenario keys: ``sina_roll_status`` = ``(code, msg)`` makes the envelope report an upstream error.
"""

from __future__ import annotations

import json
from typing import Any

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

#: 2026-08-21 00:00 Asia/Shanghai as unix seconds.
DAY_START = 1787241600
CONTENT_TYPE = "application/json; charset=utf-8"


def _item(
    n: int, hhmm: str, title: str, intro: str, media: str = "新浪财经", keywords: str = ""
) -> dict[str, Any]:
    hours, minutes = int(hhmm[:2]), int(hhmm[3:])
    ctime = DAY_START + hours * 3600 + minutes * 60
    slug = f"inhfxqk{n:07d}"
    return {
        "docid": f"comos:{slug[1:]}",
        "title": title,
        "stitle": "",
        "url": f"https://finance.sina.com.cn/stock/s/2026-08-21/doc-{slug}.shtml",
        "wapurl": f"https://finance.sina.cn/stock/s/2026-08-21/detail-{slug}.d.html",
        "intro": intro,
        "summary": "",
        "ctime": str(ctime),
        "intime": str(ctime + 12),
        "mtime": str(ctime),
        "media_name": media,
        "keywords": keywords,
    }


#: The finance roll of the scenario day; the first five concern the watched stock or its theme.
ITEMS: list[dict[str, Any]] = [
    _item(1, "18:00", "北方稀土上调三季度稀土精矿交易价格",
          "北方稀土8月21日晚间公告，调整2026年第三季度稀土精矿交易价格。",
          keywords="北方稀土,稀土精矿,包钢股份"),
    _item(2, "17:40", "三季度精矿关联交易定价落地", "包钢股份公告关联交易定价结果。",
          media="上海证券报", keywords="北方稀土,包钢股份"),
    _item(3, "14:00", "稀土永磁板块午后拉升 多只稀土ETF涨超1%",
          "稀土ETF富国、稀土ETF华泰柏瑞午后走强。", keywords="稀土,ETF"),
    _item(4, "13:30", "有色金属板块午后走强", "北方稀土(sh600111)涨3.2%，盛和资源跟涨。",
          media="证券时报网"),
    _item(5, "10:15", "\x1b[31m[bold red]600111[/bold red]\x1b[0m 盘中快速拉升 [red]涨超5%[/red]",
          "\x1b]8;;https://evil.example\x07盘中异动\x1b]8;;\x07提示。"),
    _item(6, "07:30", "国际金价再创新高", "现货黄金一度突破每盎司2600美元。"),
    _item(7, "08:00", "美联储会议纪要：多数官员支持降息", "纪要显示通胀压力缓解。"),
    _item(8, "09:15", "人民币中间价调升32个基点", "报7.1012。", media="中国证券报"),
    _item(9, "09:20", "央行开展1000亿元逆回购操作", "维护月末流动性合理充裕。"),
    _item(10, "10:40", "券商板块异动拉升", "多只券商股涨超3%。", media="财联社"),
    _item(11, "11:00", "宁德时代发布新一代电池", "能量密度提升。", keywords="宁德时代,300750"),
    _item(12, "11:20", "光伏产业链价格继续下探", "硅料报价下跌。"),
    _item(13, "12:00", "新能源车8月销量快报", "多家车企公布销量。"),
    _item(14, "13:10", "银行板块护盘 工商银行涨1%", "大金融板块午后走稳。"),
    _item(15, "14:30", "碳酸锂期货跌停", "主力合约报每吨7.2万元。", media="期货日报"),
    _item(16, "15:05", "A股三大指数集体收涨 沪指涨0.8%", "两市成交额超1万亿元。"),
    _item(17, "15:10", "北向资金净买入56亿元", "贵州茅台获加仓。"),
    _item(18, "16:10", "港股恒指收涨1.2%", "科技股领涨。"),
    _item(19, "16:30", "贵州茅台半年报：净利润同比增长", "营收稳健增长。",
          keywords="贵州茅台,600519"),
    _item(20, "17:00", "原油期货夜盘高开", "布伦特原油涨1%。"),
]


def envelope(data: list[dict[str, Any]], code: int = 0, msg: str = "succ") -> dict[str, Any]:
    """The roll answer around ``data``."""
    return {
        "result": {
            "status": {"code": code, "msg": msg},
            "timestamp": "Fri Aug 21 18:30:00 +0800 2026",
            "top": [],
            "lid": 2516,
            "total": len(data),
            "data": data,
        }
    }


def _page(request: FakeRequest, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    num = int(request.param("num", "50") or 50)
    page = int(request.param("page", "1") or 1)
    return items[(page - 1) * num : page * num]


def _answer(document: dict[str, Any]) -> FakeResponse:
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return FakeResponse(body, content_type=CONTENT_TYPE)


def roll(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """The finance roll list, newest first, paged by ``num``/``page``."""
    newest_first = sorted(ITEMS, key=lambda item: int(item["ctime"]), reverse=True)
    code, msg = scenario.get("sina_roll_status", (0, "succ"))
    if code != 0:
        return _answer(envelope([], code, msg))
    return _answer(envelope(_page(request, newest_first)))


def roll_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed, no status, and items lose fields: intro, times, title, docid, URLs."""
    items = [dict(item) for item in ITEMS[:6]]
    del items[0]["intro"]
    for key in ("ctime", "mtime", "intime"):
        del items[1][key]
    items[2]["title"] = ""
    del items[3]["docid"]
    for key in ("docid", "url", "wapurl"):
        del items[4][key]
    return _answer({"result": {"data": items}})


ROUTES = [
    Route(
        name="sina-roll",
        pattern=r"^/api/roll/get$",
        handler=roll,
        missing_fields=roll_missing_fields,
    )
]
