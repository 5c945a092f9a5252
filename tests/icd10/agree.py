"""Checks Stride's ICD-10-CM code set against simple-icd-10-cm, an independent reader of
the same CMS release: the same codes exist, and the same ones are billable (leaves).

Usage: agree.py FILE, where FILE holds one code a line as Stride reads it: CODE<TAB>1 for
billable, CODE<TAB>0 for a heading. Prints each disagreement and exits 1 if there is any.
"""

import sys

try:
    import simple_icd_10_cm as cm
except ImportError:
    print("No module named simple_icd_10_cm: pip install simple-icd-10-cm==1.5.0", file=sys.stderr)
    sys.exit(2)

ours = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        code, billable = line.rstrip("\n").split("\t")
        ours[code] = billable == "1"

theirs = {
    code: cm.is_leaf(code)
    for code in cm.get_all_codes(True)
    if cm.is_category_or_subcategory(code)
}

problems = []
for code in sorted(set(ours) | set(theirs)):
    if code not in theirs:
        problems.append(f"{code}: only Stride has it")
    elif code not in ours:
        problems.append(f"{code}: only simple-icd-10-cm has it")
    elif ours[code] != theirs[code]:
        problems.append(f"{code}: Stride says billable={ours[code]}, simple-icd-10-cm says {theirs[code]}")
for p in problems[:50]:
    print(p)
print(f"{len(ours)} codes compared, {len(problems)} disagreements")
sys.exit(1 if problems else 0)
