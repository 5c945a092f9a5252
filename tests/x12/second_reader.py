"""Reads an 837P or 835 file with linuxforhealth-x12, a second X12 reader independent of
Stride's, and prints its money totals as one JSON object, for tests to compare.

Usage: python second_reader.py FILE
Exit status 0 and JSON on stdout when every transaction in FILE parses into the
library's models and passes their validation; 1 and the reasons on stderr otherwise.

837P: {"kind": "837P", "claims": [{control_number, charge_cents, line_charge_cents, lines,
       prior_paid_cents, prior_line_paid_cents, prior_adjustment_cents}, ...]}
835:  {"kind": "835", "payments": [{paid_cents, provider_adjustment_cents,
       claims: [{control_number, status, charge_cents, paid_cents, line_paid_cents,
       adjustment_cents}, ...]}, ...]}   (one payment per ST/SE transaction)

Amounts are integer cents, computed from the models' Decimals. Needs linuxforhealth-x12
0.57.0 with pydantic 1.x (the library imports pydantic.BaseSettings, gone in 2.x).
Library behaviour worth knowing: it reads 005010X222A1 files with its 005010X222A2
models; its 2300 model requires CLM02 to equal the sum of SV102; its 2100 model requires
CLP03 - CLP04 to equal the claim's and lines' CAS amounts; every transaction's SE01 must
equal the segments it put into its models, so a segment it does not place fails the file
rather than going missing.
"""

import json
import logging
import os
import sys
from decimal import Decimal
from enum import Enum

import pydantic
from linuxforhealth.x12.io import X12ModelReader
from linuxforhealth.x12.parsing import match
from linuxforhealth.x12.v5010 import segments
from linuxforhealth.x12.v5010.x12_835_005010X221A1 import parsing as p835
from linuxforhealth.x12.v5010.x12_837_005010X222A2 import parsing as p837

# Two upstream loop-parser bugs (0.57.0) are fixed here by replacing the parser function,
# and one code list is widened to the guide's; the models and the rest of their
# validation are the library's own. The replacements must be in place before the first
# parser is made (the library caches its loop parsers).


# 835: loop 1000A starts without a list for PER, so the payer's PER segments (PER*BL is
# required by the guide) land in the model as one segment where it expects a list, and
# every guide-conformant 835 fails validation.
@match("N1", conditions={"entity_identifier_code": "PR"})
def set_payer_identification_loop(context, segment_data):
    payer = {"ref_segment": [], "per_segment": []}
    context.transaction_data[p835.TransactionLoops.PAYER_IDENTIFICATION] = payer
    context.set_loop_context(p835.TransactionLoops.PAYER_IDENTIFICATION, payer)


p835.set_payer_identification_loop = set_payer_identification_loop


# 837P: the loop parser for SVD starts loop 2430 with an `if` that is always true, so each
# SVD throws away the line's earlier 2430 loops (a tertiary claim's line carries one per
# prior payer) and the SE count check then fails the file.
@match("SVD")
def set_service_line_adjudication_loop(context, segment_data):
    line = p837._get_service_line(context)
    adjudications = line.setdefault("loop_2430", [])
    adjudications.append({"cas_segment": []})
    context.set_loop_context(
        p837.TransactionLoops.CLAIM_SERVICE_LINE_LINE_ADJUDICATION_INFORMATION,
        adjudications[-1],
    )


p837.set_service_line_adjudication_loop = set_service_line_adjudication_loop


# 837P: DMG03 in loops 2010BA and 2010CA takes F, M or U (unknown) in 005010X222A1; the
# library's one DMG model, shared with the 270/271, allows F and M only. Widened here for
# every reader of this script; the field's other checks are unchanged.
class GenderCode(str, Enum):
    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


_gender = segments.DmgSegment.__fields__["gender_code"]
_gender.type_ = GenderCode
_gender.outer_type_ = GenderCode
_gender.prepare()


def cents(amount):
    """Integer cents of a Decimal amount (None is 0); more than 2 decimals is an error."""
    if amount is None:
        return 0
    scaled = Decimal(amount) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"amount {amount} has more than two decimal places")
    return int(scaled)


def cas_cents(segments):
    """Sum of every amount (CAS03, 06, ... 18) in a list of CAS segments."""
    return sum(
        cents(getattr(cas, f"monetary_amount_{i}"))
        for cas in segments or []
        for i in range(1, 7)
    )


def claims_837(model):
    """Loop 2300s of one 837 transaction in file order: a subscriber's own claims come
    before its dependants' (2000B then its 2000C children)."""
    for provider in model.loop_2000a:
        for subscriber in provider.loop_2000b:
            yield from subscriber.loop_2300 or []
            for patient in subscriber.loop_2000c or []:
                yield from patient.loop_2300 or []


def summary_837(claim):
    lines = claim.loop_2400
    other_payers = claim.loop_2320 or []
    adjudications = [a for line in lines for a in line.loop_2430 or []]
    return {
        "control_number": claim.clm_segment.patient_control_number,
        "charge_cents": cents(claim.clm_segment.total_claim_charge_amount),
        "line_charge_cents": sum(cents(l.sv1_segment.line_item_charge_amount) for l in lines),
        "lines": len(lines),
        "prior_paid_cents": sum(
            cents(amt.monetary_amount)
            for payer in other_payers
            for amt in payer.amt_segment or []
            if amt.amount_qualifier_code == "D"
        ),
        "prior_line_paid_cents": sum(cents(a.svd_segment.service_line_paid_amount) for a in adjudications),
        "prior_adjustment_cents": sum(cas_cents(p.cas_segment) for p in other_payers)
        + sum(cas_cents(a.cas_segment) for a in adjudications),
    }


def summary_835(model):
    claims = []
    for header_number in model.loop_2000:
        for claim in header_number.loop_2100:
            clp = claim.clp_segment
            lines = claim.loop_2110 or []
            claims.append({
                "control_number": clp.patient_control_number,
                "status": clp.claim_status_code,
                "charge_cents": cents(clp.total_claim_charge_amount),
                "paid_cents": cents(clp.claim_payment_amount),
                "line_paid_cents": sum(cents(l.svc_segment.line_item_provider_payment_amount) for l in lines),
                "adjustment_cents": cas_cents(claim.cas_segment) + sum(cas_cents(l.cas_segment) for l in lines),
            })
    # The library's footer holds one PLB segment at most (a second fails the SE count check).
    plb = model.footer.plb_segment
    provider_adjustment = (
        sum(cents(getattr(plb, f"provider_adjustment_amount_{i}")) for i in range(1, 7)) if plb else 0
    )
    return {
        "paid_cents": cents(model.header.bpr_segment.total_actual_provider_payment_amount),
        "claims": claims,
        "provider_adjustment_cents": provider_adjustment,
    }


def read(path):
    kinds, claims, payments = set(), [], []
    with X12ModelReader(path) as reader:
        for model in reader.models():
            code = model.header.st_segment.transaction_set_identifier_code
            if code == "837":
                kinds.add("837P")
                claims.extend(summary_837(c) for c in claims_837(model))
            elif code == "835":
                kinds.add("835")
                payments.append(summary_835(model))
            else:
                raise ValueError(f"transaction {code} is neither an 837P nor an 835")
    if len(kinds) != 1:
        raise ValueError("no transaction found" if not kinds else "the file mixes 837 and 835 transactions")
    kind = kinds.pop()
    return {"kind": kind, "claims": claims} if kind == "837P" else {"kind": kind, "payments": payments}


def main():
    if len(sys.argv) != 2:
        print("usage: second_reader.py FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    if not os.path.isfile(path):
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    # The library logs a traceback before re-raising some errors; the exception is enough.
    logging.disable(logging.CRITICAL)
    try:
        result = read(path)
    except pydantic.ValidationError as e:
        print(f"{path}: linuxforhealth-x12 validation failed ({e.model.__name__}):", file=sys.stderr)
        errors = e.errors()
        for error in errors:
            where = ".".join(str(part) for part in error["loc"])
            print(f"  {where}: {error['msg']}", file=sys.stderr)
        if len(errors) == 1 and "SE segment count" in errors[0]["msg"]:
            print("  (a segment the library's models have no place for is left out of them, e.g. a"
                  " second PLB in one transaction)", file=sys.stderr)
        elif any("SE segment count" in error["msg"] for error in errors):
            print("  (the SE count error follows from the others: it counts only what validated)", file=sys.stderr)
        return 1
    except Exception as e:  # the library raises KeyError, ValueError, X12ParseException, ...
        # (its "Invalid x12_input" means the file does not start with "ISA")
        print(f"{path}: linuxforhealth-x12 cannot read it: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
