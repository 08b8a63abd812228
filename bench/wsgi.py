"""The WSGI entry the benchmark serves: the real app plus a bare `/__hello` route, which
exists only here, never in the product. Gunicorn: `bench.wsgi:app`."""

from app import create_app

app = create_app()


@app.get("/__hello")
def hello() -> str:
    """The ceiling: the cheapest response Flask can give on this machine."""
    return "hello"
