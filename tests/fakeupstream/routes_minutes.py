"""Minute lines: Tencent ``/appstock/app/minute/query`` and Eastmoney ``trends2/get``.

Tencent rows ``HHMM price cumulative_lots cumulative_amount`` under data.<code>.data.data with the
date and the embedded quote line (previous close at field 4), as in the public test payloads the
module docstring of providers/tencent_minute.py cites. Eastmoney rows ``YYYY-MM-DD HH:MM,open,
close,high,low,lots,amount,average`` under data.trends with data.preClose (the f51…f58 request of
``felixwu18/tool-devFiles`` fenshiQuery.js). 600111 on 2026-08-21: the morning, the 11:30/13:00
seam and the close; other codes are unknown (Tencent: no entry; Eastmoney: data null).

688256 (STAR) on 2026-06-03 is hand-made (no public STAR minute capture was found) so that it ends
where the real quote-line capture of that day ends (routes_tencent.CAPTURED_QUOTES): cumulative
16,559,805 SHARES and 22,683,725,029 CNY at 15:00, i.e. the volume in the quote line's own unit
(shares on STAR), whose amount ÷ volume is the day's average price 1369.81.
"""

from __future__ import annotations

import json

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

TENCENT_ROWS = ["0930 49.95 12000 59940000.00", "0931 50.02 15000 74950000.00",
                "1130 50.30 600000 3010000000.00", "1300 50.32 600500 3012516000.00",
                "1301 50.35 601000 3015033500.00", "1500 50.46 1234567 6209872010.00"]
STAR_ROWS = ["0930 1292.30 150000 193845000.00", "0931 1300.10 260000 336856000.00",
             "1130 1352.00 8000000 10840000000.00", "1300 1353.50 8050000 10907675000.00",
             "1500 1378.10 16559805 22683725029.00"]
TENCENT_DAYS = {
    "sh600111": ("20260821", ["1", "北方稀土", "600111", "50.46", "49.88", "49.95"], TENCENT_ROWS),
    "sh688256": ("20260603", ["1", "寒武纪", "688256", "1378.10", "1300.00", "1292.30"],
                 STAR_ROWS),
}
TRENDS_ROWS = ["2026-08-21 09:30,49.95,49.95,49.95,49.95,12000,59940000.00,49.950",
               "2026-08-21 09:31,49.95,50.02,50.05,49.95,3000,15010000.00,49.964",
               "2026-08-21 11:30,50.28,50.30,50.31,50.27,800,4024000.00,50.150",
               "2026-08-21 13:00,50.30,50.32,50.33,50.30,500,2516000.00,50.151",
               "2026-08-21 15:00,50.45,50.46,50.46,50.44,9000,45414000.00,50.300"]


def _json(document: object) -> FakeResponse:
    return FakeResponse(body=json.dumps(document, ensure_ascii=False).encode(),
                        content_type="application/json; charset=utf-8")


def tencent_minutes(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``?code=sh600111``."""
    code = request.param("code") or ""
    if code not in TENCENT_DAYS:
        return _json({"code": 0, "msg": "", "data": {}})
    day, qt, rows = TENCENT_DAYS[code]
    return _json({"code": 0, "msg": "", "data": {code: {
        "data": {"data": rows, "date": day}, "qt": {code: qt}}}})


def trends(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``?secid=1.600111&ndays=1``."""
    if request.param("secid") != "1.600111":
        return _json({"rc": 0, "data": None})
    return _json({"rc": 0, "rt": 10, "data": {"code": "600111", "market": 1, "name": "北方稀土",
                                              "decimal": 2, "preClose": 49.88,
                                              "trendsTotal": len(TRENDS_ROWS),
                                              "trends": TRENDS_ROWS}})


def tencent_five_days(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/appstock/app/day/query?code=sh600111``: two sessions, newest first."""
    code = request.param("code") or ""
    if code != "sh600111":
        return _json({"code": 0, "msg": "", "data": {}})
    days = [{"date": "20260821", "prec": "49.88", "data": TENCENT_ROWS},
            {"date": "20260820", "prec": "48.72", "data": ["0930 48.80 1000 4880000.00",
                                                          "1500 49.88 990000 4930000000.00"]}]
    return _json({"code": 0, "msg": "", "data": {code: {"data": days}}})


ROUTES = [
    Route(name="tencent-five-days", pattern=r"^/appstock/app/day/query$",
          handler=tencent_five_days),
    Route(name="tencent-minute", pattern=r"^/appstock/app/minute/query$",
          handler=tencent_minutes),
    Route(name="em-trends", pattern=r"^/api/qt/stock/trends2/get$", handler=trends),
]
