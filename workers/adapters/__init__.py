"""Edges: Kafka record codec, Redis counters, dead letters, topic admin. The core never imports these."""
