"""Shared by the plots tests: paths, fixtures, tool look-ups and image checks."""
import os
import shutil
import struct
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLOTS = os.path.join(ROOT, "plots")
if PLOTS not in sys.path:
    sys.path.insert(0, PLOTS)

import make_fixture  # noqa: E402

BOARD_PACK = os.path.join(PLOTS, "board_pack.py")
DASIM = os.path.join(ROOT, "build", "dasim")


def chromium_or_warn():
    """The Chromium binary, or None after a warning nobody can miss: the HTML and PDF checks need it."""
    import board_pack
    exe = board_pack.find_chromium()
    if exe is None:
        bar = "!" * 78
        print(f"\n{bar}\n!! chromium is NOT installed: the PDF and screenshot tests are SKIPPED.\n"
              f"!! Install it: apt-get update && apt-get install -y chromium\n{bar}", file=sys.stderr)
    return exe


def pdftoppm_or_warn():
    exe = shutil.which("pdftoppm")
    if exe is None:
        print("\n!! pdftoppm is NOT installed (apt-get install poppler-utils): PDF page checks are SKIPPED.",
              file=sys.stderr)
    return exe


def fixture(path, **kw):
    make_fixture.write(path, **kw)
    return path


def run_board_pack(results, out, *extra):
    return subprocess.run([sys.executable, BOARD_PACK, results, "--out", out, *extra], capture_output=True, text=True,
                          timeout=600)


def png_dpi(path):
    """Dots per inch from a PNG's pHYs chunk (pixels per metre), or None when it has none."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    i = 8
    while i < len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[i + 8 + length:i + 12 + length])[0]:
            raise AssertionError(f"{path}: bad CRC in chunk {kind!r}")
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", body)
            return (x * 0.0254, y * 0.0254) if unit == 1 else None
        i += 12 + length
    return None


def pixel_spread(path):
    """Standard deviation of the grey levels (0-1): 0 for a blank image."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    img = mpimg.imread(path)
    if img.ndim == 3:
        img = img[..., :3].mean(axis=2)
    if img.dtype.kind in "ui":
        img = img / 255.0
    return float(img.std())
