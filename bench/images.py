"""Time and peak memory of an uploaded image through stagegids.images.strip_image: the largest ones it accepts, a
phone photo, and the 13,000 x 13,000 png that it refuses.

    .venv/bin/python -m bench.images --runs 3

No database. Each image is made first (in this process), then cleaned in a fresh process of its own, which reports
how far its resident size rose above what it held before (Linux: VmHWM after minus VmRSS before, from /proc): Pillow's
pixel buffers are C allocations that tracemalloc does not see, and a high-water mark only goes up, hence a process
per image.
"""

import argparse
import io
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib


def png_of(width, height):
    """A valid 1-bit png of width x height pixels, made row by row without holding the pixels (the probe's bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pillow_image(mode, size, fmt, **options):
    """A flat image: the smallest file for its pixel count, so the byte limit lets the most pixels through."""
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, (40, 90, 140, 255)[: len(mode)]).save(out, format=fmt, **options)
    return out.getvalue()


def cases(max_pixels):
    # The largest accepted image, in a 3:2 frame as a camera makes it: at most MAX_PIXELS, within a row of it.
    height = int((max_pixels * 2 / 3) ** 0.5)
    largest = (max_pixels // height, height)
    return [
        ("png 13000 x 13000, 1 bit (de probe; geweigerd)", "image/png", lambda: png_of(13_000, 13_000)),
        (f"png {largest[0]} x {largest[1]} RGBA (grootste geaccepteerde)", "image/png",
         lambda: pillow_image("RGBA", largest, "PNG")),
        (f"png {largest[0]} x {largest[1]} RGB", "image/png", lambda: pillow_image("RGB", largest, "PNG")),
        (f"jpg {largest[0]} x {largest[1]} (grootste geaccepteerde)", "image/jpeg",
         lambda: pillow_image("RGB", largest, "JPEG", quality=85)),
        ("jpg 4032 x 3024 (telefoonfoto, 12 MP)", "image/jpeg",
         lambda: pillow_image("RGB", (4032, 3024), "JPEG", quality=85)),
    ]  # fmt: skip


def memory_kib(field):
    """The process's resident size now (VmRSS) or at its highest (VmHWM), from Linux's /proc."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(f"{field}:"))


def clean_one(path, mime, runs):
    """In a fresh process: clean the image `runs` times; print times, outcome and the growth of the maximum RSS."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stagegids.images import strip_image

    with open(path, "rb") as handle:
        data = handle.read()
    before = memory_kib("VmRSS")
    times, outcome = [], ""
    for _ in range(runs):
        upload = SimpleUploadedFile("foto", data, content_type=mime)
        started = time.perf_counter()
        try:
            outcome = f"opgeslagen, {len(strip_image(upload, mime).read()) // 1024} KB"
        except ValidationError as refused:
            outcome = f"geweigerd: {refused.messages[0]}"
        times.append((time.perf_counter() - started) * 1000)
    after = memory_kib("VmHWM")
    print(json.dumps({"times": times, "outcome": outcome, "peak_mib": (after - before) / 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("PATH", "MIME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    # Before the first import of stagegids, whose Celery app would set the production settings (for the children too).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.one:
        clean_one(*args.one, args.runs)
        return
    from stagegids.images import MAX_PIXELS

    print(f"{args.runs} runs per image; MAX_PIXELS = {MAX_PIXELS:,}")
    print("| afbeelding | bestand KB | mediaan ms | max ms | piekgeheugen MiB | uitkomst |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, mime, make in cases(MAX_PIXELS):
            path = os.path.join(folder, "image")
            with open(path, "wb") as handle:
                size = handle.write(make())
            child = subprocess.run(  # noqa: S603  our own interpreter and module, arguments of our making
                [sys.executable, "-m", "bench.images", "--runs", str(args.runs), "--one", path, mime],
                capture_output=True,
                text=True,
            )
            if child.returncode:
                sys.exit(child.stderr)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            times = result["times"]
            print(
                f"| {label} | {size // 1024} | {statistics.median(times):.0f} | {max(times):.0f} "
                f"| {result['peak_mib']:.0f} | {result['outcome']} |"
            )


if __name__ == "__main__":
    main()
