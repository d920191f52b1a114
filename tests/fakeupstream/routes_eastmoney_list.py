"""Eastmoney clist (``/api/qt/clist/get``): the market list search is built from, paged.

Format of the real answer as public clients read it (``data.total`` and ``data.diff`` with
``f12`` code, ``f13`` market, ``f14`` name; with ``np=1`` the diff is a list), e.g. the
``jinxiaonb/koa-stock`` server/easy.js requests and the Java client in the code corpus (id
6825786805) that pages the same boards. The rows are a generated market of 250 stocks and 30
funds around the real names below, enough for three pages of 100.
"""

from __future__ import annotations

import json

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

ENVELOPE = {"rc": 0, "rt": 6, "svr": 181669906, "lt": 1, "full": 1, "dlmkts": ""}
REAL = [("600111", 1, "北方稀土"), ("600392", 1, "盛和资源"), ("000831", 0, "中国稀土"),
        ("300748", 0, "金力永磁"), ("688981", 1, "中芯国际"), ("430047", 0, "诺思兰德")]
FUNDS = [("516780", 1, "稀土ETF华泰柏瑞"), ("159713", 0, "稀土ETF富国")]


def _stocks() -> list[tuple[str, int, str]]:
    filler = [(f"{601000 + n}", 1, f"测试股份{n:03d}") for n in range(244)]
    return REAL + filler


def _funds() -> list[tuple[str, int, str]]:
    return FUNDS + [(f"{510000 + n}", 1, f"测试ETF{n:02d}") for n in range(28)]


def clist(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """One page of the requested boards."""
    rows = _funds() if (request.param("fs") or "").startswith("b:MK") else _stocks()
    page, size = int(request.param("pn") or 1), int(request.param("pz") or 20)
    chunk = rows[(page - 1) * size: page * size]
    data = {"total": len(rows),
            "diff": [{"f12": code, "f13": market, "f14": name} for code, market, name in chunk]}
    body = {**ENVELOPE, "data": data if chunk else None}
    return FakeResponse(body=json.dumps(body, ensure_ascii=False).encode(),
                        content_type="application/json; charset=utf-8")


ROUTES = [Route(name="em-clist", pattern=r"^/api/qt/clist/get$", handler=clist)]
