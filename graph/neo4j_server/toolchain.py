"""Find the Java and Maven executables the local Neo4j server needs, with messages a user can act on."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from kernel.errors import StakeholdersError

# Neo4j 5.26 LTS runs on Java 17 and 21; older JVMs would fail with class-version errors deep in the log.
MIN_JAVA = 17
JAVA_HINT = "install a JDK 17 or 21 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME"


class Neo4jSetupError(StakeholdersError):
    """The local Neo4j could not be set up; the message says what to do and never carries a traceback."""


def find_java(environ: Mapping[str, str]) -> Path:
    """Return the java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` on PATH."""
    java_home = environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not java.is_file():
            # A wrong JAVA_HOME is a user mistake worth naming; silently falling back to PATH hides it.
            raise Neo4jSetupError(f"JAVA_HOME={java_home} has no bin/java: {JAVA_HINT}")
    else:
        found = shutil.which("java", path=environ.get("PATH", ""))
        if found is None:
            raise Neo4jSetupError(f"Java not found: {JAVA_HINT}")
        java = Path(found)
    _check_java_version(java)
    return java


def find_maven(environ: Mapping[str, str]) -> Path:
    """Return `mvn` on PATH; it is only needed once, to fill the shared jar cache."""
    found = shutil.which("mvn", path=environ.get("PATH", ""))
    if found is None:
        raise Neo4jSetupError(
            "Maven not found: install it (apt-get install maven) or put mvn on PATH; "
            "it downloads the Neo4j jars once"
        )
    return Path(found)


def java_major_version(java: Path) -> int | None:
    """Major version reported by `java -version` (8 for "1.8.0_x"), or None when it cannot be read."""
    try:
        result = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _check_java_version(java: Path) -> None:
    major = java_major_version(java)
    if major is None:
        raise Neo4jSetupError(f"{java} does not run as Java (java -version failed): {JAVA_HINT}")
    if major < MIN_JAVA:
        raise Neo4jSetupError(f"{java} is Java {major}, Neo4j 5.26 needs 17 or 21: {JAVA_HINT}")
