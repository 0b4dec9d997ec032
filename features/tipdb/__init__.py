"""The shared trafficking database: tables, migrations, loader, point-in-time queries, snapshot.

Exceptions: :class:`LoadError` (a rejected import file, carrying :class:`LineError` items).
See ``docs/database.md``.
"""

from features.tipdb.engine import make_engine, make_sessionmaker, session_scope
from features.tipdb.loader import LineError, LoadError, LoadReport, load_file, load_files
from features.tipdb.migrate import upgrade
from features.tipdb.snapshot import Snapshot

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
