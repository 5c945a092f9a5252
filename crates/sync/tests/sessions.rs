//! Sign-ins that end: tokens renewed before they expire, an expired one asking for a
//! sign-in (and sync resuming after it), a deactivated author on a shared machine whose
//! pending changes are refused while everyone else's go through, and a device id that is
//! not a credential.

mod harness;

use harness::{Device, PASSWORD, TestServer, id};
use stride_chart::patients::NewPatient;
use stride_protocol::LoginRequest;
use stride_sync::{Client, SyncError};

fn patient(first: &str) -> NewPatient {
    NewPatient {
        first_name: first.into(),
        last_name: "Session".into(),
        dob: "1960-01-02".into(),
        ..NewPatient::default()
    }
}

/// Moves every token of the device's people to expire at `when` (SQL).
async fn expire_tokens(server: &TestServer, device: &Device, when: &str) {
    let device_id: uuid::Uuid = device.device_id.parse().expect("uuid");
    server
        .pool
        .get()
        .await
        .expect("db")
        .execute(
            &format!("UPDATE device_token SET expires_at = {when} WHERE device_id = $1"),
            &[&device_id],
        )
        .await
        .expect("expire");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_renewed_before_it_expires_and_an_expired_one_asks_for_a_sign_in() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    let first = device.chart().link().expect("link").expect("linked");

    // Three days left: the next sync renews the token first.
    expire_tokens(&server, &device, "now() + interval '3 days'").await;
    device
        .chart()
        .renew_token(
            &first.token,
            &(chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339(),
        )
        .expect("as the device knew it");
    device.sync().await;
    let renewed = device.chart().link().expect("link").expect("linked");
    assert_ne!(renewed.token, first.token, "a fresh token");
    assert!(renewed.token_expires_at > first.token_expires_at);

    // Day 31 with no renewal: the device asks for a sign-in, and keeps working offline.
    expire_tokens(&server, &device, "now() - interval '1 minute'").await;
    let frank = device.session("frank");
    device
        .chart()
        .add_patient(&frank, &patient("Waiting"))
        .expect("offline work");
    assert!(matches!(device.try_sync().await, Err(SyncError::SignInNeeded)));
    assert_eq!(device.chart().pending_op_count().expect("pending"), 1);
    // Frank signs in again: the same device (its secret), a new token, and the change goes.
    device.sign_in("frank").await;
    let summary = device.sync().await;
    assert_eq!((summary.pushed, summary.rejected), (1, 0));
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient' AND image->>'first_name' = 'Waiting'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deactivated_author_on_a_shared_machine_stops_nobody_else() {
    let server = TestServer::start().await;
    // The front desk computer: Frank joined it, Eve signed in on it too.
    let desk = Device::join(&server.url, "frank").await;
    desk.sign_in("eve").await;
    desk.sync().await;
    let (frank, eve) = (desk.session("frank"), desk.session("eve"));
    desk.chart().add_patient(&eve, &patient("ByEve")).expect("eve's work");
    desk.chart()
        .add_patient(&frank, &patient("ByFrank"))
        .expect("frank's work");
    // Eve leaves the clinic before the computer syncs.
    stride_server::admin::deactivate_user(&server.pool, server.clinic_id, "eve")
        .await
        .expect("deactivate");
    let summary = desk.sync().await;
    assert_eq!((summary.pushed, summary.rejected), (2, 1), "{summary:?}");
    let refused = desk.chart().refused_ops().expect("refused");
    assert!(refused[0].reason.contains("not an active user"), "{refused:?}");
    assert_eq!(
        server
            .count(
                "SELECT count(*) FROM record WHERE entity = 'patient' AND image->>'first_name' IN ('ByEve', 'ByFrank')"
            )
            .await,
        1,
        "Frank's change went through, Eve's did not"
    );
    // The device learnt of it: Eve cannot sign in here offline any more.
    assert!(desk.chart().authenticate("eve", PASSWORD).is_err());
    assert_eq!(desk.chart().pending_op_count().expect("pending"), 0);
    // The admin trail recorded it.
    assert_eq!(
        server
            .count("SELECT count(*) FROM admin_audit WHERE action = 'user.deactivate'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_id_is_not_a_credential_and_no_password_hash_reaches_a_device() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    // Someone who knows the device's id (it is in logs and the admin's list) signs in as it.
    let client = Client::new(&server.url, None).expect("client");
    let stolen = LoginRequest {
        user: "eve".into(),
        password: PASSWORD.into(),
        device_id: device.device_id.clone(),
        device_name: "impostor".into(),
        device_secret: None,
        predecessor: None,
    };
    assert!(matches!(client.login(&stolen).await, Err(SyncError::Refused(m)) if m.contains("another installation")));
    let guessed = LoginRequest {
        device_secret: Some(id()),
        predecessor: None,
        ..stolen
    };
    assert!(client.login(&guessed).await.is_err());
    // The staff's hashes stay on the server: devices hold the locked mark.
    let hashes: i64 = device
        .chart()
        .connection()
        .query_row(
            "SELECT count(*) FROM user WHERE password_hash <> '!' OR pin_hash IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(hashes, 0);
    // Eve never signed in on this device, so it cannot check her password offline.
    assert!(device.chart().authenticate("eve", PASSWORD).is_err());
    assert!(device.chart().authenticate("frank", PASSWORD).is_ok());
    // A password reset ends every sign-in: the device asks for the new password.
    stride_server::admin::reset_password(&server.pool, server.clinic_id, "frank", "a brand new password")
        .await
        .expect("reset");
    assert!(matches!(device.try_sync().await, Err(SyncError::SignInNeeded)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backlog_larger_than_the_server_takes_in_one_request_still_syncs() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    let frank = device.session("frank");
    // Six changes of 3.5 MB each (a long-offline desk's backlog, or a large import):
    // 21 MB in all, more than the server takes in one request (16 MiB).
    let bulky = "x".repeat(3_500_000);
    for n in 0..6 {
        let p = NewPatient {
            address: Some(format!("{n} {bulky}")),
            ..patient(&format!("Bulky{n}"))
        };
        device.chart().add_patient(&frank, &p).expect("patient");
    }
    let summary = device.sync().await;
    assert_eq!((summary.pushed, summary.rejected), (6, 0));
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        6
    );
    // One change larger than the server takes at all: refused and listed, and the change
    // after it still goes.
    let huge = NewPatient {
        address: Some("y".repeat(9_000_000)),
        ..patient("Huge")
    };
    device.chart().add_patient(&frank, &huge).expect("patient");
    device.chart().add_patient(&frank, &patient("After")).expect("patient");
    let summary = device.sync().await;
    assert_eq!((summary.pushed, summary.rejected), (2, 1));
    let refused = device.chart().refused_ops().expect("refused");
    assert!(refused[0].reason.contains("too large"), "{refused:?}");
    assert_eq!(device.chart().pending_op_count().expect("pending"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_change_reaches_devices_and_the_table_follows_it() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    let frank = device.session("frank");
    let acme = stride_chart::payers::Payer::with_defaults("Acme", stride_coding::UnitMethod::Ama);
    // The front desk may not write a payer...
    device
        .chart()
        .add_payer(&frank, &acme)
        .expect_err("front desk writes no payers");
    // ...until the administrator makes Frank a biller too; the device learns it on sync.
    stride_server::admin::set_roles_of(&server.pool, server.clinic_id, "frank", &["frontdesk", "biller"])
        .await
        .expect("roles");
    device.sync().await;
    let frank = device.session("frank");
    device.chart().add_payer(&frank, &acme).expect("a biller adds a payer");
    let summary = device.sync().await;
    assert_eq!((summary.pushed, summary.rejected), (1, 0));
    assert_eq!(
        server
            .count("SELECT count(*) FROM admin_audit WHERE action = 'user.roles' AND detail = 'frontdesk biller'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_therapist_set_to_bill_in_her_own_name_on_the_server_does_so_on_every_device() {
    let server = TestServer::start().await;
    let device = Device::join(&server.url, "frank").await;
    for refused in [("pat", Some("98-7654321")), ("eve", Some("98-76543"))] {
        stride_server::admin::set_user_own_billing(&server.pool, server.clinic_id, refused.0, refused.1)
            .await
            .expect_err("an assistant, or a short tax id");
    }
    let eve = stride_server::admin::set_user_own_billing(&server.pool, server.clinic_id, "eve", Some("98-7654321"))
        .await
        .expect("own billing");
    device.sync().await;
    let eve = eve.to_string();
    assert_eq!(
        device.chart().own_tax_id(&eve).expect("user").as_deref(),
        Some("987654321")
    );
    stride_server::admin::set_user_own_billing(&server.pool, server.clinic_id, "eve", None)
        .await
        .expect("off");
    device.sync().await;
    assert_eq!(device.chart().own_tax_id(&eve).expect("user"), None);
    assert_eq!(
        server
            .count("SELECT count(*) FROM admin_audit WHERE action = 'user.own_billing'")
            .await,
        2
    );
}
