//! Who may push what: the clinic server's authorization policy for ops, as one table and
//! one pure decision over it. Deny by default: an op type the table does not list is
//! refused, whoever sends it, and a listed op is allowed only to the roles its row names
//! and only with the fields its row lets it change.
//!
//! The decision looks at what the op carries, not only its type:
//! - the fields it changes, against what its change was made on (so a device that is
//!   merely behind is not blamed for others' changes);
//! - fields that only one action may set (who signed a note, who co-signed it), which
//!   must name the person pushing;
//! - fields only the server sets (what a remittance paid), which no op may change;
//! - fields that fix a record's place (its patient, episode, note, author), which never
//!   change after the record is made;
//! - owned rows, which never name another parent.
//!
//! Users, roles, passwords, PINs and the clinic's own settings are not in the table: they
//! change only through the server's admin commands.

use crate::hours::{ClinicHours, Closure};
use crate::kinds::{RecordKind, device_default, kind_for_op, kind_named};
use crate::merge::Image;
use serde_json::Value;

/// The roles a user may hold.
pub const ROLES: &[&str] = &["pt", "pta", "frontdesk", "biller", "admin"];

/// Whether an op makes a record or changes one the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The record must be new.
    New,
    /// The record must exist on the server.
    Existing,
    /// Either (a draft written on two devices, a patient edited before it synced).
    Any,
}

/// Which fields an op may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Any field but the guarded ones.
    Any,
    /// Only these (an entry ending in `/` covers every owned row of that table).
    Only(&'static [&'static str]),
}

/// One row of the policy: an op type, the roles that may push it, and what it may carry.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The op type, exactly.
    pub op_type: &'static str,
    /// The roles allowed (any one suffices).
    pub roles: &'static [&'static str],
    /// New record, existing record, or either.
    pub target: Target,
    /// The fields it may change.
    pub fields: Fields,
}

const CLINICIANS: &[&str] = &["pt", "pta"];
const BILLING: &[&str] = &["biller", "admin"];
const DESK: &[&str] = &["pt", "pta", "frontdesk", "admin"];

/// A patient's billing details: what a biller may keep current.
const PATIENT_BILLING_FIELDS: &[&str] = &[
    "address",
    "city",
    "state",
    "zip",
    "phone",
    "email",
    "outside_therapy_year",
    "outside_therapy_cents",
    "qmb",
];
/// Who a coverage's insured is, and its Medicare Secondary Payer type.
const COVERAGE_INSURED_FIELDS: &[&str] = &[
    "relationship",
    "subscriber_first_name",
    "subscriber_last_name",
    "subscriber_dob",
    "subscriber_sex",
    "subscriber_address",
    "subscriber_city",
    "subscriber_state",
    "subscriber_zip",
    "msp_type",
];
/// The clinic's opening hours and the days it is closed besides them (`clinic.hours`,
/// administrators).
const CLINIC_HOURS_FIELDS: &[&str] = &["opens_at", "closes_at", "open_days", "clinic_closure/"];

/// The clinic's billing details and charges.
const CLINIC_BILLING_FIELDS: &[&str] = &[
    "npi",
    "tax_id",
    "address_line",
    "city",
    "state",
    "zip",
    "phone",
    "billing_contact",
    "taxonomy",
    "submitter_id",
    "receiver_id",
    "receiver_name",
    "place_of_service",
    "billing_clinician_id",
    "clinic_fee/",
];
/// A physician's certification of a plan of care: clerical, so the front desk may
/// record it.
const CERTIFICATION_FIELDS: &[&str] = &["physician_signed_on", "signature_method"];
/// Retiring a phrase or template of the clinic's quick text (its words are never rewritten:
/// a new one replaces it).
const QUICK_TEXT_RETIREMENT_FIELDS: &[&str] = &["retired"];
/// A lifecycle step of a claim (the status itself is checked against the lifecycle by
/// the server, which owns it).
const CLAIM_STEP_FIELDS: &[&str] = &["status", "claim_event/", "submitted_on", "export_batch"];
/// Settling a sync issue.
const RESOLUTION_FIELDS: &[&str] = &["resolved_at", "resolved_by"];
/// Working a denial.
const DENIAL_WORK_FIELDS: &[&str] = &["status"];
/// A note's signature: set only by `note.sign`, naming the signer.
const SIGNATURE_FIELDS: &[&str] = &["signed_by", "signed_at", "content_hash", "cosign_required"];
/// A note's co-signature: set only by `note.cosign`, naming the co-signer.
const COSIGNATURE_FIELDS: &[&str] = &["cosigned_by", "cosigned_at"];
/// What a remittance paid, on a claim and on its lines: set by the server alone.
const REMITTANCE_FIELDS: &[&str] = &[
    "paid_cents",
    "written_off_cents",
    "patient_resp_cents",
    "adjudicated_on",
    "forwarded_to",
];
const REMITTANCE_LINE_FIELDS: &[&str] = &["paid_cents", "written_off_cents", "patient_resp_cents", "adjustments"];
/// Fields that fix where a record belongs and who made it: never changed once made.
const PLACE_FIELDS: &[&str] = &[
    "id",
    "created_at",
    "patient_id",
    "episode_id",
    "note_id",
    "plan_id",
    "claim_id",
    "remittance_id",
    "author_id",
];
/// The field naming who made a record of each kind: on a new record, the person pushing.
const MAKER_FIELDS: &[(&str, &str)] = &[
    ("note", "author_id"),
    ("addendum", "author_id"),
    ("patient_payment", "created_by"),
    ("remittance", "imported_by"),
];
/// Bookkeeping any change may touch.
const ALWAYS_WRITABLE: &[&str] = &["updated_at"];

const fn rule(op_type: &'static str, roles: &'static [&'static str], target: Target, fields: Fields) -> Rule {
    Rule {
        op_type,
        roles,
        target,
        fields,
    }
}

/// The policy: every op type the server accepts, by role. Anything else is refused.
pub const RULES: &[Rule] = &[
    // The front desk's and everyone's records.
    rule("patient.create", DESK, Target::New, Fields::Any),
    rule("patient.update", DESK, Target::Any, Fields::Any),
    rule(
        "patient.update",
        BILLING,
        Target::Existing,
        Fields::Only(PATIENT_BILLING_FIELDS),
    ),
    rule(
        "coverage.create",
        &["pt", "pta", "frontdesk", "biller", "admin"],
        Target::New,
        Fields::Any,
    ),
    rule(
        "coverage.update",
        INSURANCE_CLERKS,
        Target::Existing,
        Fields::Only(COVERAGE_INSURED_FIELDS),
    ),
    rule(
        "referring_provider.create",
        &["pt", "frontdesk", "biller", "admin"],
        Target::New,
        Fields::Any,
    ),
    // The clinic's quick text: its PTs and its admin keep it; a retired phrase stays retired.
    rule("quick_text.create", &["pt", "admin"], Target::New, Fields::Any),
    rule(
        "quick_text.update",
        &["pt", "admin"],
        Target::Existing,
        Fields::Only(QUICK_TEXT_RETIREMENT_FIELDS),
    ),
    rule("appointment.create", DESK, Target::New, Fields::Any),
    rule("appointment.update", DESK, Target::Any, Fields::Any),
    rule(
        "authorization.create",
        &["pt", "frontdesk", "biller", "admin"],
        Target::New,
        Fields::Any,
    ),
    // Clinical records: the clinicians'.
    rule("episode.create", &["pt", "pta", "admin"], Target::New, Fields::Any),
    rule("plan_of_care.create", &["pt"], Target::New, Fields::Any),
    rule(
        "plan_of_care.certify",
        &["pt", "frontdesk", "admin"],
        Target::Existing,
        Fields::Only(CERTIFICATION_FIELDS),
    ),
    rule("note.create", CLINICIANS, Target::New, Fields::Any),
    rule("note.update", CLINICIANS, Target::Any, Fields::Any),
    rule("note.sign", CLINICIANS, Target::Any, Fields::Any),
    rule(
        "note.cosign",
        &["pt"],
        Target::Existing,
        Fields::Only(COSIGNATURE_FIELDS),
    ),
    rule("note.addendum", CLINICIANS, Target::New, Fields::Any),
    rule("measure_result.create", CLINICIANS, Target::New, Fields::Any),
    // Billing.
    rule("payer.create", BILLING, Target::New, Fields::Any),
    rule("payer.update", BILLING, Target::Existing, Fields::Any),
    rule(
        "clinic.billing",
        BILLING,
        Target::Existing,
        Fields::Only(CLINIC_BILLING_FIELDS),
    ),
    rule(
        "clinic.hours",
        &["admin"],
        Target::Existing,
        Fields::Only(CLINIC_HOURS_FIELDS),
    ),
    rule("claim.create", BILLING, Target::New, Fields::Any),
    rule("claim.edit", BILLING, Target::Existing, Fields::Any),
    rule(
        "claim.transition",
        BILLING,
        Target::Existing,
        Fields::Only(CLAIM_STEP_FIELDS),
    ),
    rule("remittance.import", BILLING, Target::New, Fields::Any),
    rule(
        "denial.update",
        BILLING,
        Target::Existing,
        Fields::Only(DENIAL_WORK_FIELDS),
    ),
    rule(
        "patient_payment.create",
        &["frontdesk", "biller", "admin"],
        Target::New,
        Fields::Any,
    ),
    // Sync issues are made by the server; people only settle their own.
    rule(
        "sync_issue.resolve",
        ROLES,
        Target::Existing,
        Fields::Only(RESOLUTION_FIELDS),
    ),
];

/// What the decision needs to know about one pushed op.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The op type as sent.
    pub op_type: &'a str,
    /// The roles of the user who made it, as the server holds them.
    pub roles: &'a [String],
    /// That user's id.
    pub actor: &'a str,
    /// The record as the server has it now (`None`: not on the server).
    pub current: Option<&'a Image>,
    /// What the device's change was made on (empty when the server has no such version).
    pub base: &'a Image,
    /// The record as the op left it.
    pub image: &'a Image,
}

/// Decides an op: `Ok` when the table allows it, else the reason it is refused, in words
/// for the person whose change it was.
pub fn decide(req: &Request<'_>) -> Result<(), String> {
    let rules: Vec<&Rule> = RULES.iter().filter(|r| r.op_type == req.op_type).collect();
    if rules.is_empty() {
        return Err(match req.op_type.split('.').next() {
            Some("user" | "clinic") => {
                "users, roles, passwords and the clinic's settings change only on the clinic server".to_owned()
            }
            _ => format!("{:?} is not a change this server accepts from a device", req.op_type),
        });
    }
    let has = |role: &str| req.roles.iter().any(|r| r == role);
    let allowed: Vec<&&Rule> = rules.iter().filter(|r| r.roles.iter().any(|x| has(x))).collect();
    if allowed.is_empty() {
        let mut roles: Vec<&str> = rules.iter().flat_map(|r| r.roles.iter().copied()).collect();
        roles.sort_unstable();
        roles.dedup();
        return Err(format!(
            "{} needs one of these roles: {}",
            req.op_type,
            roles.join(", ")
        ));
    }
    let Some(kind) = kind_for_op(req.op_type).and_then(kind_named) else {
        return Err(format!("{:?} names no kind of record", req.op_type));
    };
    let mut refusal = String::new();
    for rule in allowed {
        match check_rule(rule, kind, req) {
            Ok(()) => return Ok(()),
            Err(why) => refusal = why,
        }
    }
    Err(refusal)
}

/// The fields the op changes: against the version its change was made on, or the
/// server's when the device had none; on a new record, the fields it sets to anything
/// but an empty value. An absent field and a null one are the same, and the same as the
/// value a device's chart gives the field when the clinic's version lacks it
/// (`kinds::device_default`).
fn changed_fields(req: &Request<'_>) -> Vec<String> {
    let kind = kind_for_op(req.op_type).unwrap_or_default();
    let reference = match req.current {
        None => {
            let mut set: Vec<String> = req
                .image
                .iter()
                .filter(|(_, v)| !is_empty(Some(v)))
                .map(|(k, _)| k.clone())
                .collect();
            set.sort_unstable();
            return set;
        }
        Some(current) if req.base.is_empty() => current,
        Some(_) => req.base,
    };
    let mut fields: Vec<String> = req
        .image
        .keys()
        .chain(reference.keys())
        .filter(|f| !same_value(kind, f, req.image, reference))
        .cloned()
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

fn covers(list: &[&str], field: &str) -> bool {
    list.iter()
        .any(|entry| *entry == field || (entry.ends_with('/') && field.starts_with(entry)))
}

/// Whether two versions hold the same value of `field`: absent, null and the device's
/// default for it alike.
fn same_value(kind: &str, field: &str, one: &Image, other: &Image) -> bool {
    let default = device_default(kind, field).map(|d| Value::String(d.to_owned()));
    let read = |image: &Image| value_of(image, field).cloned().or_else(|| default.clone());
    read(one) == read(other)
}

/// A field's value, absent and null alike.
fn value_of<'a>(image: &'a Image, field: &str) -> Option<&'a Value> {
    image.get(field).filter(|v| !v.is_null())
}

fn text<'a>(image: &'a Image, field: &str) -> Option<&'a str> {
    image.get(field).and_then(Value::as_str)
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(s)) => s.is_empty() || s == "[]",
        _ => false,
    }
}

/// Money a new record may carry: nothing, or a zero amount (never text).
fn no_money(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    }
}

fn check_rule(rule: &Rule, kind: &RecordKind, req: &Request<'_>) -> Result<(), String> {
    match (rule.target, req.current) {
        (Target::New, Some(_)) => return Err(format!("{}: that record already exists", rule.op_type)),
        (Target::Existing, None) => return Err(format!("{}: there is no such record on the server", rule.op_type)),
        _ => {}
    }
    if let Some(problem) = req.image.iter().find_map(|(f, v)| kind.field_problem(f, v)) {
        return Err(problem);
    }
    let changed = changed_fields(req);
    let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
    if let Fields::Only(allowed) = rule.fields
        && let Some(field) = changed
            .iter()
            .find(|f| !covers(allowed, f) && !ALWAYS_WRITABLE.contains(f))
    {
        return Err(format!("{} may not change {field}", rule.op_type));
    }
    if req.current.is_some()
        && let Some(field) = changed.iter().find(|f| PLACE_FIELDS.contains(f))
    {
        return Err(format!("a record's {field} never changes once it is made"));
    }
    if let Some((_, field)) = MAKER_FIELDS.iter().find(|(k, _)| *k == kind.name) {
        require_maker(req, field)?;
    }
    match kind.name {
        "note" => check_note(rule.op_type, req, &changed),
        "claim" => check_claim(req, &changed),
        "sync_issue" => check_resolution(req),
        "patient" => check_patient(req, &changed),
        // Retiring is the only change a phrase takes: one retired stays retired.
        "quick_text" if req.current.is_some() => match req.image.get("retired").and_then(|v| v.as_i64()) {
            Some(1) => Ok(()),
            _ => Err("a retired phrase or template stays retired; add a new one instead".into()),
        },
        // Hours the schedule could not read would leave every device with a broken grid.
        "clinic" if rule.op_type == "clinic.hours" => {
            let field = |name: &str| text(req.image, name).unwrap_or_default();
            ClinicHours::parse(field("opens_at"), field("closes_at"), field("open_days"))
                .map_err(|why| format!("the clinic's hours cannot be read: {why}"))?;
            check_closures(req.image)
        }
        "plan_of_care" if rule.op_type == "plan_of_care.certify" => {
            match req.current.is_some_and(|c| !is_empty(c.get("physician_signed_on"))) {
                true => Err("this plan of care is already certified".into()),
                false => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// The days a clinic is closed (`clinic_closure/DAY` rows) must be ones every schedule can
/// read: a calendar date written as stored, and a short reason. (That the field names the
/// row's own day is `RecordKind::field_problem`'s check, as for every owned row.)
fn check_closures(image: &Image) -> Result<(), String> {
    for (field, row) in image.iter().filter(|(f, _)| f.starts_with("clinic_closure/")) {
        let value = |name: &str| row.get(name).and_then(Value::as_str).unwrap_or_default();
        let (_, closure) = Closure::parse(value("day"), value("reason")).map_err(|why| format!("{field}: {why}"))?;
        if closure.day != value("day") {
            return Err(format!("{field}: write the day as {}", closure.day));
        }
    }
    Ok(())
}

/// Who records insurance terms (a coverage's insured, a patient's QMB status): the front
/// desk, billers and administrators, from the card and the eligibility response.
const INSURANCE_CLERKS: &[&str] = &["frontdesk", "biller", "admin"];

/// Whether a patient is a Qualified Medicare Beneficiary decides what the patient may be
/// billed: only an insurance clerk records it, whatever rule lets the rest of the change.
fn check_patient(req: &Request<'_>, changed: &[&str]) -> Result<(), String> {
    let clerk = req.roles.iter().any(|r| INSURANCE_CLERKS.contains(&r.as_str()));
    let sets_qmb = match req.current {
        Some(_) => changed.contains(&"qmb"),
        None => req
            .image
            .get("qmb")
            .is_some_and(|v| !is_empty(Some(v)) && v.as_i64() != Some(0)),
    };
    if sets_qmb && !clerk {
        return Err("only the front desk, billers and administrators record a patient's QMB status".into());
    }
    Ok(())
}

/// A new record's maker must be the person pushing it.
fn require_maker(req: &Request<'_>, field: &str) -> Result<(), String> {
    if req.current.is_none() && text(req.image, field) != Some(req.actor) {
        return Err(format!("a new record's {field} must be the person who made it"));
    }
    Ok(())
}

/// Where a note may say a goal stands, as stored (`stride_chart::goals::GoalStatus`, which
/// a chart test holds to this list).
pub const GOAL_STATUSES: &[&str] = &["progressing", "partially_met", "met", "not_met", "discontinued"];

/// The longest comment a note may make on a goal, in characters.
pub const GOAL_COMMENT_MAX: usize = 2000;

/// A note's goal assessments (`note_goal/` rows) must be ones a chart can store: a known
/// status and a comment of sensible length. Anything else would fail on every device that
/// pulls it.
fn check_goal_assessments(req: &Request<'_>) -> Result<(), String> {
    for (field, row) in req.image.iter().filter(|(f, _)| f.starts_with("note_goal/")) {
        let status = row.get("status").and_then(Value::as_str).unwrap_or_default();
        if !GOAL_STATUSES.contains(&status) {
            return Err(format!("{field}: {status:?} is not a goal status"));
        }
        let comment = row.get("comment").and_then(Value::as_str).unwrap_or_default();
        if comment.chars().count() > GOAL_COMMENT_MAX {
            return Err(format!(
                "{field}: a goal's comment is longer than {GOAL_COMMENT_MAX} characters"
            ));
        }
    }
    Ok(())
}

fn check_note(op_type: &str, req: &Request<'_>, changed: &[&str]) -> Result<(), String> {
    check_goal_assessments(req)?;
    // On a new record any value at all counts, "" included (a signed_at of "" would be a
    // signature with no signer); cosign_required may be 0.
    let set = |f: &&str| req.image.get(*f).is_some_and(|v| !v.is_null());
    let (signs, cosigns) = match req.current {
        None => (
            SIGNATURE_FIELDS.iter().filter(|f| **f != "cosign_required").any(set),
            COSIGNATURE_FIELDS.iter().any(set),
        ),
        Some(_) => (
            changed.iter().any(|f| SIGNATURE_FIELDS.contains(f)),
            changed.iter().any(|f| COSIGNATURE_FIELDS.contains(f)),
        ),
    };
    let has = |role: &str| req.roles.iter().any(|r| r == role);
    match op_type {
        "note.sign" => {
            if text(req.image, "signed_by") != Some(req.actor) || is_empty(req.image.get("signed_at")) {
                return Err("a signature must name the person signing".into());
            }
            if is_empty(req.image.get("content_hash")) {
                return Err("a signature must carry the note's content hash".into());
            }
            if !has("pt") && req.image.get("cosign_required") != Some(&Value::from(1)) {
                return Err("a PTA's signature needs a PT's co-signature".into());
            }
            if cosigns {
                return Err("a signature cannot carry a co-signature".into());
            }
            // A signature is stored as the device sent it (first signature wins), so what
            // fixes the note's place and its co-signature must be the server's own.
            if let Some(current) = req.current
                && let Some(f) = PLACE_FIELDS
                    .iter()
                    .chain(COSIGNATURE_FIELDS)
                    .find(|f| value_of(req.image, f) != value_of(current, f))
            {
                return Err(format!("a signature cannot change the note's {f}"));
            }
            Ok(())
        }
        "note.cosign" => {
            let Some(current) = req.current else {
                return Err("only a signed note can be co-signed".into());
            };
            if is_empty(current.get("signed_at")) {
                return Err("only a signed note can be co-signed".into());
            }
            if current.get("cosign_required") != Some(&Value::from(1)) {
                return Err("this note does not need a co-signature".into());
            }
            if !is_empty(current.get("cosigned_by")) {
                return Err("this note is already co-signed".into());
            }
            if text(current, "signed_by") == Some(req.actor) {
                return Err("a co-signature must be another PT's".into());
            }
            if text(req.image, "cosigned_by") != Some(req.actor) || is_empty(req.image.get("cosigned_at")) {
                return Err("a co-signature must name the PT co-signing".into());
            }
            Ok(())
        }
        _ if signs => Err("only a signature sets who signed a note".into()),
        _ if cosigns => Err("only a co-signature sets who co-signed a note".into()),
        _ => Ok(()),
    }
}

fn check_claim(req: &Request<'_>, changed: &[&str]) -> Result<(), String> {
    let new = req.current.is_none();
    let money = REMITTANCE_FIELDS
        .iter()
        .copied()
        .find(|f| {
            if new {
                !no_money(req.image.get(*f))
            } else {
                changed.contains(f)
            }
        })
        .or_else(|| {
            changed
                .iter()
                .copied()
                .find(|f| f.starts_with("claim_line/") && line_money_changed(req, f))
        });
    if let Some(f) = money {
        return Err(format!(
            "what a remittance paid is set by the clinic server alone ({f})"
        ));
    }
    let reference = if req.base.is_empty() {
        req.current
    } else {
        Some(req.base)
    };
    let not_draft = |r: Option<&Image>| r.is_some_and(|r| text(r, "status").is_some_and(|s| s != "draft"));
    if (not_draft(reference) || not_draft(req.current))
        && let Some(f) = changed
            .iter()
            .find(|f| f.starts_with("claim_line/") || f.starts_with("claim_diagnosis/"))
    {
        return Err(format!("a claim's lines change only while it is a draft ({f})"));
    }
    // The claim's history is appended to, never rewritten.
    // (Against what the change was made on: two billers adding the same step at once is
    // for the lifecycle to settle, and the merge keeps the server's where they collide.)
    let had = |f: &str| reference.is_some_and(|r| r.contains_key(f));
    if let Some(f) = changed.iter().find(|f| f.starts_with("claim_event/") && had(f)) {
        return Err(format!("a claim's history is only added to ({f})"));
    }
    Ok(())
}

/// Whether a claim line's money fields differ between the op and what it was made on.
fn line_money_changed(req: &Request<'_>, field: &str) -> bool {
    let reference = if req.base.is_empty() {
        req.current
    } else {
        Some(req.base)
    };
    let before = reference.and_then(|r| r.get(field));
    let after = req.image.get(field);
    REMITTANCE_LINE_FIELDS.iter().any(|m| {
        let (b, a) = (before.and_then(|v| v.get(*m)), after.and_then(|v| v.get(*m)));
        match before {
            Some(_) => a != b,
            None => !is_empty(a),
        }
    })
}

fn check_resolution(req: &Request<'_>) -> Result<(), String> {
    let Some(current) = req.current else {
        return Err("there is no such sync issue".into());
    };
    if !may_resolve(req.roles, req.actor, text(current, "user_id")) {
        return Err("a sync issue is settled by the person whose change it was, or an administrator".into());
    }
    if !is_empty(current.get("resolved_at")) {
        return Err("that issue was already resolved".into());
    }
    if text(req.image, "resolved_by") != Some(req.actor) {
        return Err("a resolution must name the person resolving".into());
    }
    Ok(())
}

/// Whether a user may settle a sync issue: it belongs to the person whose change
/// conflicted, and administrators may settle anyone's. The desktop asks the same.
pub fn may_resolve(roles: &[String], actor: &str, owner: Option<&str>) -> bool {
    roles.iter().any(|r| r == "admin") || owner == Some(actor)
}

#[cfg(test)]
mod tests {
    use super::{Fields, Image, RULES, Request, Target, decide};

    fn roles_of(op_type: &str) -> Vec<&'static str> {
        RULES
            .iter()
            .filter(|r| r.op_type == op_type)
            .flat_map(|r| r.roles.iter().copied())
            .collect()
    }

    #[test]
    fn the_table_keeps_each_role_to_its_work() {
        // The front desk writes no clinical record, but records a physician's certification.
        for op in [
            "note.create",
            "note.update",
            "note.sign",
            "note.addendum",
            "measure_result.create",
            "plan_of_care.create",
        ] {
            assert!(!roles_of(op).contains(&"frontdesk"), "{op}");
        }
        assert!(roles_of("plan_of_care.certify").contains(&"frontdesk"));
        // Only a PT co-signs; clinicians alone sign.
        assert_eq!(roles_of("note.cosign"), ["pt"]);
        assert_eq!(roles_of("note.sign"), ["pt", "pta"]);
        // A biller keeps a patient's billing details, and nothing else of the patient.
        let biller_rule = RULES
            .iter()
            .find(|r| r.op_type == "patient.update" && r.roles.contains(&"biller"))
            .expect("biller rule");
        assert!(matches!(biller_rule.fields, Fields::Only(f) if f.contains(&"address") && !f.contains(&"last_name")));
        assert_eq!(biller_rule.target, Target::Existing);
        // Users, roles and the clinic itself are not pushed at all; remittances are made once.
        assert!(
            RULES
                .iter()
                .all(|r| !r.op_type.starts_with("user") && r.op_type != "clinic.create")
        );
        assert!(roles_of("sync_issue.create").is_empty() && roles_of("claim.post").is_empty());
    }

    #[test]
    fn only_an_insurance_clerk_records_qmb_status() {
        let image = |qmb: i64| -> Image {
            serde_json::from_value(serde_json::json!({ "id": "p1", "last_name": "Doe", "qmb": qmb })).expect("image")
        };
        let (before, after) = (image(0), image(1));
        let ask = |role: &str| {
            let roles = vec![role.to_owned()];
            decide(&Request {
                op_type: "patient.update",
                roles: &roles,
                actor: "u1",
                current: Some(&before),
                base: &before,
                image: &after,
            })
        };
        assert!(ask("pt").is_err_and(|e| e.contains("QMB")));
        assert!(ask("pta").is_err());
        assert_eq!(ask("frontdesk"), Ok(()));
        assert_eq!(ask("biller"), Ok(()));
    }

    #[test]
    fn the_clinic_s_quick_text_is_kept_by_its_pts_and_retired_not_rewritten() {
        let phrase = |text: &str, retired: i64| -> Image {
            serde_json::from_value(
                serde_json::json!({ "id": "q1", "shortcut": "hep", "text": text, "retired": retired }),
            )
            .expect("image")
        };
        let ask = |role: &str, op_type: &str, current: Option<&Image>, image: &Image| {
            let roles = vec![role.to_owned()];
            decide(&Request {
                op_type,
                roles: &roles,
                actor: "u1",
                current,
                base: current.unwrap_or(image),
                image,
            })
        };
        let made = phrase("Reviewed the home program.", 0);
        assert_eq!(ask("pt", "quick_text.create", None, &made), Ok(()));
        assert!(ask("frontdesk", "quick_text.create", None, &made).is_err());
        assert!(ask("pta", "quick_text.create", None, &made).is_err());
        assert_eq!(
            ask(
                "admin",
                "quick_text.update",
                Some(&made),
                &phrase("Reviewed the home program.", 1)
            ),
            Ok(())
        );
        assert!(
            ask("pt", "quick_text.update", Some(&made), &phrase("Something else.", 0))
                .is_err_and(|e| e.contains("may not change text"))
        );
        let retired = phrase("Reviewed the home program.", 1);
        assert!(
            ask("admin", "quick_text.update", Some(&retired), &made).is_err_and(|e| e.contains("stays retired")),
            "a retired phrase is not brought back"
        );
    }

    #[test]
    fn only_an_administrator_sets_the_clinic_s_hours_and_only_hours_that_read() {
        let clinic = |opens: &str, closes: &str, days: &str| -> Image {
            serde_json::from_value(serde_json::json!({
                "id": "c1", "name": "Riverside PT", "opens_at": opens, "closes_at": closes, "open_days": days
            }))
            .expect("image")
        };
        let before = clinic("07:00", "19:00", "1,2,3,4,5");
        let ask = |role: &str, image: &Image| {
            let roles = vec![role.to_owned()];
            decide(&Request {
                op_type: "clinic.hours",
                roles: &roles,
                actor: "u1",
                current: Some(&before),
                base: &before,
                image,
            })
        };
        let saturdays = clinic("08:00", "18:00", "1,2,3,4,5,6");
        assert_eq!(ask("admin", &saturdays), Ok(()));
        assert!(ask("pt", &saturdays).is_err());
        assert!(ask("frontdesk", &saturdays).is_err());
        assert!(
            ask("admin", &clinic("18:00", "08:00", "1")).is_err_and(|e| e.contains("close after it opens")),
            "hours the schedule cannot read are refused"
        );
        let mut renamed = saturdays.clone();
        renamed.insert("name".into(), serde_json::json!("Elsewhere PT"));
        assert!(ask("admin", &renamed).is_err_and(|e| e.contains("may not change name")));

        // Days closed besides the hours: a date every schedule reads, under its own key.
        let closed = |key: &str, day: &str, reason: &str| {
            let mut image = saturdays.clone();
            image.insert(
                format!("clinic_closure/{key}"),
                serde_json::json!({ "day": day, "reason": reason }),
            );
            image
        };
        assert_eq!(
            ask("admin", &closed("2026-12-25", "2026-12-25", "Christmas Day")),
            Ok(())
        );
        assert!(ask("frontdesk", &closed("2026-12-25", "2026-12-25", "Christmas Day")).is_err());
        for (image, says) in [
            (closed("2026-02-30", "2026-02-30", "Staff day"), "not a date"),
            (closed("2026-12-25", "2026-12-25", ""), "say why"),
            (closed("2026-12-25", "2026-12-26", "Boxing Day"), "holds the key of"),
            (
                closed(" 2026-12-25", " 2026-12-25", "Christmas"),
                "write the day as 2026-12-25",
            ),
        ] {
            assert!(ask("admin", &image).is_err_and(|e| e.contains(says)), "{says}");
        }
    }

    #[test]
    fn fields_a_device_fills_with_defaults_are_no_change_to_a_clinic_the_server_made() {
        // The server makes the clinic's record with its id, name and NPI; a device's chart
        // holds the defaults of the rest, and pushes them with any change of the clinic.
        let made: Image =
            serde_json::from_value(serde_json::json!({ "id": "c1", "name": "Riverside PT", "npi": null }))
                .expect("image");
        let device = |extra: serde_json::Value| -> Image {
            let mut image = serde_json::json!({
                "id": "c1", "name": "Riverside PT", "npi": null, "taxonomy": "225100000X",
                "place_of_service": "11", "opens_at": "07:00", "closes_at": "19:00", "open_days": "1,2,3,4,5"
            });
            if let (Some(image), Some(extra)) = (image.as_object_mut(), extra.as_object()) {
                image.extend(extra.clone());
            }
            serde_json::from_value(image).expect("image")
        };
        let ask = |role: &str, op_type: &str, image: &Image| {
            let roles = vec![role.to_owned()];
            decide(&Request {
                op_type,
                roles: &roles,
                actor: "u1",
                current: Some(&made),
                base: &made,
                image,
            })
        };
        let billing = device(serde_json::json!({ "phone": "2175550100" }));
        assert_eq!(ask("biller", "clinic.billing", &billing), Ok(()));
        let hours = device(serde_json::json!({ "open_days": "1,2,3,4,5,6" }));
        assert_eq!(ask("admin", "clinic.hours", &hours), Ok(()));
        // A value other than the default is a change all the same.
        let moved = device(serde_json::json!({ "phone": "2175550100", "opens_at": "06:00" }));
        assert!(ask("biller", "clinic.billing", &moved).is_err_and(|e| e.contains("may not change opens_at")));
    }
}
