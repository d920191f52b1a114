"""Eastmoney's market list (``api/qt/clist/get``): every A-share and exchange fund, for search.

The same request public clients make (e.g. ``jinxiaonb/koa-stock`` server/easy.js for the
board filters, ``6825786805`` in the code corpus for the fund boards ``b:MK0021…MK0024``):
``fs`` selects Shanghai and Shenzhen main boards, ChiNext, STAR, Beijing and the ETF/LOF
boards, ``fields=f12,f13,f14`` asks only for code, market and name. The list comes in pages of
``pz`` rows with ``data.total`` telling how many there are; pages are fetched until it is
reached (or a page comes back empty).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from neodymium.providers.eastmoney import QUOTE_HOST, REFERER, load_document
from neodymium.providers.errors import BadPayload
from neodymium.providers.text import clean_text

CLIST_PATH = "/api/qt/clist/get"
#: Stocks: SZ main + ChiNext, SH main + STAR, Beijing; funds: the ETF and LOF boards.
STOCK_BOARDS = "m:0+t:6,m:0+t:80,m:1+t:2,m:1+t:23,m:0+t:81+s:2048"
FUND_BOARDS = "b:MK0021,b:MK0022,b:MK0023,b:MK0024"
PAGE_SIZE = 100
#: A guard against an upstream that keeps answering: ~25,000 rows at most.
MAX_PAGES = 250
SOURCE = "eastmoney"
_SUFFIX = {"1": "SS", "0": "SZ"}
_BEIJING_HEADS = ("43", "83", "87", "92")


def build_clist_params(boards: str, page: int) -> dict[str, str]:
    """Query parameters of one clist page (1-based)."""
    return {"pn": str(page), "pz": str(PAGE_SIZE), "po": "1", "np": "1", "fltt": "2",
            "invt": "2", "fid": "f12", "fs": boards, "fields": "f12,f13,f14"}


def parse_clist(payload: bytes | str | Mapping[str, Any], kind: str
                ) -> tuple[list[tuple[str, str, str]], int]:
    """``(symbol, name, kind)`` rows of one page and ``data.total`` (0 when ``data`` is null)."""
    document = load_document(payload, source=SOURCE)
    data = document.get("data")
    if data is None:
        return [], 0
    if not isinstance(data, Mapping):
        raise BadPayload(SOURCE, "clist data is not an object", json.dumps(data)[:200])
    diff = data.get("diff") or []
    if isinstance(diff, Mapping):
        diff = list(diff.values())
    if not isinstance(diff, list):
        raise BadPayload(SOURCE, "clist diff is not a list", json.dumps(diff)[:200])
    rows = []
    for item in diff:
        if not isinstance(item, Mapping):
            raise BadPayload(SOURCE, "clist entry is not an object", json.dumps(item)[:200])
        code, market = clean_text(item.get("f12")), clean_text(item.get("f13"))
        name = clean_text(item.get("f14"))
        if not code.isdigit() or len(code) != 6 or market not in _SUFFIX or not name:
            continue
        suffix = "BJ" if code.startswith(_BEIJING_HEADS) and market == "0" else _SUFFIX[market]
        rows.append((f"{code}.{suffix}", name, kind))
    total = data.get("total")
    return rows, int(total) if isinstance(total, int) else len(rows)


async def fetch_symbol_list(client: httpx.AsyncClient, base_url: str | None = None,
                            timeout: float = 10.0) -> list[tuple[str, str, str]]:
    """Every A-share and exchange fund, paging through clist; raises httpx errors and
    BadPayload as they come (the caller keeps its previous list)."""
    base = (base_url or QUOTE_HOST).rstrip("/")
    rows: list[tuple[str, str, str]] = []
    for boards, kind in ((STOCK_BOARDS, "stock"), (FUND_BOARDS, "fund")):
        seen = 0
        for page in range(1, MAX_PAGES + 1):
            response = await client.get(f"{base}{CLIST_PATH}",
                                        params=build_clist_params(boards, page),
                                        headers={"Referer": REFERER}, timeout=timeout)
            response.raise_for_status()
            got, total = parse_clist(response.content, kind)
            rows.extend(got)
            seen += PAGE_SIZE
            if not got or seen >= total:
                break
    return rows
