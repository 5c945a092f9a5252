// A biller's month in the real window, on the demo clinic: signed notes built into
// claims, found clean by the scrubber, sent as an 837P that pyx12 accepts, and the payer's
// 835 posted through the file picker, with its denial in the work queue. Screenshots go
// to tests/artifacts/screens/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, sleep, saveScreenshot, clickButtonIn } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/stride-desktop");
const cli = join(root, "target/debug/stride");
const shots = join(root, "tests/artifacts/screens");
const data = mkdtempSync(join(tmpdir(), "stride-e2e-billing-"));
const env = {
  ...process.env,
  STRIDE_DB: join(data, "clinic.stride"),
  STRIDE_DEMO_DB: join(data, "demo.stride"),
  STRIDE_PASSPHRASE: "e2e passphrase",
};
const PORT = 4480;
const python = process.env.STRIDE_X12_PYTHON ?? join(root, "target/pyx12/bin/python");
let driver;
let session;

const screenshot = (name) => saveScreenshot(session, join(shots, `${name}.png`));

async function click(css) {
  await (await session.find(css)).click();
}

/** Checks an X12 file with pyx12; throws with its report when invalid. */
function pyx12(path) {
  execFileSync(python, [join(root, "tests/x12/validate.py"), path], { encoding: "utf8" });
}

/** The path in a "... saved: PATH ..." message. */
async function savedPath(pattern) {
  const message = await session.waitForText("#billing-message", (t) => pattern.test(t));
  const path = /saved: (\S+\.83[57])/.exec(message)?.[1];
  assert.ok(path && existsSync(path), `a saved file in: ${message}`);
  return path;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  driver = spawn("tauri-driver", ["--port", String(PORT), "--native-port", String(PORT + 1)], { env, stdio: "ignore" });
  await sleep(1500);
  session = await Session.start(`http://127.0.0.1:${PORT}`, { "tauri:options": { application: app } });
});

after(async () => {
  await session?.end();
  driver?.kill();
});

test("a biller goes from signed notes to a posted remittance", async () => {
  await click("#open-demo");
  await click("#nav-billing");
  await session.find("#billing-heading");
  // The demo's visits are in the last weeks: bill the last 120 days.
  const from = new Date(Date.now() - 120 * 86400000).toISOString().slice(0, 10);
  await session.execute(
    "const d = document.getElementById('bill-from'); d.value = arguments[0]; d.dispatchEvent(new Event('input', {bubbles: true}));",
    [from],
  );
  await click("#build-claims");
  const built = await session.waitForText("#billing-message", (t) => t.includes("draft claims"));
  const claims = Number(/^(\d+) draft claims/.exec(built)?.[1]);
  assert.ok(claims > 10, built);

  // Open one: the scrubber finds nothing to fix.
  await click("#claims tbody button");
  await session.find("#scrub-clean");
  // What can be done with a draft, as the lifecycle in Rust says.
  const actions = await session.text("#claim-detail .row");
  for (const action of ["Mark ready", "Void", "Rebuild from notes"]) assert.ok(actions.includes(action), actions);
  assert.ok(!actions.includes("Mark appealed"), actions);
  // Voiding asks first; "Keep it" leaves the claim as it was.
  await clickButtonIn(session, "Void");
  const asked = await session.waitForText("#confirm", (t) => t.includes("Void claim"));
  assert.match(asked, /never sent or paid/);
  await screenshot("10a-confirm-void");
  await click("#confirm-no");
  await session.waitForText("#claim-detail h2", (t) => /draft/i.test(t));
  await screenshot("10-billing-claim");

  await click("#ready-all");
  await session.waitForText("#billing-message", (t) => t.includes(`${claims} claims ready`));
  await click("#export-837");
  const file837 = await savedPath(/837P file saved/);
  pyx12(file837);
  await screenshot("11-billing-exported");

  // The demo payer answers; the biller posts its 835 through the file picker.
  await click("#demo-payer");
  const file835 = await savedPath(/835 is saved/);
  const picker = await session.find("#import-835");
  await picker.type(file835);
  const report = await session.waitForText("#import-report", (t) => t.includes("claims posted"));
  // One payment per payer in the file; the Medigap plan pays the claims Medicare crossed
  // over to it, so they post twice.
  assert.match(report, /MEDICARE PART B/);
  assert.match(report, /MEDIGAP PLAN G/);
  assert.ok(Number(/(\d+) claims posted/.exec(report)?.[1]) > claims, report);
  const denials = await session.waitForText("#denials", (t) => t.includes("medically necessary"));
  assert.match(denials, /CO-50/);
  // Charges and payments by payer and therapist, and the A/R.
  await session.waitForText("#production", (t) => /Medicare Part B|Blue Cross/.test(t));
  assert.match(await session.text("#ar-total"), /^\$[\d,]+\.\d\d$/);
  await screenshot("12-billing-posted");

  // The chart agrees, read through the CLI.
  const cliEnv = { ...env, STRIDE_DB: env.STRIDE_DEMO_DB, STRIDE_PASSPHRASE: "stride demo", STRIDE_USER: "demo", STRIDE_PASSWORD: "demo-password" };
  // The claims sent today (the demo's earlier weeks were billed before).
  const sentToday = new Date().toLocaleDateString("en-CA");
  const list = (status) =>
    JSON.parse(execFileSync(cli, ["claim", "list", "--status", status, "--json"], { env: cliEnv })).filter(
      (c) => c.submitted_on === sentToday,
    );
  assert.equal(list("submitted").length, 0);
  // Every seventh primary claim has a line denied: partially paid, or denied when that was its only line.
  const withDenial = list("partially_paid").length + list("denied").length;
  assert.equal(list("paid").length + withDenial, claims);
  assert.ok(withDenial > 0 && withDenial <= Math.ceil(claims / 7), `${withDenial} of ${claims}`);
});

test("the front desk sees and keeps each patient's insurance details", async () => {
  const open = async (search, name) => {
    await click("#nav-patients");
    const box = await session.find("#search");
    await box.clear();
    await box.type(search);
    await clickButtonIn(session, name);
    await click("#tab-billing");
    await session.find("#insurance");
    await session.execute("document.getElementById('insurance').open = true;");
  };
  // A child on her mother's plan: the insured is the mother.
  await open("ashworth", "Ashworth, Lily");
  await session.waitForText("#insurance", (t) => t.includes("Insured: Erin Ashworth (patient is the child of the insured)"));
  // Medicare second behind an employer plan: the MSP type is asked for, and recorded.
  await open("pruitt", "Pruitt, Walter");
  const msp = await session.waitForText("#insurance", (t) => t.includes("Why Medicare pays second"));
  assert.match(msp, /Secondary: Medicare Part B/);
  const chosen = await session.execute("return document.querySelector('select[id^=msp-]').value;");
  assert.equal(chosen, "12");
  // An authorization with the payer's number, added from the chart.
  const episode = await session.execute("return document.querySelector('input[id^=auth-number-]').id.slice('auth-number-'.length);");
  const fill = async (css, text) => {
    const el = await session.find(css);
    await el.clear();
    await el.type(text);
  };
  await fill(`#auth-number-${episode}`, "PA-77120");
  await fill(`#auth-visits-${episode}`, "12");
  const until = new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10);
  await session.execute(
    "const d = document.getElementById(arguments[0]); d.value = arguments[1]; d.dispatchEvent(new Event('input', {bubbles: true}));",
    [`auth-to-${episode}`, until],
  );
  await click(`#add-authorization-${episode}`);
  await session.waitForText("#insurance", (t) => t.includes("No. PA-77120: 12 visits"));
  await screenshot("13-insurance");
});
