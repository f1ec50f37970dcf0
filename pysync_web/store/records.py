"""Typed access to one table: model dataclasses in, model dataclasses out.

Documents hold JSON types only: datetimes as ISO-8601 strings, dates as YYYY-MM-DD, enums as their
values. A document's TinyDB id is the model's `id` and is not stored inside it. Unknown keys are
ignored on read and kept on update, and missing keys take the model's default, so files written by
an older or newer version of the app stay readable.
"""
from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, Generic, Protocol, TypeVar, Union, get_args, get_origin, get_type_hints

from pysync_web.store.database import Database
from pysync_web.store.tinydb_tables import Document, LibraryTable


class Record(Protocol):
    id: int | None


R = TypeVar("R", bound=Record)
T = TypeVar("T")
Convert = Callable[[Any], Any]
DocumentFilter = Callable[[Mapping[str, Any]], bool]


@dataclasses.dataclass(frozen=True)
class _FieldCodec:
    name: str
    encode: Convert
    decode: Convert


def _none_passing(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _codec_for(name: str, hint: Any) -> _FieldCodec | None:
    """How one field is stored; None when its value is already a JSON type and is stored as is."""
    encode: Convert
    decode: Convert
    args = get_args(hint)
    if get_origin(hint) in (Union, types.UnionType) and type(None) in args:
        (hint,) = [arg for arg in args if arg is not type(None)]
    if hint is datetime:  # before `date`: datetime is a date subclass
        encode, decode = datetime.isoformat, datetime.fromisoformat
    elif hint is date:
        encode, decode = date.isoformat, date.fromisoformat
    elif isinstance(hint, type) and issubclass(hint, Enum):
        encode, decode = (lambda member: member.value), hint
    elif get_origin(hint) is list:  # copied both ways so no caller shares a list with the store
        encode = decode = list
    else:
        return None
    return _FieldCodec(name, _none_passing(encode), _none_passing(decode))


@cache
def _codecs(record_type: type) -> tuple[tuple[str, ...], tuple[_FieldCodec, ...]]:
    """(fields stored as is, fields that need converting) of a model, without `id`."""
    hints = get_type_hints(record_type)
    plain: list[str] = []
    converted: list[_FieldCodec] = []
    for field in dataclasses.fields(record_type):
        if field.name == "id":
            continue
        codec = _codec_for(field.name, hints[field.name])
        if codec is None:
            plain.append(field.name)
        else:
            converted.append(codec)
    return tuple(plain), tuple(converted)


def to_document(record: Record) -> Document:
    plain, converted = _codecs(type(record))
    doc = {name: getattr(record, name) for name in plain}
    for codec in converted:
        doc[codec.name] = codec.encode(getattr(record, codec.name))
    return doc


def from_document(record_type: type[R], doc_id: int, doc: Mapping[str, Any]) -> R:
    plain, converted = _codecs(record_type)
    values = {name: doc[name] for name in plain if name in doc}
    for codec in converted:
        if codec.name in doc:
            values[codec.name] = codec.decode(doc[codec.name])
    construct: Callable[..., R] = record_type
    return construct(id=doc_id, **values)


class RecordTable(Generic[R]):
    """One table as a collection of one model type; every method holds the database lock."""

    def __init__(self, db: Database, table_name: str, record_type: type[R]) -> None:
        self._db = db
        self._table_name = table_name
        self._type = record_type

    @property
    def _table(self) -> LibraryTable:
        return self._db.table(self._table_name)

    def add_many(self, records: Iterable[R]) -> list[R]:
        """Insert with one write and set each record's `id`; returns the same objects."""
        records = list(records)
        if any(record.id is not None for record in records):
            raise ValueError(f"only new records (id None) can be added to {self._table_name}")
        if not records:  # every write schedules a save; skip the empty ones a sync often makes
            return records
        docs = [to_document(record) for record in records]
        with self._db.lock:
            doc_ids = self._table.insert_multiple(docs)
        for record, doc_id in zip(records, doc_ids, strict=True):
            record.id = doc_id
        return records

    def get(self, record_id: int) -> R | None:
        with self._db.lock:
            doc = self._table.get(doc_id=record_id)
            return None if doc is None else from_document(self._type, record_id, doc)

    def get_many(self, record_ids: Iterable[int]) -> dict[int, R]:
        with self._db.lock:
            table = self._table
            found = {record_id: table.get(doc_id=record_id) for record_id in set(record_ids)}
            return {
                record_id: from_document(self._type, record_id, doc)
                for record_id, doc in found.items()
                if doc is not None
            }

    def where(self, matches: DocumentFilter | None = None) -> list[R]:
        """Records whose stored document passes `matches` (all without it), in id order.

        Filtering the raw documents first means only the matches pay for conversion.
        """
        with self._db.lock:
            return [
                from_document(self._type, doc_id, doc)
                for doc_id, doc in self._table.documents()
                if matches is None or matches(doc)
            ]

    def project(self, value_of: Callable[[Mapping[str, Any]], T], matches: DocumentFilter) -> list[T]:
        """`value_of(document)` for each stored document that passes `matches`, without conversion."""
        with self._db.lock:
            return [value_of(doc) for _, doc in self._table.documents() if matches(doc)]

    def ids_where(self, matches: DocumentFilter) -> list[int]:
        """Ids of the stored documents that pass `matches`, without conversion."""
        with self._db.lock:
            return [doc_id for doc_id, doc in self._table.documents() if matches(doc)]

    def update_many(self, records: Iterable[R]) -> None:
        """Save changed records with one write; KeyError, changing nothing, if any is not stored."""
        changes: dict[int, Document] = {}
        for record in records:
            if record.id is None:
                raise ValueError(f"a record without id cannot be updated in {self._table_name}")
            changes[record.id] = to_document(record)
        if not changes:
            return
        with self._db.lock:
            self._table.update_documents(changes)

    def remove_many(self, record_ids: Iterable[int]) -> list[int]:
        """Remove with one write; returns the ids that existed."""
        record_ids = list(record_ids)
        if not record_ids:
            return []
        with self._db.lock:
            return self._table.remove(doc_ids=record_ids)

    def remove_where(self, matches: DocumentFilter) -> list[int]:
        """Remove the records whose stored document passes `matches`; returns their ids."""
        with self._db.lock:
            return self.remove_many(self.ids_where(matches))
