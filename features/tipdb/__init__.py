"""The shared trafficking database: tables, migrations, loader, point-in-time queries, snapshot.

Exceptions: :class:`LoadError` (a rejected import file, carrying :class:`LineError` items).
See ``docs/database.md``.
"""

from mizugiwa.db.engine import make_engine, make_sessionmaker, session_scope
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.tipdb.loader import LineError, LoadError, LoadReport, load_file, load_files
from mizugiwa.features.tipdb.snapshot import Snapshot

__all__ = [
    "LineError",
    "LoadError",
    "LoadReport",
    "Snapshot",
    "load_file",
    "load_files",
    "make_engine",
    "make_sessionmaker",
    "session_scope",
    "upgrade",
]
