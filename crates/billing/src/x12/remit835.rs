//! The 835 remittance advice (005010X221A1): read into data, and written (to make test
//! files, benchmark files and the demo clinic's remittances).
//!
//! A file may hold several payments (one ST/SE transaction each, as clearinghouses send
//! them); each is read as its own [`Remittance`].
//!
//! ```text
//! ISA GS ST BPR TRN DTM
//!   1000A payer N1*PR (REF*2U)   1000B payee N1*PE
//!   2000 LX
//!     2100 claim CLP, CAS, NM1*QC, NM1*TT (crossover carrier), MOA/MIA remarks
//!       2110 line SVC, DTM*472, CAS, AMT*B6, LQ*HE
//!   PLB provider adjustments
//! SE GE IEA
//! ```

use super::claim837::Adjustment;
use super::read::{Segment, X12Error, segments, version};
use super::write::{Header, SegmentWriter, composite, date8, text};
use super::{amount, claim837::write_adjustments};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use stride_coding::Modifier;

/// One remittance: a payer's payment and how it settled each claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Remittance {
    /// The payer's name.
    pub payer_name: String,
    /// The payer's id (REF*2U, or the N1*PR id).
    pub payer_id: String,
    /// The payee's NPI (N1*PE with XX).
    pub payee_npi: String,
    /// The check or EFT trace number (TRN02).
    pub trace_number: String,
    /// The payment's date (BPR16).
    pub paid_on: Option<NaiveDate>,
    /// The payment's total (BPR02).
    pub total_paid_cents: i64,
    /// Each provider-level adjustment (PLB), with its reason and reference.
    pub provider_adjustments: Vec<ProviderAdjustment>,
    /// Claims settled.
    pub claims: Vec<RemitClaim>,
}

impl Remittance {
    /// The provider-level adjustments' total, positive when withheld (the parser refuses
    /// a file whose total overflows).
    pub fn provider_adjustment_cents(&self) -> i64 {
        self.provider_adjustments
            .iter()
            .fold(0i64, |sum, a| sum.saturating_add(a.cents))
    }
}

/// One provider-level adjustment (a PLB pair): money withheld from (positive) or added to
/// (negative) the payment, not tied to a claim line (X12 RFI 2370).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProviderAdjustment {
    /// The adjustment reason (PLB03-1): WO overpayment recovery, FB forwarding balance,
    /// L6 interest, 72 authorized return, CS adjustment, ...
    pub reason: String,
    /// Its reference (PLB03-2): often the payer's claim number or Stride's control number
    /// of the claim it concerns.
    pub reference: String,
    /// Amount: positive when withheld from the payment.
    pub cents: i64,
}

impl ProviderAdjustment {
    /// What its reason code means.
    pub fn reason_words(&self) -> &'static str {
        match self.reason.as_str() {
            "WO" => "overpayment recovery",
            "FB" => "forwarding balance",
            "L6" => "interest owed",
            "72" => "authorized return",
            "CS" => "adjustment",
            "J1" => "nonreimbursable",
            "50" => "late charge",
            "90" => "early payment allowance",
            "IR" => "internal revenue service withholding",
            "C5" => "temporary allowance",
            _ => "provider-level adjustment",
        }
    }
}

/// How one claim was settled (loop 2100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RemitClaim {
    /// The patient control number Stride sent (CLP01).
    pub control_number: String,
    /// Claim status code (CLP02): 1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal.
    pub status_code: String,
    /// Charge (CLP03).
    pub charge_cents: i64,
    /// Paid (CLP04).
    pub paid_cents: i64,
    /// Patient responsibility (CLP05).
    pub patient_resp_cents: i64,
    /// The payer's own claim number (CLP07).
    pub payer_claim_number: String,
    /// Claim-level adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Claim-level remark codes (MOA/MIA).
    pub remarks: Vec<String>,
    /// The payer the claim was forwarded to (NM1*TT, a crossover), if any.
    pub crossover_payer: Option<String>,
    /// Lines.
    pub lines: Vec<RemitLine>,
}

impl RemitClaim {
    /// A reversal of an earlier payment (CLP02 22): its amounts are taken back.
    pub fn is_reversal(&self) -> bool {
        self.status_code == "22"
    }

    /// Whether the payer forwarded the claim to another payer itself (a crossover:
    /// CLP02 19, 20 or 21, or an NM1*TT carrier): no secondary claim is to be sent.
    pub fn forwarded(&self) -> bool {
        self.crossover_payer.is_some() || matches!(self.status_code.as_str(), "19" | "20" | "21")
    }
}

/// How one service line was settled (loop 2110).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RemitLine {
    /// Procedure code.
    pub code: String,
    /// Modifiers, in the order sent.
    pub modifiers: Vec<Modifier>,
    /// The line control number the claim sent (REF*6R), when the payer returns it.
    pub line_control: Option<String>,
    /// The code as the claim submitted it (SVC06), when the payer paid the line under
    /// another code.
    pub submitted_code: Option<String>,
    /// Charge.
    pub charge_cents: i64,
    /// Paid.
    pub paid_cents: i64,
    /// Units paid.
    pub units: u32,
    /// Date of service.
    pub date: Option<NaiveDate>,
    /// The payer's allowed amount (AMT*B6), if given.
    pub allowed_cents: Option<i64>,
    /// Adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Remark codes (LQ*HE).
    pub remarks: Vec<String>,
}

impl RemitLine {
    /// What the patient owes on this line (PR adjustments).
    pub fn patient_resp_cents(&self) -> i64 {
        self.adjustments
            .iter()
            .filter(|a| a.group == "PR")
            .fold(0i64, |sum, a| sum.saturating_add(a.cents))
    }

    /// Whether the payer denied the line: nothing paid and nothing left to the patient. A
    /// line a secondary payer paid nothing on because the primary's payment covered it
    /// (OA-23, the impact of prior payers' adjudication) is settled, not denied.
    pub fn denied(&self) -> bool {
        let prior_payer_settled =
            !self.adjustments.is_empty() && self.adjustments.iter().all(|a| a.group == "OA" && a.reason == "23");
        self.paid_cents == 0 && self.patient_resp_cents() == 0 && self.charge_cents > 0 && !prior_payer_settled
    }
}

/// Reads an 835 file: one remittance per payment (ST/SE transaction), in file order.
/// Anything malformed is an error naming the segment; nothing is guessed.
pub fn parse_835(bytes: &[u8]) -> Result<Vec<Remittance>, X12Error> {
    let segs = segments(bytes)?;
    let guide = version(&segs);
    let st = segs.iter().find(|s| s.id == "ST");
    if st.map(|s| s.element(1)) != Some("835") || !guide.starts_with("005010X221") {
        return Err(X12Error::WrongTransaction {
            expected: "an 835 remittance (005010X221A1)",
            found: match st {
                Some(st) => format!("a {} transaction ({guide})", st.element(1)),
                None => "no transaction".into(),
            },
        });
    }
    // The envelope is checked already: every ST has its SE.
    let mut payments = Vec::new();
    let mut start = None;
    for (i, s) in segs.iter().enumerate() {
        match s.id {
            "ST" => {
                if s.element(1) != "835" {
                    return Err(s.error(format!("a {} transaction inside an 835 file", s.element(1))));
                }
                start = Some(i);
            }
            "SE" => {
                if let Some(from) = start.take() {
                    payments.push(parse_payment(&segs[from..=i])?);
                }
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        payments.push(parse_payment(&segs[from..])?);
    }
    Ok(payments)
}

/// Reads one payment: the segments of one ST/SE transaction.
fn parse_payment(segs: &[Segment<'_>]) -> Result<Remittance, X12Error> {
    let mut r = Remittance::default();
    let mut provider_adjusted = 0i64;
    let mut in_payee = false;
    let mut saw_bpr = false;
    for s in segs {
        match s.id {
            "BPR" => {
                saw_bpr = true;
                r.total_paid_cents = s.amount(2, "the payment total (BPR02)")?;
                r.paid_on = optional_date(s, 16)?;
            }
            "TRN" => r.trace_number = s.element(2).to_owned(),
            "N1" => {
                in_payee = s.element(1) == "PE";
                match s.element(1) {
                    "PR" => {
                        r.payer_name = s.element(2).to_owned();
                        if r.payer_id.is_empty() {
                            r.payer_id = s.element(4).to_owned();
                        }
                    }
                    "PE" if s.element(3) == "XX" => r.payee_npi = s.element(4).to_owned(),
                    _ => {}
                }
            }
            "REF" if s.element(1) == "2U" && !in_payee => r.payer_id = s.element(2).to_owned(),
            "CLP" => r.claims.push(claim(s)?),
            "NM1" if s.element(1) == "TT" => {
                current_claim(&mut r, s)?.crossover_payer = Some(s.element(3).to_owned());
            }
            "SVC" => current_claim(&mut r, s)?.lines.push(line(s)?),
            "CAS" => {
                let adjustments = cas(s)?;
                let claim = current_claim(&mut r, s)?;
                match claim.lines.last_mut() {
                    Some(line) => line.adjustments.extend(adjustments),
                    None => claim.adjustments.extend(adjustments),
                }
            }
            "DTM" if s.element(1) == "472" => {
                let date = optional_date(s, 2)?;
                if let Some(line) = r.claims.last_mut().and_then(|c| c.lines.last_mut()) {
                    line.date = date;
                }
            }
            "REF" if s.element(1) == "6R" => {
                if let Some(line) = r.claims.last_mut().and_then(|c| c.lines.last_mut()) {
                    line.line_control = Some(s.element(2).to_owned());
                }
            }
            "AMT" if s.element(1) == "B6" => {
                let allowed = s.amount(2, "the allowed amount (AMT02)")?;
                if let Some(line) = r.claims.last_mut().and_then(|c| c.lines.last_mut()) {
                    line.allowed_cents = Some(allowed);
                }
            }
            "LQ" if s.element(1) == "HE" => {
                let line = current_claim(&mut r, s)?
                    .lines
                    .last_mut()
                    .ok_or_else(|| s.error("a line remark before any service line"))?;
                line.remarks.push(s.element(2).to_owned());
            }
            "MOA" | "MIA" => {
                // MOA03-07, or MIA05 and MIA20-23: the remark codes.
                let elements: &[usize] = if s.id == "MOA" {
                    &[3, 4, 5, 6, 7]
                } else {
                    &[5, 20, 21, 22, 23]
                };
                let remarks: Vec<String> = elements
                    .iter()
                    .map(|&n| s.element(n).to_owned())
                    .filter(|c| !c.is_empty())
                    .collect();
                current_claim(&mut r, s)?.remarks.extend(remarks);
            }
            "PLB" => {
                // PLB03/04 to PLB13/14: up to six (reason:reference, amount) pairs.
                for n in (3..=13).step_by(2) {
                    if s.element(n).is_empty() {
                        continue;
                    }
                    let identifier = s.components(n);
                    let cents = s.amount(n + 1, "a provider adjustment (PLB)")?;
                    provider_adjusted = provider_adjusted
                        .checked_add(cents)
                        .ok_or_else(|| s.error("the provider adjustments are too large"))?;
                    r.provider_adjustments.push(ProviderAdjustment {
                        reason: identifier.first().copied().unwrap_or_default().to_owned(),
                        reference: identifier.get(1).copied().unwrap_or_default().to_owned(),
                        cents,
                    });
                }
            }
            _ => {}
        }
    }
    if !saw_bpr {
        return Err(X12Error::Truncated { missing: "BPR" });
    }
    // Summed wide: a hostile file of many huge amounts must not overflow.
    let paid: i128 = r.claims.iter().map(|c| i128::from(c.paid_cents)).sum();
    if paid - i128::from(provider_adjusted) != i128::from(r.total_paid_cents) {
        return Err(X12Error::Bad {
            index: segs.first().map_or(0, |s| s.index),
            id: "BPR".into(),
            reason: format!(
                "payment {}: the payment total {} does not equal the claims paid {} less provider adjustments {}: the file does not balance",
                r.trace_number,
                amount(r.total_paid_cents),
                amount(i64::try_from(paid).unwrap_or(i64::MAX)),
                amount(provider_adjusted)
            ),
        });
    }
    Ok(r)
}

fn current_claim<'r>(r: &'r mut Remittance, s: &Segment<'_>) -> Result<&'r mut RemitClaim, X12Error> {
    r.claims.last_mut().ok_or_else(|| s.error("found before any CLP claim"))
}

fn claim(s: &Segment<'_>) -> Result<RemitClaim, X12Error> {
    if s.element(1).is_empty() {
        return Err(s.error("the claim has no control number (CLP01)"));
    }
    Ok(RemitClaim {
        control_number: s.element(1).to_owned(),
        status_code: s.element(2).to_owned(),
        charge_cents: s.amount(3, "the claim charge (CLP03)")?,
        paid_cents: s.amount(4, "the claim payment (CLP04)")?,
        patient_resp_cents: s.amount_or_zero(5, "the patient responsibility (CLP05)")?,
        payer_claim_number: s.element(7).to_owned(),
        ..RemitClaim::default()
    })
}

fn line(s: &Segment<'_>) -> Result<RemitLine, X12Error> {
    let procedure = s.components(1);
    let Some(code) = procedure.get(1).filter(|c| !c.is_empty()) else {
        return Err(s.error("the service line has no procedure code (SVC01)"));
    };
    let units = match s.element(5) {
        "" => 1,
        u => u
            .parse::<u32>()
            .ok()
            .or_else(|| {
                u.split_once('.')
                    .filter(|(_, f)| f.bytes().all(|b| b == b'0'))
                    .and_then(|(w, _)| w.parse().ok())
            })
            .ok_or_else(|| s.error(format!("the units ({u:?}) are not a whole number")))?,
    };
    Ok(RemitLine {
        code: (*code).to_owned(),
        modifiers: procedure
            .iter()
            .skip(2)
            .filter(|m| !m.is_empty())
            .map(|m| Modifier::parse(m).map_err(|e| s.error(format!("SVC01: {e}"))))
            .collect::<Result<_, _>>()?,
        charge_cents: s.amount(2, "the line charge (SVC02)")?,
        paid_cents: s.amount(3, "the line payment (SVC03)")?,
        units,
        submitted_code: s
            .components(6)
            .get(1)
            .filter(|c| !c.is_empty())
            .map(|c| (*c).to_owned()),
        ..RemitLine::default()
    })
}

fn cas(s: &Segment<'_>) -> Result<Vec<Adjustment>, X12Error> {
    let group = s.element(1);
    if !["CO", "PR", "OA", "PI", "CR"].contains(&group) {
        return Err(s.error(format!("{group:?} is not an adjustment group code")));
    }
    let mut out = Vec::new();
    for n in (2..=17).step_by(3) {
        if s.element(n).is_empty() {
            continue;
        }
        out.push(Adjustment {
            group: group.to_owned(),
            reason: s.element(n).to_owned(),
            cents: s.amount(n + 1, "an adjustment amount")?,
        });
    }
    if out.is_empty() {
        return Err(s.error("an adjustment with no reason code"));
    }
    Ok(out)
}

fn optional_date(s: &Segment<'_>, n: usize) -> Result<Option<NaiveDate>, X12Error> {
    match s.element(n) {
        "" => Ok(None),
        d => NaiveDate::parse_from_str(d, "%Y%m%d")
            .map(Some)
            .map_err(|_| s.error(format!("{d:?} is not a CCYYMMDD date"))),
    }
}

/// The envelope of an 835 being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemitEnvelope {
    /// The payer's interchange id (ISA06).
    pub sender_id: String,
    /// The payee's interchange id (ISA08).
    pub receiver_id: String,
    /// Interchange control number.
    pub control_number: u32,
    /// When the file was made.
    pub created: NaiveDateTime,
}

/// Writes remittances as one 835 interchange, a payment (ST/SE transaction) each (for
/// tests, benchmarks and the demo clinic; Stride itself never sends 835s).
pub fn write_835(envelope: &RemitEnvelope, payments: &[Remittance]) -> String {
    let mut w = SegmentWriter::new();
    w.headers(&Header {
        functional_id: "HP",
        guide: "005010X221A1",
        sender: &envelope.sender_id,
        receiver: &envelope.receiver_id,
        control: envelope.control_number,
        created: envelope.created,
        production: true,
    });
    for (n, r) in payments.iter().enumerate() {
        write_payment(&mut w, envelope, r, &format!("{:04}", n + 1));
    }
    w.trailers(payments.len(), envelope.control_number);
    w.finish()
}

fn write_payment(w: &mut SegmentWriter, envelope: &RemitEnvelope, r: &Remittance, st_control: &str) {
    let date8_created = envelope.created.format("%Y%m%d").to_string();
    w.begin_transaction();
    w.segment("ST", &["835", st_control]);
    let paid_on = r.paid_on.map(date8).unwrap_or_else(|| date8_created.clone());
    let method = if r.total_paid_cents > 0 {
        ["C", "ACH", "CCP"]
    } else {
        ["H", "NON", ""]
    };
    let mut bpr = vec![method[0], "", "C", method[1], method[2]];
    let total = amount(r.total_paid_cents);
    bpr[1] = &total;
    let bank: [&str; 10] = if r.total_paid_cents > 0 {
        [
            "01",
            "999999992",
            "DA",
            "123456",
            "1512345678",
            "",
            "01",
            "999988880",
            "DA",
            "98765",
        ]
    } else {
        [""; 10]
    };
    bpr.extend(bank);
    bpr.push(&paid_on);
    w.segment("BPR", &bpr);
    w.segment("TRN", &["1", &text(&r.trace_number, 50), "1512345678"]);
    w.segment("DTM", &["405", &paid_on]);
    w.segment("N1", &["PR", &text(&r.payer_name, 60)]);
    w.segment("N3", &["PO BOX 1000"]);
    w.segment("N4", &["ANYTOWN", "CA", "940000000"]);
    w.segment("REF", &["2U", &text(&r.payer_id, 50)]);
    w.segment("PER", &["BL", "PROVIDER SERVICES", "TE", "8005551212"]);
    w.segment("N1", &["PE", "PAYEE", "XX", &r.payee_npi]);
    if !r.claims.is_empty() {
        w.segment("LX", &["1"]);
    }
    for c in &r.claims {
        w.segment(
            "CLP",
            &[
                &text(&c.control_number, 38),
                &c.status_code,
                &amount(c.charge_cents),
                &amount(c.paid_cents),
                &amount(c.patient_resp_cents),
                "MB",
                &text(&c.payer_claim_number, 50),
                "11",
                "1",
            ],
        );
        write_adjustments(w, &c.adjustments);
        w.segment("NM1", &["QC", "1", "PATIENT", "", "", "", "", "MI", "UNKNOWN"]);
        if let Some(carrier) = &c.crossover_payer {
            w.segment(
                "NM1",
                &["TT", "2", &text(carrier, 60), "", "", "", "", "PI", "CROSSOVER"],
            );
        }
        if !c.remarks.is_empty() {
            let mut moa = vec!["", ""];
            moa.extend(c.remarks.iter().take(5).map(String::as_str));
            w.segment("MOA", &moa);
        }
        for l in &c.lines {
            let mut procedure = vec!["HC", l.code.as_str()];
            procedure.extend(l.modifiers.iter().map(Modifier::as_str));
            let mut elements = vec![
                composite(&procedure),
                amount(l.charge_cents),
                amount(l.paid_cents),
                String::new(),
                l.units.to_string(),
            ];
            if let Some(submitted) = &l.submitted_code {
                elements.push(composite(&["HC", submitted]));
            }
            let elements: Vec<&str> = elements.iter().map(String::as_str).collect();
            w.segment("SVC", &elements);
            if let Some(date) = l.date {
                w.segment("DTM", &["472", &date8(date)]);
            }
            write_adjustments(w, &l.adjustments);
            if let Some(control) = &l.line_control {
                w.segment("REF", &["6R", &text(control, 50)]);
            }
            if let Some(allowed) = l.allowed_cents {
                w.segment("AMT", &["B6", &amount(allowed)]);
            }
            for remark in &l.remarks {
                w.segment("LQ", &["HE", remark]);
            }
        }
    }
    let year_end = format!("{}1231", &paid_on[..4]);
    for six in r.provider_adjustments.chunks(6) {
        let mut elements = vec!["1512345678".to_owned(), year_end.clone()];
        for a in six {
            elements.push(composite(&[&a.reason, &text(&a.reference, 50)]));
            elements.push(amount(a.cents));
        }
        let elements: Vec<&str> = elements.iter().map(String::as_str).collect();
        w.segment("PLB", &elements);
    }
    let count = (w.transaction_segments() + 1).to_string();
    w.segment("SE", &[&count, st_control]);
}
