"""TinyDB, adapted so a write to one document costs O(1) instead of O(table).

Stock TinyDB 4 pays twice per write: its JSONStorage rewrites the file, and `Table._update_table`
rebuilds the whole table with int keys for the updater and again with str keys afterwards. Here the
storage is a dict in memory (the Database saves it), and the updater gets an int-keyed *view* over
the table's own str-keyed dict, so TinyDB's insert/update/remove code runs unchanged on the raw data.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

Document = dict[str, Any]


class InMemoryStorage(Storage):
    """read() hands out the live dict; write() only reports that memory is now ahead of the file."""

    def __init__(self, on_write: Callable[[], None]) -> None:
        self.data: dict[str, dict[str, Document]] = {}
        self._on_write = on_write

    def read(self) -> dict[str, dict[str, Document]]:
        return self.data

    def write(self, data: dict[str, dict[str, Document]]) -> None:
        self.data = data
        self._on_write()


class _IntKeyedView(MutableMapping[int, Document]):
    """What TinyDB's updaters expect (int doc ids) over what JSON stores (str doc ids), without a copy."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, Document]) -> None:
        self._raw = raw

    def __getitem__(self, doc_id: int) -> Document:
        return self._raw[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: Document) -> None:
        self._raw[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:  # MutableMapping's default pops one key at a time
        self._raw.clear()


class LibraryTable(Table):
    """A TinyDB table whose updates edit the stored documents in place.

    Unlike stock TinyDB, an updater that fails halfway leaves its earlier edits in memory (there is no
    copy to drop). Repositories therefore validate before they write, and multi-step changes that
    must be all-or-nothing run inside `Database.transaction()`, which restores the saved state.
    """

    # TinyDB annotates the updater's argument as a dict, but its updaters only use mapping methods.
    def _update_table(  # type: ignore[override]
        self, updater: Callable[[MutableMapping[int, Document]], None]
    ) -> None:
        storage = cast(InMemoryStorage, self._storage)
        tables = storage.read()
        try:
            updater(_IntKeyedView(tables.setdefault(self.name, {})))
        finally:
            # Even after a failure memory may have changed, and the file must follow memory.
            storage.write(tables)
            self.clear_cache()

    def documents(self) -> Iterator[tuple[int, Mapping[str, Any]]]:
        """(doc id, stored document) pairs without copying; callers must only read them."""
        return ((int(doc_id), doc) for doc_id, doc in self._read_table().items())

    def update_documents(self, changes: Mapping[int, Document]) -> None:
        """Merge fields into several documents with one write; KeyError, changing nothing, if any is
        missing. Keys a document has and `changes` lacks are kept (a newer app version may own them)."""
        stored = self._read_table()
        missing = [doc_id for doc_id in changes if str(doc_id) not in stored]
        if missing:
            raise KeyError(f"no documents {missing} in table {self.name!r}")

        def merge(table: MutableMapping[int, Document]) -> None:
            for doc_id, fields in changes.items():
                table[doc_id].update(fields)

        self._update_table(merge)


class LibraryTinyDB(TinyDB):
    table_class = LibraryTable
