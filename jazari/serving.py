"""Handing a stored file (a document, a certificate's PDF) to someone allowed to have it.

On S3-compatible storage the answer is a 302 to a presigned URL that expires within five
minutes and makes the storage send the file as an attachment under its own name: the bytes
never pass through the web process, and no object is ever readable without a fresh signature.
On the local media folder (the embedded default) Django streams the file from disk in small
blocks; MEDIA_URL is served only in DEBUG, so material has no public URL there either.
"""

from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from jazari.storage import PRESIGNED_URL_SECONDS


def presigned_url(file, *, filename, content_type):
    """A presigned GET URL of `file` as an attachment, or None if the storage can't sign.

    Signing is computed locally (no request to the storage).
    """
    storage = file.storage
    if not getattr(storage, "querystring_auth", False) or not hasattr(storage, "bucket_name"):
        return None
    expire = min(storage.querystring_expire or PRESIGNED_URL_SECONDS, PRESIGNED_URL_SECONDS)
    return storage.url(
        file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
        },
        expire=expire,
    )


def file_response(file, *, filename, content_type):
    """The response that hands a stored file over: a presigned redirect or a streamed file."""
    url = presigned_url(file, filename=filename, content_type=content_type)
    if url is not None:
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            file.storage.open(file.name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
        response["Content-Security-Policy"] = "default-src 'none'"
        response["X-Content-Type-Options"] = "nosniff"
    # The redirect carries a short-lived signature and the file is personal: keep neither.
    add_never_cache_headers(response)
    return response
