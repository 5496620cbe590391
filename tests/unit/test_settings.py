"""The settings read the environment once, and refuse a value they cannot use with a line naming it."""

from __future__ import annotations

import pytest

from pipelines.cli import main
from pipelines.settings import Settings, SettingsError
from sources.readers import DEFAULT_LIMITS


def test_read_limits_come_from_the_environment():
    settings = Settings.from_env({"STAKEHOLDERS_MAX_FILE_MB": "20", "STAKEHOLDERS_MAX_ROWS": "5000", "HOME": "/h"})
    assert settings.read_limits.max_bytes == 20_000_000
    assert settings.read_limits.max_rows == 5000
    assert settings.read_limits.max_columns == DEFAULT_LIMITS.max_columns
    assert settings.installation().read_limits == settings.read_limits


@pytest.mark.parametrize("value", ["lots", "0", "-3", "1.5"])
def test_an_unusable_limit_is_refused_naming_the_variable(value: str):
    with pytest.raises(SettingsError, match=f"STAKEHOLDERS_MAX_ROWS={value!r}"):
        Settings.from_env({"STAKEHOLDERS_MAX_ROWS": value, "HOME": "/h"})


def test_the_command_line_says_so_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("STAKEHOLDERS_HOME", str(tmp_path))
    monkeypatch.setenv("STAKEHOLDERS_MAX_COLUMNS", "many")
    assert main(["export", "clusters"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("stakeholders: STAKEHOLDERS_MAX_COLUMNS='many'") and "Traceback" not in err


def test_without_a_postcode_api_the_cache_still_answers(tmp_path):
    lookup = Settings.from_env({"STAKEHOLDERS_HOME": str(tmp_path)}).installation().postcode_lookup
    assert lookup is not None and not lookup.online


def test_the_home_and_every_file_in_it_are_the_owners_only(tmp_path):
    import os
    import stat

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    (home / "runs.jsonl").write_text("{}\n")
    (home / "runs.jsonl").chmod(0o644)  # as an older version left it
    previous = os.umask(0o022)
    try:
        installation = Settings.from_env({"STAKEHOLDERS_HOME": str(home)}).installation()
        installation.runs.path.parent.joinpath("sync.lock").write_text("")
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE((home / "runs.jsonl").stat().st_mode) == 0o600
        assert stat.S_IMODE((home / "sync.lock").stat().st_mode) == 0o600  # made after: the umask
    finally:
        os.umask(previous)
