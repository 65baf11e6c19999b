"""The answer cache the workers share: Redis when it answers, this worker's memory when it does not.

Redis is a cache, not a dependency. Every Redis call has a 0.2 s socket and connect timeout and no
retries; the first failure switches the worker to a bounded in-process cache with ONE warning, and
Redis is tried again after ``RETRY_AFTER_S``. Keys start with the store's build stamp (its build
folder's name), so answers of an old build are never served after a new one is swapped in; a
memo's keys (``shared``) carry the code's stamp too, as its answers change shape with the code.

Used through flask-caching (``CACHE_TYPE = "dashboard.cache.ResilientCache"``), so routes keep
using ``@cache.cached(...)``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask_caching.backends.base import BaseCache

log = logging.getLogger("regiodash.cache")

TIMEOUT_S = 0.2  # a healthy Redis on the same network answers in well under 1 ms
RETRY_AFTER_S = 30.0
MEMORY_BYTES = 16 * 1024 * 1024  # in-process fallback: at most 16 MB of pickled answers per worker


class MemoryCache:
    """A least-recently-used cache of pickled values, bounded in bytes (not entries)."""

    def __init__(self, max_bytes: int = MEMORY_BYTES):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, blob = item
            if expires and expires < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
        return pickle.loads(blob)  # a private copy: no two requests share one object

    def set(self, key: str, value, timeout: float | None) -> bool:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > self.max_bytes // 8:  # one answer may not push out most others
            return False
        expires = time.monotonic() + timeout if timeout else 0.0
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (expires, blob)
            self.bytes += len(blob)
            while self.bytes > self.max_bytes:
                self._drop(next(iter(self._items)))
        return True

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._drop(key)

    def clear(self) -> bool:
        with self._lock:
            self._items.clear()
            self.bytes = 0
        return True

    def _drop(self, key: str) -> bool:
        item = self._items.pop(key, None)
        if item is not None:
            self.bytes -= len(item[1])
        return item is not None


class ResilientCache(BaseCache):
    """flask-caching backend: Redis with short timeouts, falling back to ``MemoryCache``."""

    def __init__(self, url: str | None, key_prefix: str = "", default_timeout: int = 300,
                 memory_bytes: int = MEMORY_BYTES):
        super().__init__(default_timeout=default_timeout)
        self.key_prefix = key_prefix
        self.memory = MemoryCache(memory_bytes)
        self.redis = _redis_client(url) if url else None
        self._down_until = 0.0
        self._warned = False
        self.url = url

    @classmethod
    def factory(cls, app, config, args, kwargs):
        return cls(config.get("CACHE_REDIS_URL"), config.get("CACHE_KEY_PREFIX") or "",
                   config.get("CACHE_DEFAULT_TIMEOUT", 300), config.get("REGIODASH_MEMORY_BYTES", MEMORY_BYTES))

    # -------------------------------------------------------------- Redis, while it answers
    def _use_redis(self) -> bool:
        return self.redis is not None and time.monotonic() >= self._down_until

    def _failed(self, err: Exception) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER_S
        if not self._warned:  # one warning per worker, not one per request
            self._warned = True
            log.warning("cache: Redis at %s does not answer (%s); this worker caches in memory "
                        "(at most %d MB) and tries Redis again every %.0f s",
                        _safe(self.url), type(err).__name__, self.memory.max_bytes // 2**20, RETRY_AFTER_S)

    def get(self, key: str):
        key = self.key_prefix + key
        if self._use_redis():
            try:
                blob = self.redis.get(key)
                return None if blob is None else pickle.loads(blob)
            except Exception as err:  # any Redis or network failure: serve without it
                self._failed(err)
        return self.memory.get(key)

    def set(self, key: str, value, timeout: int | None = None) -> bool:
        key = self.key_prefix + key
        timeout = self._normalize_timeout(timeout)
        if self._use_redis():
            try:
                blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                return bool(self.redis.set(key, blob, ex=timeout or None))
            except Exception as err:
                self._failed(err)
        return self.memory.set(key, value, timeout)

    def add(self, key: str, value, timeout: int | None = None) -> bool:
        return self.set(key, value, timeout) if self.get(key) is None else False

    def delete(self, key: str) -> bool:
        self.memory.delete(self.key_prefix + key)
        if self._use_redis():
            try:
                return bool(self.redis.delete(self.key_prefix + key))
            except Exception as err:
                self._failed(err)
        return True

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        return self.memory.clear()


def build_stamp(store) -> str:
    """The store build an answer comes from: its build folder's name (e.g. 20261123T185604452989Z)."""
    return getattr(store, "stamp", None) or Path(store.path).name


@functools.lru_cache(maxsize=4)
def code_stamp(package: Path = Path(__file__).parent) -> str:
    """The code an answer comes from: a digest of the package's Python files (12 hex digits).
    Why: a new release on the same store must not read the old release's shared answers, whose
    shape may differ (this round renamed a panels output: an old answer would have been a 500)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _redis_client(url: str):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S,
                                retry=Retry(NoBackoff(), 0), retry_on_timeout=False, health_check_interval=0)


def _safe(url: str | None) -> str:
    """The URL without a password, for the log."""
    if not url or "@" not in url:
        return str(url)
    scheme, rest = url.split("://", 1)
    return f"{scheme}://…@{rest.split('@', 1)[1]}"


def shared(name: str, size: int):
    """A memo in two levels for ``fn(data, *args)`` (text arguments): this worker's memory (LRU,
    ``size`` entries), then the answer cache every worker shares (``data.answers``, set by the
    app: Redis, or this worker's memory when Redis is away), then ``fn`` itself.

    Why: gunicorn recycles a worker every ~5,000 requests and a new worker's memo is empty; a
    region first asked for on one worker is new to the others. Computing the panels of a region
    takes 100-450 ms (benchmarks/panels_profile.py); reading them back takes a few ms."""
    def wrap(fn):
        @functools.wraps(fn)
        def through_shared(data, *args):
            answers = getattr(data, "answers", None)
            key = f"{name}:{code_stamp()}:" + "\x1f".join(map(str, args))
            if answers is not None:
                found = answers.get(key)
                if found is not None:
                    return found
            value = fn(data, *args)
            if answers is not None:
                answers.set(key, value)
            return value
        return functools.lru_cache(maxsize=size)(through_shared)
    return wrap
