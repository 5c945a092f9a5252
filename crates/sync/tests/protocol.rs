//! The server's protocol and security rules, driven over raw HTTP: replays, gaps, refused
//! and unknown ops, malformed and oversized bodies, clinic isolation, roles, revocation.

mod harness;

use harness::{Device, PASSWORD, Raw, TestServer, id, sync_all};
use serde_json::{Value, json};
use stride_protocol::{LoginRequest, PushResponse};

/// A patient.create op as a linked chart writes it.
fn patient_op(seq: i64, op_id: &str, patient_id: &str, first: &str, actor: &str) -> Value {
    json!({
        "device_seq": seq, "op_id": op_id, "op_type": "patient.create", "op_version": 1,
        "entity_id": patient_id, "created_at": "2026-11-27T10:00:00Z",
        "payload": { "actor": actor, "entity": "patient", "base_seq": 0, "prev_op": null, "intent": {},
            "image": { "id": patient_id, "mrn": format!("T-{first}"), "first_name": first, "last_name": "Raw",
                "dob": "1970-01-01", "sex": null, "phone": null, "email": null, "address": null,
                "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z" } }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn replays_return_the_stored_outcome_and_a_changed_replay_is_refused_loudly() {
    let server = TestServer::start().await;
    let raw = Raw::login(&server.url, "frank").await;
    let (op_id, patient) = (id(), id());
    let op = patient_op(1, &op_id, &patient, "Ann", &raw.user_id);

    let (status, first) = raw.push(vec![op.clone()]).await;
    assert_eq!(status, 200, "{first}");
    let first: PushResponse = serde_json::from_value(first).expect("response");
    assert_eq!(first.results[0].outcome.as_str(), "applied");

    // The answer was lost; the device pushes again: the stored outcome comes back.
    let (status, again) = raw.push(vec![op.clone()]).await;
    assert_eq!(status, 200);
    assert_eq!(again["results"][0]["outcome"], "duplicate");
    assert_eq!(
        again["results"][0]["first_outcome"], "applied",
        "what was decided the first time"
    );
    assert_eq!(again["next_seq"], 2);
    let status: Value = raw
        .http
        .get(format!("{}/v1/sync/status", raw.url))
        .bearer_auth(&raw.token)
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            status["last_seq"].as_i64(),
            status["feed_head"].as_i64().is_some_and(|h| h > 0)
        ),
        (Some(1), true)
    );

    // The same sequence number with other content: refused, nothing changes.
    let mut changed = op.clone();
    changed["payload"]["image"]["first_name"] = json!("Mallory");
    let (status, body) = raw.push(vec![changed]).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("replay_mismatch")));

    // A gap: refused, naming the op expected.
    let (status, body) = raw.push(vec![patient_op(3, &id(), &id(), "Gap", &raw.user_id)]).await;
    assert_eq!((status, body["expected_seq"].as_i64()), (409, Some(2)));

    assert_eq!(server.count("SELECT count(*) FROM op_archive").await, 1);
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        1
    );
    let name: String = server
        .pool
        .get()
        .await
        .expect("db")
        .query_one("SELECT image->>'first_name' FROM record WHERE entity = 'patient'", &[])
        .await
        .expect("row")
        .get(0);
    assert_eq!(name, "Ann");
}

#[tokio::test(flavor = "multi_thread")]
async fn ops_of_an_unknown_type_or_version_are_kept_with_a_reason() {
    let server = TestServer::start().await;
    let raw = Raw::login(&server.url, "dana").await;
    let mut unknown = patient_op(1, &id(), &id(), "Una", &raw.user_id);
    unknown["op_type"] = json!("exercise_video.create");
    let mut newer = patient_op(2, &id(), &id(), "Nia", &raw.user_id);
    newer["op_version"] = json!(7);
    let (status, body) = raw.push(vec![unknown, newer]).await;
    assert_eq!(status, 200, "{body}");
    for r in body["results"].as_array().expect("results") {
        assert_eq!(r["outcome"], "rejected");
        assert!(
            r["reason"].as_str().expect("reason").starts_with("kept, not applied"),
            "{r}"
        );
    }
    assert_eq!(
        server
            .count("SELECT count(*) FROM op_archive WHERE outcome = 'rejected'")
            .await,
        2
    );
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_and_oversized_requests_get_a_4xx_and_change_nothing() {
    let server = TestServer::start().await;
    let raw = Raw::login(&server.url, "frank").await;
    let url = format!("{}/v1/sync/push", server.url);
    let send = |body: Vec<u8>| {
        raw.http
            .post(&url)
            .bearer_auth(&raw.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let garbage = send(b"{\"device_id\": [1, 2".to_vec())
        .await
        .expect("send")
        .status()
        .as_u16();
    assert!((400..500).contains(&garbage), "garbage: {garbage}");
    let wrong_shape = send(br#"{"device_id": 5, "ops": "none"}"#.to_vec())
        .await
        .expect("send")
        .status()
        .as_u16();
    assert!((400..500).contains(&wrong_shape), "wrong shape: {wrong_shape}");
    let huge = vec![b' '; 17 * 1024 * 1024];
    let huge = send(huge).await.map(|r| r.status().as_u16()).unwrap_or(413);
    assert_eq!(huge, 413);
    let too_many: Vec<Value> = (1..=501)
        .map(|n| patient_op(n, &id(), &id(), "Many", &raw.user_id))
        .collect();
    assert_eq!(raw.push(too_many).await.0, 400);
    // A malformed op inside a well-formed request is a recorded refusal, not a crash.
    let mut bad = patient_op(1, &id(), &id(), "Bad", &raw.user_id);
    bad["payload"]["image"] = json!("not an image");
    let (status, body) = raw.push(vec![bad]).await;
    assert_eq!(
        (status, body["results"][0]["outcome"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        0
    );
    // No token, a made-up token: 401.
    let anonymous = raw
        .http
        .post(&url)
        .json(&json!({}))
        .send()
        .await
        .expect("send")
        .status()
        .as_u16();
    assert_eq!(anonymous, 401);
    let forged = raw
        .http
        .post(&url)
        .bearer_auth("00".repeat(32))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(forged.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_clinic_sees_nothing_of_another_and_cannot_push_into_it() {
    let server = TestServer::start().await;
    let other_clinic = stride_server::admin::create_clinic(&server.pool, "Hilltop PT", None, "hugo", PASSWORD, true)
        .await
        .expect("clinic");
    let ours = Device::join(&server.url, "frank").await;
    let frank = {
        ours.sync().await;
        ours.session("frank")
    };
    ours.chart()
        .add_patient(
            &frank,
            &stride_chart::patients::NewPatient {
                first_name: "Private".into(),
                last_name: "Person".into(),
                dob: "1980-01-01".into(),
                ..Default::default()
            },
        )
        .expect("patient");
    ours.sync().await;

    let theirs = Device::join(&server.url, "hugo").await;
    theirs.sync().await;
    let records = theirs.records();
    assert!(
        records
            .iter()
            .all(|(kind, _, image)| kind != "patient" && !image.contains("Private"))
    );
    assert!(
        records
            .iter()
            .any(|(kind, id, _)| kind == "clinic" && *id == other_clinic.to_string())
    );
    assert!(
        !records
            .iter()
            .any(|(kind, _, image)| kind == "user" && image.contains("frank"))
    );

    // Hugo's token with Frank's device id: refused before anything is stored.
    let hugo = Raw::login(&server.url, "hugo").await;
    let (status, _) = hugo
        .push_body(
            &json!({ "device_id": ours.device_id, "ops": [patient_op(1, &id(), &id(), "Intruder", &hugo.user_id)] }),
        )
        .await;
    assert_eq!(status, 403);
    // An op claiming to be Frank's, pushed from Hugo's device: Frank never signed in
    // there (and is another clinic's), so it is refused and recorded.
    let (status, body) = hugo
        .push(vec![patient_op(1, &id(), &id(), "Spoof", &frank.user_id)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_are_checked_on_the_server_and_revoked_devices_are_refused() {
    let server = TestServer::start().await;
    let pta = Raw::login(&server.url, "pat").await;
    // A PTA's signature without the co-signature flag.
    let note = id();
    let sign = json!({
        "device_seq": 1, "op_id": id(), "op_type": "note.sign", "op_version": 1, "entity_id": note,
        "created_at": "2026-11-27T10:00:00Z",
        "payload": { "actor": pta.user_id, "entity": "note", "base_seq": 0, "prev_op": null, "intent": {},
            "image": { "id": note, "author_id": pta.user_id, "signed_by": pta.user_id,
                "signed_at": "2026-11-27T10:00:00Z", "content_hash": "ab", "cosign_required": 0 } }
    });
    let (status, body) = pta.push(vec![sign]).await;
    assert_eq!(status, 200);
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert!(
        body["results"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("co-signature")
    );
    // The front desk may not write payers.
    let desk = Raw::login(&server.url, "frank").await;
    let payer = id();
    let (_, body) = desk
        .push(vec![json!({
            "device_seq": 1, "op_id": id(), "op_type": "payer.create", "op_version": 1, "entity_id": payer,
            "created_at": "2026-11-27T10:00:00Z",
            "payload": { "actor": desk.user_id, "entity": "payer", "base_seq": 0, "prev_op": null,
                "image": { "id": payer, "name": "Acme" } } })])
        .await;
    assert_eq!(body["results"][0]["outcome"], "rejected");
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity IN ('note', 'payer')")
            .await,
        0
    );

    // Revoked: its token stops working at once, and it cannot sign in again.
    let device = uuid::Uuid::parse_str(&desk.device_id).expect("uuid");
    stride_server::admin::revoke_device(&server.pool, device)
        .await
        .expect("revoke");
    let (status, _) = desk
        .push(vec![patient_op(2, &id(), &id(), "Late", &desk.user_id)])
        .await;
    assert_eq!(status, 401);
    let again = desk
        .http
        .post(format!("{}/v1/login", server.url))
        .json(&LoginRequest {
            user: "frank".into(),
            password: PASSWORD.into(),
            device_id: desk.device_id.clone(),
            device_name: "x".into(),
            device_secret: None,
            predecessor: None,
        })
        .send()
        .await
        .expect("login");
    assert_eq!(again.status().as_u16(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_attempts_are_rate_limited_per_name() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let attempt = |password: &str| {
        http.post(format!("{}/v1/login", server.url))
            .json(&LoginRequest {
                user: "eve".into(),
                password: password.into(),
                device_id: id(),
                device_name: "x".into(),
                device_secret: None,
                predecessor: None,
            })
            .send()
    };
    for _ in 0..10 {
        assert_eq!(attempt("wrong password").await.expect("send").status().as_u16(), 401);
    }
    // Now even the right password waits.
    assert_eq!(attempt(PASSWORD).await.expect("send").status().as_u16(), 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_guesses_cannot_slip_under_the_sign_in_limit() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let guesses = (0..30).map(|n| {
        http.post(format!("{}/v1/login", server.url))
            .json(&LoginRequest {
                user: "eve".into(),
                password: format!("guess {n}"),
                device_id: id(),
                device_name: "x".into(),
                device_secret: None,
                predecessor: None,
            })
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.expect("send").status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(
        checked, 10,
        "exactly the limit was checked, the rest refused: {statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 20);
    // Names are capped: a megabyte of name is refused before anything is looked up.
    let long = http
        .post(format!("{}/v1/login", server.url))
        .json(&LoginRequest {
            user: "e".repeat(1_000_000),
            password: PASSWORD.into(),
            device_id: id(),
            device_name: "x".into(),
            device_secret: None,
            predecessor: None,
        })
        .send()
        .await
        .expect("send");
    assert_eq!(long.status().as_u16(), 401);
    assert_eq!(
        server
            .count("SELECT count(*) FROM login_attempt WHERE length(name_key) > 100")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_server_instances_on_one_database_serve_one_clinic() {
    let server = TestServer::start().await;
    // A second server process in all but name: its own pool, the same database.
    let own_pool = stride_server::db::pool(&format!("{}/{}", harness::postgres_base(), server.database)).expect("pool");
    let second = harness::serve(own_pool).await;
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&second, "frank").await,
    );
    sync_all(&[&a, &b], 1).await;
    let frank = b.session("frank");
    b.chart()
        .add_patient(
            &frank,
            &stride_chart::patients::NewPatient {
                first_name: "Both".into(),
                last_name: "Servers".into(),
                dob: "1990-05-06".into(),
                ..Default::default()
            },
        )
        .expect("patient");
    sync_all(&[&b, &a], 1).await;
    assert_eq!(a.records(), b.records());
    assert_eq!(a.chart().patients().expect("patients").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_devices_audit_chain_is_verified_and_a_changed_event_is_refused() {
    use stride_protocol::audit::{AuditEvent, ChainedEvent, GENESIS, event_hash};
    let server = TestServer::start().await;
    let raw = Raw::login(&server.url, "frank").await;
    let event = |seq: i64, prev: &str, entity_id: &str| {
        let e = AuditEvent {
            seq,
            at: "2026-11-27T10:00:00.000000Z".into(),
            user_id: Some(raw.user_id.clone()),
            action: "open".into(),
            entity: "patient".into(),
            entity_id: entity_id.into(),
            detail: None,
        };
        let hash = event_hash(prev, &e);
        ChainedEvent {
            event: e,
            prev_hash: prev.into(),
            hash,
        }
    };
    let first = event(1, GENESIS, "p1");
    let second = event(2, &first.hash, "p2");
    let post = |events: Vec<ChainedEvent>| {
        raw.http
            .post(format!("{}/v1/sync/audit", server.url))
            .bearer_auth(&raw.token)
            .json(&json!({ "device_id": raw.device_id, "events": events }))
            .send()
    };
    // A changed event (its content no longer matches its hash) is refused, and so is
    // everything after it.
    let mut tampered = second.clone();
    tampered.event.entity_id = "someone-else".into();
    let refused = post(vec![first.clone(), tampered]).await.expect("send");
    assert_eq!(refused.status().as_u16(), 400);
    assert_eq!(server.count("SELECT count(*) FROM device_audit").await, 0);
    // A gap is refused with the event expected.
    let gap: Value = post(vec![second.clone()])
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(gap["expected_seq"], 1);
    // The whole chain is kept; a replay is harmless.
    let ok: Value = post(vec![first.clone(), second.clone()])
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(ok["through"], 2);
    let again: Value = post(vec![second]).await.expect("send").json().await.expect("json");
    assert_eq!(again["through"], 2);
    assert_eq!(server.count("SELECT count(*) FROM device_audit").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_pointing_nowhere_stops_no_device() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    let frank = device.chart().link().expect("link").expect("linked").user_id;
    // Versions no push can make now (the server refuses a reference to a record it does
    // not have), as an older server could have published them: an appointment for a
    // patient nobody has, then an ordinary patient.
    let (appointment, patient) = (id(), id());
    let mut db = server.pool.get().await.expect("db");
    let tx = db.transaction().await.expect("tx");
    for (entity, key, image) in [
        (
            "appointment",
            &appointment,
            json!({ "id": appointment, "patient_id": id(), "therapist_id": frank, "starts_at": "2026-12-01T09:00",
                "minutes": 30, "status": "scheduled", "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z" }),
        ),
        (
            "patient",
            &patient,
            json!({ "id": patient, "mrn": "T-ok", "first_name": "Ok", "last_name": "Patient", "dob": "1970-01-01",
                "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z" }),
        ),
    ] {
        let image = stride_server::feed::as_image(image).expect("image");
        stride_server::feed::publish(&tx, server.clinic_id, entity, key, &image, None)
            .await
            .expect("publish");
    }
    tx.commit().await.expect("commit");
    // The device takes the patient, keeps the appointment aside as an issue, and goes on.
    device.sync().await;
    let issues = device.chart().sync_issues().expect("issues");
    assert!(
        issues
            .iter()
            .any(|i| i.entity_id == appointment && i.reason.contains("does not have")),
        "{issues:?}"
    );
    assert!(device.chart().patient(&patient).is_ok());
    let again = device.sync().await;
    assert_eq!(again.pulled, 0, "the page is behind it");
    // A push making such a reference is refused, and recorded.
    let raw = Raw::login(&server.url, "frank").await;
    let another = id();
    let (_, body) = raw
        .push(vec![json!({
            "device_seq": 1, "op_id": id(), "op_type": "appointment.create", "op_version": 1, "entity_id": another,
            "created_at": "2026-11-27T10:00:00Z",
            "payload": { "actor": raw.user_id, "entity": "appointment", "base_seq": 0, "prev_op": null,
                "image": { "id": another, "patient_id": id(), "therapist_id": raw.user_id } } })])
        .await;
    assert_eq!(body["results"][0]["outcome"], "rejected");
    let reason = body["results"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("does not have"), "{reason}");
}
