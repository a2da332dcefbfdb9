"""Hidden driver for url-shortener (Python).

Operations (one URLShortener per case, created on first use):
  encode N              encode(N); N may be a decimal string (for values above 2^63)
  decode S              decode(S)
  shorten URL           shortener.shorten(URL)
  custom URL ALIAS      shortener.shorten_custom(URL, ALIAS)
  expand CODE           shortener.expand(CODE)
  shorten_many P K      shortener.shorten(P + str(i)) for i in range(K); the last code
"""

import kata_harness as k

REQUIRED = ("ALPHABET", "encode", "decode", "URLShortener")


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.shortener = None

    def _shortener(self):
        if self.shortener is None:
            self.shortener = self.mod.URLShortener()
        return self.shortener

    def op_encode(self, n):
        # Integers above i64 cannot be written as case arguments: they come as decimal strings.
        return self.mod.encode(int(n) if isinstance(n, str) else n)

    def op_decode(self, s):
        return self.mod.decode(s)

    def op_shorten(self, url):
        return self._shortener().shorten(url)

    def op_custom(self, url, alias):
        return self._shortener().shorten_custom(url, alias)

    def op_expand(self, code):
        return self._shortener().expand(code)

    def op_shorten_many(self, prefix, count):
        shortener = self._shortener()
        code = None
        for i in range(count):
            code = shortener.shorten(prefix + str(i))
        return code
