"""Fixtures for the deployment tests: a real redis-server on 127.0.0.1."""

import shutil
import socket
import subprocess
import time

import pytest

REDIS_PORT = 5790


@pytest.fixture(scope="session")
def redis_url():
    """A redis-server started for the run on 127.0.0.1 (no persistence); skips when absent."""
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("redis-server is not installed (make test installs it as root)")
    server = subprocess.Popen(
        [program, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"redis-server did not start on 127.0.0.1:{REDIS_PORT}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{REDIS_PORT}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
