"""URL shortener with expiring links and click counts.

encode/decode are exact integer arithmetic (divmod, never `/`), O(number of digits). The
shortener keeps `_links` (code -> [URL, expires_at or None, clicks]: what expand and stats
read, and whether a code is taken), `_codes` (URL -> the code shorten returns for it) and the
next counter value.

Expiry is lazy: a code is live while `now < expires_at`, and an expired code is treated
exactly like one never given out (a miss for expand and stats, free for an alias and for the
counter). Nothing has to run when a link expires; an expired entry is dropped when a lookup
finds it. `_codes[url]` may point to a code that has expired or that an alias has since
reclaimed for another URL, so it counts only while it is live and still points to the URL.
Every operation stays O(length of the URL) on average.
"""

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # given: keep it

BASE = len(ALPHABET)
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}  # O(1) digit lookup for decode
_ALIAS_CHARS = frozenset(ALPHABET + "-_")
MAX_ALIAS = 32
_SCHEMES = ("http://", "https://")

_URL, _EXPIRES, _CLICKS = 0, 1, 2  # the fields of a link


def encode(n: int) -> str:
    if n < 0:
        raise ValueError("cannot encode a negative number: %d" % n)
    if n == 0:
        return ALPHABET[0]
    digits = []
    while n:
        n, r = divmod(n, BASE)
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))  # remainders come out least significant first


def decode(s: str) -> int:
    if not s:
        raise ValueError("cannot decode an empty string")
    n = 0
    for c in s:
        digit = _DIGIT.get(c)
        if digit is None:
            raise ValueError("%r is not a base-62 digit (in %r)" % (c, s))
        n = n * BASE + digit
    return n


def _check_url(url):
    # Lowercase scheme, then at least one more character (so "https://" alone is invalid).
    if not any(url.startswith(s) and len(url) > len(s) for s in _SCHEMES):
        raise ValueError("not an http:// or https:// URL: %r" % (url,))


def _check_alias(alias):
    if not 1 <= len(alias) <= MAX_ALIAS or not all(c in _ALIAS_CHARS for c in alias):
        raise ValueError(
            "an alias has 1 to %d characters from ALPHABET, '-' and '_': %r" % (MAX_ALIAS, alias)
        )


def _check_ttl(ttl):
    if ttl is not None and not ttl > 0:  # also rejects NaN
        raise ValueError("ttl must be positive (or None: never expires), got %r" % (ttl,))


class URLShortener:
    def __init__(self) -> None:
        self._links = {}  # code -> [URL, expires_at (None: never), clicks]
        self._codes = {}  # URL -> the code shorten returns for it (check that it is live)
        self._next = 1  # the next counter value to try

    def _live(self, code, now):
        """The link behind `code` if it is live at `now`, else None (an expired one is
        dropped: from now on it is free)."""
        link = self._links.get(code)
        if link is None:
            return None
        if link[_EXPIRES] is not None and now >= link[_EXPIRES]:
            del self._links[code]
            return None
        return link

    def _code_of(self, url, now):
        """The URL's live code, or None."""
        code = self._codes.get(url)
        if code is None:
            return None
        link = self._live(code, now)
        if link is None or link[_URL] != url:  # expired, or reclaimed by another URL
            return None
        return code

    def _store(self, code, url, ttl, now):
        self._links[code] = [url, None if ttl is None else now + ttl, 0]
        if self._code_of(url, now) is None:
            self._codes[url] = code

    def shorten(self, url: str, ttl: float | None = None, now: float = 0.0) -> str:
        _check_url(url)
        _check_ttl(ttl)
        code = self._code_of(url, now)
        if code is not None:
            return code  # the URL's live link, as it is: the ttl only applies to a new one
        code = encode(self._next)
        while self._live(code, now) is not None:  # taken by a live alias: skip it
            self._next += 1
            code = encode(self._next)
        self._next += 1
        self._store(code, url, ttl, now)
        return code

    def shorten_custom(
        self, url: str, alias: str, ttl: float | None = None, now: float = 0.0
    ) -> str:
        _check_url(url)
        _check_alias(alias)
        _check_ttl(ttl)
        link = self._live(alias, now)
        if link is not None:
            if link[_URL] == url:
                return alias
            raise ValueError("alias %r already points to another URL" % (alias,))
        self._store(alias, url, ttl, now)  # free, or expired: a fresh link
        return alias

    def expand(self, code: str, now: float = 0.0) -> str:
        link = self._live(code, now)
        if link is None:
            raise KeyError(code)
        link[_CLICKS] += 1
        return link[_URL]

    def stats(self, code: str, now: float = 0.0) -> dict:
        link = self._live(code, now)
        if link is None:
            raise KeyError(code)
        return {"url": link[_URL], "clicks": link[_CLICKS], "expires_at": link[_EXPIRES]}
