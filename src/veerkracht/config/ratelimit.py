"""Login rate limiting: a fixed window per (username, client address) and per address, in the cache.

With Redis configured (REDIS_URL) the counters are shared by all web processes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    ip = request.META.get("REMOTE_ADDR", "")
    user_key = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()[:32]
    ip_key = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return [f"login-fail:u:{user_key}", f"login-fail:ip:{ip_key}"]


def is_blocked(request: HttpRequest, username: str) -> bool:
    user_key, ip_key = _keys(request, username)
    limit = settings.LOGIN_RATE_LIMIT_ATTEMPTS
    # Per address a larger budget, so one office behind NAT is not locked out by one person.
    return (cache.get(user_key, 0) >= limit) or (cache.get(ip_key, 0) >= limit * 10)


def register_failure(request: HttpRequest, username: str) -> None:
    window = settings.LOGIN_RATE_LIMIT_WINDOW_S
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def reset(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0])
