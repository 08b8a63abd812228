"""Settings read from the environment, with safe defaults for a single machine."""

import os
import secrets
from pathlib import Path
from typing import Any


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def settings_from_environment(instance_path: str) -> dict[str, Any]:
    """Build the app's configuration from environment variables."""
    default_db = "sqlite:///" + str(Path(instance_path) / "studyhall.sqlite3")
    env = os.environ.get
    max_upload = int(env("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL", default_db),
        "PUBLIC_READ": env("PUBLIC_READ", "0") == "1",
        "OPEN_REGISTRATION": env("OPEN_REGISTRATION", "0") == "1",
        # A note larger than this is skipped by the importer and the checker.
        "MAX_NOTE_BYTES": int(env("MAX_NOTE_BYTES", str(2 * 1024 * 1024))),
        # Bare mirrors of the Git repositories followed by `flask repo sync`.
        "REPOS_PATH": env("REPOS_PATH", str(Path(instance_path) / "repos")),
        # Every request body (uploads included) is capped here.
        "MAX_CONTENT_LENGTH": max_upload,
        # A note typed into the editor is one form field: Flask's default (500 kB) is too small.
        "MAX_FORM_MEMORY_SIZE": max_upload,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        # How many proxies in front of the site may set X-Forwarded-For/-Proto/-Host.
        "TRUSTED_PROXIES": int(env("TRUSTED_PROXIES", "0")),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "SMTP_URL": env("SMTP_URL", "smtp://localhost:25"),
        "MAIL_FROM": env("MAIL_FROM", "studyhall@localhost"),
        "SITE_URL": env("SITE_URL", "http://localhost:5000"),
        "REMINDER_DAYS": int(env("REMINDER_DAYS", "2")),
        "DIGEST_HOURS": int(env("DIGEST_HOURS", "24")),
    }
