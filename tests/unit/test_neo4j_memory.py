"""The local Neo4j's heap and page cache: sized by NEO4J_HEAP and NEO4J_PAGECACHE, refused when unreadable."""

from __future__ import annotations

import pytest

from graph.neo4j_server import launcher
from graph.neo4j_server.launcher import Neo4jSetupError, server_memory


def test_the_defaults_leave_room_for_a_large_load():
    memory = server_memory({})
    assert (memory.heap_mb, memory.pagecache_mb) == (2048, 1024)
    assert memory.jvm_flags() == ("-Xms512m", "-Xmx2048m")
    conf = launcher._conf_text(7687, memory)
    assert "server.memory.pagecache.size=1024m" in conf
    assert "dbms.memory.transaction.total.max=1024m" in conf


def test_a_machine_of_another_size_chooses_its_own():
    memory = server_memory({"NEO4J_HEAP": "300M", "NEO4J_PAGECACHE": " 6g "})
    assert memory.jvm_flags() == ("-Xms300m", "-Xmx300m")
    assert "server.memory.pagecache.size=6144m" in launcher._conf_text(7687, memory)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("NEO4J_HEAP", "lots", "NEO4J_HEAP='lots': give a size in megabytes or gigabytes"),
    ("NEO4J_PAGECACHE", "1.5g", "NEO4J_PAGECACHE='1.5g'"),
    ("NEO4J_HEAP", "128m", "too small for Neo4j to start"),
])
def test_a_size_that_cannot_be_used_is_refused_by_name(name: str, value: str, says: str):
    with pytest.raises(Neo4jSetupError, match=says.replace("(", r"\(").replace(".", r"\.")):
        server_memory({name: value})
