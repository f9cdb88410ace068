#!/usr/bin/env python
"""Build ``src/reissue/web/templates_compiled/``: the templates edition.html is written with, compiled to
Python by the installed Jinja (``Environment.compile``, as ``compile_templates`` writes them for a
``ModuleLoader``).

    .venv/bin/python scripts/build_templates.py            # write the compiled templates
    .venv/bin/python scripts/build_templates.py --check    # do they rebuild byte for byte?

Every ``reissue build`` writes edition.html; Jinja lexes, parses and compiles its two templates each time
(about 15-20 ms of the build). ``reissue.web.render.jinja_env`` loads these modules instead, but only
when ``manifest.json`` names the installed Jinja version and the sha256 of each template's source as it
is now; otherwise (a template edited, another Jinja) it compiles the templates from source as before.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from reissue.web.render import COMPILED_DIR, COMPILED_TEMPLATES, jinja_env  # noqa: E402


def build() -> dict[str, bytes]:
    """File name -> bytes of every file of the folder."""
    import jinja2
    from jinja2 import ModuleLoader

    env = jinja_env(compiled=False)
    files, sums = {}, {}
    for name in COMPILED_TEMPLATES:
        source, filename, _ = env.loader.get_source(env, name)
        code = env.compile(source, name, filename, raw=True, defer_init=True)
        files[ModuleLoader.get_module_filename(name)] = code.encode("utf-8")
        sums[name] = hashlib.sha256(source.encode("utf-8")).hexdigest()
    manifest = {"jinja2": jinja2.__version__, "templates": sums}
    files["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare a rebuild with the folder; exit 1 if they differ")
    a = ap.parse_args(argv)
    files = build()
    have = {n for n in os.listdir(COMPILED_DIR) if not n.startswith((".", "__"))} if os.path.isdir(COMPILED_DIR) else set()
    if a.check:
        same = have == set(files) and all(open(os.path.join(COMPILED_DIR, n), "rb").read() == b
                                         for n, b in files.items())
        print(f"{COMPILED_DIR}: {'rebuilt byte for byte' if same else 'DIFFERS from the rebuilt files'}")
        return 0 if same else 1
    os.makedirs(COMPILED_DIR, exist_ok=True)
    for n in have - set(files):
        os.unlink(os.path.join(COMPILED_DIR, n))
    for n, b in files.items():
        with open(os.path.join(COMPILED_DIR, n), "wb") as fh:
            fh.write(b)
    print(f"{COMPILED_DIR}: {', '.join(sorted(files))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
