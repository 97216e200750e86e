"""The planning core is pure: importing any of its modules never imports Django."""

from __future__ import annotations

import json
import subprocess
import sys

# Runs in a fresh interpreter: the test session itself has Django loaded by pytest-django.
PROBE = """
import importlib, json, pkgutil, sys
import veerkracht.planning as planning
names = sorted(m.name for m in pkgutil.walk_packages(planning.__path__, planning.__name__ + "."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(json.dumps({"modules": names, "django": loaded}))
"""


def test_it_imports_every_planning_module_without_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {
        "veerkracht.planning.erlang",
        "veerkracht.planning.erlang_a",
        "veerkracht.planning.staffing",
    } <= set(report["modules"])
    assert report["django"] == [], f"planning imported {report['django']}"
