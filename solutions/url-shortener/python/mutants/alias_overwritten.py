# bug: shorten_custom does not check whether the alias is taken and repoints it
# caught-by: alias_taken_by_other_url

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # given: keep it

BASE = len(ALPHABET)
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}  # O(1) digit lookup for decode
_ALIAS_CHARS = frozenset(ALPHABET + "-_")
MAX_ALIAS = 32
_SCHEMES = ("http://", "https://")


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


class URLShortener:
    def __init__(self) -> None:
        self._urls = {}  # code -> URL
        self._codes = {}  # URL -> its first code
        self._next = 1  # the next counter value to try

    def shorten(self, url: str) -> str:
        _check_url(url)
        code = self._codes.get(url)
        if code is not None:
            return code
        code = encode(self._next)
        while code in self._urls:  # taken by a custom alias: skip it
            self._next += 1
            code = encode(self._next)
        self._next += 1
        self._urls[code] = url
        self._codes[url] = code
        return code

    def shorten_custom(self, url: str, alias: str) -> str:
        _check_url(url)
        _check_alias(alias)
        self._urls[alias] = url
        self._codes.setdefault(url, alias)  # only when it is the URL's first code
        return alias

    def expand(self, code: str) -> str:
        try:
            return self._urls[code]
        except KeyError:
            raise KeyError(code) from None
