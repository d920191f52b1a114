"""Tencent routes: quotes (``/q=sh600111,…``, GBK) and forward-adjusted daily bars
(``/appstock/app/fqkline/get?param=…``), answering from recorded-format lines.

Scenario keys:
- ``price:<key>`` (e.g. ``price:600111.SS``): move the last price (change, high/low follow).
- ``time:<key>``: the quote's timestamp field, ``YYYYMMDDhhmmss`` (e.g. a lunch-time stamp).
- ``tencent_poison``: a set of Tencent codes (``sh600112``) or keys; a batch containing one fails
  as a whole. How the real API fails such a batch is not recorded; this answers HTTP 400 with an
  HTML page, which a client must treat as "this batch", not "this host".
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

TRADE_DAY = date(2026, 8, 21)
CONTENT_TYPE = "text/html; charset=GBK"
NO_MATCH_LINE = 'v_pv_none_match="1";'

#: The ``~`` payload of ``v_<code>="…";`` per Tencent code, as recorded on 2026-08-21 15:00.
RECORDED_QUOTES: dict[str, str] = {
    "sh600111": "1~北方稀土~600111~50.46~49.88~49.95~1234567~640112~594455~50.45~352~50.44~188~50.43~221~50.42~96~50.41~410~50.46~128~50.47~205~50.48~153~50.49~88~50.50~301~~20260821150003~0.58~1.16~51.20~49.60~50.46/1234567/6209872010~1234567~620987~3.42~85.24~~51.20~49.60~3.21~1823.85~1823.85~7.25~54.87~44.89~1.08~-1520~50.30~78.10~97.12~~~1.35~620987.2010~0.0000~0~ ~GP-A~8.77~12.40~21.56~9.85~4.12~61.69~21.05~2.15~-3.40~5.62~3614443347~3614443347~35.20~140.15~3614443347~~~1.02~0.35~~CNY~0~___D__F__N~50.46~2105~",  # noqa: E501
    "sz159713": "51~稀土ETF富国~159713~1.163~1.148~1.152~854321~450112~404209~1.162~4120~1.161~3895~1.160~5012~1.159~2760~1.158~1983~1.163~3015~1.164~4558~1.165~2201~1.166~1876~1.167~2409~~20260821150000~0.015~1.31~1.171~1.146~1.163/854321/99421873~854321~9942~2.89~~~1.171~1.146~2.18~34.36~34.36~0.00~1.263~1.033~0.92~1530~1.164~~~~~~9942.1873~0.0000~0~ ~ETF~6.12~9.80~~~~1.298~0.611~1.05~3.60~4.70~2954321000~2954321000~10.20~25.30~2954321000~0.01~1.1625~3.10~0.12~1.1637~CNY~0~___D__F__N~1.160~2310~",  # noqa: E501
    "sh516780": "1~稀土ETF华泰柏瑞~516780~1.245~1.228~1.231~612345~318419~293926~1.244~1000~1.243~2268~1.242~4170~1.241~6706~1.240~9876~1.245~900~1.246~1779~1.247~3244~1.248~5295~1.249~7932~~20260821150000~0.017~1.38~1.252~1.226~1.245/612345/76012345~612345~7601~1.85~~~1.252~1.226~2.12~41.27~41.27~0.00~1.351~1.105~0.92~1530~1.241~~~~~~7601.2345~0.0000~0~ ~ETF~6.12~9.80~~~~1.402~0.689~1.05~3.60~4.70~3314859000~3314859000~10.20~25.30~3314859000~0.01~1.2447~3.10~0.12~1.2447~CNY~0~___D__F__N~1.244~2310~",  # noqa: E501
    "sh562800": "1~稀有金属ETF嘉实~562800~0.986~0.975~0.977~1023456~532197~491259~0.985~1000~0.984~2268~0.983~4170~0.982~6706~0.981~9876~0.986~900~0.987~1779~0.988~3244~0.989~5295~0.990~7932~~20260821150000~0.011~1.13~0.991~0.972~0.986/1023456/100654321~1023456~10065~1.85~~~0.991~0.972~1.95~18.62~18.62~0.00~1.073~0.878~0.92~1530~0.983~~~~~~10065.4321~0.0000~0~ ~ETF~6.12~9.80~~~~1.105~0.571~1.05~3.60~4.70~1888438000~1888438000~10.20~25.30~1888438000~0.01~0.9858~3.10~0.12~0.9858~CNY~0~___D__F__N~0.985~2310~",  # noqa: E501
    "sh512400": "1~有色金属ETF南方~512400~1.532~1.518~1.520~2345678~1219752~1125926~1.531~1000~1.530~2268~1.529~4170~1.528~6706~1.527~9876~1.532~900~1.533~1779~1.534~3244~1.535~5295~1.536~7932~~20260821150000~0.014~0.92~1.541~1.515~1.532/2345678/359876543~2345678~35987~1.85~~~1.541~1.515~1.71~132.45~132.45~0.00~1.670~1.366~0.92~1530~1.534~~~~~~35987.6543~0.0000~0~ ~ETF~6.12~9.80~~~~1.688~1.012~1.05~3.60~4.70~8645692000~8645692000~10.20~25.30~8645692000~0.01~1.5316~3.10~0.12~1.5316~CNY~0~___D__F__N~1.531~2310~",  # noqa: E501
}

#: Real captures of qt.gtimg.cn taken after the close of 2026-06-03 (GBK-decoded), found in
#: public code: a unit-test fixture file named test_update_research_snapshots.py (public file
#: 60804655327). 688256 (STAR) reports volume in SHARES: [7]+[8] = [6] = 16,559,805 and the
#: CNY amount in [35] ÷ [6] = 1369.81 = its average price [51]. 300308 (ChiNext) reports LOTS:
#: [7]+[8] = [6] = 345,251 and 43,881,189,297 ÷ (345,251 × 100) = 1270.99 = [51].
#: The Beijing, index and Shanghai ETF lines (2026-07-23, cut after field 37 or 52 as found) are
#: from a Rust client's test module (public file 60048806423); all three report LOTS:
#: 5,425,465 ÷ (3,240 × 100) = 16.75 within 920118's day range 16.38–16.99.
#: 600519 (main board) is a real line of 2026-06-30 16:14, cut after field 46 as found in a public
#: test (public file 61543390795): LOTS, [7]+[8] = [6] = 39,608 and 4,684,236,159 ÷ (39,608 ×
#: 100) = 1182.65 within the day's 1176.00–1195.67.
CAPTURED_QUOTES: dict[str, str] = {
    "sh600519": "1~贵州茅台~600519~1185.49~1194.96~1187.00~39608~18062~21546~1185.49~40~1185.20~1~1185.00~25~1184.98~1~1184.86~1~1185.90~1~1185.92~1~1185.97~8~1185.99~2~1186.00~24~~20260630161413~-9.47~-0.79~1195.67~1176.00~1185.49/39608/4684236159~39608~468424~0.32~17.92~~1195.67~1176.00~1.65~14819.59~14819.59~6.36",  # noqa: E501
    "bj920118": "62~太湖远大~920118~16.91~16.53~16.44~3240~1810~1430~16.82~1~16.81~4~16.80~12~16.73~4~16.72~8~16.93~30~16.94~2~16.95~8~16.97~5~16.98~10~~20260723114602~0.38~2.30~16.99~16.38~16.91/3240/5425465~3240~542.55~",  # noqa: E501
    "sh000001": "1~上证指数~000001~3876.78~3867.03~3868.09~562122601~0~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~0.00~0~~20260723161420~9.75~0.25~3878.83~3851.71~3876.78/562122601/1025875517700~562122601~102587552~1.16~17.30~~3878.83~3851.71~0.70~602482.43~646317.73~0.00~-1~-1~0.87~0~3867.94~",  # noqa: E501
    "sh510050": "1~上证50ETF华夏~510050~3.084~3.086~3.104~5858331~2212228~3646103~3.084~30395~3.083~53435~3.082~50356~3.081~21033~3.080~1619~3.085~17569~3.086~14211~3.087~18738~3.088~8069~3.089~20421~~20260723161435~-0.002~-0.06~3.107~3.074~3.084/5858331/1806609827~5858331~180661~7.84~~~3.107~3.074~1.07~230.53~230.53~0.00~3.395~2.777~0.43~77830~3.084~",  # noqa: E501
    "sh688256": "1~寒武纪~688256~1378.10~1300.00~1292.30~16559805~9275043~7284762~1378.10~143~1378.08~102~1378.05~13~1378.04~2~1378.02~18~1378.35~2~1378.50~2~1379.88~2~1379.90~12~1379.92~2~~20260603155049~78.10~6.01~1428.01~1291.00~1378.10/16559805/22683725029~16559805~2268373~2.64~318.68~~1428.01~1291.00~10.54~8658.51~8658.51~70.75~1560.00~1040.00~1.24~258~1369.81~213.64~420.47~~~2.35~2268372.5029~56.5021~410~A R~GP-A-KCB~51.65~2.84~0.07~21.11~17.64~1448.01~348.44~1.15~12.61~76.03~628292969~628292969~86.58~37.72~628292969~~~245.48~-0.07~~CNY~0~___D__F__NY~1378.00~116~100",  # noqa: E501
    "sz300308": "51~中际旭创~300308~1275.00~1191.81~1220.00~345251~187667~157584~1274.99~7~1274.91~1~1274.83~16~1274.80~1~1274.69~11~1275.00~18~1275.01~1~1275.06~1~1275.10~1~1275.11~1~~20260603155045~83.19~6.98~1320.00~1220.00~1275.00/345251/43881189297~345251~4388119~3.11~95.09~~1320.00~1220.00~8.39~14147.60~14215.10~41.05~1430.17~953.45~1.25~14~1270.99~61.97~131.65~~~1.98~4388118.9297~471.7500~37~ A~GP-A-CYB~109.36~14.72~0.11~42.01~28.64~1320.00~91.09~22.95~48.95~129.32~1109615328~1114910191~24.14~260.66~1109615328~~~1318.87~-0.19~~CNY~0~~1274.00~18~",  # noqa: E501
}


def _variant(base: str, changes: dict[int, str]) -> str:
    fields = base.split("~")
    for index, value in changes.items():
        fields[index] = value
    return "~".join(fields)


#: Hand-made cases in the recorded format (no public capture found), derived from the lines
#: above with the fields a real answer would change:
#: - sh605999: a suspended (停牌) main-board stock: no open, volume, turnover or book; last = close.
#: - sh600001: a delisting stock, named with the exchange's ``…退`` suffix, not trading.
#: - sh688795: a STAR listing on its first day, named ``N…``, no limit prices sent, +425 %.
#: - sh900901: a Shanghai B share in USD (3-decimal prices, [82] "USD" as a public test's B-share
#:   line carries "HKD" there for 200512, public file 70204281248); no B-share capture was found,
#:   so its volume is in the assumed unit (lots of 100: [35] ÷ ([6] × 100) = the average [51]).
CASE_QUOTES: dict[str, str] = {
    "sh900901": _variant(RECORDED_QUOTES["sh600111"], {
        1: "B股样例", 2: "900901", 3: "0.838", 4: "0.832", 5: "0.835", 6: "6799", 7: "3400",
        8: "3399", 9: "0.837", 10: "52", 11: "0.836", 12: "40", 13: "0.835", 14: "31",
        15: "0.834", 16: "20", 17: "0.833", 18: "12", 19: "0.838", 20: "25", 21: "0.839",
        22: "33", 23: "0.840", 24: "41", 25: "0.841", 26: "18", 27: "0.842", 28: "9",
        31: "0.006", 32: "0.72", 33: "0.840", 34: "0.830", 35: "0.838/6799/568736",
        36: "6799", 37: "56.87", 38: "0.15", 39: "", 41: "0.840", 42: "0.830", 43: "1.20",
        44: "", 45: "", 46: "0.58", 47: "0.915", 48: "0.749", 49: "0.91", 51: "0.837", 52: "",
        53: "", 57: "56.8736", 61: "GP-B", 67: "0.990", 68: "0.702", 82: "USD"}),
    "sh605999": _variant(RECORDED_QUOTES["sh600111"], {
        1: "停牌样例", 2: "605999", 3: "49.88", 5: "0.00", 6: "0", 7: "0", 8: "0",
        **{i: "0.00" for i in range(9, 29, 2)}, **{i: "0" for i in range(10, 29, 2)},
        31: "0.00", 32: "0.00", 33: "0.00", 34: "0.00", 35: "49.88/0/0", 36: "0", 37: "0",
        38: "0.00", 41: "0.00", 42: "0.00", 43: "0.00", 49: "0.00", 51: "0.00",
        57: "0.0000"}),
    "sh600001": _variant(RECORDED_QUOTES["sh600111"], {
        1: "邯钢退", 2: "600001", 3: "0.35", 4: "0.35", 5: "0.00", 6: "0", 7: "0", 8: "0",
        **{i: "0.00" for i in range(9, 29, 2)}, **{i: "0" for i in range(10, 29, 2)},
        31: "0.00", 32: "0.00", 33: "0.00", 34: "0.00", 35: "0.35/0/0", 36: "0", 37: "0",
        38: "0.00", 41: "0.00", 42: "0.00", 43: "0.00", 47: "", 48: "", 49: "0.00", 51: "0.00",
        57: "0.0000"}),
    "sh688795": _variant(CAPTURED_QUOTES["sh688256"], {
        1: "N摩尔", 2: "688795", 3: "600.50", 4: "114.28", 5: "650.00", 6: "53210000",
        7: "27105000", 8: "26105000", 30: "20260603150003", 31: "486.22", 32: "425.46",
        33: "688.00", 34: "560.00", 35: "600.50/53210000/32466980000", 36: "53210000",
        37: "3246698", 41: "688.00", 42: "560.00", 47: "", 48: "", 51: "610.17",
        57: "3246698.0000"}),
}
RECORDED_QUOTES.update(CAPTURED_QUOTES)
RECORDED_QUOTES.update(CASE_QUOTES)

_LAST, _PREV, _OPEN, _VOLUME, _CHANGE, _CHANGE_PCT = 3, 4, 5, 6, 31, 32
_HIGH, _LOW, _TRADE, _HIGH_AGAIN, _LOW_AGAIN = 33, 34, 35, 41, 42
_TIME = 30
#: The degraded variant: the first 35 fields only (no amount, PE, market cap, 52w, limits).
SHORT_LINE_FIELDS = 35


_SUFFIXES = {"sh": "SS", "sz": "SZ", "bj": "BJ"}


def canonical_key(code: str) -> str | None:
    """``sh600111`` → ``600111.SS`` (the fake's own mapping, independent of providers/)."""
    if len(code) == 8 and code[:2] in _SUFFIXES and code[2:].isdigit():
        return f"{code[2:]}.{_SUFFIXES[code[:2]]}"
    return None


def _quantize(value: Decimal, like: str) -> str:
    places = len(like.partition(".")[2])
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def quote_fields(code: str, scenario: Scenario) -> list[str]:
    """The recorded fields of ``code`` with the scenario's price applied."""
    fields = RECORDED_QUOTES[code].split("~")
    stamp = scenario.get(f"time:{canonical_key(code)}")
    if stamp is not None:
        fields[_TIME] = stamp
    price = scenario.get(f"price:{canonical_key(code)}")
    if price is None:
        return fields
    recorded = fields[_LAST]
    last = Decimal(str(price))
    prev = Decimal(fields[_PREV])
    high = max(Decimal(fields[_HIGH]), last)
    low = min(Decimal(fields[_LOW]), last)
    fields[_LAST] = _quantize(last, recorded)
    fields[_CHANGE] = _quantize(last - prev, recorded)
    fields[_CHANGE_PCT] = _quantize((last / prev - 1) * 100, "0.00")
    fields[_HIGH] = fields[_HIGH_AGAIN] = _quantize(high, recorded)
    fields[_LOW] = fields[_LOW_AGAIN] = _quantize(low, recorded)
    _, volume, amount = fields[_TRADE].split("/")
    fields[_TRADE] = f"{fields[_LAST]}/{volume}/{amount}"
    return fields


def _requested_codes(request: FakeRequest) -> list[str]:
    return [code for code in request.path.removeprefix("/q=").split(",") if code]


def _is_poisoned(codes: list[str], scenario: Scenario) -> bool:
    poison = scenario.get("tencent_poison", set())
    return any(code in poison or canonical_key(code) in poison for code in codes)


def _answer(lines: list[str]) -> FakeResponse:
    body = "".join(f"{line}\n" for line in lines)
    return FakeResponse(body=body.encode("gbk"), content_type=CONTENT_TYPE)


def _quote_answer(request: FakeRequest, scenario: Scenario, *, keep: int | None) -> FakeResponse:
    codes = _requested_codes(request)
    if _is_poisoned(codes, scenario):
        page = "<html><body><h1>400 Bad Request</h1></body></html>"
        return FakeResponse(body=page.encode("gbk"), status=400, content_type=CONTENT_TYPE)
    lines = []
    for code in codes:
        if code in RECORDED_QUOTES:
            fields = quote_fields(code, scenario)[:keep]
            lines.append(f'v_{code}="{"~".join(fields)}";')
        else:
            lines.append(NO_MATCH_LINE)
    return _answer(lines)


def _quote(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _quote_answer(request, scenario, keep=None)


def _quote_short_lines(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _quote_answer(request, scenario, keep=SHORT_LINE_FIELDS)


def _weekdays_back(last: date, first: date | None, limit: int) -> list[date]:
    days: list[date] = []
    day = last
    while len(days) < limit and (first is None or day >= first):
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def daily_rows(
    code: str, scenario: Scenario, first: date | None, last: date, limit: int
) -> list[list[str]]:
    """``[date, open, close, high, low, volume_lots]`` rows, the last one the recorded day."""
    fields = quote_fields(code, scenario)
    like = "0.000"
    close0, volume0 = Decimal(fields[_LAST]), Decimal(fields[_VOLUME])
    rows = []
    for day in _weekdays_back(min(last, TRADE_DAY), first, limit):
        age = (TRADE_DAY - day).days
        if age == 0:
            opened, close = Decimal(fields[_OPEN]), close0
            high, low = Decimal(fields[_HIGH]), Decimal(fields[_LOW])
            volume = volume0
        else:
            drift = Decimal(str(1 - 0.0004 * age + 0.05 * math.sin(age / 9)))
            close = close0 * drift
            opened = close * Decimal(str(1 + 0.006 * math.cos(age)))
            high = max(opened, close) * Decimal("1.008")
            low = min(opened, close) * Decimal("0.992")
            volume = (volume0 * Decimal(str(0.7 + 0.5 * abs(math.sin(age / 4))))).to_integral()
        rows.append([day.isoformat(), *(_quantize(v, like) for v in (opened, close, high, low)),
                     _quantize(volume, like)])
    return rows


def _kline_answer(request: FakeRequest, scenario: Scenario, *, row_width: int) -> FakeResponse:
    parts = (request.param("param") or "").split(",")
    if len(parts) != 6 or parts[1] != "day" or not parts[4].isdigit():
        return _json({"code": -1, "msg": "param error", "data": []})
    code, _, first, last, limit, adjust = parts
    if code not in RECORDED_QUOTES:
        return _json({"code": 0, "msg": "", "data": {code: {"qt": {}, "prec": ""}}})
    try:
        start = date.fromisoformat(first) if first else None
        end = date.fromisoformat(last) if last else TRADE_DAY
    except ValueError:
        return _json({"code": -1, "msg": "param error", "data": []})
    rows = [row[:row_width] for row in daily_rows(code, scenario, start, end, int(limit))]
    prec = RECORDED_QUOTES[code].split("~")[_PREV]
    key = f"{adjust}day" if adjust in {"qfq", "hfq"} else "day"
    return _json({"code": 0, "msg": "", "data": {code: {key: rows, "qt": {}, "prec": prec}}})


def _json(document: object) -> FakeResponse:
    return FakeResponse(
        body=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )


def _kline(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _kline_answer(request, scenario, row_width=6)


def _kline_without_volume(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _kline_answer(request, scenario, row_width=5)


ROUTES = [
    Route(
        name="tencent-quote",
        pattern=r"^/q=",
        handler=_quote,
        encoding="gbk",
        missing_fields=_quote_short_lines,
    ),
    Route(
        name="tencent-kline",
        pattern=r"^/appstock/app/fqkline/get$",
        handler=_kline,
        encoding="utf-8",
        missing_fields=_kline_without_volume,
    ),
]
