//! The server's policy table, attacked as a hostile insider would: every role pushes
//! every op type the server knows, then unknown and malformed ones, then ops carrying
//! forged fields (signers, co-signers, authors, parent ids, paid amounts, users, roles).
//! Each outcome must be the one the table gives, and nothing but the targeted record may
//! change; a refused op changes nothing at all.

mod harness;

use harness::{Raw, TestServer, id};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use stride_protocol::policy::RULES;

/// Everyone the test signs in, and the roles each holds.
const PEOPLE: &[(&str, &[&str])] = &[
    ("dana", &["admin", "pt"]),
    ("eve", &["pt"]),
    ("pat", &["pta"]),
    ("frank", &["frontdesk"]),
    ("bill", &["biller"]),
    ("ada", &["admin"]),
];

const NOW: &str = "2026-11-27T10:00:00.000000Z";

/// A signed-in person pushing ops from their own device, in sequence.
struct Person {
    raw: Raw,
    roles: Vec<String>,
    seq: AtomicI64,
}

impl Person {
    fn id(&self) -> &str {
        &self.raw.user_id
    }

    fn has_any(&self, roles: &[&str]) -> bool {
        self.roles.iter().any(|r| roles.contains(&r.as_str()))
    }

    /// Pushes one op; returns its outcome and reason.
    async fn push(&self, op_type: &str, image: &Value, base_seq: i64, intent: Value) -> (String, String) {
        let entity = stride_protocol::kinds::kind_for_op(op_type).unwrap_or("patient");
        let op = json!({
            "op_id": id(), "op_type": op_type, "op_version": 1,
            "entity_id": image["id"], "created_at": NOW,
            "payload": { "actor": self.id(), "entity": entity, "base_seq": base_seq, "prev_op": null,
                "intent": intent, "image": image }
        });
        self.push_raw(op).await
    }

    /// Pushes an op as given (its sequence number is filled in).
    async fn push_raw(&self, mut op: Value) -> (String, String) {
        op["device_seq"] = json!(self.seq.fetch_add(1, Ordering::SeqCst));
        let (status, body) = self.raw.push(vec![op]).await;
        assert_eq!(status, 200, "a refusal is a recorded outcome, not an error: {body}");
        let result = &body["results"][0];
        (
            result["outcome"].as_str().unwrap_or_default().to_owned(),
            result["reason"].as_str().unwrap_or_default().to_owned(),
        )
    }
}

/// The test's clinic: the server and its people.
struct Clinic {
    server: TestServer,
    people: BTreeMap<&'static str, Person>,
}

impl Clinic {
    async fn start() -> Clinic {
        let server = TestServer::start().await;
        for (name, roles) in [("bill", &["biller"][..]), ("ada", &["admin"][..])] {
            stride_server::admin::add_user(&server.pool, server.clinic_id, name, harness::PASSWORD, roles)
                .await
                .expect("user");
        }
        let mut people = BTreeMap::new();
        for (name, roles) in PEOPLE {
            let raw = Raw::login(&server.url, name).await;
            people.insert(
                *name,
                Person {
                    raw,
                    roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                    seq: AtomicI64::new(1),
                },
            );
        }
        Clinic { server, people }
    }

    fn person(&self, name: &str) -> &Person {
        &self.people[name]
    }

    /// Every record's image on the server.
    async fn records(&self) -> BTreeMap<(String, String), Value> {
        self.server
            .pool
            .get()
            .await
            .expect("db")
            .query("SELECT entity, id, image FROM record", &[])
            .await
            .expect("records")
            .iter()
            .map(|r| ((r.get(0), r.get(1)), r.get(2)))
            .collect()
    }

    /// A record's current image and feed position.
    async fn current(&self, entity: &str, id: &str) -> (Value, i64) {
        let row = self
            .server
            .pool
            .get()
            .await
            .expect("db")
            .query_one(
                "SELECT image, server_seq FROM record WHERE entity = $1 AND id = $2",
                &[&entity, &id],
            )
            .await
            .expect("record");
        (row.get(0), row.get(1))
    }

    /// Makes a record as `maker` (who may), asserting it was applied; returns its id.
    async fn make(&self, maker: &str, op_type: &str, image: Value) -> String {
        let (outcome, reason) = self.person(maker).push(op_type, &image, 0, json!({})).await;
        assert_eq!(outcome, "applied", "{op_type} by {maker}: {reason}");
        image["id"].as_str().expect("id").to_owned()
    }

    /// Puts a record on the server directly, as only the server makes it (denials, sync
    /// issues).
    async fn seed(&self, entity: &str, image: Value) -> String {
        let mut db = self.server.pool.get().await.expect("db");
        let tx = db.transaction().await.expect("tx");
        let id = image["id"].as_str().expect("id").to_owned();
        let image = stride_server::feed::as_image(image).expect("image");
        stride_server::feed::publish(&tx, self.server.clinic_id, entity, &id, &image, None)
            .await
            .expect("publish");
        tx.commit().await.expect("commit");
        id
    }
}

fn object(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("object")
}

/// The fixed records every attempt can refer to.
struct Fixtures {
    payer: String,
    patient: String,
    episode: String,
    signed_note: String,
    appointment: String,
    denial: String,
}

async fn fixtures(c: &Clinic) -> Fixtures {
    let payer = c
        .make(
            "bill",
            "payer.create",
            json!({ "id": id(), "name": "Acme Health", "created_at": NOW }),
        )
        .await;
    let patient = c.make("frank", "patient.create", patient_image()).await;
    let episode = c
        .make(
            "dana",
            "episode.create",
            json!({ "id": id(), "patient_id": patient, "payer_id": payer, "status": "open", "created_at": NOW }),
        )
        .await;
    let signed_note = signed_note(c, &episode, "dana", false).await;
    let appointment = c
        .make(
            "frank",
            "appointment.create",
            json!({ "id": id(), "patient_id": patient, "therapist_id": c.person("eve").id(),
                "starts_at": "2026-11-30T09:00", "minutes": 45, "status": "scheduled", "created_at": NOW, "updated_at": NOW }),
        )
        .await;
    let claim = c
        .make("bill", "claim.create", claim_image(&patient, &episode, &payer))
        .await;
    let remittance = c
        .make("bill", "remittance.import", remittance_image(c.person("bill").id()))
        .await;
    let denial = c
        .seed(
            "denial",
            json!({ "id": id(), "claim_id": claim, "line_position": 1, "remittance_id": remittance, "code": "97110",
                "cents": 4000, "reasons": "[]", "remarks": "[]", "status": "open", "created_at": NOW, "updated_at": NOW }),
        )
        .await;
    Fixtures {
        payer,
        patient,
        episode,
        signed_note,
        appointment,
        denial,
    }
}

fn patient_image() -> Value {
    json!({ "id": id(), "mrn": format!("T-{}", id()), "first_name": "Ann", "last_name": "Lee", "dob": "1950-04-12",
        "phone": null, "address": null, "created_at": NOW, "updated_at": NOW })
}

fn draft_note(episode: &str, author: &str) -> Value {
    json!({ "id": id(), "episode_id": episode, "kind": "daily", "date_of_service": "2026-11-27", "author_id": author,
        "subjective": "", "signed_by": null, "signed_at": null, "content_hash": null, "cosign_required": 0,
        "cosigned_by": null, "cosigned_at": null, "created_at": NOW, "updated_at": NOW,
        "note_service/1": { "position": 1, "code": "97110", "minutes": 30 } })
}

/// A note made and signed by `signer` (a PTA's needing a co-signature); returns its id.
async fn signed_note(c: &Clinic, episode: &str, signer: &str, pta: bool) -> String {
    let who = c.person(signer).id().to_owned();
    let mut note = draft_note(episode, &who);
    let id = c.make(signer, "note.create", note.clone()).await;
    note["signed_by"] = json!(who);
    note["signed_at"] = json!(NOW);
    note["content_hash"] = json!("c0ffee");
    note["cosign_required"] = json!(i32::from(pta));
    let (outcome, reason) = c.person(signer).push("note.sign", &note, 0, json!({})).await;
    assert_eq!(outcome, "applied", "{reason}");
    id
}

fn claim_image(patient: &str, episode: &str, payer: &str) -> Value {
    json!({ "id": id(), "control_number": format!("C{}", &id()[24..]), "patient_id": patient, "episode_id": episode,
        "payer_id": payer, "status": "draft", "place_of_service": "11", "charge_cents": 5000, "paid_cents": 0,
        "written_off_cents": 0, "patient_resp_cents": 0, "adjudicated_on": null, "created_at": NOW, "updated_at": NOW,
        "claim_line/1": { "position": 1, "code": "97110", "units": 2, "charge_cents": 5000, "paid_cents": 0,
            "written_off_cents": 0, "patient_resp_cents": 0, "adjustments": "[]" } })
}

fn remittance_image(importer: &str) -> Value {
    json!({ "id": id(), "file_sha256": id(), "payer_name": "Acme", "payer_code": "ACME", "trace_number": id(),
        "total_paid_cents": 0, "provider_adjustment_cents": 0, "imported_at": NOW, "imported_by": importer })
}

/// One op of `op_type` as `actor` would push it, valid in every way the table checks
/// (fresh targets made by people allowed to make them): the op, its base, its intent.
async fn valid_op(c: &Clinic, f: &Fixtures, op_type: &str, actor: &Person) -> (Value, i64, Value) {
    let me = actor.id().to_owned();
    let updated = |(mut image, seq): (Value, i64), field: &str, value: Value| {
        image[field] = value;
        (image, seq, json!({}))
    };
    match op_type {
        "patient.create" => (patient_image(), 0, json!({})),
        "patient.update" => updated(c.current("patient", &f.patient).await, "phone", json!(id())),
        "coverage.create" => (
            json!({ "id": id(), "patient_id": f.patient, "payer_id": f.payer, "member_id": "M1", "created_at": NOW }),
            0,
            json!({}),
        ),
        "coverage.update" => {
            let coverage = c
                .seed(
                    "coverage",
                    json!({ "id": id(), "patient_id": f.patient, "payer_id": f.payer, "member_id": "M1",
                        "priority": 2, "created_at": NOW }),
                )
                .await;
            updated(c.current("coverage", &coverage).await, "msp_type", json!("12"))
        }
        "referring_provider.create" => (json!({ "id": id(), "name": "Dr Who", "created_at": NOW }), 0, json!({})),
        "quick_text.create" => (
            json!({ "id": id(), "shortcut": "hep", "text": "Reviewed the home program.", "created_at": NOW,
                "updated_at": NOW }),
            0,
            json!({}),
        ),
        "quick_text.update" => {
            let phrase = c
                .seed(
                    "quick_text",
                    json!({ "id": id(), "shortcut": "hep", "text": "Reviewed the home program.", "retired": 0,
                        "created_at": NOW, "updated_at": NOW }),
                )
                .await;
            updated(c.current("quick_text", &phrase).await, "retired", json!(1))
        }
        "appointment.create" => (
            json!({ "id": id(), "patient_id": f.patient, "therapist_id": me, "starts_at": "2026-12-01T10:00",
                "minutes": 30, "status": "scheduled", "created_at": NOW, "updated_at": NOW }),
            0,
            json!({}),
        ),
        "appointment.update" => updated(c.current("appointment", &f.appointment).await, "minutes", json!(60)),
        "authorization.create" => (
            json!({ "id": id(), "episode_id": f.episode, "visits": 12, "created_at": NOW }),
            0,
            json!({}),
        ),
        "episode.create" => (
            json!({ "id": id(), "patient_id": f.patient, "payer_id": f.payer, "status": "open", "created_at": NOW }),
            0,
            json!({}),
        ),
        "plan_of_care.create" => (plan_image(&f.episode), 0, json!({})),
        "plan_of_care.certify" => {
            let plan = c.make("dana", "plan_of_care.create", plan_image(&f.episode)).await;
            let (mut image, seq) = c.current("plan_of_care", &plan).await;
            image["physician_signed_on"] = json!("2026-11-28");
            image["signature_method"] = json!("signed");
            (image, seq, json!({}))
        }
        "note.create" => (draft_note(&f.episode, &me), 0, json!({})),
        "note.update" => {
            let note = c
                .make("dana", "note.create", draft_note(&f.episode, c.person("dana").id()))
                .await;
            updated(c.current("note", &note).await, "subjective", json!("better today"))
        }
        "note.sign" => {
            let note = c
                .make("dana", "note.create", draft_note(&f.episode, c.person("dana").id()))
                .await;
            let (mut image, seq) = c.current("note", &note).await;
            image["signed_by"] = json!(me);
            image["signed_at"] = json!(NOW);
            image["content_hash"] = json!("abc123");
            image["cosign_required"] = json!(i32::from(!actor.has_any(&["pt"])));
            (image, seq, json!({}))
        }
        "note.cosign" => {
            let note = signed_note(c, &f.episode, "pat", true).await;
            let (mut image, seq) = c.current("note", &note).await;
            image["cosigned_by"] = json!(me);
            image["cosigned_at"] = json!(NOW);
            (image, seq, json!({}))
        }
        "note.addendum" => (
            json!({ "id": id(), "note_id": f.signed_note, "author_id": me, "text": "called", "signed_at": NOW,
                "content_hash": "ab" }),
            0,
            json!({}),
        ),
        "measure_result.create" => (
            json!({ "id": id(), "episode_id": f.episode, "measure_id": "odi", "measure_version": "2.1a",
                "administered_on": "2026-11-27", "answers": "[]", "created_at": NOW }),
            0,
            json!({}),
        ),
        "payer.create" => (
            json!({ "id": id(), "name": "Other Health", "created_at": NOW }),
            0,
            json!({}),
        ),
        "payer.update" => updated(c.current("payer", &f.payer).await, "payer_code", json!(id())),
        "clinic.billing" => updated(
            c.current("clinic", &c.server.clinic_id.to_string()).await,
            "phone",
            json!(id()),
        ),
        "clinic.hours" => {
            let (mut image, seq) = c.current("clinic", &c.server.clinic_id.to_string()).await;
            // Saturdays on, or off again: a change every time it is pushed.
            let saturdays = image["open_days"].as_str().is_some_and(|d| d.contains('6'));
            image["opens_at"] = json!("08:00");
            image["closes_at"] = json!("18:00");
            image["open_days"] = json!(if saturdays { "1,2,3,4,5" } else { "1,2,3,4,5,6" });
            // And a holiday, as the hours form closes one.
            image["clinic_closure/2026-12-25"] = json!({ "day": "2026-12-25", "reason": "Christmas Day" });
            (image, seq, json!({}))
        }
        "claim.create" => (claim_image(&f.patient, &f.episode, &f.payer), 0, json!({})),
        "claim.edit" | "claim.transition" => {
            let claim = c
                .make("bill", "claim.create", claim_image(&f.patient, &f.episode, &f.payer))
                .await;
            let current = c.current("claim", &claim).await;
            if op_type == "claim.edit" {
                return updated(current, "place_of_service", json!("02"));
            }
            let (mut image, seq) = current;
            image["status"] = json!("ready");
            image["claim_event/1"] = json!({ "seq": 1, "at": NOW, "user_id": me, "from_status": "draft",
                "to_status": "ready", "source": "clinic" });
            (image, seq, json!({ "from": "draft", "to": "ready" }))
        }
        "remittance.import" => (remittance_image(&me), 0, json!({})),
        "denial.update" => {
            let (image, seq) = c.current("denial", &f.denial).await;
            let next = if image["status"] == "appealed" {
                "open"
            } else {
                "appealed"
            };
            updated((image, seq), "status", json!(next))
        }
        "patient_payment.create" => (
            json!({ "id": id(), "patient_id": f.patient, "received_on": "2026-11-27", "cents": 2500,
                "method": "card", "created_at": NOW, "created_by": me }),
            0,
            json!({}),
        ),
        "sync_issue.resolve" => {
            let issue = c.seed("sync_issue", issue_image(&me)).await;
            let (mut image, seq) = c.current("sync_issue", &issue).await;
            image["resolved_at"] = json!(NOW);
            image["resolved_by"] = json!(me);
            (image, seq, json!({}))
        }
        other => panic!("the test has no op for {other}: add one"),
    }
}

fn plan_image(episode: &str) -> Value {
    let goal = id();
    json!({ "id": id(), "episode_id": episode, "cert_start": "2026-11-27", "cert_end": "2027-01-20",
        "frequency_per_week": 2, "duration_weeks": 8, "physician_signed_on": null, "signature_method": null,
        "created_at": NOW, format!("goal/{goal}"): { "id": goal, "term": "short", "text": "walk 100 m" } })
}

fn issue_image(owner: &str) -> Value {
    json!({ "id": format!("{}:1", id()), "kind": "conflict", "entity": "note", "entity_id": id(), "field": "subjective",
        "kept": "\"a\"", "other": "\"b\"", "device_id": id(), "user_id": owner, "op_id": id(), "reason": "both changed",
        "created_at": NOW, "resolved_at": null, "resolved_by": null })
}

/// The records that changed between two snapshots.
fn changed(
    before: &BTreeMap<(String, String), Value>,
    after: &BTreeMap<(String, String), Value>,
) -> Vec<(String, String)> {
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(before.keys().filter(|k| !after.contains_key(*k)).cloned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_role_gets_what_the_table_gives_for_every_op_type() {
    let c = Clinic::start().await;
    let f = fixtures(&c).await;
    let mut op_types: Vec<&str> = RULES.iter().map(|r| r.op_type).collect();
    op_types.dedup();
    let mut checked = 0;
    for op_type in op_types {
        let allowed_roles: Vec<&str> = RULES
            .iter()
            .filter(|r| r.op_type == op_type)
            .flat_map(|r| r.roles.iter().copied())
            .collect();
        for (name, _) in PEOPLE {
            let person = c.person(name);
            let (image, base, intent) = valid_op(&c, &f, op_type, person).await;
            let target = (
                stride_protocol::kinds::kind_for_op(op_type).expect("kind").to_owned(),
                image["id"].as_str().expect("id").to_owned(),
            );
            let before = c.records().await;
            let (outcome, reason) = person.push(op_type, &image, base, intent).await;
            let after = c.records().await;
            let expected = if person.has_any(&allowed_roles) {
                "applied"
            } else {
                "rejected"
            };
            assert_eq!(outcome, expected, "{op_type} by {name}: {reason}");
            let touched = changed(&before, &after);
            if outcome == "applied" {
                assert!(
                    touched.iter().all(|k| *k == target),
                    "{op_type} by {name} changed other records: {touched:?}"
                );
            } else {
                assert!(
                    touched.is_empty(),
                    "a refused {op_type} by {name} changed records: {touched:?}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        PEOPLE.len()
            * RULES
                .iter()
                .map(|r| r.op_type)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
    );
}

/// Pushes `image` as `who` and asserts it is refused with a reason containing `why`, and
/// that no record changed.
async fn refused(c: &Clinic, who: &str, op_type: &str, image: &Value, base: i64, intent: Value, why: &str) {
    let before = c.records().await;
    let (outcome, reason) = c.person(who).push(op_type, image, base, intent).await;
    assert_eq!(outcome, "rejected", "{op_type} by {who} must be refused ({why})");
    assert!(
        reason.contains(why),
        "{op_type} by {who}: {reason:?} should say {why:?}"
    );
    let touched = changed(&before, &c.records().await);
    assert!(touched.is_empty(), "a refused {op_type} changed {touched:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_malformed_and_forged_ops_are_refused_and_change_nothing() {
    let c = Clinic::start().await;
    let f = fixtures(&c).await;
    let dana = c.person("dana").id().to_owned();
    let eve = c.person("eve").id().to_owned();
    let pat = c.person("pat").id().to_owned();

    // Op types the table does not list, whoever sends them: users, roles and the clinic
    // change only on the server.
    let user =
        json!({ "id": eve, "name": "eve", "password_hash": "x", "active": 1, "user_role/admin": { "role": "admin" } });
    for op_type in [
        "user.create",
        "user.update",
        "user",
        "user_role.create",
        "clinic.create",
        "clinic.update",
    ] {
        refused(&c, "ada", op_type, &user, 0, json!({}), "").await;
    }
    for op_type in [
        "patient.delete",
        "",
        "note",
        "NOTE.SIGN",
        "note.sign.now",
        "sync_issue.create",
        "claim.post",
        "denial.create",
    ] {
        refused(&c, "dana", op_type, &patient_image(), 0, json!({}), "").await;
    }
    // Malformed: a payload that is not an op's, a record that is not the op's, a version
    // this server does not know.
    let person = c.person("frank");
    for op in [
        json!({ "op_id": id(), "op_type": "patient.create", "op_version": 1, "entity_id": id(), "created_at": NOW,
            "payload": "not an object" }),
        json!({ "op_id": id(), "op_type": "patient.create", "op_version": 1, "entity_id": id(), "created_at": NOW,
            "payload": { "actor": person.id(), "entity": "note", "base_seq": 0, "prev_op": null, "image": patient_image() } }),
        json!({ "op_id": id(), "op_type": "patient.create", "op_version": 2, "entity_id": id(), "created_at": NOW,
            "payload": { "actor": person.id(), "entity": "patient", "base_seq": 0, "prev_op": null, "image": patient_image() } }),
    ] {
        let before = c.records().await;
        let (outcome, _) = person.push_raw(op).await;
        assert_eq!(outcome, "rejected");
        assert!(changed(&before, &c.records().await).is_empty());
    }
    // Another clinic's user, or a user who never signed in on the device, named as actor.
    let mut spoof = patient_image();
    spoof["first_name"] = json!("Spoof");
    let op = json!({ "op_id": id(), "op_type": "patient.create", "op_version": 1, "entity_id": spoof["id"],
        "created_at": NOW, "payload": { "actor": eve, "entity": "patient", "base_seq": 0, "prev_op": null, "image": spoof } });
    let (outcome, reason) = c.person("frank").push_raw(op).await;
    assert_eq!(
        (outcome.as_str(), reason.contains("signed in on this device")),
        ("rejected", true)
    );

    // The clinic's hours: only hours every device's schedule can read.
    let (mut hours, seq) = c.current("clinic", &c.server.clinic_id.to_string()).await;
    hours["opens_at"] = json!("18:00");
    hours["closes_at"] = json!("08:00");
    hours["open_days"] = json!("1,2,3");
    refused(
        &c,
        "ada",
        "clinic.hours",
        &hours,
        seq,
        json!({}),
        "close after it opens",
    )
    .await;
    // Nor a closed day no schedule could read.
    let (mut holiday, seq) = c.current("clinic", &c.server.clinic_id.to_string()).await;
    holiday["opens_at"] = json!("07:00");
    holiday["closes_at"] = json!("19:00");
    holiday["open_days"] = json!("1,2,3,4,5");
    holiday["clinic_closure/2026-02-30"] = json!({ "day": "2026-02-30", "reason": "Staff day" });
    refused(&c, "ada", "clinic.hours", &holiday, seq, json!({}), "not a date").await;

    // A goal assessment no chart could store would fail on every device that pulls it.
    let mut goal = draft_note(&f.episode, &eve);
    goal["note_goal/g1"] = json!({ "goal_id": "g1", "status": "done", "comment": "" });
    refused(&c, "eve", "note.create", &goal, 0, json!({}), "not a goal status").await;

    // Signatures: only the signer may be named, only by a signature.
    let mut forged = draft_note(&f.episode, &eve);
    forged["signed_by"] = json!(eve);
    forged["signed_at"] = json!(NOW);
    forged["content_hash"] = json!("ab");
    refused(&c, "eve", "note.create", &forged, 0, json!({}), "only a signature").await;
    let mut other_author = draft_note(&f.episode, &dana);
    refused(&c, "eve", "note.create", &other_author, 0, json!({}), "author_id").await;
    other_author["author_id"] = json!(eve);
    let draft = c.make("eve", "note.create", other_author).await;
    let (mut image, seq) = c.current("note", &draft).await;
    image["signed_by"] = json!(dana);
    image["signed_at"] = json!(NOW);
    image["content_hash"] = json!("ab");
    refused(&c, "eve", "note.update", &image, seq, json!({}), "only a signature").await;
    refused(
        &c,
        "eve",
        "note.sign",
        &image,
        seq,
        json!({}),
        "name the person signing",
    )
    .await;
    image["signed_by"] = json!(eve);
    image["cosigned_by"] = json!(dana);
    image["cosigned_at"] = json!(NOW);
    refused(&c, "eve", "note.sign", &image, seq, json!({}), "co-signature").await;
    // A PTA signs alone only where no co-signature is needed: never, on this server.
    let pta_draft = c.make("pat", "note.create", draft_note(&f.episode, &pat)).await;
    let (mut image, seq) = c.current("note", &pta_draft).await;
    image["signed_by"] = json!(pat);
    image["signed_at"] = json!(NOW);
    image["content_hash"] = json!("ab");
    refused(&c, "pat", "note.sign", &image, seq, json!({}), "PT's co-signature").await;
    // Co-signatures: a PT's, naming that PT, once, on a note that needs one.
    let needs = signed_note(&c, &f.episode, "pat", true).await;
    let (mut image, seq) = c.current("note", &needs).await;
    image["cosigned_by"] = json!(dana);
    image["cosigned_at"] = json!(NOW);
    refused(
        &c,
        "eve",
        "note.cosign",
        &image,
        seq,
        json!({}),
        "name the PT co-signing",
    )
    .await;
    image["cosigned_by"] = json!(pat);
    refused(
        &c,
        "pat",
        "note.cosign",
        &image,
        seq,
        json!({}),
        "needs one of these roles",
    )
    .await;
    let (mut image, seq) = c.current("note", &f.signed_note).await;
    image["cosigned_by"] = json!(eve);
    image["cosigned_at"] = json!(NOW);
    refused(
        &c,
        "eve",
        "note.cosign",
        &image,
        seq,
        json!({}),
        "does not need a co-signature",
    )
    .await;
    // Two PTs co-sign the same note: the second is refused, in its own savepoint.
    let (mut first, seq) = c.current("note", &needs).await;
    first["cosigned_by"] = json!(eve);
    first["cosigned_at"] = json!(NOW);
    let (outcome, reason) = c.person("eve").push("note.cosign", &first, seq, json!({})).await;
    assert_eq!(outcome, "applied", "{reason}");
    first["cosigned_by"] = json!(dana);
    refused(&c, "dana", "note.cosign", &first, seq, json!({}), "already co-signed").await;

    // Owned rows never name another parent, and never move from another record.
    let (mut note, seq) = c.current("note", &draft).await;
    note["note_service/1"]["note_id"] = json!(f.signed_note);
    refused(&c, "eve", "note.update", &note, seq, json!({}), "owned row").await;
    let plan = c.make("dana", "plan_of_care.create", plan_image(&f.episode)).await;
    let (plan_image_now, _) = c.current("plan_of_care", &plan).await;
    let goal_field = plan_image_now
        .as_object()
        .and_then(|o| o.keys().find(|k| k.starts_with("goal/")).cloned())
        .expect("goal");
    let mut thief = plan_image(&f.episode);
    thief[goal_field.as_str()] = plan_image_now[goal_field.as_str()].clone();
    refused(&c, "dana", "plan_of_care.create", &thief, 0, json!({}), "cannot move").await;
    let mut moved = plan_image(&f.episode);
    let field = object(moved.clone())
        .keys()
        .find(|k| k.starts_with("goal/"))
        .cloned()
        .expect("goal");
    moved[field.as_str()]["plan_id"] = json!(plan);
    refused(&c, "dana", "plan_of_care.create", &moved, 0, json!({}), "plan_id").await;
    // A note assesses only goals of its own episode's plans: not another episode's, not
    // one the clinic does not have.
    let goal_id = goal_field.trim_start_matches("goal/").to_owned();
    let assessed = json!({ "goal_id": goal_id, "status": "met", "comment": "walks 100 m" });
    let other_episode = c
        .make(
            "dana",
            "episode.create",
            json!({ "id": id(), "patient_id": f.patient, "payer_id": f.payer, "status": "open", "created_at": NOW }),
        )
        .await;
    let mut elsewhere = draft_note(&other_episode, &eve);
    elsewhere[format!("note_goal/{goal_id}")] = assessed.clone();
    let why = "not in a plan of care of this note's episode";
    refused(&c, "eve", "note.create", &elsewhere, 0, json!({}), why).await;
    let mut unknown = draft_note(&f.episode, &eve);
    let nowhere = id();
    unknown[format!("note_goal/{nowhere}")] = json!({ "goal_id": nowhere, "status": "met", "comment": "" });
    refused(&c, "eve", "note.create", &unknown, 0, json!({}), why).await;
    let mut own = draft_note(&f.episode, &eve);
    own[format!("note_goal/{goal_id}")] = assessed;
    c.make("eve", "note.create", own).await;
    // A record never changes where it belongs.
    let (mut appointment, seq) = c.current("appointment", &f.appointment).await;
    appointment["patient_id"] = json!(id());
    refused(
        &c,
        "frank",
        "appointment.update",
        &appointment,
        seq,
        json!({}),
        "never changes",
    )
    .await;

    // The front desk records a physician's certification, and nothing else of a plan;
    // a biller keeps billing details, not names.
    let (mut certify, seq) = c.current("plan_of_care", &plan).await;
    certify["physician_signed_on"] = json!("2026-11-28");
    certify["signature_method"] = json!("signed");
    certify["cert_end"] = json!("2027-03-01");
    refused(
        &c,
        "frank",
        "plan_of_care.certify",
        &certify,
        seq,
        json!({}),
        "cert_end",
    )
    .await;
    let (mut patient, seq) = c.current("patient", &f.patient).await;
    patient["last_name"] = json!("Forged");
    refused(&c, "bill", "patient.update", &patient, seq, json!({}), "last_name").await;
    refused(
        &c,
        "frank",
        "note.update",
        &c.current("note", &draft).await.0,
        0,
        json!({}),
        "roles",
    )
    .await;

    // Money from a remittance is the server's alone; a submitted claim's lines are fixed.
    let mut paid = claim_image(&f.patient, &f.episode, &f.payer);
    paid["paid_cents"] = json!(5000);
    refused(&c, "bill", "claim.create", &paid, 0, json!({}), "clinic server alone").await;
    let claim = c
        .make("bill", "claim.create", claim_image(&f.patient, &f.episode, &f.payer))
        .await;
    let (mut image, seq) = c.current("claim", &claim).await;
    image["claim_line/1"]["paid_cents"] = json!(5000);
    refused(&c, "bill", "claim.edit", &image, seq, json!({}), "clinic server alone").await;
    let (mut image, seq) = c.current("claim", &claim).await;
    image["written_off_cents"] = json!(5000);
    refused(&c, "ada", "claim.edit", &image, seq, json!({}), "clinic server alone").await;
    let (mut ready, seq) = c.current("claim", &claim).await;
    ready["status"] = json!("ready");
    let (outcome, reason) = c
        .person("bill")
        .push(
            "claim.transition",
            &ready,
            seq,
            json!({ "from": "draft", "to": "ready" }),
        )
        .await;
    assert_eq!(outcome, "applied", "{reason}");
    let (mut image, seq) = c.current("claim", &claim).await;
    image["claim_line/1"]["units"] = json!(4);
    refused(
        &c,
        "bill",
        "claim.edit",
        &image,
        seq,
        json!({}),
        "only while it is a draft",
    )
    .await;
    let (mut image, seq) = c.current("claim", &claim).await;
    image["status"] = json!("paid");
    refused(
        &c,
        "bill",
        "claim.transition",
        &image,
        seq,
        json!({ "from": "ready", "to": "paid" }),
        "",
    )
    .await;

    // Sync issues: the owner's (or an administrator's) to settle, never made or rewritten.
    let issue = c.seed("sync_issue", issue_image(&eve)).await;
    let (mut image, seq) = c.current("sync_issue", &issue).await;
    image["resolved_at"] = json!(NOW);
    image["resolved_by"] = json!(pat);
    refused(
        &c,
        "pat",
        "sync_issue.resolve",
        &image,
        seq,
        json!({}),
        "person whose change",
    )
    .await;
    image["resolved_by"] = json!(eve);
    image["kept"] = json!("\"rewritten\"");
    refused(
        &c,
        "eve",
        "sync_issue.resolve",
        &image,
        seq,
        json!({}),
        "may not change kept",
    )
    .await;
    refused(
        &c,
        "eve",
        "sync_issue.resolve",
        &issue_image(&eve),
        0,
        json!({}),
        "no such record",
    )
    .await;

    // Makers: a payment recorded in another's name, an addendum under another's name.
    let mut payment = json!({ "id": id(), "patient_id": f.patient, "received_on": "2026-11-27", "cents": 100,
        "method": "cash", "created_at": NOW, "created_by": dana });
    refused(
        &c,
        "frank",
        "patient_payment.create",
        &payment,
        0,
        json!({}),
        "created_by",
    )
    .await;
    payment["created_by"] = json!(c.person("frank").id());
    c.make("frank", "patient_payment.create", payment).await;
    let addendum = json!({ "id": id(), "note_id": f.signed_note, "author_id": dana, "text": "x", "signed_at": NOW,
        "content_hash": "ab" });
    refused(&c, "eve", "note.addendum", &addendum, 0, json!({}), "author_id").await;
}
