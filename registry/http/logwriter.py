"""The registry's log lines, formatted once on the request path and written off it.

Litestar's queue handler copies every record, formats it twice (once to freeze it, once
in its listener) and wakes the listener thread for each line: about a fifth of a partner
check's CPU for its one INFO line. ``BatchedLineHandler`` formats a record once, with the
configured formatter (text or JSON lines), appends the line to a queue and returns; a
writer thread wakes a few times a second (or when many lines wait) and writes what has
gathered in one write. Lines are flushed when the handler is flushed or closed (the app's
shutdown, ``logging.shutdown`` at exit), so none is lost on an orderly stop; a killed
process loses at most the last ``interval`` of lines, as a queue listener loses its queue.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import deque
from typing import TextIO

WRITE_INTERVAL = 0.1  # seconds a line may wait for the writer thread
WAKE_AT = 256  # lines waiting that wake the writer at once


class BatchedLineHandler(logging.Handler):
    """Formats each record on the caller's thread; a writer thread writes the lines."""

    def __init__(self, stream: TextIO | None = None, interval: float = WRITE_INTERVAL) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self._lines: deque[str] = deque()
        self._wake = threading.Event()
        self._writing = threading.Lock()
        self._writer: threading.Thread | None = None
        self._stopping = False

    def emit(self, record: logging.LogRecord) -> None:
        """Queue the record's line (the writer thread is started on the first line, and
        again after a ``close``: a reconfigured logging closes handlers it leaves in use)."""
        try:
            self._lines.append(self.format(record))
        except Exception:  # logging's contract: report, never raise
            self.handleError(record)
            return
        writer = self._writer
        if writer is None or not writer.is_alive():
            self._start()
        elif len(self._lines) >= WAKE_AT:
            self._wake.set()

    def _start(self) -> None:
        with self._writing:
            if self._writer is not None and self._writer.is_alive():
                return
            self._stopping = False
            self._writer = threading.Thread(
                target=self._run, name="registry-log-writer", daemon=True
            )
            self._writer.start()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Write every queued line in one write."""
        with self._writing:
            lines = self._lines
            taken = [lines.popleft() for _ in range(len(lines))]
            if not taken:
                return
            try:
                self.stream.write("\n".join(taken) + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed or broken stream: nothing to report to
                pass

    def close(self) -> None:
        """Stop the writer thread and write what is left."""
        writer = self._writer
        self._stopping = True
        self._wake.set()
        if writer is not None and writer is not threading.current_thread():
            writer.join(timeout=2 * self.interval + 1.0)
        self.flush()
        super().close()


__all__ = ["BatchedLineHandler"]
