"""The rules every request passes before it reaches the page.

- Only ``Host: 127.0.0.1:PORT`` or ``localhost:PORT`` (no DNS rebinding).
- A key: the address the server prints carries ``?key=…``; the first visit swaps
  it for an HttpOnly, SameSite=Strict cookie holding another secret and
  redirects to the bare address, so the key leaves the address bar. The key
  works once: an address seen by someone else (in a browser's command line, say)
  opens nothing. Any request without the cookie gets 403: another user of the
  same computer cannot reach the page.
- A request that changes anything (POST) must come from the page itself:
  ``Sec-Fetch-Site: same-origin``, or failing that an ``Origin`` of this server.
- Every response: a strict Content-Security-Policy (files from this server
  only, no inline script or style), ``Cache-Control: no-store``, nosniff, no
  referrer, no framing.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "timelines_key"
KEY_PARAMETER = "key"
SAFE_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = ("GET", "HEAD", "POST")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
NO_KEY = (
    "This page needs the address that `timelines serve` printed (it holds a key). "
    "Open that address, or start timelines serve again."
)
USED_KEY = (
    "This address has been opened already, and it works once. Go back to the tab it"
    " opened, or start timelines serve again for a new address."
)


def new_key() -> str:
    return secrets.token_urlsafe(32)


class Guard:
    """ASGI middleware applying the rules above; ``last_request`` is for the idle timer."""

    def __init__(self, app: ASGIApp, key: str, port: int | Callable[[], int]):
        self.app = app
        self.key = key
        self.key_used = False
        self.cookie = secrets.token_urlsafe(32)  # what the browser holds once the key is used
        self._port = port
        self.last_request = time.monotonic()

    @property
    def port(self) -> int:
        return self._port() if callable(self._port) else self._port

    def hosts(self) -> tuple[str, ...]:
        return (f"127.0.0.1:{self.port}", f"localhost:{self.port}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.last_request = time.monotonic()
        refusal = self.refusal(scope)
        send = _with_headers(send)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> Response | None:
        """The response that refuses this request, or None to let it through."""
        headers = Headers(scope=scope)
        if headers.get("host", "") not in self.hosts():
            return _refuse("This page is only served at 127.0.0.1 or localhost.")
        if scope["method"] not in ALLOWED_METHODS:
            return PlainTextResponse("Method not allowed.", status_code=405)
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(KEY_PARAMETER)
        has_cookie = secrets.compare_digest(_cookie(headers).encode(), self.cookie.encode())
        if given and scope["method"] in SAFE_METHODS:
            return self._swap(given[0], scope, has_cookie)
        if not has_cookie:
            return _refuse(NO_KEY)
        if scope["method"] not in SAFE_METHODS and not self._same_origin(headers):
            return _refuse("Changes are only accepted from the page itself.")
        return None

    def _swap(self, given: str, scope: Scope, has_cookie: bool) -> Response:
        """The key from the address becomes a cookie (once), and the address loses the key."""
        response = RedirectResponse(scope.get("path") or "/", status_code=303)
        if has_cookie:  # the same browser again (the address opened twice): just tidy it
            return response
        if not secrets.compare_digest(given.encode(), self.key.encode()):
            return _refuse(NO_KEY)
        if self.key_used:
            return _refuse(USED_KEY)
        self.key_used = True
        response.set_cookie(COOKIE, self.cookie, httponly=True, samesite="strict", path="/")
        return response

    def _same_origin(self, headers: Headers) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None:
            return site == "same-origin"
        origin = headers.get("origin")
        return origin is not None and origin in {f"http://{h}" for h in self.hosts()}


def _cookie(headers: Headers) -> str:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return ""


def _refuse(text: str) -> Response:
    return PlainTextResponse(text, status_code=403)


def _with_headers(send: Send) -> Callable[[Message], Awaitable[None]]:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [
                (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present
            ]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending
