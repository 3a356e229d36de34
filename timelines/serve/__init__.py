"""``timelines serve``: a page in the browser, on this computer only, for people without a terminal.

Needs the ``serve`` extra (Starlette, uvicorn, python-multipart, pypdfium2).
``server.serve`` runs it; ``app.create_app`` is the application (tested with
Starlette's test client); ``session`` holds the work in memory and calls the
library as the command line does.
"""
