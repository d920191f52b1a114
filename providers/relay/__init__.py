"""The relay: one poller publishes to NATS JetStream, many screens subscribe.

``codec`` turns store values into JSON and back, ``keys`` names the bucket's keys and subjects,
``connect`` opens NATS with the configured auth, ``lease`` decides which relay polls,
``publisher`` runs the feed headless and publishes, ``subscriber`` is the feed that reads it.
"""
