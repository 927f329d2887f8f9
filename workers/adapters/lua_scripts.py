"""Lua scripts in Redis, called by EVALSHA in one pipeline, and the hash tags that group their keys: shared by
the counters and the seen-id store.

SHA1s are computed here, so nothing is sent before the first batch: that batch meets NOSCRIPT, the scripts are
loaded (SCRIPT LOAD) and only the calls that failed are sent again. Calls must be independent (no two share a
key), so sending one again changes nothing of the others. A NOSCRIPT after the first load means Redis lost the
scripts (a restart without persistence, SCRIPT FLUSH): logged as a warning, handled the same way.
"""
from __future__ import annotations

import hashlib
import logging
import zlib
from importlib import resources

import redis.asyncio as redis
from redis.exceptions import NoScriptError

log = logging.getLogger("modworker.counters")

Call = tuple[str, list, list]  # (script name, KEYS, ARGV)
DEFAULT_BUCKETS = 64  # as workers.settings.Settings.redis_tag_buckets (0: every key is its own hash tag)


def check_prefix(prefix: str) -> str:
    if "{" in prefix or "}" in prefix:
        raise ValueError("the Redis prefix must not contain braces (they would become the hash tag)")
    return prefix


def bucket_tag(kind: str, ident: str, buckets: int) -> str:
    """The hash tag of a key of `kind` when keys are bucketed (buckets > 0): "kind:B", B = CRC-32 of the id mod
    buckets. Keys of one tag share a Redis Cluster slot, so one script call can take all of them."""
    return f"{kind}:{zlib.crc32(ident.encode('utf-8', 'surrogatepass')) % buckets:x}"


def lua_source(name: str) -> str:
    return resources.files("workers.adapters").joinpath("lua", name).read_text(encoding="utf-8")


class LuaScripts:
    def __init__(self, client: redis.Redis, files: dict[str, str], what: str):
        """`files`: script name -> file name under workers/adapters/lua/; `what` names them in the log."""
        self._r = client
        self._what = what
        self._text = {name: lua_source(file) for name, file in files.items()}
        self._sha = {name: hashlib.sha1(text.encode()).hexdigest() for name, text in self._text.items()}
        self._loaded = False  # by this process: a NOSCRIPT after that means Redis lost them

    async def _load(self) -> None:
        for name, text in self._text.items():
            sha = await self._r.script_load(text)
            self._sha[name] = sha.decode() if isinstance(sha, bytes) else sha

    def _pipeline(self, calls: list[Call]):
        pipe = self._r.pipeline(transaction=False)
        for script, keys, args in calls:
            pipe.evalsha(self._sha[script], len(keys), *keys, *args)
        return pipe

    async def run(self, calls: list[Call]) -> list:
        """The result of every call, in order, from one pipelined round trip (two when scripts were missing).
        Raises the first error of a call (RedisError) or of the connection (RedisError, OSError)."""
        results = await self._pipeline(calls).execute(raise_on_error=False)
        retry = [i for i, r in enumerate(results) if isinstance(r, NoScriptError)]
        if retry:
            if self._loaded:
                log.warning(f"Redis lost the {self._what} scripts (restart or SCRIPT FLUSH): loading them again",
                            extra={"calls": len(retry)})
            else:
                log.info(f"loading the {self._what} scripts into Redis", extra={"calls": len(retry)})
            await self._load()
            self._loaded = True
            again = await self._pipeline([calls[i] for i in retry]).execute(raise_on_error=False)
            for i, r in zip(retry, again):
                results[i] = r
        for r in results:
            if isinstance(r, Exception):
                raise r
        return results
