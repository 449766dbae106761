"""Who writes a sync's pages: the reading thread itself, or writer threads with connections of their own.

On PostgreSQL a page's upsert is bound by the server's index maintenance, one core per connection.
Writer threads let the next page be read over HTTP while this one is written, and let two pages be
written at once (SYNC_WRITERS). Each page is still its own transaction, so nothing about what a crash
can leave behind changes. SQLite takes one writer at a time, so there the reading thread writes.
"""
import queue
import threading
from typing import Callable

from flask import current_app

from app.extensions import db
from app.platforms.megaphone.client import CampaignPage

_STOP = object()


class InlineWriter:
    """Writes each page as it is handed over, in the calling thread."""

    def __init__(self, write: Callable[[CampaignPage], None]):
        self.write = write

    def submit(self, page: CampaignPage) -> None:
        self.write(page)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


class ThreadedWriters:
    """`count` threads, each in its own app context (so its own session and connection), taking pages
    from a short queue; leaving the block waits until every page handed over has been written.

    The first writer error stops the reading at its next page and is raised in the reading thread;
    pages still queued behind it are dropped (the run fails, and the next sync reads them again).
    """

    def __init__(self, write: Callable[[CampaignPage], None], count: int):
        self.write, self.count = write, count
        self.pages: queue.Queue = queue.Queue(maxsize=count)  # reading stays at most a few pages ahead
        self.error: BaseException | None = None
        app = current_app._get_current_object()
        self.threads = [threading.Thread(target=self._work, args=(app,), name=f"sync-writer-{n}", daemon=True)
                        for n in range(count)]

    def submit(self, page: CampaignPage) -> None:
        self._raise_error()
        self.pages.put(page)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        for _ in self.threads:
            self.pages.put(_STOP)
        for thread in self.threads:
            thread.join()
        if exc is None:  # a reading error wins: it is what stopped the run
            self._raise_error()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def _work(self, app) -> None:
        with app.app_context():
            while (page := self.pages.get()) is not _STOP:
                if self.error is not None:
                    continue  # drain, so the reading thread never blocks on a full queue
                try:
                    self.write(page)
                except BaseException as error:  # handed to the reading thread, which logs or reports it
                    db.session.rollback()
                    self.error = self.error or error


def page_writers(write: Callable[[CampaignPage], None], writers: int):
    """The writer for this database: threads on PostgreSQL, the calling thread on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return ThreadedWriters(write, writers)
    return InlineWriter(write)
