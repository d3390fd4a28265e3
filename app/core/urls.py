"""Redirect targets taken from the request, limited to this site (no open redirects)."""


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/..."), else None."""
    target = target or ""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else None
