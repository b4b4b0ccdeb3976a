"""One file through the web process: uploaded through the admin, attached to a course, downloaded
by its redirect to S3; the worker's memory around each half."""

import time
import uuid

from bench.large_material import check
from bench.large_material.browser import download, upload
from bench.large_material.memory import hwm_mb, reset_hwm, rss_mb
from bench.large_material.orm import ATTACH, FIND_DOCUMENT, orm
from bench.large_material.pdf import MB


def move(
    session, server, env, endpoint_url, path, size, sha256, pid, sampler, label, download_too=True
):
    """Upload `path`, attach it, download it; the worker's memory around each half."""
    phase = {"label": label, "size_bytes": size}
    rss_before = rss_mb(pid)
    hwm_reset = reset_hwm(pid)
    phase["rss_before_upload_mb"] = round(rss_before, 1)
    title = f"bench material {label} {uuid.uuid4().hex[:8]}"
    t0 = time.monotonic()
    seconds, send_seconds, sent_at, location = upload(session, server.base_url, path, title)
    t1 = time.monotonic()
    phase["upload_seconds"] = round(seconds, 2)
    phase["upload_mb_per_s"] = round(size / MB / seconds, 1)
    phase["upload_body_sent_seconds"] = round(send_seconds, 2)
    phase["upload_after_body_seconds"] = round(seconds - send_seconds, 2)
    phase["upload_redirect"] = location
    phase["peak_upload_mb"] = round(hwm_mb(pid) if hwm_reset else sampler.peak(t0, t1), 1)
    phase["sampled_peak_receiving_body_mb"] = sampler.peak(t0, sent_at)
    phase["sampled_peak_after_body_mb"] = sampler.peak(sent_at, t1)
    phase["rss_after_upload_mb"] = round(rss_mb(pid), 1)

    document = orm(FIND_DOCUMENT.format(title=title), env)
    check(document is not None, f"no document titled {title!r} after the upload")
    check(
        document["file_size"] == size,
        f"the document's file_size is {document['file_size']}, the file has {size} bytes",
    )
    phase["document"] = document
    if not download_too:
        phase["peak_download_mb"] = None
        phase["peak_from"] = "VmHWM (reset before each half)" if hwm_reset else "20 ms samples"
        return phase
    material = orm(ATTACH.format(document_id=document["id"], title=title), env)
    phase["material"] = material

    rss_before = rss_mb(pid)
    hwm_reset = reset_hwm(pid) and hwm_reset
    phase["rss_before_download_mb"] = round(rss_before, 1)
    t2 = time.monotonic()
    status, location, view_ms, seconds = download(
        session, server.base_url, material["id"], endpoint_url, size, sha256
    )
    t3 = time.monotonic()
    phase["download_view_status"] = status
    phase["download_view_ms"] = round(view_ms, 1)
    phase["download_location"] = location.split("?")[0] + "?…"
    phase["download_seconds"] = round(seconds, 2)
    phase["download_mb_per_s"] = round(size / MB / seconds, 1)
    phase["peak_download_mb"] = round(hwm_mb(pid) if hwm_reset else sampler.peak(t2, t3), 1)
    phase["rss_after_download_mb"] = round(rss_mb(pid), 1)
    phase["peak_from"] = "VmHWM (reset before each half)" if hwm_reset else "20 ms samples"
    return phase
