# bug: uses truthiness, so a stored value 0 is reported as missing
# caught-by: zero_values_and_keys
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key):
        value = self.data.get(key)
        if not value:
            return -1
        self.data.move_to_end(key)
        return value

    def put(self, key, value):
        if key in self.data:
            self.data.move_to_end(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)

    def __len__(self):
        return len(self.data)
