"""Django's Redis cache, keeping one Redis client per connection pool, and treating
an unreachable Redis as an empty cache.

Django's backend builds a new redis-py client object for every cache call, and
building one (its table of response callbacks) costs about as much as the call
itself. A client is safe to share between threads (it takes a connection from the
pool for each command), so one is kept per pool.

The cache only ever holds copies: sessions are also in the database (cached_db),
free slots and pages are recomputed. So while Redis is down every read is a miss
and every write is skipped, and pages keep serving from the database; the socket
timeouts in settings keep a dead Redis from stalling requests.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from operations import metrics

logger = logging.getLogger("medconnect.cache")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


def _tolerant(operation, fallback):
    """Run the client method, timed; on a Redis outage answer `fallback` instead."""

    def decorate(method):
        def call(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            except REDIS_DOWN as exc:
                metrics.CACHE_ERRORS.labels(operation).inc()
                logger.warning(
                    "cache_unavailable", extra={"operation": operation, "error": str(exc)}
                )
                if isinstance(fallback, type) and issubclass(fallback, Exception):
                    raise fallback(f"The cache is unavailable: {exc}") from exc
                return fallback(args) if callable(fallback) else fallback
            finally:
                metrics.CACHE_SECONDS.labels(operation).observe(time.perf_counter() - started)

        return call

    return decorate


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    add = _tolerant("add", False)(RedisCacheClient.add)
    # get(key, default): a miss answers the caller's default.
    get = _tolerant("get", lambda args: args[1])(RedisCacheClient.get)
    set = _tolerant("set", None)(RedisCacheClient.set)
    touch = _tolerant("touch", False)(RedisCacheClient.touch)
    delete = _tolerant("delete", False)(RedisCacheClient.delete)
    get_many = _tolerant("get_many", lambda args: {})(RedisCacheClient.get_many)
    has_key = _tolerant("has_key", False)(RedisCacheClient.has_key)
    # Django's incr raises ValueError for a key it cannot find: so does an outage.
    incr = _tolerant("incr", ValueError)(RedisCacheClient.incr)
    set_many = _tolerant("set_many", None)(RedisCacheClient.set_many)
    delete_many = _tolerant("delete_many", None)(RedisCacheClient.delete_many)
    clear = _tolerant("clear", False)(RedisCacheClient.clear)


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
