"""RATELIMIT_STORAGE_URI=redis://…: two app instances count one limit in one Redis."""

from app import create_app
from app.extensions import limiter


@limiter.limit("2 per minute", key_func=lambda: "one-client")
def probe() -> str:
    """A view limited to two requests a minute, whichever server answers."""
    return "ok"


def _server(redis_url: str, database: str):
    site = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database,
            "RATELIMIT_ENABLED": True,
            "PUBLIC_READ": True,
            "RATELIMIT_STORAGE_URI": redis_url,
        }
    )
    site.add_url_rule("/limit-probe", "limit_probe", probe)
    return site


def test_a_limit_counted_on_one_server_holds_on_the_other(redis_url, tmp_path):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    database = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    first, second = _server(redis_url, database), _server(redis_url, database)

    assert first.test_client().get("/limit-probe").status_code == 200
    assert second.test_client().get("/limit-probe").status_code == 200
    assert first.test_client().get("/limit-probe").status_code == 429
    assert second.test_client().get("/limit-probe").status_code == 429
    assert redis.Redis.from_url(redis_url).keys("LIMITS*")
