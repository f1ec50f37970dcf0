"""The adapted TinyDB behaves like stock TinyDB, but a single-document write does not walk the table."""
from __future__ import annotations

from typing import Any

import pytest
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from pysync_web.store.tinydb_tables import InMemoryStorage, LibraryTinyDB


class CountingDict(dict):
    """A table dict that counts how often something walks over all its keys."""

    walks = 0

    def __iter__(self):
        CountingDict.walks += 1
        return super().__iter__()

    def keys(self):
        CountingDict.walks += 1
        return super().keys()

    def items(self):
        CountingDict.walks += 1
        return super().items()

    def values(self):
        CountingDict.walks += 1
        return super().values()


def ours() -> tuple[LibraryTinyDB, list[int]]:
    writes: list[int] = []
    return LibraryTinyDB(storage=InMemoryStorage, on_write=lambda: writes.append(1)), writes


def exercise(db: TinyDB) -> list[Any]:
    """Every TinyDB write path; returns what the calls returned."""
    table, item = db.table("t"), Query()
    return [
        table.insert({"n": 1, "tag": "a"}),
        table.insert_multiple([{"n": n, "tag": "b"} for n in range(2, 6)]),
        table.insert(Document({"n": 10}, doc_id=10)),
        table.update({"tag": "c"}, item.n > 3),
        table.update({"tag": "d"}, doc_ids=[1, 99]),
        table.update(lambda doc: doc.update(seen=True)),
        table.upsert({"n": 7, "tag": "e"}, item.n == 7),
        table.upsert(Document({"tag": "f"}, doc_id=2)),
        table.remove(item.tag == "b"),
        table.remove(doc_ids=[10, 98]),
        table.insert({"n": 11}),
        table.search(item.tag == "c"),
        table.get(doc_id=1),
        table.contains(doc_id=2),
        len(table),
    ]


def test_every_tinydb_write_gives_the_same_result_as_stock_tinydb() -> None:
    stock = TinyDB(storage=MemoryStorage)
    adapted, _ = ours()
    assert exercise(adapted) == exercise(stock)
    assert adapted.storage.read() == stock.storage.read()
    adapted.table("t").truncate()
    assert adapted.storage.read() == {"t": {}}


def test_single_document_writes_do_not_walk_the_table() -> None:
    db, _ = ours()
    table = db.table("t")
    table.insert_multiple({"n": n} for n in range(1000))
    table.insert({"n": -1})  # TinyDB finds the next id once, by looking at every key
    db.storage.data["t"] = CountingDict(db.storage.data["t"])
    CountingDict.walks = 0

    table.insert({"n": 1000})
    table.update({"n": 0}, doc_ids=[5])
    table.update_documents({6: {"n": 0}})
    table.remove(doc_ids=[7])
    table.get(doc_id=8)

    assert CountingDict.walks == 0


def test_every_write_is_reported_even_a_failed_one() -> None:
    db, writes = ours()
    table = db.table("t")
    table.insert({"n": 1})
    with pytest.raises(ValueError):
        table.insert_multiple([{"n": 2}, "not a document"])
    assert len(writes) == 2
    assert len(table) == 2  # the edit made before the failure stays, and the save will include it


def test_update_documents_merges_fields_and_keeps_others() -> None:
    db, writes = ours()
    table = db.table("t")
    table.insert_multiple([{"a": 1, "keep": True}, {"a": 2}])
    table.update_documents({1: {"a": 10}, 2: {"a": 20, "b": 1}})
    assert dict(table.get(doc_id=1)) == {"a": 10, "keep": True}
    assert dict(table.get(doc_id=2)) == {"a": 20, "b": 1}
    assert len(writes) == 2


def test_update_documents_changes_nothing_when_one_is_missing() -> None:
    db, writes = ours()
    table = db.table("t")
    table.insert({"a": 1})
    with pytest.raises(KeyError, match="3"):
        table.update_documents({1: {"a": 10}, 3: {"a": 30}})
    assert dict(table.get(doc_id=1)) == {"a": 1}
    assert len(writes) == 1


def test_documents_lists_ids_and_stored_documents() -> None:
    db, _ = ours()
    table = db.table("t")
    table.insert_multiple([{"a": 1}, {"a": 2}])
    assert list(table.documents()) == [(1, {"a": 1}), (2, {"a": 2})]
