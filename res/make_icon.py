#!/usr/bin/env python3
"""Writes ProcessMemoryMap.ico: a memory map drawn as coloured blocks on a page (16, 24, 32, 48 px).

Run it again only to change the icon; the .ico it writes is checked in."""
import struct
import sys

# Region type colours, the same hues as the list (Image, Mapped File, Heap, Stack, Private, Free).
BANDS = [(0xB0, 0x8C, 0xD8), (0x7F, 0xAE, 0xE0), (0xF0, 0xA8, 0x60), (0xE8, 0xD0, 0x60),
         (0x8C, 0xC8, 0x8C), (0xE6, 0xE6, 0xE6)]
# Each row of the map: (band index, width in 1/8 of the page).
ROWS = [[(0, 5), (5, 3)], [(1, 3), (2, 2), (5, 3)], [(4, 2), (3, 4), (5, 2)], [(0, 2), (1, 4), (2, 2)],
        [(5, 3), (4, 5)]]


def pixel(size, x, y):
    """BGRA of one pixel: a white page with a dark frame holding rows of coloured blocks."""
    margin = max(1, size // 16)
    if x < margin or y < margin or x >= size - margin or y >= size - margin:
        return (0, 0, 0, 0)
    if x == margin or y == margin or x == size - margin - 1 or y == size - margin - 1:
        return (0x50, 0x40, 0x30, 0xFF)
    inner = size - 2 * margin - 2
    ix, iy = x - margin - 1, y - margin - 1
    pad = max(1, inner // 12)
    if ix < pad or iy < pad or ix >= inner - pad or iy >= inner - pad:
        return (0xFF, 0xFF, 0xFF, 0xFF)
    area = inner - 2 * pad
    ix, iy = ix - pad, iy - pad
    row = min(len(ROWS) - 1, iy * len(ROWS) // area)
    row_top = row * area // len(ROWS)
    row_bottom = (row + 1) * area // len(ROWS)
    if size >= 24 and iy == row_bottom - 1 and row < len(ROWS) - 1:
        return (0xFF, 0xFF, 0xFF, 0xFF)
    del row_top
    at = ix * 8 / area
    for band, width in ROWS[row]:
        if at < width:
            r, g, b = BANDS[band]
            if size >= 32 and ix * 8 // area != (ix + 1) * 8 // area and at + 1e-9 >= width - 8 / area:
                return (0xFF, 0xFF, 0xFF, 0xFF)
            return (b, g, r, 0xFF)
        at -= width
    return (0xFF, 0xFF, 0xFF, 0xFF)


def image(size):
    rows = []
    for y in range(size - 1, -1, -1):  # bottom-up DIB
        rows.append(b"".join(bytes(pixel(size, x, y)) for x in range(size)))
    xor = b"".join(rows)
    mask_stride = ((size + 31) // 32) * 4
    and_mask = b"\0" * (mask_stride * size)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(xor) + len(and_mask), 0, 0, 0, 0)
    return header + xor + and_mask


def main(path):
    sizes = [16, 24, 32, 48]
    images = [image(s) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for s, data in zip(sizes, images):
        out += struct.pack("<BBBBHHII", s, s, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out += b"".join(images)
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ProcessMemoryMap.ico")
