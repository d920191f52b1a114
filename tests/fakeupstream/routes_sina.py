"""Sina quote route (``/list=sh600111,…``, GBK), answering from recorded-format lines.

Like the real hq.sinajs.cn it answers 403 "Kinsoku jikou desu!" to a request without a Sina
Referer, and ``var hq_str_<code>="";`` for a code it does not know.

Scenario keys: ``price:<key>`` (e.g. ``price:600111.SS``) moves the last price (high/low follow).
"""

from __future__ import annotations

from decimal import Decimal

from tests.fakeupstream.routes_tencent import canonical_key
from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

CONTENT_TYPE = "application/javascript; charset=GB18030"
KINSOKU = b"Kinsoku jikou desu!"

#: The comma payload of ``var hq_str_<code>="…";`` per Sina code, recorded 2026-08-21 15:00.
RECORDED_QUOTES: dict[str, str] = {
    "sh600111": "北方稀土,49.950,49.880,50.460,51.200,49.600,50.450,50.460,123456700,6209872010.000,35200,50.450,18800,50.440,22100,50.430,9600,50.420,41000,50.410,12800,50.460,20500,50.470,15300,50.480,8800,50.490,30100,50.500,2026-08-21,15:00:03,00,",  # noqa: E501
    "sz159713": "稀土ETF富国,1.152,1.148,1.163,1.171,1.146,1.162,1.163,85432100,99421873.120,412000,1.162,389500,1.161,501200,1.160,276000,1.159,198300,1.158,301500,1.163,455800,1.164,220100,1.165,187600,1.166,240900,1.167,2026-08-21,15:00:00,00,",  # noqa: E501
    "sh516780": "稀土ETF华泰柏瑞,1.231,1.228,1.245,1.252,1.226,1.244,1.245,61234500,76012345.000,100000,1.244,226800,1.243,417000,1.242,670600,1.241,987600,1.240,90000,1.245,177900,1.246,324400,1.247,529500,1.248,793200,1.249,2026-08-21,15:00:00,00,",  # noqa: E501
    "sh562800": "稀有金属ETF嘉实,0.977,0.975,0.986,0.991,0.972,0.985,0.986,102345600,100654321.000,100000,0.985,226800,0.984,417000,0.983,670600,0.982,987600,0.981,90000,0.986,177900,0.987,324400,0.988,529500,0.989,793200,0.990,2026-08-21,15:00:00,00,",  # noqa: E501
    "sh512400": "有色金属ETF南方,1.520,1.518,1.532,1.541,1.515,1.531,1.532,234567800,359876543.000,100000,1.531,226800,1.530,417000,1.529,670600,1.528,987600,1.527,90000,1.532,177900,1.533,324400,1.534,529500,1.535,793200,1.536,2026-08-21,15:00:00,00,",  # noqa: E501
}

#: Hand-made cases in the recorded format, status in field 32 as documented (research/
#: providers.md §1, public file 109224731): ``03`` continuous halt, ``-3`` delisted, ``-1`` no
#: record. sh688256 carries the 2026-06-03 Tencent capture's figures in Sina's units (shares,
#: CNY), so both sources must agree after normalisation.
CASE_QUOTES: dict[str, str] = {
    "sh605999": "停牌样例,0.000,49.880,49.880,0.000,0.000,0.000,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,2026-08-21,15:00:03,03,",  # noqa: E501
    "sh600001": "邯钢退,0.000,0.350,0.350,0.000,0.000,0.000,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,2026-08-21,15:00:03,-3,",  # noqa: E501
    "sh600003": "东北高速,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,2026-08-21,15:00:03,-1,",  # noqa: E501
    "sh688256": "寒武纪,1292.300,1300.000,1378.100,1428.010,1291.000,1378.100,1378.350,16559805,22683725029.000,14300,1378.100,10200,1378.080,1300,1378.050,200,1378.040,1800,1378.020,200,1378.350,200,1378.500,200,1379.880,1200,1379.900,200,1379.920,2026-06-03,15:00:00,00,",  # noqa: E501
}
RECORDED_QUOTES.update(CASE_QUOTES)

_LAST, _HIGH, _LOW = 3, 4, 5
#: Blanked in the degraded variant, whose lines also stop after the time field (no status).
BLANKED_FIELDS = (4, 5, 6, 7, 8, 9)
_TIME = 31


def quote_fields(code: str, scenario: Scenario) -> list[str]:
    """The recorded fields of ``code`` with the scenario's price applied."""
    fields = RECORDED_QUOTES[code].split(",")
    price = scenario.get(f"price:{canonical_key(code)}")
    if price is None:
        return fields
    last = Decimal(str(price)).quantize(Decimal("0.001"))
    fields[_LAST] = str(last)
    fields[_HIGH] = str(max(Decimal(fields[_HIGH]), last))
    fields[_LOW] = str(min(Decimal(fields[_LOW]), last))
    return fields


def _degraded(fields: list[str]) -> list[str]:
    kept = fields[: _TIME + 1]
    for index in BLANKED_FIELDS:
        kept[index] = ""
    return kept


def _answer(request: FakeRequest, scenario: Scenario, *, degraded: bool) -> FakeResponse:
    if "sina.com.cn" not in request.headers.get("referer", ""):
        return FakeResponse(body=KINSOKU, status=403, content_type="text/html")
    codes = [code for code in request.path.removeprefix("/list=").split(",") if code]
    lines = []
    for code in codes:
        payload = ""
        if code in RECORDED_QUOTES:
            fields = quote_fields(code, scenario)
            payload = ",".join(_degraded(fields) if degraded else fields)
        lines.append(f'var hq_str_{code}="{payload}";\n')
    return FakeResponse(body="".join(lines).encode("gbk"), content_type=CONTENT_TYPE)


def _quote(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _answer(request, scenario, degraded=False)


def _quote_degraded(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    return _answer(request, scenario, degraded=True)


ROUTES = [
    Route(
        name="sina-quote",
        pattern=r"^/list=",
        handler=_quote,
        encoding="gbk",
        missing_fields=_quote_degraded,
    ),
]
