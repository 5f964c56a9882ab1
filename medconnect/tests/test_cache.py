"""The Redis cache backend shares one client per connection pool across threads."""

import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from medconnect.cache import SharedClientRedisCache


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    cache = SharedClientRedisCache(
        "redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    )
    yield cache
    cache.delete_many([f"k{n}" for n in range(200)] + ["a", "b", "n"])


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)
    redis_cache.set("a", {"x": 1})
    redis_cache.set("b", [1, 2])
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": [1, 2]}
    assert redis_cache.get_or_set("n", 5) == 5
    assert redis_cache.incr("n") == 6


def test_threads_sharing_the_client_each_get_their_own_answers(redis_cache):
    def round_trip(n):
        redis_cache.set(f"k{n}", n * 7)
        return redis_cache.get(f"k{n}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(round_trip, range(200)))
    assert results == [n * 7 for n in range(200)]
