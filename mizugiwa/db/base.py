"""The declarative base of every Mizugiwa table: the trafficking database's and the service's.

One ``Base`` and one linear migration history (``mizugiwa/db/migrations``) for the whole
database, at the bottom of the layers so that ``features.tipdb`` and ``service`` both add their
tables to it without importing each other.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every Mizugiwa table ."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}
