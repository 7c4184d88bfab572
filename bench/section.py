"""A section of BENCHMARKS.md ("## Title" to the next "## " heading), as the benchmark scripts that
each measure one part write it, and as bench/report.py keeps the ones it does not write."""

import re


def _pattern(title):
    return re.compile(rf"## {re.escape(title)}\n.*?(?=\n## |\Z)", re.S)


def find(text, title):
    """The section `title` of `text`, or None."""
    found = _pattern(title).search(text)
    return found[0] if found else None


def put(path, lines):
    """Writes `lines` (the section's heading, "## Title", first) into the file at `path`: in place
    of the section of that title, or at the end when there is none."""
    section = "\n".join(lines).rstrip("\n") + "\n"
    title = lines[0].removeprefix("## ").strip()
    text = open(path).read()
    pattern = _pattern(title)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(path, "w").write(text)
