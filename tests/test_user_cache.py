"""The cache folder for prepared templates and compiled pages (files/user_cache.py)."""

from __future__ import annotations

from pathlib import Path

from notebuild.files.user_cache import cache_folder
from notebuild.writers import docx_template_cache


def test_xdg_cache_home_wins_when_it_is_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder("jinja") == tmp_path / "notebuild" / "jinja"


def test_a_relative_xdg_cache_home_is_ignored_and_the_home_folder_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_folder("templates") == tmp_path / ".cache" / "notebuild" / "templates"


def test_without_a_home_folder_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    monkeypatch.chdir(tmp_path)
    assert cache_folder("templates") is None
    # The prepared template is then neither kept nor looked for, and nothing is written here.
    docx_template_cache.store("00" * 32, object())  # never pickled: there is no folder
    assert docx_template_cache.load("00" * 32, lambda: None) is None
    assert list(Path(tmp_path).iterdir()) == []
