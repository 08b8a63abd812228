"""Webhook checks for GitHub, Gitea and GitLab push events. Pure: no Flask."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Protocol


class Headers(Protocol):
    """What the checks read of request headers: a dict or werkzeug's case-insensitive Headers."""

    def get(self, key: str, /) -> str | None: ...


def signature_ok(secret: str, body: bytes, headers: Headers) -> bool:
    """True when the request carries a valid GitHub, Gitea or GitLab signature or token."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    github = headers.get("X-Hub-Signature-256")
    if github:
        return hmac.compare_digest(github, "sha256=" + digest)
    gitea = headers.get("X-Gitea-Signature") or headers.get("X-Gogs-Signature")
    if gitea:
        return hmac.compare_digest(gitea, digest)
    gitlab = headers.get("X-Gitlab-Token")
    if gitlab:
        return hmac.compare_digest(gitlab.encode(), secret.encode())
    return False


def pushed_branch(body: bytes) -> str | None:
    """The branch a push event names (`ref: refs/heads/<branch>`), or None."""
    try:
        ref = json.loads(body).get("ref")
    except (ValueError, AttributeError):
        return None
    if not isinstance(ref, str) or not ref.startswith("refs/heads/"):
        return None
    return ref.removeprefix("refs/heads/")
