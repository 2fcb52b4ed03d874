#!/usr/bin/env python3
"""Writes a zip of a Markdown repository with PAGES pages for bench/docs-site/run.

Deterministic (no randomness): page i has headings, prose, a table, a task list, two code
blocks, links to its neighbours (some with #anchors), one to a folder index, and every tenth page
an image. Pages sit in 10 folders, each with a README.md.
"""
import io
import sys
import zipfile

PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64)


def page(i, pages):
    folder = i % 10
    prev_page = (i - 1) % pages
    next_page = (i + 1) % pages
    words = " ".join(f"word{(i * 7 + k) % 997}" for k in range(120))
    out = io.StringIO()
    out.write(f"# Page {i}: configuring part {i}\n\n{words}\n\n")
    out.write(f"See [the previous page](../part{prev_page % 10}/page{prev_page}.md#details) and "
              f"[the next one](../part{next_page % 10}/page{next_page}.md), or [this part](./).\n\n")
    out.write("## Details\n\n| key | default | meaning |\n|-----|--------:|---------|\n")
    for k in range(8):
        out.write(f"| option{k} | {k * i} | what option {k} of page {i} does |\n")
    out.write("\n- [x] read it\n- [ ] try it\n\n")
    out.write("```java\nclass Part%d {\n  int value() { return %d; }\n}\n```\n\n" % (i, i))
    out.write("```bash\nbuildcast run --generator docs-site repo.zip  # page %d\n```\n\n" % i)
    if i % 10 == 0:
        out.write(f"![diagram](../images/diagram{i}.png)\n\n")
    for section in range(3):
        out.write(f"### Section {section}\n\n{words[: 400]}\n\n")
    return out.getvalue()


def main():
    target = sys.argv[1]
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bench-docs/README.md", "# Bench docs\n\nThe top of the repository.\n")
        for part in range(10):
            z.writestr(f"bench-docs/docs/part{part}/README.md", f"# Part {part}\n\nPages of part {part}.\n")
        z.writestr("bench-docs/docs/index.md", "# Bench docs\n\nStart with [part 0](part0/).\n")
        for i in range(pages):
            z.writestr(f"bench-docs/docs/part{i % 10}/page{i}.md", page(i, pages))
            if i % 10 == 0:
                z.writestr(f"bench-docs/docs/images/diagram{i}.png", PNG)


if __name__ == "__main__":
    main()
