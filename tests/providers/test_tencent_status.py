"""Tencent sends no trading-status field that any public parser documents, so its status is
inferred from the line (providers/status.py): these pin the inference on recorded-format lines."""

from __future__ import annotations

import pytest
from neodymium.providers.models import TradingStatus
from neodymium.providers.tencent_parse import parse_quote_fields

from tests.fakeupstream.routes_tencent import RECORDED_QUOTES

_TIME = 30


def status_of(code: str, stamp: str | None = None) -> TradingStatus | None:
    fields = RECORDED_QUOTES[code].split("~")
    if stamp is not None:
        fields[_TIME] = stamp
    return parse_quote_fields(code, fields).status


@pytest.mark.parametrize(("code", "stamp", "expected"), [
    ("sh605999", None, TradingStatus.SUSPENDED),  # no open, no volume, stamped 15:00
    ("sh605999", "20260821103000", TradingStatus.SUSPENDED),  # an hour into the session
    ("sh605999", "20260821092000", None),  # before the open: nothing traded yet is normal
    ("sh605999", "20260822150000", None),  # a Saturday stamp says nothing
    ("sh600001", None, TradingStatus.DELISTED),  # the exchange's …退 name
    ("sh688795", None, TradingStatus.TRADING),  # N… on its first day, trading
    ("sh600111", None, TradingStatus.TRADING),
    ("sh688256", None, TradingStatus.TRADING),  # the real STAR capture
])
def test_status_is_inferred_from_the_line(code: str, stamp: str | None,
                                          expected: TradingStatus | None) -> None:
    assert status_of(code, stamp) is expected
