"""A small LRU of validated visa applications, keyed by application id."""

from __future__ import annotations

import threading
from collections import OrderedDict

from features.records import VisaApplication


class ApplicationCache:
    """Recently stored applications by id, so that an entry's lookup rarely hits the database."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._items: OrderedDict[str, VisaApplication] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> VisaApplication | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, application: VisaApplication) -> None:
        with self._lock:
            self._items[application.application_id] = application
            self._items.move_to_end(application.application_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
