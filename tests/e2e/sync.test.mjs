// Two Stride desktop apps on one machine, each in its own real window, joining one clinic
// server on loopback: a patient the front desk registers in one window appears in the
// therapist's window. Run by tests/run under Xvfb, after it builds stride-server.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, sleep, saveScreenshot } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/stride-desktop");
const serverBin = join(root, "target/debug/stride-server");
const shots = join(root, "tests/artifacts/screens");
const data = mkdtempSync(join(tmpdir(), "stride-e2e-sync-"));
const postgres = process.env.STRIDE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432";
const database = `stride_e2e_${Date.now()}`;
const serverPort = 18000 + Math.floor(Math.random() * 1000);
const serverUrl = `http://127.0.0.1:${serverPort}`;
const PASSWORD = "clinic-password";
const serverEnv = { ...process.env, STRIDE_DATABASE_URL: `${postgres}/${database}`, STRIDE_PASSWORD: PASSWORD };

let server;
const windows = [];

/** One app window with its own chart, driven through its own tauri-driver. */
async function openWindow(name, port) {
  const env = { ...process.env, STRIDE_DB: join(data, `${name}.stride`), STRIDE_DEMO_DB: join(data, `${name}-demo.stride`), STRIDE_PASSPHRASE: "e2e passphrase" };
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], { env, stdio: "ignore" });
  await sleep(1500);
  const session = await Session.start(`http://127.0.0.1:${port}`, { "tauri:options": { application: app } });
  const w = { name, driver, session };
  windows.push(w);
  return w;
}

async function fill(session, css, text) {
  const el = await session.find(css);
  await el.clear();
  await el.type(text);
}

const shot = (session, name) => saveScreenshot(session, join(shots, `${name}.png`));

async function join_(w, user) {
  await w.session.find("#server");
  await fill(w.session, "#server", serverUrl);
  await fill(w.session, "#join-name", user);
  await fill(w.session, "#join-password", PASSWORD);
  await fill(w.session, "#device-name", `${user}'s computer`);
  await (await w.session.find("#join-clinic")).click();
  await w.session.find("#schedule-heading");
  await w.session.waitForText("#sync-state", (t) => t === "online");
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  execFileSync("psql", [`${postgres}/postgres`, "-qc", `CREATE DATABASE ${database}`]);
  const clinic = execFileSync(serverBin, ["clinic", "create", "--name", "Riverside PT", "--admin", "dana"], { env: serverEnv }).toString().trim();
  execFileSync(serverBin, ["user", "add", "--clinic", clinic, "--name", "frank", "--role", "frontdesk"], { env: serverEnv });
  server = spawn(serverBin, ["serve", "--plain-http", "--listen", `127.0.0.1:${serverPort}`], { env: serverEnv, stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`${serverUrl}/health`).then((r) => r.ok, () => false);
    if (up) break;
    await sleep(100);
  }
});

after(async () => {
  for (const w of windows) {
    await w.session.end();
    w.driver.kill();
  }
  server?.kill();
});

test("two desktop apps sync a patient through the clinic server", async () => {
  const desk = await openWindow("frontdesk", 4460);
  await join_(desk, "frank");
  const therapist = await openWindow("therapist", 4470);
  await join_(therapist, "dana");

  // The front desk registers a patient.
  await (await desk.session.find("#nav-patients")).click();
  await fill(desk.session, "#first", "Grace");
  await fill(desk.session, "#last", "Hopper");
  await desk.session.execute("const d = document.querySelector('#dob'); d.value = '1936-12-09'; d.dispatchEvent(new Event('input', { bubbles: true }));");
  await (await desk.session.find("#add-patient")).click();
  await desk.session.waitForText("#sync-pending", (t) => t.startsWith("0 changes"));
  await shot(desk.session, "sync-front-desk");

  // The therapist's window brings it in: on its own within 30 s, or now when asked.
  await (await therapist.session.find("#sync-now")).click();
  await (await therapist.session.find("#nav-patients")).click();
  const deadline = Date.now() + 15000;
  let found = false;
  while (!found && Date.now() < deadline) {
    await fill(therapist.session, "#search", "Hopper");
    await sleep(500);
    found = await therapist.session.execute("return [...document.querySelectorAll('.results button')].some(b => b.textContent.includes('Hopper'));");
  }
  await shot(therapist.session, "sync-therapist");
  assert.ok(found, "the therapist's window shows the patient the front desk registered");
  const state = await (await therapist.session.find("#sync-state")).text();
  assert.equal(state, "online");
});
