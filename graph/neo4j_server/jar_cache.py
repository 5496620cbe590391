"""The Neo4j server jars, downloaded once with Maven into a cache shared by every stakeholders home."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from pathlib import Path

from graph.neo4j_server.process import exclusive_lock
from graph.neo4j_server.toolchain import Neo4jSetupError, find_maven

POM = Path(__file__).with_name("pom.xml")
_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}
# Without the storage engine (a runtime-scoped dependency) the server starts but cannot open any database.
STORAGE_ENGINE_GLOB = "neo4j-record-storage-engine-*.jar"
MARKER_NAME = "lib.complete"


@functools.cache
def neo4j_version() -> str:
    """The Neo4j version pinned in pom.xml, so the pom stays the single place to change it."""
    version = ElementTree.parse(POM).getroot().findtext("m:properties/m:neo4j.version", namespaces=_POM_NS)
    if not version:
        raise Neo4jSetupError(f"{POM} has no <neo4j.version> property")
    return version.strip()


def version_dir(environ: Mapping[str, str]) -> Path:
    """`<root>/neo4j-<version>`: root is STAKEHOLDERS_NEO4J_CACHE or `$XDG_CACHE_HOME/stakeholder-graph`."""
    root = environ.get("STAKEHOLDERS_NEO4J_CACHE")
    if not root:
        xdg = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
        root = str(Path(xdg) / "stakeholder-graph")
    # Versioned so that bumping the pom never mixes jars of two releases on one classpath.
    return Path(root).expanduser() / f"neo4j-{neo4j_version()}"


def jar_dir(environ: Mapping[str, str]) -> Path:
    """Where the jars live (complete or not)."""
    return version_dir(environ) / "lib"


def marker_path(environ: Mapping[str, str]) -> Path:
    """The file whose presence says the jar directory is complete."""
    return version_dir(environ) / MARKER_NAME


def is_complete(environ: Mapping[str, str]) -> bool:
    """True when the jars were fully downloaded and still hold the storage engine."""
    return marker_path(environ).is_file() and any(jar_dir(environ).glob(STORAGE_ENGINE_GLOB))


def ensure_jars(environ: Mapping[str, str], progress: Callable[[str], None]) -> Path:
    """Return the jar directory, downloading it with Maven first unless a complete copy is cached."""
    if is_complete(environ):
        return jar_dir(environ)
    target = version_dir(environ)
    target.mkdir(parents=True, exist_ok=True)
    waiting = functools.partial(progress, "Another process is downloading the Neo4j jars; waiting for it")
    with exclusive_lock(target / "download.lock", on_wait=waiting):
        # Another process may have finished the download while we waited for the lock.
        if not is_complete(environ):
            _download(environ, target, progress)
    return jar_dir(environ)


def _download(environ: Mapping[str, str], target: Path, progress: Callable[[str], None]) -> None:
    mvn = find_maven(environ)
    lib = target / "lib"
    log = target / "mvn.log"
    progress(f"Downloading Neo4j {neo4j_version()} jars with Maven into {lib} (one-off, about 125 MB)")
    started = time.monotonic()
    # A temp dir beside the final one: a crash never leaves a half-filled lib/, and rename stays atomic.
    staging = Path(tempfile.mkdtemp(prefix="lib.partial-", dir=target))
    try:
        command = [str(mvn), "-B", "-q", "-f", str(POM), "dependency:copy-dependencies"]
        command += ["-DincludeScope=runtime", f"-DoutputDirectory={staging}"]
        with open(log, "w") as out:
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=dict(environ)).returncode
        if code != 0:
            raise Neo4jSetupError(f"Maven could not fetch Neo4j {neo4j_version()} (exit {code}); read {log}")
        if not any(staging.glob(STORAGE_ENGINE_GLOB)):
            raise Neo4jSetupError(f"Maven fetched no {STORAGE_ENGINE_GLOB} into {staging}; read {log}")
        if lib.exists():
            shutil.rmtree(lib)  # an earlier copy without a marker: incomplete or tampered with
        os.rename(staging, lib)
        _write_marker(target / MARKER_NAME, lib)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    progress(f"Neo4j jars ready in {time.monotonic() - started:.0f} s")


def _write_marker(marker: Path, lib: Path) -> None:
    jars = sorted(path.name for path in lib.glob("*.jar"))
    body = {"neo4j_version": neo4j_version(), "jar_count": len(jars), "completed_at": time.time()}
    partial = marker.with_suffix(".tmp")
    partial.write_text(json.dumps(body, indent=2) + "\n")
    os.replace(partial, marker)
