"""The one place that reads settings: environment variables with the prefix MODWORKER_."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLICY = REPO_ROOT / "ops" / "policy" / "default.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODWORKER_", frozen=True, extra="ignore")

    kafka_bootstrap: str = "127.0.0.1:9092"
    redis_url: str = "redis://127.0.0.1:6379/0"
    input_topic: str = "messages"
    enforcement_topic: str = "moderation.enforcements"
    deadletter_topic: str = "moderation.deadletter"
    consumer_group: str = Field("modworker", description="Kafka consumer group, also the faust app id")
    metrics_port: int = 9108
    policy_file: Path = DEFAULT_POLICY

    # Partitions given to topics the worker creates at start-up when they are missing.
    topic_partitions: int = 4
    # Batching: a batch closes at batch_size events or after batch_seconds.
    batch_size: int = 500
    batch_seconds: float = 0.05
    # Consumer group timings (short keeps group joins and failover quick).
    session_timeout_seconds: float = 10.0
    heartbeat_seconds: float = 1.0
    # Redis key prefix: one per deployment, and one per replay run so runs never share counters.
    redis_prefix: str = "mw:"
    # Where a fresh consumer group starts: "earliest" so nothing produced before the first start is missed.
    auto_offset_reset: str = "earliest"
    # When Redis is unreachable: "pause" consumption until it returns (nothing lost), or "degrade" to
    # text-only decisions marked degraded.
    redis_outage: Literal["pause", "degrade"] = "pause"
    log_level: str = "info"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
