"""The fake upstream server and its recorded-format routes (one routes_*.py per API)."""

from tests.fakeupstream.server import Fault, FakeRequest, FakeResponse, FakeUpstream, Route

__all__ = ["FakeRequest", "FakeResponse", "FakeUpstream", "Fault", "Route"]
