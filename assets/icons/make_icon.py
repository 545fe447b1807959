"""Draws Deskpilot's icon (a blue rounded tile with a page and a spark) as an
RGBA PNG, with the standard library only. Run: python3 make_icon.py OUT.png"""
import struct, sys, zlib

N = 256


def inside_round_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(x, y):
    if not inside_round_rect(x, y, 8, 8, 248, 248, 52):
        return (0, 0, 0, 0)
    t = (x + y) / (2 * N)
    bg = (int(37 + 30 * t), int(99 + 40 * t), int(235 - 20 * t), 255)
    if inside_round_rect(x, y, 70, 52, 186, 204, 14):
        # The page, with three lines of text.
        for row in (92, 122, 152):
            if row <= y <= row + 10 and 92 <= x <= (164 if row != 152 else 138):
                return (147, 170, 220, 255)
        return (255, 255, 255, 255)
    # The spark: a small diamond at the lower right.
    if abs(x - 196) + abs(y - 196) <= 26:
        return (253, 224, 71, 255)
    return bg


def png(path):
    raw = bytearray()
    for y in range(N):
        raw.append(0)
        for x in range(N):
            raw.extend(pixel(x, y))
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)


if __name__ == "__main__":
    png(sys.argv[1])
