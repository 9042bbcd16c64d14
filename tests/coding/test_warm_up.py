"""WARM_UP_ON_START: a server process loads the ICD-10-CM catalog in the background at start."""

from __future__ import annotations

import threading

from django.apps import apps

import coding.icd10


def _warm_up_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "icd10-warm-up"]


def test_a_server_start_loads_the_catalog_in_the_background(settings, monkeypatch):
    loaded = threading.Event()
    monkeypatch.setattr(coding.icd10, "icd10_catalog", loaded.set)
    settings.WARM_UP_ON_START = True
    apps.get_app_config("coding").ready()
    assert loaded.wait(timeout=5)


def test_tests_and_commands_do_not_warm_up(settings, monkeypatch):
    called = threading.Event()
    monkeypatch.setattr(coding.icd10, "icd10_catalog", called.set)
    settings.WARM_UP_ON_START = False
    apps.get_app_config("coding").ready()
    assert _warm_up_threads() == []
    assert not called.is_set()
