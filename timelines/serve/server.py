"""Run the page: 127.0.0.1 only, a free port, a fresh key, no access log, an idle timer."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import uvicorn
from starlette.applications import Starlette

from timelines.serve.app import create_app
from timelines.serve.security import KEY_PARAMETER, new_key

HOST = "127.0.0.1"  # never any other interface: the page holds a child's data
STOP_DELAY = 1.0  # seconds left for the "stopped" page to load its style sheet


@dataclass(frozen=True)
class Started:
    """Where the page is: ``url`` holds the key and is for this user alone."""

    url: str
    port: int


def serve(
    idle_minutes: float = 30,
    open_browser: bool = True,
    port: int = 0,
    announce: Callable[[Started], None] = lambda started: None,
) -> None:
    """Serve the page until Stop is pressed, or no request came for ``idle_minutes``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: no other program may share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
    sock.bind((HOST, port))
    sock.listen(64)  # the browser may knock before the server has started: it waits in line
    bound = sock.getsockname()[1]
    key = new_key()
    holder: dict[str, uvicorn.Server] = {}

    def stop() -> None:
        threading.Timer(STOP_DELAY, lambda: setattr(holder["server"], "should_exit", True)).start()

    guard = create_app(key, bound, stop)
    config = uvicorn.Config(
        guard,
        access_log=False,
        log_level="error",
        server_header=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    holder["server"] = server
    started = Started(f"http://{HOST}:{bound}/?{KEY_PARAMETER}={key}", bound)
    announce(started)
    watcher = threading.Thread(
        target=_idle_watch, args=(server, guard, idle_minutes * 60), daemon=True
    )
    watcher.start()
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(started.url,)).start()
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
        cast(Starlette, guard.app).state.session.clear()


def _idle_watch(server, guard, limit_seconds: float) -> None:
    while not server.should_exit:
        if time.monotonic() - guard.last_request > limit_seconds:
            server.should_exit = True
            return
        time.sleep(min(1.0, max(limit_seconds / 10, 0.05)))
