# bug: keeps recency in a Python list: remove() and pop(0) shift every element, so get and put are O(n)
# caught-by: get_put_scaling


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.data = {}
        self.order = []  # least recently used first

    def get(self, key):
        if key not in self.data:
            return -1
        self.order.remove(key)
        self.order.append(key)
        return self.data[key]

    def put(self, key, value):
        if key in self.data:
            self.order.remove(key)
        elif len(self.data) == self.capacity:
            del self.data[self.order.pop(0)]
        self.data[key] = value
        self.order.append(key)

    def __len__(self):
        return len(self.data)
