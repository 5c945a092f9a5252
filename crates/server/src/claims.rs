//! Claims in a synced clinic. Devices ask for lifecycle steps with compare-and-set (the
//! status they saw); the server checks each against the claim as it is now. Remittances
//! come from outside, so only the server posts them: a device stores the 835 it
//! imported as a `remittance` record, and the server settles the claims it names, with
//! the same pure posting rules the chart uses alone (`stride_billing::posting`).

use crate::error::ApiResult;
use crate::feed;
use deadpool_postgres::Transaction;
use serde_json::{Value, json};
use stride_billing::Modifier;
use stride_billing::posting::{ClaimState, OpenLine, forwarded_to, post, route};
use stride_billing::status::check_transition;
use stride_billing::x12::claim837::Adjustment;
use stride_billing::x12::remit835::RemitClaim;
use stride_billing::{ClaimStatus, TransitionSource};
use stride_protocol::{Image, OpPayload};
use uuid::Uuid;

fn status_of(image: &Image) -> Option<ClaimStatus> {
    image.get("status").and_then(Value::as_str).and_then(ClaimStatus::parse)
}

/// Why a device's claim op is refused, if it is. Only `claim.transition` moves a claim:
/// from a status the claim still has (someone may have moved it first), by a step the
/// lifecycle has and a person may take, to the status its image carries. Every other op
/// leaves the status as the device found it (`base`, the image its change was made on),
/// so a device that is merely behind is not refused, and no edit changes a status
/// behind the lifecycle's back. A new claim starts as a draft; remittances are posted
/// by the server alone.
pub fn refused(op_type: &str, current: Option<&Image>, base: &Image, payload: &OpPayload) -> Option<String> {
    let theirs = current.and_then(status_of);
    let mine = status_of(&payload.image);
    match op_type {
        "claim.post" => Some("remittances are posted by the clinic server, not by devices".into()),
        "claim.transition" => {
            let field = |k: &str| {
                payload
                    .intent
                    .get(k)
                    .and_then(Value::as_str)
                    .and_then(ClaimStatus::parse)
            };
            let (Some(from), Some(to), Some(actual)) = (field("from"), field("to"), theirs) else {
                return Some("the transition names no status, or the claim is not on the server".into());
            };
            if mine != Some(to) {
                return Some(format!("the transition's claim is not {to}, as the transition says"));
            }
            check_transition(from, actual, to, TransitionSource::Clinic)
                .err()
                .map(|e| e.to_string())
        }
        _ if current.is_none() => {
            (mine != Some(ClaimStatus::Draft)).then(|| "a new claim starts as a draft".to_owned())
        }
        _ => {
            let found = status_of(base).or(theirs);
            (mine != found).then(|| match mine {
                Some(mine) if mine.remittance_owned() => {
                    format!("only the clinic server marks a claim {mine}, from a remittance")
                }
                _ => format!(
                    "a claim's status changes by a transition, not an edit ({} to {})",
                    found.map_or("unknown", ClaimStatus::as_str),
                    mine.map_or("none", ClaimStatus::as_str)
                ),
            })
        }
    }
}

/// Why a device's new remittance is refused: the same payment (payer and trace number)
/// was posted already, from this file or the same payment sent again.
pub async fn duplicate_payment(tx: &Transaction<'_>, clinic_id: Uuid, remittance: &Image) -> ApiResult<Option<String>> {
    let (payer, trace) = (text(remittance.get("payer_code")), text(remittance.get("trace_number")));
    // Two devices pushing the same payment at once: the second waits here until the
    // first commits, then sees its remittance (each statement reads what is committed).
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&format!("remittance {clinic_id} {payer} {trace}")],
    )
    .await?;
    let seen = tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT image->>'imported_at' FROM record WHERE clinic_id = $1 AND entity = 'remittance'
                   AND image->>'payer_code' = $2 AND image->>'trace_number' = $3 AND id <> $4 LIMIT 1",
            )
            .await?,
            &[&clinic_id, &payer, &trace, &text(remittance.get("id"))],
        )
        .await?;
    Ok(seen.map(|r| {
        let at: Option<String> = r.get(0);
        format!(
            "payment {trace} was already posted (imported {}): nothing was posted twice",
            at.unwrap_or_default()
        )
    }))
}

/// The claim a remittance claim settles, found by its control number.
async fn claim_by_control_number(tx: &Transaction<'_>, clinic_id: Uuid, control: &str) -> ApiResult<Option<String>> {
    Ok(tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT id FROM record WHERE clinic_id = $1 AND entity = 'claim' AND image->>'control_number' = $2",
            )
            .await?,
            &[&clinic_id, &control],
        )
        .await?
        .map(|r| r.get(0)))
}

/// The payer id (N1*PR) claims to a payer are sent to.
async fn payer_code_of(tx: &Transaction<'_>, clinic_id: Uuid, payer_id: &str) -> ApiResult<Option<String>> {
    Ok(feed::current(tx, clinic_id, "payer", payer_id)
        .await?
        .and_then(|payer| payer.get("payer_code").and_then(Value::as_str).map(str::to_owned)))
}

fn int(v: Option<&Value>) -> i64 {
    v.and_then(Value::as_i64).unwrap_or(0)
}

fn text(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or_default()
}

/// The claim's lines as posting sees them.
fn open_lines(claim: &Image) -> Vec<OpenLine> {
    claim
        .iter()
        .filter(|(k, _)| k.starts_with("claim_line/"))
        .filter_map(|(_, v)| v.as_object())
        .map(|l| OpenLine {
            position: u32::try_from(int(l.get("position"))).unwrap_or(0),
            code: text(l.get("code")).to_owned(),
            // Lines are matched by their modifiers; one that does not read matches nothing.
            modifiers: text(l.get("modifiers"))
                .split_whitespace()
                .filter_map(|m| Modifier::parse(m).ok())
                .collect(),
            date: text(l.get("date_of_service")).to_owned(),
            charge_cents: int(l.get("charge_cents")),
        })
        .collect()
}

fn add(object: &mut serde_json::Map<String, Value>, field: &str, cents: i64) {
    let sum = int(object.get(field)).saturating_add(cents);
    object.insert(field.into(), Value::from(sum));
}

/// Posts the claims a remittance names (the record just stored by `op_id`), in file
/// order: payments, statuses with their history step, a crossover's `forwarded_to`, and
/// a denial record for each denied line, each published as a new version in the feed.
/// Routing (a reversal on a settled claim, the crossover payer's own payment) is the
/// chart's, `stride_billing::posting::route`. A claim it cannot find, or that owes
/// nothing, is left as the remittance record shows it, for a person.
pub async fn post_remittance(tx: &Transaction<'_>, clinic_id: Uuid, remittance: &Image, op_id: Uuid) -> ApiResult<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let remittance_id = text(remittance.get("id"));
    let reason = format!(
        "835 {} from {}",
        text(remittance.get("trace_number")),
        text(remittance.get("payer_name"))
    );
    let payer_code = text(remittance.get("payer_code"));
    // Claims post in file order, each after the one before it: a reversal reopens its
    // claim before the corrected claim that follows it posts.
    let mut rows: Vec<&serde_json::Map<String, Value>> = remittance
        .iter()
        .filter(|(k, _)| k.starts_with("remit_claim/"))
        .filter_map(|(_, v)| v.as_object())
        .collect();
    rows.sort_by_key(|row| int(row.get("position")));
    for row in rows {
        // The server matches the claim itself: the importing device may not have had it yet.
        let Some(remit) = row
            .get("detail")
            .and_then(Value::as_str)
            .and_then(|d| serde_json::from_str::<RemitClaim>(d).ok())
        else {
            continue;
        };
        let Some(claim_id) = claim_by_control_number(tx, clinic_id, &remit.control_number).await? else {
            continue;
        };
        let claim_id = claim_id.as_str();
        let Some(mut claim) = feed::current(tx, clinic_id, "claim", claim_id).await? else {
            continue;
        };
        let Some(status) = status_of(&claim) else {
            continue;
        };
        let claim_payer = payer_code_of(tx, clinic_id, text(claim.get("payer_id"))).await?;
        let state = ClaimState {
            status,
            forwarded: !text(claim.get("forwarded_to")).is_empty(),
            payer_code: claim_payer.as_deref(),
        };
        // What cannot post stays on the remittance record, for a person.
        let Ok(to_post) = route(state, payer_code, &remit) else {
            continue;
        };
        let posting = post(status, &open_lines(&claim), &to_post);
        if remit.forwarded() {
            claim.insert("forwarded_to".into(), Value::from(forwarded_to(&remit)));
        }
        for l in &posting.lines {
            if let Some(Value::Object(line)) = claim.get_mut(&format!("claim_line/{}", l.position)) {
                add(line, "paid_cents", l.paid_cents);
                add(line, "written_off_cents", l.written_off_cents);
                add(line, "patient_resp_cents", l.patient_resp_cents);
                // Every remittance's adjustments of the line, so a later secondary claim
                // reports all of them beside the total paid.
                let mut all: Vec<Adjustment> = serde_json::from_str(text(line.get("adjustments"))).unwrap_or_default();
                all.extend(l.adjustments.iter().cloned());
                line.insert(
                    "adjustments".into(),
                    Value::from(serde_json::to_string(&all).unwrap_or_default()),
                );
            }
        }
        let s = &posting.settlement;
        add(&mut claim, "paid_cents", s.paid_cents);
        add(&mut claim, "written_off_cents", s.written_off_cents);
        add(&mut claim, "patient_resp_cents", s.patient_resp_cents);
        claim.insert(
            "adjudicated_on".into(),
            remittance.get("paid_on").cloned().unwrap_or(Value::Null),
        );
        claim.insert("updated_at".into(), Value::from(now.clone()));
        if let Some(to) = posting.status {
            claim.insert("status".into(), Value::from(to.as_str()));
            let seq = claim
                .iter()
                .filter(|(k, _)| k.starts_with("claim_event/"))
                .map(|(_, v)| int(v.get("seq")))
                .max()
                .unwrap_or(0)
                + 1;
            claim.insert(
                format!("claim_event/{seq}"),
                json!({ "seq": seq, "at": now, "user_id": null, "from_status": status.as_str(),
                        "to_status": to.as_str(), "source": "remittance", "reason": reason }),
            );
        }
        feed::publish(tx, clinic_id, "claim", claim_id, &claim, Some(op_id)).await?;
        for d in &posting.denials {
            let id = Uuid::now_v7().to_string();
            let denial = json!({ "id": id, "claim_id": claim_id, "line_position": d.position,
                "remittance_id": remittance_id, "code": d.code, "cents": d.cents,
                "reasons": serde_json::to_string(&d.reasons).unwrap_or_default(),
                "remarks": serde_json::to_string(&d.remarks).unwrap_or_default(),
                "status": "open", "created_at": now, "updated_at": now });
            if let Some(image) = feed::as_image(denial) {
                feed::publish(tx, clinic_id, "denial", &id, &image, Some(op_id)).await?;
            }
        }
    }
    Ok(())
}

/// Writing a denial off moves its amount out of A/R, and reopening it moves it back: the
/// server adjusts the claim and its line itself, as it posts remittances, so no device
/// ever pushes a claim's money.
pub async fn write_off(
    tx: &Transaction<'_>,
    clinic_id: Uuid,
    before: &Image,
    after: &Image,
    op_id: Uuid,
) -> ApiResult<()> {
    let written_off = |d: &Image| text(d.get("status")) == "written_off";
    let cents = int(after.get("cents"));
    let delta = match (written_off(before), written_off(after)) {
        (false, true) => cents,
        (true, false) => -cents,
        _ => return Ok(()),
    };
    let claim_id = text(after.get("claim_id"));
    let Some(mut claim) = feed::current(tx, clinic_id, "claim", claim_id).await? else {
        return Ok(());
    };
    add(&mut claim, "written_off_cents", delta);
    if let Some(Value::Object(line)) = claim.get_mut(&format!("claim_line/{}", int(after.get("line_position")))) {
        add(line, "written_off_cents", delta);
    }
    feed::publish(tx, clinic_id, "claim", claim_id, &claim, Some(op_id)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::refused;
    use serde_json::json;
    use stride_protocol::{Image, OpPayload};

    fn image(status: &str) -> Image {
        json!({ "id": "c1", "status": status })
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    fn op(status: &str, intent: serde_json::Value) -> OpPayload {
        OpPayload {
            actor: None,
            entity: "claim".into(),
            image: image(status),
            base_seq: 1,
            prev_op: None,
            base_epoch: None,
            intent,
        }
    }

    #[test]
    fn only_a_transition_moves_a_claim_and_a_device_behind_is_not_refused() {
        let (submitted, paid) = (image("submitted"), image("paid"));
        // An edit made on a claim the device saw submitted, while the server posted it paid.
        assert_eq!(
            refused("claim.edit", Some(&paid), &submitted, &op("submitted", json!({}))),
            None
        );
        // An edit that voids a submitted claim, or marks it paid, behind the lifecycle.
        let void = refused("claim.edit", Some(&submitted), &submitted, &op("void", json!({})));
        assert!(void.is_some_and(|why| why.contains("by a transition")));
        let forged = refused("claim.update", Some(&submitted), &submitted, &op("paid", json!({})));
        assert!(forged.is_some_and(|why| why.contains("only the clinic server")));
        // A transition must carry the status it names, from the status the claim has.
        let draft = image("draft");
        let step = json!({ "from": "draft", "to": "void" });
        assert_eq!(
            refused("claim.transition", Some(&draft), &draft, &op("void", step.clone())),
            None
        );
        assert!(refused("claim.transition", Some(&draft), &draft, &op("ready", step)).is_some());
        // New claims are drafts.
        assert_eq!(
            refused("claim.insert", None, &Image::new(), &op("draft", json!({}))),
            None
        );
        assert!(refused("claim.insert", None, &Image::new(), &op("ready", json!({}))).is_some());
    }
}
