//! The 837P professional claim (005010X222A1): a batch of claims as data, written as one
//! interchange. The structure, loop by loop:
//!
//! ```text
//! ISA GS ST BHT
//!   1000A submitter (NM1*41, PER)   1000B receiver (NM1*40)
//!   2000A billing provider HL: PRV, 2010AA NM1*85 N3 N4 REF*EI
//!     2000B subscriber HL (one per claim): SBR, 2010BA NM1*IL N3 N4 DMG, 2010BB NM1*PR
//!       2300 claim: CLM, HI, 2310A NM1*DN referring, 2310B NM1*82 rendering + PRV
//!         2320 other payer (secondary claims): SBR AMT*D OI, 2330A NM1*IL, 2330B NM1*PR
//!         2400 line: LX SV1 DTP*472, 2430 prior payer's adjudication: SVD CAS DTP*573
//! SE GE IEA
//! ```
//!
//! The patient is always the subscriber here (no 2000C loop): Stride records coverage
//! in the patient's own name.

use super::amount;
use super::write::{Header, SegmentWriter, composite, date8, digits, text};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use stride_coding::Modifier;

/// The interchange's envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Envelope {
    /// The submitter's id with the clearinghouse (ISA06, GS02, 1000A).
    pub sender_id: String,
    /// The clearinghouse or payer receiving the file (ISA08, GS03, 1000B).
    pub receiver_id: String,
    /// The receiver's name.
    pub receiver_name: String,
    /// Interchange control number (ISA13), 1 to 999,999,999.
    pub control_number: u32,
    /// When the file was made.
    pub created: NaiveDateTime,
    /// Production (`P`) or test (`T`) data.
    pub production: bool,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    /// Street line.
    pub line: String,
    /// City.
    pub city: String,
    /// Two-letter state code.
    pub state: String,
    /// ZIP (5 or 9 digits).
    pub zip: String,
}

/// A person's name as claims carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PersonName {
    /// Family name.
    pub last: String,
    /// Given name.
    pub first: String,
}

/// The clinic that bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingProvider {
    /// Organization name.
    pub name: String,
    /// Type 2 (organization) NPI.
    pub npi: String,
    /// Employer identification number.
    pub tax_id: String,
    /// Physical address (no PO box), 9-digit ZIP.
    pub address: Address,
    /// Provider taxonomy (225100000X for physical therapists).
    pub taxonomy: String,
    /// Billing contact name.
    pub contact_name: String,
    /// Billing contact phone, 10 digits.
    pub contact_phone: String,
}

/// An individual provider on a claim (referring or rendering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// Name.
    pub name: PersonName,
    /// Type 1 (individual) NPI.
    pub npi: String,
}

/// A payer as a claim names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayerId {
    /// Name.
    pub name: String,
    /// The payer's electronic id.
    pub id: String,
}

/// The insured (here always the patient).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscriber {
    /// Name.
    pub name: PersonName,
    /// Member id.
    pub member_id: String,
    /// Group number, if any.
    pub group_no: Option<String>,
    /// Address.
    pub address: Address,
    /// Date of birth.
    pub dob: NaiveDate,
    /// `F`, `M` or `U`.
    pub sex: char,
}

/// Which payer this claim goes to, in the order of coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Responsibility {
    /// The primary payer.
    Primary,
    /// The secondary payer, after the primary adjudicated.
    Secondary,
    /// The tertiary payer.
    Tertiary,
}

impl Responsibility {
    fn code(self) -> &'static str {
        match self {
            Responsibility::Primary => "P",
            Responsibility::Secondary => "S",
            Responsibility::Tertiary => "T",
        }
    }

    /// From a coverage priority (1, 2, 3).
    pub fn from_priority(priority: u8) -> Responsibility {
        match priority {
            1 => Responsibility::Primary,
            2 => Responsibility::Secondary,
            _ => Responsibility::Tertiary,
        }
    }
}

/// One adjustment from a payer's adjudication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// Group code: CO, PR, OA, PI, CR.
    pub group: String,
    /// Claim adjustment reason code.
    pub reason: String,
    /// Amount in cents.
    pub cents: i64,
}

/// How an earlier payer settled the claim, sent with a secondary claim (loop 2320/2330).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorPayer {
    /// That payer's place in the coverage order.
    pub responsibility: Responsibility,
    /// Its claim filing indicator (SBR09).
    pub claim_filing: String,
    /// The payer.
    pub payer: PayerId,
    /// The patient's member id with that payer.
    pub member_id: String,
    /// Group number with that payer.
    pub group_no: Option<String>,
    /// What it paid on the claim.
    pub paid_cents: i64,
    /// When it adjudicated.
    pub adjudicated_on: NaiveDate,
}

/// How an earlier payer settled one line (loop 2430).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineAdjudication {
    /// The earlier payer's id (matches [`PriorPayer::payer`]).
    pub payer_id: String,
    /// What it paid.
    pub paid_cents: i64,
    /// Units it paid.
    pub units: u32,
    /// Its adjustments.
    pub adjustments: Vec<Adjustment>,
    /// When it adjudicated.
    pub adjudicated_on: NaiveDate,
}

/// One service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLine {
    /// CPT or HCPCS code.
    pub code: String,
    /// Up to four modifiers, in claim order.
    pub modifiers: Vec<Modifier>,
    /// Charge for all units.
    pub charge_cents: i64,
    /// Units.
    pub units: u32,
    /// Pointers (1-12) into the claim's diagnoses, up to four.
    pub diagnosis_pointers: Vec<u8>,
    /// Date of service (one per line for timed therapy codes).
    pub date: NaiveDate,
    /// Earlier payers' adjudication of this line (secondary claims).
    pub prior: Vec<LineAdjudication>,
}

/// One claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfessionalClaim {
    /// Patient control number (CLM01), up to 20 characters; the 835 echoes it.
    pub control_number: String,
    /// Which payer this claim is for.
    pub responsibility: Responsibility,
    /// Claim filing indicator (SBR09): MB Medicare Part B, CI commercial, BL Blue Cross, ...
    pub claim_filing: String,
    /// The insured patient.
    pub subscriber: Subscriber,
    /// The payer.
    pub payer: PayerId,
    /// Place of service (11 office, 12 home, ...).
    pub place_of_service: String,
    /// Claim frequency: 1 original, 7 replacement, 8 void.
    pub frequency: char,
    /// ICD-10-CM codes in priority order (1 to 12), with or without the dot.
    pub diagnoses: Vec<String>,
    /// The referring or certifying physician.
    pub referring: Option<Provider>,
    /// The physical therapist who rendered (or supervised) the services.
    pub rendering: Provider,
    /// The rendering provider's taxonomy.
    pub rendering_taxonomy: String,
    /// Prior authorization number, if any.
    pub prior_authorization: Option<String>,
    /// The payer's own number for this claim (its 835's CLP07), when this is a corrected
    /// claim replacing one the payer already processed (frequency 7).
    pub payer_claim_number: Option<String>,
    /// Earlier payers (secondary and tertiary claims).
    pub prior_payers: Vec<PriorPayer>,
    /// Service lines, 1 to 50.
    pub lines: Vec<ServiceLine>,
}

impl ProfessionalClaim {
    /// The claim's total charge: the sum of its lines.
    pub fn total_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.charge_cents).sum()
    }
}

/// The implementation guide this writer follows.
const GUIDE: &str = "005010X222A1";
/// The most lines one 837P claim may carry.
pub const MAX_LINES: usize = 50;
/// The most diagnoses one 837P claim may carry.
pub const MAX_DIAGNOSES: usize = 12;
/// Claims per transaction set: the implementation guide recommends at most 5,000.
const CLAIMS_PER_TRANSACTION: usize = 5000;

/// What makes a batch unwritable. The scrubber catches these first; this is the last
/// line of defence, so a broken file is never produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// Nothing to write.
    #[error("there are no claims to export")]
    NoClaims,
    /// One claim cannot be written.
    #[error("claim {control_number}: {reason}")]
    Claim {
        /// Its control number.
        control_number: String,
        /// What is wrong.
        reason: String,
    },
    /// The envelope is incomplete.
    #[error("the file's envelope: {0}")]
    Envelope(String),
}

/// Writes a batch of claims as one 837P interchange.
pub fn write_837p(
    envelope: &Envelope,
    provider: &BillingProvider,
    claims: &[ProfessionalClaim],
) -> Result<String, WriteError> {
    if claims.is_empty() {
        return Err(WriteError::NoClaims);
    }
    check_envelope(envelope, provider)?;
    for c in claims {
        check_claim(c)?;
    }
    let mut w = SegmentWriter::new();
    w.headers(&Header {
        functional_id: "HC",
        guide: GUIDE,
        sender: &envelope.sender_id,
        receiver: &envelope.receiver_id,
        control: envelope.control_number,
        created: envelope.created,
        production: envelope.production,
    });
    let date8 = envelope.created.format("%Y%m%d").to_string();
    let time = envelope.created.format("%H%M").to_string();
    let control = format!("{:09}", envelope.control_number);
    let chunks: Vec<&[ProfessionalClaim]> = claims.chunks(CLAIMS_PER_TRANSACTION).collect();
    for (n, chunk) in chunks.iter().enumerate() {
        let st_control = format!("{:04}", n + 1);
        w.begin_transaction();
        w.segment("ST", &["837", &st_control, GUIDE]);
        w.segment(
            "BHT",
            &["0019", "00", &format!("{control}{:04}", n + 1), &date8, &time, "CH"],
        );
        write_parties(&mut w, envelope, provider);
        for (i, claim) in chunk.iter().enumerate() {
            write_claim(&mut w, claim, i + 2);
        }
        let count = (w.transaction_segments() + 1).to_string();
        w.segment("SE", &[&count, &st_control]);
    }
    w.trailers(chunks.len(), envelope.control_number);
    Ok(w.finish())
}

fn write_parties(w: &mut SegmentWriter, envelope: &Envelope, p: &BillingProvider) {
    let name = text(&p.name, 60);
    w.segment(
        "NM1",
        &["41", "2", &name, "", "", "", "", "46", &text(&envelope.sender_id, 80)],
    );
    w.segment(
        "PER",
        &["IC", &text(&p.contact_name, 60), "TE", &digits(&p.contact_phone)],
    );
    w.segment(
        "NM1",
        &[
            "40",
            "2",
            &text(&envelope.receiver_name, 60),
            "",
            "",
            "",
            "",
            "46",
            &text(&envelope.receiver_id, 80),
        ],
    );
    w.segment("HL", &["1", "", "20", "1"]);
    w.segment("PRV", &["BI", "PXC", &text(&p.taxonomy, 50)]);
    w.segment("NM1", &["85", "2", &name, "", "", "", "", "XX", &digits(&p.npi)]);
    write_address(w, &p.address);
    w.segment("REF", &["EI", &digits(&p.tax_id)]);
}

fn write_address(w: &mut SegmentWriter, a: &Address) {
    w.segment("N3", &[&text(&a.line, 55)]);
    w.segment("N4", &[&text(&a.city, 30), &text(&a.state, 2), &digits(&a.zip)]);
}

fn write_person(w: &mut SegmentWriter, entity: &str, name: &PersonName, qualifier: &str, id: &str) {
    w.segment(
        "NM1",
        &[
            entity,
            "1",
            &text(&name.last, 60),
            &text(&name.first, 35),
            "",
            "",
            "",
            qualifier,
            id,
        ],
    );
}

/// The SBR of a payer in the coverage order (the claim's own, or an earlier payer's).
fn write_sbr(w: &mut SegmentWriter, responsibility: Responsibility, group_no: Option<&str>, claim_filing: &str) {
    let group = group_no.map(|g| text(g, 50)).unwrap_or_default();
    w.segment(
        "SBR",
        &[responsibility.code(), "18", &group, "", "", "", "", "", claim_filing],
    );
}

fn write_claim(w: &mut SegmentWriter, c: &ProfessionalClaim, hl: usize) {
    let s = &c.subscriber;
    w.segment("HL", &[&hl.to_string(), "1", "22", "0"]);
    write_sbr(w, c.responsibility, s.group_no.as_deref(), &c.claim_filing);
    write_person(w, "IL", &s.name, "MI", &text(&s.member_id, 80));
    write_address(w, &s.address);
    w.segment("DMG", &["D8", &date8(s.dob), &s.sex.to_string()]);
    w.segment(
        "NM1",
        &[
            "PR",
            "2",
            &text(&c.payer.name, 60),
            "",
            "",
            "",
            "",
            "PI",
            &text(&c.payer.id, 80),
        ],
    );

    let place = composite(&[&c.place_of_service, "B", &c.frequency.to_string()]);
    w.segment(
        "CLM",
        &[
            &text(&c.control_number, 20),
            &amount(c.total_cents()),
            "",
            "",
            &place,
            "Y",
            "A",
            "Y",
            "Y",
        ],
    );
    if let Some(auth) = &c.prior_authorization {
        w.segment("REF", &["G1", &text(auth, 50)]);
    }
    if let Some(original) = &c.payer_claim_number {
        w.segment("REF", &["F8", &text(original, 50)]);
    }
    let diagnoses: Vec<String> = c
        .diagnoses
        .iter()
        .enumerate()
        .map(|(i, d)| composite(&[if i == 0 { "ABK" } else { "ABF" }, &icd(d)]))
        .collect();
    let diagnoses: Vec<&str> = diagnoses.iter().map(String::as_str).collect();
    w.segment("HI", &diagnoses);
    if let Some(r) = &c.referring {
        write_person(w, "DN", &r.name, "XX", &digits(&r.npi));
    }
    write_person(w, "82", &c.rendering.name, "XX", &digits(&c.rendering.npi));
    w.segment("PRV", &["PE", "PXC", &text(&c.rendering_taxonomy, 50)]);
    for prior in &c.prior_payers {
        write_sbr(w, prior.responsibility, prior.group_no.as_deref(), &prior.claim_filing);
        w.segment("AMT", &["D", &amount(prior.paid_cents)]);
        w.segment("OI", &["", "", "Y", "", "", "Y"]);
        write_person(w, "IL", &s.name, "MI", &text(&prior.member_id, 80));
        w.segment(
            "NM1",
            &[
                "PR",
                "2",
                &text(&prior.payer.name, 60),
                "",
                "",
                "",
                "",
                "PI",
                &text(&prior.payer.id, 80),
            ],
        );
        w.segment("DTP", &["573", "D8", &date8(prior.adjudicated_on)]);
    }
    for (n, line) in c.lines.iter().enumerate() {
        write_line(w, line, &c.control_number, n + 1);
    }
}

/// A claim line's control number (REF*6R in loop 2400, at most 50 characters): the claim's
/// control number and the line's position. Payers return it in the 835 (loop 2110), and
/// posting matches lines by it first.
pub fn line_control_number(claim_control: &str, position: usize) -> String {
    format!("{claim_control}-{position}")
}

fn write_line(w: &mut SegmentWriter, line: &ServiceLine, claim_control: &str, number: usize) {
    w.segment("LX", &[&number.to_string()]);
    let mut procedure = vec!["HC", line.code.as_str()];
    procedure.extend(line.modifiers.iter().map(Modifier::as_str));
    let pointers: Vec<String> = line.diagnosis_pointers.iter().map(u8::to_string).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    w.segment(
        "SV1",
        &[
            &composite(&procedure),
            &amount(line.charge_cents),
            "UN",
            &line.units.to_string(),
            "",
            "",
            &composite(&pointers),
        ],
    );
    w.segment("DTP", &["472", "D8", &date8(line.date)]);
    w.segment("REF", &["6R", &text(&line_control_number(claim_control, number), 50)]);
    for prior in &line.prior {
        w.segment(
            "SVD",
            &[
                &text(&prior.payer_id, 80),
                &amount(prior.paid_cents),
                &composite(&procedure),
                "",
                &prior.units.to_string(),
            ],
        );
        write_adjustments(w, &prior.adjustments);
        w.segment("DTP", &["573", "D8", &date8(prior.adjudicated_on)]);
    }
}

/// CAS segments: one per group code, up to six reason/amount pairs each.
pub(crate) fn write_adjustments(w: &mut SegmentWriter, adjustments: &[Adjustment]) {
    let mut groups: Vec<&str> = adjustments.iter().map(|a| a.group.as_str()).collect();
    groups.dedup();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let of_group: Vec<&Adjustment> = adjustments.iter().filter(|a| a.group == group).collect();
        for six in of_group.chunks(6) {
            let mut elements = vec![group.to_owned()];
            for a in six {
                elements.push(a.reason.clone());
                elements.push(amount(a.cents));
                elements.push(String::new());
            }
            let elements: Vec<&str> = elements.iter().map(String::as_str).collect();
            w.segment("CAS", &elements);
        }
    }
}

/// An ICD-10-CM code as X12 carries it: upper case, no dot.
fn icd(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn check_envelope(e: &Envelope, p: &BillingProvider) -> Result<(), WriteError> {
    let missing = |what: &str| Err(WriteError::Envelope(format!("{what} is missing")));
    if text(&e.sender_id, 15).is_empty() {
        return missing("the submitter id");
    }
    if text(&e.receiver_id, 15).is_empty() {
        return missing("the receiver id");
    }
    if e.control_number == 0 || e.control_number > 999_999_999 {
        return Err(WriteError::Envelope(
            "the control number must be 1 to 999,999,999".into(),
        ));
    }
    if digits(&p.npi).len() != 10 {
        return missing("the billing provider's NPI");
    }
    if digits(&p.tax_id).len() != 9 {
        return missing("the billing provider's tax id");
    }
    if digits(&p.address.zip).len() != 9 {
        return Err(WriteError::Envelope(
            "the billing provider's ZIP must have 9 digits".into(),
        ));
    }
    if digits(&p.contact_phone).len() != 10 {
        return missing("the billing contact's 10-digit phone");
    }
    Ok(())
}

fn check_claim(c: &ProfessionalClaim) -> Result<(), WriteError> {
    let fail = |reason: String| {
        Err(WriteError::Claim {
            control_number: c.control_number.clone(),
            reason,
        })
    };
    if text(&c.control_number, 20).is_empty() || c.control_number.len() > 20 {
        return fail("the control number must be 1 to 20 characters".into());
    }
    if c.lines.is_empty() || c.lines.len() > MAX_LINES {
        return fail(format!(
            "a claim has 1 to {MAX_LINES} lines, this one {}",
            c.lines.len()
        ));
    }
    if c.diagnoses.is_empty() || c.diagnoses.len() > MAX_DIAGNOSES {
        return fail(format!("a claim has 1 to {MAX_DIAGNOSES} diagnoses"));
    }
    for line in &c.lines {
        if line.units == 0 || line.modifiers.len() > 4 || line.charge_cents < 0 {
            return fail(format!(
                "line {} needs units, at most 4 modifiers and a charge",
                line.code
            ));
        }
        if line.diagnosis_pointers.is_empty()
            || line.diagnosis_pointers.len() > 4
            || line
                .diagnosis_pointers
                .iter()
                .any(|p| *p == 0 || usize::from(*p) > c.diagnoses.len())
        {
            return fail(format!(
                "line {} points at a diagnosis the claim does not have",
                line.code
            ));
        }
    }
    if digits(&c.rendering.npi).len() != 10 {
        return fail("the rendering provider's NPI is missing".into());
    }
    if text(&c.subscriber.member_id, 80).is_empty() || text(&c.payer.id, 80).is_empty() {
        return fail("the member id or the payer id is missing".into());
    }
    Ok(())
}
