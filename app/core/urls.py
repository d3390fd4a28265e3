"""Redirect targets taken from the request, limited to this site (no open redirects)."""

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/..."), else None.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash,
    so ``/\\t/evil.example`` or ``/\\evil.example`` would leave the site: any
    control character, backslash or non-ASCII space refuses the target, as does
    anything with a scheme or a host.
    """
    target = target or ""
    if not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(c) < 0x21 or c in "\\\x7f" or c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
