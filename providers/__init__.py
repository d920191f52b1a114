"""Everything that brings data in: the contract, providers, the feed, calendar, cache, analytics.

This package never imports textual.
"""
