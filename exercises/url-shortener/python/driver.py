"""Hidden driver for url-shortener (Python).

Operations (one URLShortener per case, created on first use):
  encode N              encode(N); N may be a decimal string (for values above 2^63)
  decode S              decode(S)
  shorten URL           shortener.shorten(URL)
  custom URL ALIAS      shortener.shorten_custom(URL, ALIAS)
  expand CODE           shortener.expand(CODE)
  shorten_many P K      shortener.shorten(P + str(i)) for i in range(K); the last code
Follow-up 1 (expiring links and click counts; TTL null means none):
  shorten_at URL NOW TTL        shortener.shorten(URL, ttl=TTL, now=NOW)
  custom_at URL ALIAS NOW TTL   shortener.shorten_custom(URL, ALIAS, ttl=TTL, now=NOW)
  expand_at CODE NOW            shortener.expand(CODE, now=NOW)
  stats CODE NOW                shortener.stats(CODE, now=NOW), rendered
                                `"URL", N clicks, expires at T` (or `never expires`)
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

    # ---- follow-up 1: expiring links and click counts ----------------------------------------

    def op_shorten_at(self, url, now, ttl):
        return self._shortener().shorten(url, ttl=ttl, now=now)

    def op_custom_at(self, url, alias, now, ttl):
        return self._shortener().shorten_custom(url, alias, ttl=ttl, now=now)

    def op_expand_at(self, code, now):
        return self._shortener().expand(code, now=now)

    def op_stats(self, code, now):
        stats = self._shortener().stats(code, now=now)
        if not isinstance(stats, dict):
            return k.Text("stats returned %s, not a dict" % type(stats).__name__)
        expires = stats["expires_at"]
        if isinstance(expires, int) and not isinstance(expires, bool):
            expires = float(expires)  # a whole time is shown as 110.0 either way
        when = "never expires" if expires is None else "expires at " + k.render(expires)
        return k.Text("%s, %s clicks, %s" % (k.render(stats["url"]), k.render(stats["clicks"]), when))
