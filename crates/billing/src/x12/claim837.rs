//! The 837P professional claim (005010X222A1): a batch of claims as data, written as one
//! interchange. The structure, loop by loop:
//!
//! ```text
//! ISA GS ST BHT
//!   1000A submitter (NM1*41, PER)   1000B receiver (NM1*40)
//!   2000A billing provider HL: PRV, 2010AA NM1*85 (an organization, or a solo
//!         clinician billing under a Type 1 NPI) N3 N4 REF*EI
//!     2000B subscriber HL (one per claim): SBR, 2010BA NM1*IL N3 N4 DMG, 2010BB NM1*PR
//!       2000C patient HL, only when the patient is not the subscriber: PAT, 2010CA NM1*QC
//!         2300 claim: CLM, REF*G1 REF*F8, HI, 2310A NM1*DN referring, 2310B NM1*82
//!              rendering + PRV (only when the rendering NPI is not the billing NPI)
//!           2320 other payer (secondary claims): SBR CAS AMT*D OI MOA, 2330A NM1*IL,
//!                2330B NM1*PR DTP*573
//!           2400 line: LX SV1 DTP*472 REF*G1 REF*6R, 2430 prior payer's adjudication:
//!                SVD CAS DTP*573
//! SE GE IEA
//! ```
//!
//! A secondary claim balances (X12 RFI 1294): each line's charge is the prior payer's
//! line payment plus its line adjustments, and the claim's charge is the prior payer's
//! payment plus every claim-level and line-level adjustment. The writer refuses a claim
//! that does not.

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
    /// Organization name (the practice's name; for a solo clinician, shown to people only).
    pub name: String,
    /// A solo clinician billing in their own name under their Type 1 NPI: the billing
    /// provider is then this person (NM1*85*1), not an organization.
    pub individual: Option<PersonName>,
    /// The NPI the clinic bills under: Type 2 (organization), or the solo clinician's
    /// Type 1.
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

/// How the patient is related to the insured (PAT01 in loop 2000C, SBR02 in 2320).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// The patient is the insured.
    #[serde(rename = "self")]
    SelfInsured,
    /// The insured's spouse.
    Spouse,
    /// The insured's child.
    Child,
    /// The insured's life partner.
    LifePartner,
    /// Any other relationship (a grandchild, a ward, ...).
    Other,
}

impl Relationship {
    /// The X12 individual relationship code.
    pub fn code(self) -> &'static str {
        match self {
            Relationship::SelfInsured => "18",
            Relationship::Spouse => "01",
            Relationship::Child => "19",
            Relationship::LifePartner => "53",
            Relationship::Other => "G8",
        }
    }

    /// Every relationship, the patient's own first.
    pub const ALL: [Relationship; 5] = [
        Relationship::SelfInsured,
        Relationship::Spouse,
        Relationship::Child,
        Relationship::LifePartner,
        Relationship::Other,
    ];

    /// Its stored name (`self`, `spouse`, `child`, `life_partner`, `other`).
    pub fn name(self) -> &'static str {
        match self {
            Relationship::SelfInsured => "self",
            Relationship::Spouse => "spouse",
            Relationship::Child => "child",
            Relationship::LifePartner => "life_partner",
            Relationship::Other => "other",
        }
    }

    /// The patient's relationship to the insured, in words.
    pub fn words(self) -> &'static str {
        match self {
            Relationship::SelfInsured => "the patient is the insured",
            Relationship::Spouse => "spouse of the insured",
            Relationship::Child => "child of the insured",
            Relationship::LifePartner => "life partner of the insured",
            Relationship::Other => "other dependant (grandchild, ward, ...)",
        }
    }

    /// From its stored name.
    pub fn parse(text: &str) -> Option<Relationship> {
        Relationship::ALL.into_iter().find(|r| r.name() == text)
    }
}

/// The patient, when they are not the insured but a dependant on the insured's plan
/// (loop 2000C).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependant {
    /// How the patient is related to the subscriber (never [`Relationship::SelfInsured`]).
    pub relationship: Relationship,
    /// The patient's name.
    pub name: PersonName,
    /// The patient's address.
    pub address: Address,
    /// The patient's date of birth.
    pub dob: NaiveDate,
    /// `F`, `M` or `U`.
    pub sex: char,
}

/// The insured: the patient, or the person whose plan covers the patient.
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

/// The Medicare Secondary Payer types (SBR05) and what each means: why another payer
/// pays before Medicare.
pub const MSP_TYPES: &[(&str, &str)] = &[
    (
        "12",
        "working aged: the patient's or spouse's employer group health plan",
    ),
    ("13", "end-stage renal disease, in the coordination period"),
    ("14", "no-fault insurance, including auto"),
    ("15", "workers' compensation"),
    ("16", "black lung"),
    (
        "41",
        "disability: the patient's or a family member's large group health plan",
    ),
    ("42", "disability: Veterans Affairs"),
    ("43", "disability: large group health plan"),
    ("47", "liability insurance"),
];

/// Whether `code` is a Medicare Secondary Payer type.
pub fn is_msp_type(code: &str) -> bool {
    MSP_TYPES.iter().any(|(c, _)| *c == code)
}

/// Whether a claim needs its Medicare Secondary Payer type: Medicare is the payer, and
/// another pays before it.
pub fn msp_type_required(medicare: bool, responsibility: Responsibility) -> bool {
    medicare && responsibility != Responsibility::Primary
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
    /// How the patient is related to that payer's insured (SBR02).
    pub relationship: Relationship,
    /// That payer's insured (2330A).
    pub subscriber: PersonName,
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
    /// Its claim-level adjustments (the 835's CLP-level CAS), sent in 2320 CAS.
    pub adjustments: Vec<Adjustment>,
    /// Its claim-level remark codes (the 835's MOA), sent in 2320 MOA.
    pub remarks: Vec<String>,
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
    /// Place of service of this line's visit (SV105), when it differs from the claim's.
    pub place_of_service: Option<String>,
    /// The prior authorization covering this line (REF*G1 in 2400), when the claim's
    /// dates fall under different authorizations.
    pub prior_authorization: Option<String>,
    /// What was done, for an unlisted code (SV101-7, up to 80 characters).
    pub description: Option<String>,
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
    /// The insured.
    pub subscriber: Subscriber,
    /// The patient, when not the insured (loop 2000C).
    pub patient: Option<Dependant>,
    /// Medicare Secondary Payer insurance type (SBR05: 12 working aged, 13 ESRD, 14 no-fault,
    /// 15 workers' compensation, 16 black lung, 41, 42, 43 disability, 47 liability),
    /// required when Medicare is not the primary payer.
    pub insurance_type: Option<String>,
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
    /// The payer's own number for this claim (its 835's CLP07), for a corrected claim
    /// replacing one the payer already has (frequency 7) or a void (frequency 8).
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
    write_837p_by_provider(envelope, &[BillingGroup { provider, claims }])
}

/// The claims one billing provider sends.
#[derive(Debug, Clone, Copy)]
pub struct BillingGroup<'a> {
    /// Who bills them (loops 1000A and 2000A).
    pub provider: &'a BillingProvider,
    /// The claims.
    pub claims: &'a [ProfessionalClaim],
}

/// Writes claims from several billing providers (a clinic and a clinician who bills in
/// their own name) as one interchange: each provider's claims in transaction sets of
/// their own, each set naming its provider as submitter and billing provider.
pub fn write_837p_by_provider(envelope: &Envelope, groups: &[BillingGroup<'_>]) -> Result<String, WriteError> {
    if groups.iter().all(|g| g.claims.is_empty()) {
        return Err(WriteError::NoClaims);
    }
    for group in groups {
        check_envelope(envelope, group.provider)?;
        for c in group.claims {
            check_claim(c)?;
        }
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
    let sets: Vec<(&BillingProvider, &[ProfessionalClaim])> = groups
        .iter()
        .flat_map(|g| g.claims.chunks(CLAIMS_PER_TRANSACTION).map(|chunk| (g.provider, chunk)))
        .collect();
    for (n, (provider, chunk)) in sets.iter().enumerate() {
        let st_control = format!("{:04}", n + 1);
        w.begin_transaction();
        w.segment("ST", &["837", &st_control, GUIDE]);
        w.segment(
            "BHT",
            &["0019", "00", &format!("{control}{:04}", n + 1), &date8, &time, "CH"],
        );
        write_parties(&mut w, envelope, provider);
        // HL numbers run through the transaction: 1 is the billing provider.
        let mut hl = 1;
        for claim in chunk.iter() {
            write_claim(&mut w, provider, claim, &mut hl);
        }
        let count = (w.transaction_segments() + 1).to_string();
        w.segment("SE", &[&count, &st_control]);
    }
    w.trailers(sets.len(), envelope.control_number);
    Ok(w.finish())
}

fn write_parties(w: &mut SegmentWriter, envelope: &Envelope, p: &BillingProvider) {
    let sender = text(&envelope.sender_id, 80);
    write_billing_name(w, "41", p, "46", &sender);
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
    write_billing_name(w, "85", p, "XX", &digits(&p.npi));
    write_address(w, &p.address);
    w.segment("REF", &["EI", &digits(&p.tax_id)]);
}

/// The billing provider's NM1 (as submitter or billing provider): a person for a solo
/// clinician billing under a Type 1 NPI, else the organization.
fn write_billing_name(w: &mut SegmentWriter, entity: &str, p: &BillingProvider, qualifier: &str, id: &str) {
    match &p.individual {
        Some(person) => write_person(w, entity, person, qualifier, id),
        None => w.segment("NM1", &[entity, "2", &text(&p.name, 60), "", "", "", "", qualifier, id]),
    }
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

fn write_payer(w: &mut SegmentWriter, payer: &PayerId) {
    w.segment(
        "NM1",
        &[
            "PR",
            "2",
            &text(&payer.name, 60),
            "",
            "",
            "",
            "",
            "PI",
            &text(&payer.id, 80),
        ],
    );
}

fn write_demographics(w: &mut SegmentWriter, dob: NaiveDate, sex: char) {
    w.segment("DMG", &["D8", &date8(dob), &sex.to_string()]);
}

fn write_claim(w: &mut SegmentWriter, provider: &BillingProvider, c: &ProfessionalClaim, hl: &mut usize) {
    let s = &c.subscriber;
    *hl += 1;
    let subscriber_hl = hl.to_string();
    let has_dependant = if c.patient.is_some() { "1" } else { "0" };
    w.segment("HL", &[&subscriber_hl, "1", "22", has_dependant]);
    // SBR02 is "18" (self) when the subscriber is the patient, and left empty when the
    // patient is a dependant (loop 2000C says how they are related).
    let relationship = if c.patient.is_some() { "" } else { "18" };
    let group = s.group_no.as_deref().map(|g| text(g, 50)).unwrap_or_default();
    let insurance_type = c.insurance_type.as_deref().unwrap_or_default();
    w.segment(
        "SBR",
        &[
            c.responsibility.code(),
            relationship,
            &group,
            "",
            insurance_type,
            "",
            "",
            "",
            &c.claim_filing,
        ],
    );
    write_person(w, "IL", &s.name, "MI", &text(&s.member_id, 80));
    write_address(w, &s.address);
    // The subscriber's demographics are sent only when the subscriber is the patient.
    if c.patient.is_none() {
        write_demographics(w, s.dob, s.sex);
    }
    write_payer(w, &c.payer);
    if let Some(patient) = &c.patient {
        *hl += 1;
        w.segment("HL", &[&hl.to_string(), &subscriber_hl, "23", "0"]);
        w.segment("PAT", &[patient.relationship.code()]);
        write_person(w, "QC", &patient.name, "", "");
        write_address(w, &patient.address);
        write_demographics(w, patient.dob, patient.sex);
    }

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
    // 2310B only when someone other than the billing provider rendered (a solo clinician
    // billing under their own NPI is both).
    if digits(&c.rendering.npi) != digits(&provider.npi) {
        write_person(w, "82", &c.rendering.name, "XX", &digits(&c.rendering.npi));
        w.segment("PRV", &["PE", "PXC", &text(&c.rendering_taxonomy, 50)]);
    }
    for prior in &c.prior_payers {
        write_prior_payer(w, prior);
    }
    for (n, line) in c.lines.iter().enumerate() {
        write_line(w, line, &c.control_number, n + 1);
    }
}

/// Loops 2320 and 2330A/B: an earlier payer and how it settled the claim.
fn write_prior_payer(w: &mut SegmentWriter, prior: &PriorPayer) {
    let group = prior.group_no.as_deref().map(|g| text(g, 50)).unwrap_or_default();
    w.segment(
        "SBR",
        &[
            prior.responsibility.code(),
            prior.relationship.code(),
            &group,
            "",
            "",
            "",
            "",
            "",
            &prior.claim_filing,
        ],
    );
    write_adjustments(w, &prior.adjustments);
    w.segment("AMT", &["D", &amount(prior.paid_cents)]);
    w.segment("OI", &["", "", "Y", "", "", "Y"]);
    if !prior.remarks.is_empty() {
        let mut moa = vec!["", ""];
        moa.extend(prior.remarks.iter().take(5).map(String::as_str));
        w.segment("MOA", &moa);
    }
    write_person(w, "IL", &prior.subscriber, "MI", &text(&prior.member_id, 80));
    write_payer(w, &prior.payer);
    w.segment("DTP", &["573", "D8", &date8(prior.adjudicated_on)]);
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
    let description = line.description.as_deref().map(|d| text(d, 80));
    let mut with_description = procedure.clone();
    if let Some(description) = &description {
        with_description.resize(6, "");
        with_description.push(description);
    }
    let pointers: Vec<String> = line.diagnosis_pointers.iter().map(u8::to_string).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    w.segment(
        "SV1",
        &[
            &composite(&with_description),
            &amount(line.charge_cents),
            "UN",
            &line.units.to_string(),
            line.place_of_service.as_deref().unwrap_or_default(),
            "",
            &composite(&pointers),
        ],
    );
    w.segment("DTP", &["472", "D8", &date8(line.date)]);
    if let Some(auth) = &line.prior_authorization {
        w.segment("REF", &["G1", &text(auth, 50)]);
    }
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

/// Whether a secondary claim's prior adjudication balances (X12 RFI 1294): per line,
/// charge = the prior payer's line payment + its line adjustments; per claim, charge =
/// its claim payment + its claim-level adjustments + every line adjustment. A line the
/// prior payer did not adjudicate carries no 2430 loop, so its charge must be among the
/// claim-level adjustments.
fn check_balance(c: &ProfessionalClaim) -> Result<(), String> {
    let sum = |adjustments: &[Adjustment]| adjustments.iter().map(|a| i128::from(a.cents)).sum::<i128>();
    for prior in &c.prior_payers {
        let mut line_adjusted = 0i128;
        for line in &c.lines {
            for adjudication in line.prior.iter().filter(|a| a.payer_id == prior.payer.id) {
                let adjusted = sum(&adjudication.adjustments);
                if i128::from(adjudication.paid_cents) + adjusted != i128::from(line.charge_cents) {
                    return Err(format!(
                        "line {} on {}: {}'s payment {} and adjustments {} do not add up to the charge {}",
                        line.code,
                        line.date,
                        prior.payer.name,
                        amount(adjudication.paid_cents),
                        amount(i64::try_from(adjusted).unwrap_or(i64::MAX)),
                        amount(line.charge_cents)
                    ));
                }
                line_adjusted += adjusted;
            }
        }
        let accounted = i128::from(prior.paid_cents) + sum(&prior.adjustments) + line_adjusted;
        if accounted != i128::from(c.total_cents()) {
            return Err(format!(
                "{}'s payment {} and adjustments do not add up to the claim's charge {}",
                prior.payer.name,
                amount(prior.paid_cents),
                amount(c.total_cents())
            ));
        }
    }
    Ok(())
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
    for line in &c.lines {
        if stride_coding::is_unlisted(&line.code) && line.description.as_deref().is_none_or(|d| text(d, 80).is_empty())
        {
            return fail(format!(
                "line {} is an unlisted code: it needs a description of the service",
                line.code
            ));
        }
    }
    match (c.frequency, &c.payer_claim_number) {
        ('1', _) => {}
        ('7' | '8', Some(number)) if !text(number, 50).is_empty() => {}
        ('7' | '8', _) => {
            return fail("a corrected or voided claim needs the payer's claim number (REF*F8)".into());
        }
        (other, _) => return fail(format!("claim frequency {other} is not 1, 7 or 8")),
    }
    if c.patient
        .as_ref()
        .is_some_and(|p| p.relationship == Relationship::SelfInsured)
    {
        return fail("a dependant cannot be their own subscriber".into());
    }
    let medicare = matches!(c.claim_filing.as_str(), "MA" | "MB");
    if msp_type_required(medicare, c.responsibility) && !c.insurance_type.as_deref().is_some_and(is_msp_type) {
        return fail("Medicare as a secondary payer needs the Medicare Secondary Payer type (SBR05)".into());
    }
    if let Err(reason) = check_balance(c) {
        return fail(reason);
    }
    if digits(&c.rendering.npi).len() != 10 {
        return fail("the rendering provider's NPI is missing".into());
    }
    if text(&c.subscriber.member_id, 80).is_empty() || text(&c.payer.id, 80).is_empty() {
        return fail("the member id or the payer id is missing".into());
    }
    Ok(())
}
