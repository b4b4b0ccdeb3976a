"""The material benchmark's figures (the growth of the worker's peak memory against the bar) and
its report on the terminal."""

from bench.large_material.pdf import MB

BAR_MB = 50


def add_growth(results, phase, baseline):
    """The growth of the peak over the baseline (the RSS after the warm-up), and the verdict."""
    peak = max(phase["peak_upload_mb"], phase["peak_download_mb"] or 0)
    growth = peak - baseline
    results["peak_growth_mb"] = round(growth, 1)
    results["growth_upload_mb"] = round(phase["peak_upload_mb"] - baseline, 1)
    if phase["peak_download_mb"] is not None:
        results["growth_download_mb"] = round(phase["peak_download_mb"] - baseline, 1)
    if "warmup" in results:
        cold = results["rss_after_admin_warmup_mb"]
        results["peak_growth_from_before_warmup_upload_mb"] = round(peak - cold, 1)
    results["met"] = growth < BAR_MB


def print_report(results):
    print()
    if "failure" in results:
        print(f"FAILED: {results['failure']}")
    phase = results.get("material")
    if not phase:
        return
    mb = phase["size_bytes"] / MB
    lines = [
        ("file", f"{phase['size_bytes']:,} bytes ({mb:.0f} MiB), PDF, SHA-256 checked"),
        (
            "upload",
            f"{phase['upload_seconds']:.1f} s, {phase['upload_mb_per_s']:.1f} MB/s "
            f"(body sent in {phase['upload_body_sent_seconds']:.1f} s, then "
            f"{phase['upload_after_body_seconds']:.1f} s until the answer: checks, hashing, "
            "S3 upload)",
        ),
    ]
    if phase.get("download_view_status"):
        lines.append(
            (
                "download",
                f"view {phase['download_view_ms']:.0f} ms ({phase['download_view_status']} to "
                f"{phase['download_location']}), S3 {phase['download_seconds']:.1f} s, "
                f"{phase['download_mb_per_s']:.1f} MB/s",
            )
        )
    lines += [
        ("worker RSS at start", f"{results['worker_rss_at_start_mb']:.1f} MB"),
        ("after admin warm-up", f"{results['rss_after_admin_warmup_mb']:.1f} MB"),
    ]
    warm = results.get("warmup")
    if warm:
        lines.append(
            (
                f"{warm['label']} upload",
                f"peak {warm['peak_upload_mb']:.1f} MB (+"
                f"{warm['peak_upload_mb'] - warm['rss_before_upload_mb']:.1f}: first upload's "
                "imports, S3 client, transfer threads), download peak "
                f"{warm['peak_download_mb']} MB",
            )
        )
    lines += [
        ("baseline RSS", f"{results['baseline_rss_mb']:.1f} MB"),
        (
            "peak RSS, upload",
            f"{phase['peak_upload_mb']:.1f} MB (+{results['growth_upload_mb']:.1f}); sampled: "
            f"{phase['sampled_peak_receiving_body_mb']} MB receiving the body, "
            f"{phase['sampled_peak_after_body_mb']} MB after it",
        ),
        (
            "peak RSS, download",
            f"{phase['peak_download_mb']} MB (+{results.get('growth_download_mb')} on the "
            f"baseline; +{phase['peak_download_mb'] - phase['rss_before_download_mb']:.1f} on "
            f"the {phase['rss_before_download_mb']} MB the upload left)"
            if phase["peak_download_mb"] is not None
            else "not measured (--upload-only)",
        ),
        ("peak from", phase["peak_from"]),
        ("growth", f"{results['peak_growth_mb']:.1f} MB"),
    ]
    if "peak_growth_from_before_warmup_upload_mb" in results:
        lines.append(
            (
                "growth incl. first upload",
                f"{results['peak_growth_from_before_warmup_upload_mb']:.1f} MB (from the RSS "
                "before the warm-up upload)",
            )
        )
    document = phase["document"]
    lines.append(
        (
            "document",
            f"id {document['id']}, {document['file']}, metadata task ran: "
            f"{'yes' if document['checked_at'] else 'no'}",
        )
    )
    lines.append(("Celery broker", results["settings"]["celery_broker"]))
    if "celery_tasks_queued" in results:
        lines.append(
            (
                "tasks queued",
                ", ".join(results["celery_tasks_queued"]) or "none",
            )
        )
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    verdict = "PASS" if results["met"] else "FAIL"
    print(
        f"\nbar: growth of the worker's peak memory < {results['bar_mb']} MB while moving "
        f"{mb:.0f} MiB: {verdict} ({results['peak_growth_mb']:.1f} MB)"
    )
