"""The one place that reads settings: environment variables with the prefix MODWORKER_."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POLICY = REPO_ROOT / "ops" / "policy" / "default.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODWORKER_", frozen=True, extra="ignore")

    kafka_bootstrap: str = "127.0.0.1:9092"
    # Kafka security: PLAINTEXT (local default), SSL, SASL_PLAINTEXT or SASL_SSL. Secrets are SecretStr:
    # they never show in repr, logs or error messages.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    # redis://[:password@]host:port/db, or rediss:// for TLS. The URL may hold a password, so it is a secret.
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    redis_password: SecretStr | None = None
    redis_ssl_cafile: Path | None = None
    # Records over this size are dead-lettered before they are parsed.
    max_record_bytes: int = 8 * 1024 * 1024
    # Enforcement events carry evidence spans and a SHA-256 of the text; set true to carry the full text too.
    include_text: bool = False
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
    # How long the broker may hold a fetch before answering (ms). faust's own 1500 let batches arrive in bursts
    # seconds apart at 1,000 events/s (workers/adapters/faust_transport.py); a fetch still returns as soon as
    # there is a record, so a short wait only costs an idle consumer a few empty fetches a second.
    fetch_max_wait_ms: int = Field(100, ge=1, le=30_000)
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
    # Counters (Redis) on or off. Off: text-only decisions, NOT marked degraded (benchmarks, emergencies).
    counters_enabled: bool = True
    # Redis Cluster hash tags per key kind (accounts, campaign bands, handles, seen event ids). 0: every key is
    # its own tag ({acct:ID}), one script call per key; N: keys hash into N tags per kind, one script call per tag and
    # batch (fewer calls, N slots per kind). Changing it changes key names (counts start over).
    redis_tag_buckets: int = Field(64, ge=0, le=16384)
    # Kafka processing guarantee (issue #5). at_least_once: outputs are delivered before offsets are committed;
    # a worker killed mid-batch re-decides that batch, with the same enforcement ids. exactly_once: faust's
    # Kafka transactions (one transactional producer per input partition; outputs go to the partition of the
    # same number, so output topics need the same number of partitions as the input topic); consumers reading
    # with isolation.level=read_committed then see each batch's outputs once. Needs a broker with transactions.
    processing_guarantee: Literal["at_least_once", "exactly_once"] = "at_least_once"
    # Duplicate event ids (issue #5): a second record with an event id seen within this many seconds is
    # dead-lettered as DuplicateEvent (the same record re-delivered is decided again). 0: not checked.
    dedup_ttl_seconds: int = Field(3600, ge=0)
    log_level: str = "info"
    # The worker's event loop (issue #7): "uvloop" (libuv, the default: faust's own path ran ~20% faster with it
    # in `modworker bench`'s ceiling) or "asyncio" (the standard library's, e.g. to rule uvloop out).
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"

    # --- operations (issue #6): logs, consumer lag, shadow mode ---
    # "json": one JSON object per line (production); "text": plain lines for a terminal.
    log_format: Literal["json", "text"] = "json"
    # How often each worker measures the lag of the partitions assigned to it (modworker_consumer_lag).
    lag_interval_seconds: float = 5.0
    # Shadow mode: decide with this worker's own policy file, publish to shadow_topic instead of the
    # enforcement topic, in a consumer group and Redis prefix of its own (see effective_* below).
    shadow: bool = False
    shadow_topic: str = "moderation.shadow"

    @model_validator(mode="after")
    def _shadow_never_writes_live_topics(self) -> "Settings":
        live = {self.enforcement_topic, self.deadletter_topic, self.input_topic}
        if self.shadow and ({self.shadow_topic, f"{self.shadow_topic}.deadletter"} & live):
            raise ValueError("MODWORKER_SHADOW_TOPIC must not be the input, enforcement or dead-letter topic")
        return self

    @property
    def effective_consumer_group(self) -> str:
        """The group (and faust app id): a shadow worker never joins, nor steals partitions of, the live group."""
        return f"{self.consumer_group}-shadow" if self.shadow else self.consumer_group

    @property
    def effective_redis_prefix(self) -> str:
        """A shadow worker counts in keys of its own, so the live workers' counters are not counted twice."""
        return f"{self.redis_prefix}shadow:" if self.shadow else self.redis_prefix

    @property
    def decision_topic(self) -> str:
        """Where decisions go: the enforcement topic, or the shadow topic in shadow mode."""
        return self.shadow_topic if self.shadow else self.enforcement_topic

    @property
    def failure_topic(self) -> str:
        """Where dead letters go: a shadow worker keeps its own out of the live dead-letter topic."""
        return f"{self.shadow_topic}.deadletter" if self.shadow else self.deadletter_topic


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
