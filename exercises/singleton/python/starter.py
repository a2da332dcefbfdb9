"""Thread-safe singleton: see README.md for the full statement."""

import threading


class SingletonMeta(type):
    """A metaclass: every class created with it has exactly one instance.

        class Config(metaclass=SingletonMeta):
            def __init__(self, path): ...

        Config("app.toml") is Config("other.toml")   # True; __init__ ran once
    """

    def __call__(cls, *args, **kwargs):
        """Return the one instance of `cls`, creating it on the first call (with
        `super().__call__(*args, **kwargs)`, which runs __init__). Later calls, from any
        thread, return that same instance and ignore their arguments. Threads that call while
        it is being created wait for it. If __init__ raises, no instance is kept: the
        exception reaches that caller and the next call tries again."""
        raise NotImplementedError("SingletonMeta.__call__")
