#!/usr/bin/env python3
"""Prints how many pages each database of an LMDB environment takes, sub-databases of sorted duplicates included.

`mdb_stat` counts only a database's own tree; the values of a key with many duplicates live in a sub-database of
their own, whose pages it leaves out. This reads `data.mdb` directly (the layout of LMDB 0.9: page headers, nodes,
`MDB_db` records) and adds them. Usage: lmdb_pages.py DIR; prints one line per database, tab-separated:
name, pages, entries, then a line `free` with the pages on the free list and `file` with all pages the file holds.
"""
import mmap
import struct
import sys

P_BRANCH, P_LEAF, P_LEAF2 = 0x01, 0x02, 0x20
F_BIGDATA, F_SUBDATA, F_DUPDATA = 0x01, 0x02, 0x04
DB = struct.Struct("<IHHQQQQQ")  # pad, flags, depth, branch, leaf, overflow, entries, root


class Environment:
    def __init__(self, path):
        with open(path + "/data.mdb", "rb") as file:
            self.map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        metas = [self.meta(offset) for offset in (0, self.page_size_guess())]
        self.meta_page = max(metas, key=lambda meta: meta["txnid"])
        self.page_size = self.meta_page["free"][0]

    def page_size_guess(self):
        return DB.unpack_from(self.map, 16 + 24)[0]

    def meta(self, offset):
        base = offset + 16
        free = DB.unpack_from(self.map, base + 24)
        main = DB.unpack_from(self.map, base + 24 + DB.size)
        last_page, txnid = struct.unpack_from("<QQ", self.map, base + 24 + 2 * DB.size)
        return {"free": free, "main": main, "last_page": last_page, "txnid": txnid}

    def page(self, number):
        return number * self.page_size

    def nodes(self, number):
        """The nodes of a branch or leaf page: (flags, key, data offset, data size, child page)."""
        start = self.page(number)
        _, _, page_flags, lower, _ = struct.unpack_from("<QHHHH", self.map, start)
        for index in range((lower - 16) // 2):
            offset = start + struct.unpack_from("<H", self.map, start + 16 + 2 * index)[0]
            low, high, flags, key_size = struct.unpack_from("<HHHH", self.map, offset)
            key = bytes(self.map[offset + 8:offset + 8 + key_size])
            child = low | high << 16 | flags << 32
            yield page_flags, flags, key, offset + 8 + key_size, low | high << 16, child

    def leaves(self, root):
        """Every node of the leaf pages of the tree at `root`."""
        pending = [root]
        while pending:
            number = pending.pop()
            for page_flags, flags, key, data, size, child in self.nodes(number):
                if page_flags & P_BRANCH:
                    pending.append(child)
                else:
                    yield flags, key, data, size

    def data(self, flags, data, size):
        if flags & F_BIGDATA:
            overflow = struct.unpack_from("<Q", self.map, data)[0]
            return bytes(self.map[self.page(overflow) + 16:self.page(overflow) + 16 + size])
        return bytes(self.map[data:data + size])

    def databases(self):
        """(name, pages, entries) of every named database, sub-databases of duplicates included."""
        main = self.meta_page["main"]
        if main[7] == 2 ** 64 - 1:
            return
        for flags, key, data, size in self.leaves(main[7]):
            if not flags & F_SUBDATA:
                continue
            record = DB.unpack_from(self.map, data)
            pages = record[3] + record[4] + record[5]
            if record[1] & 0x04 and record[7] != 2 ** 64 - 1:  # MDB_DUPSORT
                for node_flags, _, node_data, _ in self.leaves(record[7]):
                    if node_flags & F_SUBDATA:
                        sub = DB.unpack_from(self.map, node_data)
                        pages += sub[3] + sub[4] + sub[5]
            yield key.decode(), pages, record[6]

    def free_pages(self):
        free = self.meta_page["free"]
        count = free[3] + free[4] + free[5]
        if free[7] != 2 ** 64 - 1:
            for flags, _, data, size in self.leaves(free[7]):
                count += struct.unpack_from("<Q", self.data(flags, data, size))[0]
        return count


def main():
    environment = Environment(sys.argv[1])
    main_db = environment.meta_page["main"]
    print(f"main\t{main_db[3] + main_db[4] + main_db[5]}\t{main_db[6]}")
    for name, pages, entries in environment.databases():
        print(f"{name}\t{pages}\t{entries}")
    print(f"free\t{environment.free_pages()}\t0")
    print(f"file\t{environment.meta_page['last_page'] + 1}\t0")
    print(f"page_size\t{environment.page_size}\t0")


if __name__ == "__main__":
    main()
