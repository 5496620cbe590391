"""A content hash of the manifest and every file it names (and of what else a sync reads: the portal's
staff lists): the sensor's run key."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sources import load_manifest


def source_files_fingerprint(manifest: Path, also: str = "") -> str:
    """``also``: a stamp of the sources that are not files of the manifest (PortalStore.change_stamp)."""
    digest = hashlib.sha256(manifest.read_bytes())
    digest.update(also.encode())
    for spec in load_manifest(manifest):
        digest.update(spec.name.encode())
        if spec.problem is None and spec.path.is_file():  # never open a path the manifest may not name
            hash_file_into(digest, spec.path)
        else:
            digest.update(b"<missing>")
    return digest.hexdigest()


def hash_file_into(digest: hashlib._Hash, path: Path) -> None:
    """Add the bytes of ``path`` to ``digest``, a megabyte at a time."""
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
