"""A tiny SMTP server for the fault drills: accepts every message, keeps who it was for, and can
be slow to greet (a sluggish mail relay), so a worker can be killed while it waits.

A message counts as delivered once the sink has answered `250` to its final `.`; a client that
died before that delivered nothing, as with any SMTP server. Runs in a thread of the drill's
own process on a free loopback port.
"""

import contextlib
import socket
import threading
import time
from email import message_from_bytes


class SmtpSink:
    def __init__(self):
        self.delivered = []  # (recipients, subject, monotonic time)
        self.greet_delay = 0.0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True, name="smtp-sink")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._listener.close()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def recipients(self):
        """How many messages each address received."""
        counts = {}
        with self._lock:
            for to, _subject, _when in self.delivered:
                for address in to:
                    counts[address] = counts.get(address, 0) + 1
        return counts

    def count(self):
        with self._lock:
            return len(self.delivered)

    def _accept(self):
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with contextlib.suppress(OSError), conn:
            conn.settimeout(30)
            if self.greet_delay:
                time.sleep(self.greet_delay)
            conn.sendall(b"220 sink ESMTP\r\n")
            reader = conn.makefile("rb")
            recipients = []
            while True:
                line = reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-sink\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    conn.sendall(b"250 ok\r\n")
                elif verb == b"RCPT":
                    address = line.split(b":", 1)[1].strip().strip(b"<>").decode()
                    recipients.append(address.split(">")[0])
                    conn.sendall(b"250 ok\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    body = bytearray()
                    while True:
                        chunk = reader.readline()
                        if not chunk:
                            return  # the client went away: nothing delivered
                        if chunk in (b".\r\n", b".\n"):
                            break
                        body += chunk
                    conn.sendall(b"250 queued\r\n")
                    subject = message_from_bytes(bytes(body)).get("Subject", "")
                    with self._lock:
                        self.delivered.append((tuple(recipients), subject, time.monotonic()))
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # RSET, NOOP, anything else
                    conn.sendall(b"250 ok\r\n")
