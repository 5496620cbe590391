"""Neo4j credentials come from the environment or an owner-only file, and never show in output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.neo4j_server.launcher import Neo4jConnection, Neo4jSetupError, connection_from_env, shown_uri
from pipelines.cli import main

SECRET = "s3cr3t-Pa55"
UNREACHABLE = "bolt://127.0.0.1:9"  # the discard port: nothing answers Bolt there


def password_file(tmp_path: Path, mode: int, text: str = SECRET + "\n") -> Path:
    path = tmp_path / "neo4j-password"
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_the_password_comes_from_the_environment():
    connection = connection_from_env({"NEO4J_URI": UNREACHABLE, "NEO4J_USER": "app", "NEO4J_PASSWORD": SECRET})
    assert connection is not None and connection.auth() == ("app", SECRET)


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_an_owner_only_password_file_is_read(tmp_path: Path, mode: int):
    path = password_file(tmp_path, mode)
    connection = connection_from_env({"NEO4J_URI": UNREACHABLE, "NEO4J_USER": "app",
                                      "NEO4J_PASSWORD_FILE": str(path)})
    assert connection is not None and connection.auth() == ("app", SECRET)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_password_file_others_can_read_is_refused(tmp_path: Path, mode: int):
    path = password_file(tmp_path, mode)
    with pytest.raises(Neo4jSetupError) as refused:
        connection_from_env({"NEO4J_URI": UNREACHABLE, "NEO4J_USER": "app", "NEO4J_PASSWORD_FILE": str(path)})
    message = str(refused.value)
    assert f"is open to other users (mode {mode:04o}): run `chmod 600 {path}`" in message
    assert SECRET not in message


def test_a_missing_password_file_and_two_passwords_are_refused(tmp_path: Path):
    with pytest.raises(Neo4jSetupError, match="cannot read it"):
        connection_from_env({"NEO4J_URI": UNREACHABLE, "NEO4J_PASSWORD_FILE": str(tmp_path / "none")})
    path = password_file(tmp_path, 0o600)
    with pytest.raises(Neo4jSetupError, match="both set"):
        connection_from_env({"NEO4J_URI": UNREACHABLE, "NEO4J_PASSWORD": SECRET, "NEO4J_PASSWORD_FILE": str(path)})


def test_credentials_in_the_uri_are_refused_without_being_repeated():
    with pytest.raises(Neo4jSetupError) as refused:
        connection_from_env({"NEO4J_URI": f"neo4j://app:{SECRET}@db.example:7687"})
    assert SECRET not in str(refused.value)
    assert shown_uri(f"neo4j://app:{SECRET}@db.example:7687/x") == "neo4j://db.example:7687/x"
    assert shown_uri("bolt://127.0.0.1:7687") == "bolt://127.0.0.1:7687"


def test_the_password_is_not_in_the_connection_repr():
    connection = Neo4jConnection(UNREACHABLE, "app", SECRET)
    assert SECRET not in repr(connection) and SECRET not in str(connection)


@pytest.mark.parametrize("args", [("audience",), ("export", "clusters"), ("forget", "C-1"), ("neo4j", "status")])
def test_a_failed_connection_says_so_in_one_line_without_the_password(args, tmp_path: Path, capsys,
                                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STAKEHOLDERS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEO4J_URI", UNREACHABLE)
    monkeypatch.setenv("NEO4J_USER", "app")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(password_file(tmp_path, 0o600)))
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert len(captured.err.strip().splitlines()) == 1 and captured.err.startswith("stakeholders: ")
