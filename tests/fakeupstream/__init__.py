"""The fake upstream server and its recorded-format routes (one routes_*.py per API)."""

from tests.fakeupstream.server import FakeRequest, FakeResponse, FakeUpstream, Fault, Route

__all__ = ["FakeRequest", "FakeResponse", "FakeUpstream", "Fault", "Route"]
