"""SingletonMeta with double-checked locking.

Each class gets its own lock when it is created (the metaclass's __init__ runs once per class,
subclasses included), so building one singleton never blocks callers of another, and an
__init__ may itself create other singletons. A call looks the instance up without the lock
(the fast path, once it exists); only when it is missing does it take the class's lock and
look again, because another thread may have built it while this one waited. The instance is
stored only after __init__ returned: if __init__ raises, nothing is kept, `with` releases the
lock, and the next caller (a thread that was waiting for the lock too) builds its own.
"""

import threading


class SingletonMeta(type):
    _instances = {}  # class -> its one instance, stored once __init__ has returned
    _locks = {}  # class -> the lock its first callers queue on

    def __init__(cls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        SingletonMeta._locks[cls] = threading.Lock()

    def __call__(cls, *args, **kwargs):
        instances = SingletonMeta._instances
        if cls not in instances:
            with SingletonMeta._locks[cls]:
                # Check again: another thread may have built it while we waited.
                if cls not in instances:
                    instances[cls] = super().__call__(*args, **kwargs)
        return instances[cls]
