"""Validates X12 files with pyx12, an independent implementation of the 005010 guides.

Usage: python validate.py FILE...   Exit status 0 when every file is valid; each error
is printed as pyx12 reports it. (pyx12's own x12valid script cannot build its 999
acknowledgement for an 835, whose ST03 is not used, so it is called here without one.)
"""

import io
import logging
import sys

import pyx12.params
import pyx12.x12n_document


def valid(path: str) -> bool:
    with open(path, encoding="ascii") as f:
        source = f.read()
    return bool(
        pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(source),
            fd_997=None,
            fd_html=None,
            fd_xmldoc=None,
            xslt_files=None,
            map_path=None,
            callback=None,
        )
    )


def main() -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(message)s")
    ok = True
    for path in sys.argv[1:]:
        result = valid(path)
        print(f"{path}: {'valid' if result else 'INVALID'}")
        ok = ok and result
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
