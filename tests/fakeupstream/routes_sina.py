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

#: Real hq.sinajs.cn lines found in public code, as captured (GBK-decoded), volumes in SHARES on
#: every board: amount ÷ volume lands inside the day's low–high (e.g. 688099: 2,316,933,303 ÷
#: 25,157,293 = 92.10 within 85.42–100.48). 2026-07-17 after the close: 002475, 300236, 002472,
#: 688099, 000963 (public file 54858229591); 2026-07-23: 600396, 000001, 920118 (a Rust client's
#: test module, public file 59672462291); 688047 on 2024-09-30 (public file 3120273260); ETFs
#: 513500 on 2026-07-30 11:14 (public file 59721869665) and 510300 on 2026-08-25 (public file
#: 70206008950, book zeroed as found). Newer answers append fields after the status (``D|…``,
#: or Beijing's ``33.2261,…,B,T``); they are kept.
CAPTURED_QUOTES: dict[str, str] = {
    "sz002475": "立讯精密,61.000,61.580,58.050,61.500,57.090,58.040,58.050,143301667,8437769036.370,28700,58.040,27345,58.030,14200,58.020,43800,58.010,241000,58.000,145961,58.050,18700,58.060,7100,58.070,15700,58.080,3800,58.090,2026-07-17,15:35:00,00,D|54824|3182533.200",  # noqa: E501
    "sz300236": "上海新阳,94.870,93.700,88.960,95.900,88.890,88.960,88.970,15492373,1438141129.760,100,88.960,400,88.950,700,88.940,100,88.930,100,88.910,1100,88.970,3900,88.980,4700,88.990,38800,89.000,2600,89.010,2026-07-17,15:34:45,00,D|5400|480384.000",  # noqa: E501
    "sz002472": "双环传动,41.310,41.570,37.790,41.660,37.580,37.790,37.800,50091200,1958539795.270,56100,37.790,10900,37.780,4300,37.770,4400,37.760,7800,37.750,128800,37.800,68700,37.810,30200,37.820,3600,37.830,6300,37.840,2026-07-17,15:34:30,00,D|16500|623700.000",  # noqa: E501
    "sh688099": "晶晨股份,97.970,97.990,87.390,100.480,85.420,87.390,87.400,25157293,2316933303.000,500,87.390,500,87.300,500,87.290,200,87.280,200,87.260,12243,87.400,760,87.460,300,87.470,6875,87.480,11866,87.490,2026-07-17,15:34:59,00,D|2800|244720.00",  # noqa: E501
    "sz000963": "华东医药,31.640,31.960,30.100,31.900,29.930,30.100,30.110,37298500,1140556203.790,25200,30.100,9300,30.090,5800,30.080,15900,30.070,17400,30.060,28400,30.110,9100,30.120,5900,30.130,3500,30.140,18900,30.150,2026-07-17,15:34:45,00,D|18100|544810.000",  # noqa: E501
    "sh600396": "华电辽能,15.300,14.920,16.410,16.410,14.850,16.410,0.000,341780059,5352355411.000,6409200,16.410,72100,16.400,17600,16.390,3500,16.380,5000,16.370,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,2026-07-23,15:34:59,00,D|402000|6596820.00",  # noqa: E501
    "sz000001": "平安银行,10.920,10.980,11.080,11.120,10.900,11.070,11.080,109574268,1210838024.380,238200,11.070,173100,11.060,441300,11.050,88100,11.040,163594,11.030,15464,11.080,689371,11.090,2364064,11.100,1244300,11.110,2108997,11.120,2026-07-23,15:36:00,00,D|21253|235483.240",  # noqa: E501
    "bj920118": "太湖远大,16.440,16.530,17.260,17.360,16.380,17.250,17.260,588716,9976849.670,75313,17.250,378,17.240,1000,17.230,500,17.150,2500,17.020,2038,17.260,7183,17.280,3002,17.290,1113,17.300,1200,17.320,2026-07-23,15:30:02,00,33.2261,0.0000,0,8300000,B,T",  # noqa: E501
    "sh688047": "龙芯中科,106.000,99.680,119.620,119.620,104.500,119.620,0.000,8256723,938310086.000,25600,119.620,7255,119.610,3033,119.600,1767,119.570,6300,119.550,0,0.000,0,0.000,0,0.000,0,0.000,0,0.000,2024-09-30,15:00:01,00,",  # noqa: E501
    "sh513500": "标普500ETF博时,2.490,2.511,2.477,2.493,2.473,2.477,2.478,77597500,192433819.000,276700,2.477,391800,2.476,1817400,2.475,2123800,2.474,1914100,2.473,522600,2.478,812400,2.479,602300,2.480,1010500,2.481,416900,2.482,2026-07-30,11:14:10,00,",  # noqa: E501
    "sh510300": "沪深300ETF,4.601,4.627,4.616,4.639,4.587,4.615,4.616,745256800,3435989271.000,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2026-08-25,15:34:59,00",  # noqa: E501
}
RECORDED_QUOTES.update(CAPTURED_QUOTES)

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
