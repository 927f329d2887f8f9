"""modworker: a streaming moderation worker (faust agents between Kafka topics, counters in Redis)."""
__version__ = "0.1.0"
