"""File paths as the `file://localhost/…` URLs that iTunes XML and rekordbox XML use for Location.

Both formats percent-encode the path as UTF-8 (spaces, #, %, ? and non-ASCII all encoded) and put a
Windows drive right after the host: `file://localhost/C:/Music/a%20b.mp3`; a POSIX path keeps its
own leading slash: `file://localhost/Users/dj/a%20b.mp3`.
"""
from __future__ import annotations

import re
from urllib.parse import quote

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_windows_path(path: str) -> bool:
    return bool(_WINDOWS_DRIVE.match(path)) or path.startswith("\\\\")


def file_url(path: str) -> str:
    if path.startswith("\\\\"):  # a UNC share: the server takes the host's place
        return "file:" + quote(path.replace("\\", "/"), safe="/")
    if _WINDOWS_DRIVE.match(path):
        return "file://localhost/" + quote(path.replace("\\", "/"), safe="/:")
    return "file://localhost" + quote(path, safe="/")


def folder_url(path: str) -> str:
    url = file_url(path)
    return url if url.endswith("/") else url + "/"

