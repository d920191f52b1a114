"""Static tables of the demo provider: instrument profiles, the 600111 anchors, news texts.

Everything here is simulated. The anchors are the published figures the issue cites for
北方稀土 (close 50.46 CNY on 2026-01-22, 52-week range 21.05–61.69, P/E TTM 85.24); the
demo keeps them relative to "today" whatever the clock says.
"""

from __future__ import annotations

from dataclasses import dataclass

from neodymium.providers.models import NewsKind

PRIMARY = "600111.SS"

#: The close of the last session before today.
ANCHOR_PREV_CLOSE = 50.46
#: The 52-week extremes, reached inside the year of daily bars (low early, high later).
ANCHOR_HIGH_52W = 61.69
ANCHOR_LOW_52W = 21.05
#: P/E TTM at the anchor close; EPS TTM follows, so P/E moves with the price.
ANCHOR_PE_TTM = 85.24
TOTAL_SHARES = 3_614_443_347
#: Float shares equal total shares; the Quote contract has no field for them yet.
FLOAT_SHARES = TOTAL_SHARES
#: Roughly where the year of bars starts (a little above the low that follows).
PRIMARY_YEAR_START = 24.0


@dataclass(frozen=True, slots=True)
class Profile:
    """What the simulation needs to know about one instrument."""

    name: str
    #: Price level at the previous close (the primary's is exact; others get a small jitter).
    level: float
    decimals: int
    currency: str
    #: Loading on the common rare-earth factor (0..1).
    beta: float
    #: Standard deviation of daily log returns.
    daily_vol: float
    #: Average shares traded per session.
    avg_volume: float
    #: Daily price limit as a fraction of the previous close; None where the market has none.
    limit_pct: float | None = 0.10
    total_shares: float | None = None
    eps_ttm: float | None = None
    #: Indexes have no bid/ask and no price limits.
    is_index: bool = False

    @property
    def tick(self) -> float:
        """The price increment (0.01 or 0.001)."""
        return 10.0 ** -self.decimals

    def pe_ttm_at(self, price: float) -> float | None:
        """P/E TTM at ``price``, or None without earnings data."""
        if not self.eps_ttm:
            return None
        return round(price / self.eps_ttm, 2)

    def market_cap_at(self, price: float) -> float | None:
        """Total market value at ``price`` in currency units, or None without a share count."""
        if not self.total_shares:
            return None
        return round(price * self.total_shares, 2)


KNOWN: dict[str, Profile] = {
    PRIMARY: Profile(
        name="北方稀土", level=ANCHOR_PREV_CLOSE, decimals=2, currency="CNY", beta=0.85,
        daily_vol=0.030, avg_volume=1.1e8, total_shares=TOTAL_SHARES,
        eps_ttm=ANCHOR_PREV_CLOSE / ANCHOR_PE_TTM,
    ),
    "516780.SS": Profile(
        name="稀土ETF华泰柏瑞", level=1.40, decimals=3, currency="CNY", beta=0.80,
        daily_vol=0.022, avg_volume=2.0e8,
    ),
    "159713.SZ": Profile(
        name="稀土ETF富国", level=1.15, decimals=3, currency="CNY", beta=0.80,
        daily_vol=0.022, avg_volume=1.2e8,
    ),
    "562800.SS": Profile(
        name="稀有金属ETF嘉实", level=1.00, decimals=3, currency="CNY", beta=0.65,
        daily_vol=0.020, avg_volume=1.5e8,
    ),
    "512400.SS": Profile(
        name="有色金属ETF南方", level=1.60, decimals=3, currency="CNY", beta=0.55,
        daily_vol=0.018, avg_volume=6.0e8,
    ),
    # Two more rare-earth producers, so a demo watchlist has peers as well as funds.
    "600392.SS": Profile(
        name="盛和资源", level=14.20, decimals=2, currency="CNY", beta=0.75,
        daily_vol=0.030, avg_volume=6.0e7, total_shares=1_752_826_570, eps_ttm=14.20 / 48.0,
    ),
    "000831.SZ": Profile(
        name="中国稀土", level=38.50, decimals=2, currency="CNY", beta=0.80,
        daily_vol=0.032, avg_volume=3.5e7, total_shares=1_061_220_807, eps_ttm=38.50 / 95.0,
    ),
    "REMX": Profile(
        name="VanEck Rare Earth/Strategic Metals ETF", level=60.0, decimals=2, currency="USD",
        beta=0.45, daily_vol=0.022, avg_volume=6.0e5, limit_pct=None,
    ),
    "000001.SS": Profile(
        name="上证指数", level=3300.0, decimals=2, currency="CNY", beta=0.30, daily_vol=0.010,
        avg_volume=4.0e10, limit_pct=None, is_index=True,
    ),
    "399001.SZ": Profile(
        name="深证成指", level=10500.0, decimals=2, currency="CNY", beta=0.30, daily_vol=0.012,
        avg_volume=5.0e10, limit_pct=None, is_index=True,
    ),
}


@dataclass(frozen=True, slots=True)
class StaticNews:
    """A headline or announcement of the demo's news roll."""

    title: str
    summary: str
    source: str
    kind: NewsKind = NewsKind.NEWS
    symbols: tuple[str, ...] = (PRIMARY,)


_ETFS = ("516780.SS", "159713.SZ")
_ANN = NewsKind.ANNOUNCEMENT

NEWS: tuple[StaticNews, ...] = (
    StaticNews(
        "北方稀土关于调整2026年第一季度稀土精矿交易价格的公告",
        "公司与关联方包钢股份按季度协商调整稀土精矿交易价格，一季度价格随稀土产品市场价格上调，"
        "本次调整已经公司董事会审议通过。",
        "上交所公告", _ANN,
    ),
    StaticNews(
        "关于调整北方稀土融资保证金比例的通知",
        "自下一交易日起，投资者融资买入北方稀土(600111)的保证金比例由80%提高至100%。",
        "上交所公告", _ANN,
    ),
    StaticNews(
        "SSE raises margin requirement for China Northern Rare Earth to 100% from 80%",
        "Investors buying 600111 on margin must post 100% of the purchase value from the next "
        "trading day, up from 80%, after a sharp rally in the shares.",
        "SSE", _ANN,
    ),
    StaticNews(
        "北方稀土2025年年度业绩预增公告",
        "公司预计2025年度归属于上市公司股东的净利润同比大幅增加，主要受益于稀土产品价格回升、"
        "产销量增长及降本增效。",
        "上交所公告", _ANN,
    ),
    StaticNews(
        "北方稀土关于股票交易异常波动的公告",
        "公司股票连续三个交易日收盘价格涨幅偏离值累计超过20%，经自查，公司生产经营正常，"
        "不存在应披露而未披露的重大信息。",
        "上交所公告", _ANN,
    ),
    StaticNews(
        "China Northern Rare Earth: interim report for the first half of 2025",
        "First-half net profit attributable to shareholders rose sharply year on year on higher "
        "rare-earth prices and record output of separated oxides.",
        "SSE", _ANN,
    ),
    StaticNews(
        "多部门发文支持人形机器人产业发展，稀土永磁需求有望打开新空间",
        "政策明确支持人形机器人整机与核心零部件攻关，伺服电机大量使用高性能钕铁硼永磁材料，"
        "业内预计将带动稀土永磁需求增长。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "Rare-earth stocks rally as humanoid-robot push lifts magnet demand outlook",
        "Shares of Chinese rare-earth producers led by China Northern Rare Earth climbed after "
        "policy support for humanoid robots, whose actuators rely on NdFeB permanent magnets.",
        "Reuters (simulated)",
    ),
    StaticNews(
        "小金属板块持续走强，稀土、钨、钼价格齐涨",
        "小金属行情延续，氧化镨钕、钨精矿、钼铁报价全线上行，北方稀土、厦门钨业等个股成交活跃。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "Small-metals rally extends; tungsten and rare earths lead gains in Shanghai",
        "Minor metals extended their advance with praseodymium-neodymium oxide, tungsten and "
        "molybdenum quotes all higher; rare-earth ETFs saw heavy turnover.",
        "Reuters (simulated)", symbols=(PRIMARY, *_ETFS),
    ),
    StaticNews(
        "氧化镨钕报价走高，磁材企业积极补库",
        "下游磁材企业订单饱满、原料补库积极，氧化镨钕现货报价继续走高，市场情绪偏强。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "Beijing's rare-earth export controls keep overseas magnet buyers on edge",
        "Expanded licensing requirements on rare-earth technologies and some magnet exports "
        "continue to weigh on supply chains outside China.",
        "Reuters (simulated)", symbols=(PRIMARY, "REMX"),
    ),
    StaticNews(
        "稀土ETF获资金持续净流入，份额创近期新高",
        "稀土主题ETF连续多日获资金净申购，稀土ETF华泰柏瑞、稀土ETF富国份额均创近期新高。",
        "证券时报（模拟）", symbols=_ETFS,
    ),
    StaticNews(
        "REMX draws inflows as investors seek rare-earth exposure outside China",
        "The VanEck Rare Earth/Strategic Metals ETF recorded its strongest weekly inflows in "
        "months as investors bet on non-Chinese supply chains.",
        "Reuters (simulated)", symbols=("REMX",),
    ),
    StaticNews(
        "两融数据：北方稀土融资余额连续增加",
        "北方稀土融资余额连续多个交易日增加，融资买入额居有色金属板块前列。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "Permanent-magnet makers expand capacity for EV and robotics demand",
        "Chinese NdFeB magnet producers announced capacity additions, citing orders from "
        "electric-vehicle motors, wind turbines and humanoid-robot actuators.",
        "Reuters (simulated)",
    ),
    StaticNews(
        "稀土开采、冶炼分离总量控制指标下达，行业供给保持有序",
        "主管部门下达年度稀土开采和冶炼分离总量控制指标，北方轻稀土集团获得主要份额，"
        "行业集中度进一步提升。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "北方稀土：冶炼分离产能利用率保持高位",
        "公司在投资者互动平台表示，目前冶炼分离生产线运行平稳，产能利用率保持较高水平。",
        "证券时报（模拟）",
    ),
    StaticNews(
        "China Northern Rare Earth turnover jumps as sector momentum builds",
        "Turnover in 600111 rose well above its 20-day average while the stock traded near the "
        "upper half of its 52-week range.",
        "Reuters (simulated)",
    ),
    StaticNews(
        "北方稀土关于与包钢股份签订稀土精矿供应合同的关联交易公告",
        "公司拟向包钢股份采购稀土精矿，交易价格按季度根据市场价格调整，关联董事回避表决。",
        "上交所公告", _ANN,
    ),
)
