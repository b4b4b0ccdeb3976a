"""Count a PDF's pages in a child process with bounded memory and CPU time.

pypdf builds every page object to count them: a crafted 10 MB PDF (a page tree of 100,000
empty pages) costs it 12 s and 300 MB, and worse files exist. So the Celery task never parses
a PDF itself: `count_pages(path)` runs this file as a script in a fresh interpreter (no
Django), which limits its own address space (`memory_mb` beyond what the interpreter and pypdf
take once imported) and CPU time, reads the file and prints the page count. A child that runs
out of memory, time (the CPU limit, or the wall-clock timeout of the parent, which kills it) or
fails to read the file gives None: the document is recorded with its size and hash but no page
count.
"""

import json
import logging
import resource
import subprocess
import sys

logger = logging.getLogger("jazari.materials")


def count_pages(path, *, memory_mb: int, cpu_seconds: int) -> int | None:
    """Pages of the PDF at `path`, or None (unreadable, encrypted, over a limit)."""
    command = [sys.executable, "-I", __file__, str(path), str(memory_mb), str(cpu_seconds)]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=cpu_seconds * 2 + 5, check=False
        )
    except subprocess.TimeoutExpired:
        logger.warning("PDF page count stopped after %ss: %s", cpu_seconds * 2 + 5, path)
        return None
    if done.returncode != 0:
        logger.warning("PDF page count failed (exit %s): %s", done.returncode, done.stderr[-300:])
        return None
    result = json.loads(done.stdout or b"null")
    return result if isinstance(result, int) and result >= 0 else None


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _main(path, memory_mb, cpu_seconds):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    limit = _address_space() + int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 1))
    try:
        reader = PdfReader(path)
        pages = None if reader.is_encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, OSError, RecursionError, MemoryError) as exc:
        print(f"could not count the pages: {exc!r}", file=sys.stderr)
        pages = None
    print(json.dumps(pages))


if __name__ == "__main__":
    _main(*sys.argv[1:4])
