"""Calling `/api/v1/` in tests: in process through DRF's `APIClient`, or over real HTTP.

Both speak the same few methods and return responses read the same way (`status_code`,
`headers`, `json()`, `text`), so a test reads alike whichever it uses.

- `InProcessApi`, the default: the whole Django stack (middleware, URL routing, DRF's parsers,
  authentication, throttles and error handler) inside the test's transaction, no server.
- `HttpApi`: `requests` against pytest-django's `live_server`, for the journeys where the
  socket matters: a request served by another thread on its own connection, commits between
  requests, a lock held by another transaction. Such tests need `transaction=True`.
"""

import json as jsonlib
from urllib.parse import urlencode

import requests
from rest_framework.test import APIClient

PREFIX = "/api/v1/"


class Api:
    """What the tests call; subclasses only send the request."""

    base_url = ""

    def url(self, path, **params):
        """The absolute URL of `path` under `/api/v1/` (or `path` itself when absolute)."""
        url = path if "://" in path else f"{self.base_url}{PREFIX}{path}"
        return f"{url}?{urlencode(params, doseq=True)}" if params else url

    def call(self, method, path, *, token=None, params=None, json=None, data=None, headers=None):
        """One request. `json` is sent as JSON; `data` as given (bytes or text, with the
        Content-Type of `headers`) or, for a dict, form-encoded, as `requests` does."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        content_type = headers.pop("Content-Type", None)
        body = None
        if json is not None:
            body, content_type = jsonlib.dumps(json), "application/json"
        elif isinstance(data, dict):
            body, content_type = urlencode(data), "application/x-www-form-urlencoded"
        elif data is not None:
            body = data
        return self.send(method, self.url(path, **(params or {})), headers, body, content_type)

    def get(self, path, params=None, **kwargs):
        return self.call("GET", path, params=params, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    # The calls of a partner's enrolment journey.

    def token(self, username, password="pw"):
        response = self.post("auth/token/", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def enrol(self, session, token):
        return self.post(f"sessions/{session.pk}/enrol/", token=token)

    def my_enrolments(self, token, **params):
        response = self.get("me/enrolments/", params, token=token)
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, method, url, headers, body, content_type):
        raise NotImplementedError

    def close(self):
        pass


class InProcessApi(Api):
    """Requests handled in the test's own thread and transaction, by DRF's `APIClient`."""

    base_url = "http://testserver"

    def __init__(self):
        self.client = APIClient()

    def send(self, method, url, headers, body, content_type):
        if body is None:
            return self.client.generic(method, url, content_type=None, headers=headers)
        return self.client.generic(
            method, url, data=body, content_type=content_type or "", headers=headers
        )


class HttpApi(Api):
    """Requests over a socket to the live server, with `requests`."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.http = requests.Session()

    def send(self, method, url, headers, body, content_type):
        if content_type:
            headers["Content-Type"] = content_type
        return self.http.request(method, url, headers=headers, data=body, timeout=30)

    def close(self):
        self.http.close()  # while the live server still shares its database connection
