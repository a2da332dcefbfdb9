"""URL shortener: see README.md for the full statement."""

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # given: keep it


def encode(n: int) -> str:
    """`n` in base 62 with ALPHABET as the digits, most significant first; encode(0) == "0".
    n < 0 -> ValueError."""
    raise NotImplementedError("encode")


def decode(s: str) -> int:
    """The inverse of encode; leading zeros are allowed. "" or a character outside ALPHABET
    -> ValueError."""
    raise NotImplementedError("decode")


class URLShortener:
    def __init__(self) -> None:
        """An empty shortener."""
        # Your state here.

    def shorten(self, url: str) -> str:
        """The URL's first code, or, for a new URL, encode(c) for the next counter value c
        (from 1) whose code is not taken by an alias. Invalid URL -> ValueError."""
        raise NotImplementedError("URLShortener.shorten")

    def shorten_custom(self, url: str, alias: str) -> str:
        """Makes `alias` (1-32 characters from ALPHABET, `-`, `_`) point to `url` and returns
        it. Invalid URL or alias, or an alias pointing to another URL -> ValueError."""
        raise NotImplementedError("URLShortener.shorten_custom")

    def expand(self, code: str) -> str:
        """The URL behind `code`; an unknown code -> KeyError."""
        raise NotImplementedError("URLShortener.expand")
