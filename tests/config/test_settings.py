"""Configuration by environment: bad values fail loudly at start-up, production is hardened."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from veerkracht.config import settings as s


def test_it_reads_booleans_and_rejects_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert s.env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert s.env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        s.env_bool("X_FLAG", True)


def test_it_rejects_numbers_below_their_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "2")
    with pytest.raises(ImproperlyConfigured, match="at least 3"):
        s.env_int("X_NUM", 5, minimum=3)
    monkeypatch.setenv("X_NUM", "five")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        s.env_int("X_NUM", 5)


def _run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECRET_KEY", "PYTEST", "DJANGO_ALLOW_ASYNC"))
    }
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "veerkracht.config.settings"
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _run_check({"DEBUG": "false", "VEERKRACHT_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_passes_the_deploy_check_with_production_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _run_check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "-production-secret-" + "x9" * 20,
            "ALLOWED_HOSTS": "veerkracht.example.nl",
            "VEERKRACHT_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
