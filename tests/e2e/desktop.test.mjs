// The desktop app in a real window: tauri-driver drives WebKitWebDriver, which drives the
// Stride window. Run by tests/run under Xvfb. Screenshots of each screen go to
// tests/artifacts/screens/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Key, Session, sleep, saveScreenshot, clickButtonIn } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/stride-desktop");
const cli = join(root, "target/debug/stride");
const shots = join(root, "tests/artifacts/screens");
const data = mkdtempSync(join(tmpdir(), "stride-e2e-"));
const env = {
  ...process.env,
  STRIDE_DB: join(data, "clinic.stride"),
  STRIDE_DEMO_DB: join(data, "demo.stride"),
  STRIDE_PASSPHRASE: "e2e passphrase",
};
const PORT = 4444;
let driver;
let session;

const screenshot = (name) => saveScreenshot(session, join(shots, `${name}.png`));

async function fill(css, text) {
  const el = await session.find(css);
  await el.clear();
  await el.type(text);
}

async function click(css) {
  await (await session.find(css)).click();
}

/** Clicks the first button whose text contains `text`. */
const clickButton = (text) => clickButtonIn(session, text);

before(async () => {
  mkdirSync(shots, { recursive: true });
  driver = spawn("tauri-driver", ["--port", String(PORT)], { env, stdio: "ignore" });
  await sleep(1500);
  session = await Session.start(`http://127.0.0.1:${PORT}`, {
    "tauri:options": { application: app },
  });
});

after(async () => {
  await session?.end();
  driver?.kill();
});

test("a therapist's first run, a visit documented, signed and amended", async () => {
  // First run: create the clinic.
  await session.find("#clinic");
  await screenshot("01-first-run");
  await fill("#clinic", "Riverside PT");
  await fill("#owner", "maria");
  await fill("#password", "owner-password");
  await click("form button[type=submit]");

  // Add a patient, open an episode, book a visit.
  await click("#nav-patients");
  await fill("#first", "Ann");
  await fill("#last", "Lee");
  await session.execute("const d = document.getElementById('dob'); d.value = '1950-04-12'; d.dispatchEvent(new Event('input', {bubbles: true}));");
  await screenshot("02-new-patient");
  await click("#add-patient");
  await session.waitForText("#chart-heading", (t) => t.includes("Ann Lee"));
  await fill("#new-payer", "Medicare Part B");
  // The diagnosis is found by words and picked from CMS's code set.
  await fill("#dx", "low back pain");
  await session.waitForText(".dx-options", (t) => t.includes("M54.50"));
  await screenshot("03a-diagnosis-search");
  await clickButton("M54.50");
  await click("#add-episode");
  await clickButton("Book visit");
  await screenshot("03-chart");
  await click("#nav-schedule");
  const visit = await session.waitForText(".visit", (t) => t.includes("Ann Lee"));
  assert.match(visit, /note in progress|no note yet/);
  assert.match(await session.text(".column h2"), /maria/);
  await screenshot("04-schedule");

  // Write the daily note: three interventions, the units change as minutes are added.
  await clickButton("Chart");
  await clickButton("New daily note");
  await fill("#subjective", "Low back pain 4/10, better after last visit.");
  const add = async (code, minutes) => {
    await fill("#service-code", code);
    await fill("#service-minutes", String(minutes));
    await click("#add-service");
  };
  await add("97112", 24);
  assert.match(await session.waitForText("#billing-summary", (t) => t.includes("2 units")), /2 units from 24 timed minutes/);
  await add("97110", 23);
  assert.match(await session.waitForText("#billing-summary", (t) => t.includes("47")), /3 units from 47 timed minutes/);
  await add("97140", 8);
  assert.match(await session.waitForText("#billing-summary", (t) => t.includes("55")), /4 units from 55 timed minutes/);
  await screenshot("05-note-editor");

  // Sign, then amend.
  await click("#sign-note");
  await session.waitForText("#signed-banner", (t) => t.includes("content verified"));
  // The hash is there on request.
  await click("details.hash summary");
  const hash = await session.waitForText("#note-hash", (t) => /^[0-9a-f]{64}$/.test(t));
  // The banner says whose note this is.
  assert.match(await session.text(".banner"), /Ann Lee/);
  await fill("#addendum", "Patient called: pain eased.");
  await click("#add-addendum");
  await session.waitForText(".addendum", (t) => t.includes("pain eased"));
  await screenshot("06-signed-note");

  // The database agrees: read it back through the CLI.
  const cliEnv = { ...env, STRIDE_USER: "maria", STRIDE_PASSWORD: "owner-password" };
  const patients = JSON.parse(execFileSync(cli, ["patient", "list", "--json"], { env: cliEnv }));
  const shown = JSON.parse(execFileSync(cli, ["patient", "show", patients[0].id], { env: cliEnv }));
  const noteId = shown.timeline[0].note_id;
  const note = JSON.parse(execFileSync(cli, ["note", "show", noteId, "--json"], { env: cliEnv }));
  assert.equal(note.status, "signed");
  assert.equal(note.content_hash, hash);
  assert.equal(note.hash_verified, true);
  assert.deepEqual(
    note.charge_lines.map((l) => [l.code, l.units]),
    // 55 timed minutes: 4 units; 97112 and 97110 each fill one, their leftovers (9, and 8
    // tied with 97140's 8 but with more minutes) take the other two.
    [["97112", 2], ["97110", 2]],
  );
  assert.equal(note.addenda.length, 1);
  assert.equal(note.subjective, "Low back pain 4/10, better after last visit.");
});

test("a draft survives the app being killed mid-edit", async () => {
  // Continue in the clinic made above: start a new note and type into it.
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await clickButton("New daily note");
  const words = "Typed just before the power went out.";
  await fill("#objective", words);
  await sleep(1200); // the autosave writes 300 ms after the last keystroke

  // Kill the app outright, as a crash or a pulled plug would.
  execFileSync("pkill", ["-KILL", "-f", "target/debug/stride-desktop"]);
  await session.end();
  await sleep(500);

  // Reopen it: sign in, find the draft, and read what was typed.
  session = await Session.start(`http://127.0.0.1:${PORT}`, { "tauri:options": { application: app } });
  await fill("#user", "maria");
  await fill("#user-password", "owner-password");
  await click("form button[type=submit]");
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await clickButton("draft");
  const objective = await session.find("#objective");
  const value = await session.execute("return document.getElementById('objective').value;");
  assert.equal(value, words);
  assert.ok(objective);
  await screenshot("07-draft-after-kill");
});

test("a standard daily note written and signed without the mouse", async () => {
  await click("#nav-schedule");
  await session.find(".visit-note");
  let focused = "";
  for (let i = 0; i < 50 && !/visit-note/.test(focused); i++) {
    focused = await session.execute("return document.activeElement.className;");
    if (!/visit-note/.test(focused)) await sleep(100);
  }
  assert.match(focused, /visit-note/, "the first visit's Note is focused");

  // Every key that is not text is counted; BENCHMARKS.md records the total.
  let keys = 0;
  const press = async (k) => {
    keys += 1;
    await session.keys(k);
  };
  const type = (text) => session.keys(text);

  await press(Key.Enter); // open the visit's note
  await session.waitForText("#note-heading", (t) => /daily note/i.test(t));
  for (let i = 0; i < 50; i++) {
    if ((await session.execute("return document.activeElement.id;")) === "subjective") break;
    await sleep(100);
  }
  await type("Pain 3/10 today.");
  await press(Key.Tab);
  await type("Gait steady with cane.");
  await press(Key.Tab);
  await type("Progressing toward goals.");
  await press(Key.Tab);
  await type("Continue plan of care.");
  await press(Key.Alt + "i" + Key.Release); // jump to a new intervention
  for (const [code, minutes] of [["97110", "20"], ["97112", "15"], ["97140", "10"]]) {
    await type(code);
    await press(Key.Tab);
    await type(minutes);
    await press(Key.Enter);
    await session.waitForText("#services", (t) => t.includes(code));
  }
  // The patient's first note today (the first test's, 55 timed minutes) and this one (45)
  // are one date of service: the panel shows what the day bills, 100 minutes pooled
  // (Pub 100-04 Ch.5 §20.2).
  assert.match(await session.waitForText("#billing-summary", (t) => t.includes("100")), /7 units from 100 timed minutes/);
  await sleep(500); // let the autosave of the plan land
  await press(Key.Control + Key.Enter + Key.Release); // sign
  await session.waitForText("#signed-banner", (t) => t.includes("content verified"));
  await screenshot("08-keyboard-note");
  assert.equal(keys, 12, "keystrokes other than the note's text");
  writeFileSync(join(shots, "keyboard-note.txt"), `keystrokes besides text: ${keys}; mouse clicks: 0\n`);
});

test("an outcome measure scores as it is filled and joins the trend", async () => {
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  // A past note reads in place, without leaving the chart.
  await clickButton("Read here");
  const read = await session.waitForText(".note-preview", (t) => t.includes("Billed:"));
  assert.match(read, /Pain \d\/10/);
  assert.match(await session.text("#chart-heading"), /Ann Lee/);
  await click("#tab-measures");
  const select = await session.find("select[id^=measure-]");
  // The measures load after the chart appears: wait for LEFS to be offered, choose it, and
  // wait for its 20 items.
  await session.find("select[id^=measure-] option[value=lefs]");
  await session.execute(
    "const s = arguments[0]; s.value = 'lefs'; s.dispatchEvent(new Event('change', {bubbles: true}));",
    [{ "element-6066-11e4-a52e-4f735466cecf": select.id }],
  );
  await session.find(".items label:nth-child(20) input");
  const inputs = await session.execute("return document.querySelectorAll('.items input').length;");
  assert.equal(inputs, 20);
  // Type the answers as a person would, and watch the score appear only when enough are given.
  for (let i = 0; i < 20; i++) {
    const el = await session.find(`.items label:nth-child(${i + 1}) input`);
    await el.type("3");
    if (i === 14) {
      assert.match(await session.text(".measures [role=status]"), /no score/);
    }
  }
  await session.waitForText(".measures [role=status]", (t) => t.startsWith("60.0"));
  await clickButton("Save LEFS");
  await session.waitForText(".measures ul", (t) => t.includes("60.0"));
  await screenshot("09-outcome-measure");
  // The overview's trend now holds the score.
  await click("#tab-overview");
  const trend = await session.find("[aria-label^='LEFS trend']");
  assert.ok(trend);
  // And it is drawn, in the box's real size: its points inside the plot, the line through
  // them, and the score written beside the new one.
  let drawn = null;
  for (let tries = 0; tries < 50 && !drawn; tries += 1) {
    drawn = await session.execute(`const plot = document.querySelector("[aria-label^='LEFS trend'] .layercake-layout-html");
      const box = plot?.getBoundingClientRect();
      const inside = (e) => { const r = e.getBoundingClientRect(); return r.left >= box.left - 5 && r.right <= box.right + 5 && r.top >= box.top - 5 && r.bottom <= box.bottom + 5; };
      const points = plot ? [...plot.querySelectorAll(".point")] : [];
      const pieces = plot ? [...plot.querySelectorAll(".line")] : [];
      return box && box.width > 100 && points.length > 0 && points.every(inside)
        ? { width: box.width, points: points.length, pieces: pieces.length, piecesInside: pieces.every(inside), scores: [...plot.querySelectorAll(".score")].map((t) => t.textContent) }
        : null;`);
    if (!drawn) await sleep(100);
  }
  assert.ok(drawn, "the LEFS trend is drawn, its points inside the plot");
  assert.equal(drawn.pieces, drawn.points - 1, "a line through the scores, a piece between each two");
  assert.ok(drawn.piecesInside, "the line, turned to join the points, stays inside the plot");
  assert.ok(drawn.scores.includes("60"), `the new score is written beside its point (${drawn.scores})`);
  const language = await session.execute("try { Intl.getCanonicalLocales(navigator.language); return true; } catch { return navigator.language; }");
  assert.equal(language, true, `the page's language is a language tag, even under the C locale (it is ${language})`);
});

test("an NCCI pair is decided in the note editor, at the point of care", async () => {
  // 97530 with 97140 is an NCCI pair (modifier indicator 1): the editor asks whether the
  // two were done in separate time intervals, and the answer puts 59 on the bill.
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await clickButton("New daily note");
  await session.find("#service-code");
  for (const [code, minutes] of [["97530", "23"], ["97140", "23"]]) {
    await fill("#service-code", code);
    await fill("#service-minutes", minutes);
    await click("#add-service");
    await session.waitForText("#services", (t) => t.includes(code));
  }
  await session.waitForText("#distinct-pairs", (t) => t.includes("separate time intervals"));
  await click("#distinct-pairs input[type=checkbox]");
  // The day pools every note of the patient's date, so the units depend on the notes
  // before this one; the modifier does not.
  await session.waitForText(".lines", (t) => /97140 × \d+ GP 59/.test(t));
  await screenshot("10-ncci-pair");
});

test("the day's common tasks, with their clicks and keys counted", async () => {
  // Every click and every key that is not text is counted; BENCHMARKS.md records them.
  const counted = async (task) => {
    const count = { clicks: 0, keys: 0 };
    const tap = async (css) => {
      count.clicks += 1;
      await click(css);
    };
    const tapButton = async (text) => {
      count.clicks += 1;
      await clickButton(text);
    };
    await task({ tap, tapButton, count });
    return count;
  };

  // Check a patient in from the schedule.
  await click("#nav-schedule");
  await session.find(".visit");
  const checkIn = await counted(async ({ tapButton }) => {
    await tapButton("Check in");
    await session.waitForText(".visit", (t) => t.includes("arrived"));
  });

  // Book Ann Lee twice a week for six weeks, Mondays and Thursdays at 10:00 from next Monday.
  const series = await counted(async ({ tap, tapButton }) => {
    await tap("#book-visits");
    await fill("#book-patient", "lee");
    await tapButton("Lee, Ann");
    await session.execute(
      `const d = new Date(); d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
       const pad = (n) => String(n).padStart(2, "0");
       const el = document.getElementById("book-first");
       el.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T10:00";
       el.dispatchEvent(new Event("input", { bubbles: true }));`,
    ); // typed as a date, as text
    await tap("#book-repeat"); // repeats on the first visit's day, Monday
    await tap("fieldset input[value=thu]");
    await tap("#book-check");
    await session.waitForText("[aria-label='Visits to book']", (t) => t.includes("12 visits"));
    await screenshot("11-series-planned");
    await tap("#book-confirm");
    await session.waitForText(".toasts", (t) => t.includes("Booked 12 visits"));
  });

  // Open the last visit's note of a patient, to read it.
  const lastNote = await counted(async ({ tap, tapButton }) => {
    await tap("#nav-patients");
    await fill("#search", "lee");
    await tapButton("Lee, Ann");
    await tapButton("Read here");
    await session.find(".note-preview dl");
  });

  const lines = [
    `check a patient in: ${checkIn.clicks} click, ${checkIn.keys} keys`,
    `book a recurring series (2x/week for 6 weeks): ${series.clicks} clicks, ${series.keys} keys besides the name and the date`,
    `open a patient's last note: ${lastNote.clicks} clicks, ${lastNote.keys} keys besides the name`,
  ];
  writeFileSync(join(shots, "task-counts.txt"), `${lines.join("\n")}\n`);
  assert.deepEqual([checkIn.clicks, series.clicks, lastNote.clicks], [1, 6, 3], lines.join("; "));
});

test("the clinic's quick text: a phrase typed by its shortcut, a note kept as the template", async () => {
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await clickButton("New daily note");
  await session.find("#subjective");
  await session.execute("document.querySelector('.quick-text').open = true;");
  await fill("#qt-shortcut", "hep");
  await fill("#qt-text", "Reviewed and progressed the home exercise program.");
  await click("#qt-add");
  await session.waitForText(".quick-text dl", (t) => t.includes(";hep"));
  const subjective = await session.find("#subjective");
  await subjective.click();
  await session.keys("Pain 2/10. ;hep ");
  const typed = await session.execute("return document.getElementById('subjective').value;");
  assert.equal(typed, "Pain 2/10. Reviewed and progressed the home exercise program. ");
  await fill("#plan", "Continue plan of care, 2x/week.");
  await sleep(600); // the autosave
  await click("#keep-template");
  await session.waitForText(".toasts", (t) => t.includes("template saved"));
  await screenshot("12-quick-text");

  // The next daily note starts from it, on request.
  await clickButton("← Chart");
  await clickButton("New daily note");
  await click("#use-template");
  let plan = "";
  for (let i = 0; i < 50 && plan === ""; i++) {
    plan = await session.execute("return document.getElementById('plan').value;");
    if (plan === "") await sleep(100);
  }
  assert.equal(plan, "Continue plan of care, 2x/week.");
});

test("a booked visit moves a quarter hour from the keyboard", async () => {
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await session.find("#visit-at");
  await session.execute(
    "const el = document.getElementById('visit-at'); el.value = el.value.slice(0, 11) + '11:00'; el.dispatchEvent(new Event('input', { bubbles: true }));",
  );
  await clickButton("Book visit");
  await session.waitForText(".toasts", (t) => t.includes("Visit booked"));
  await click("#nav-schedule");
  const card = await session.waitForText(".visit", () => true);
  assert.ok(card);
  // Focus the 11:00 visit's Note button, then Alt+Down.
  const focused = await session.execute(
    "const a = [...document.querySelectorAll('article')].find((x) => /^11:00|^11:00 AM/.test(x.getAttribute('aria-label'))); if (!a) return false; a.querySelector('.visit-note').focus(); return true;",
  );
  assert.ok(focused, "the 11:00 visit is on the schedule");
  await session.keys(Key.Alt + Key.Down + Key.Release);
  await session.waitForText(".toasts", (t) => /moved to .*11:15/.test(t));
  const moved = await session.execute(
    "return [...document.querySelectorAll('article')].some((x) => /^11:15/.test(x.getAttribute('aria-label')));",
  );
  assert.ok(moved, "the visit now starts at 11:15");
});

test("a progress report: the plan of care, its certification, the goals assessed and signed", async () => {
  // The evaluating PT writes the plan; the physician's signature is recorded when it
  // comes back; the progress report says where each goal stands, beside the outcome
  // measure recorded today, and is signed.
  await click("#nav-patients");
  await fill("#search", "lee");
  await clickButton("Lee, Ann");
  await click("#write-plan");
  await fill("#goal-text-0", "Stairs step over step with one rail");
  await fill("#goal-text-1", "Walks 1 km without pain");
  await click("#save-plan");
  await session.waitForText(".overview", (t) => t.includes("not yet certified"));
  await click("#certify-plan");
  await click("#save-certification");
  await session.waitForText(".overview", (t) => t.includes("certified by the physician"));
  assert.match(await session.text(".overview"), /0 of 2 goals met/);
  assert.ok(await session.find("[aria-label^='LEFS trend']"), "today's LEFS is on the chart");

  await session.execute("const s = document.getElementById('note-kind'); s.value = 'progress'; s.dispatchEvent(new Event('change'));");
  await clickButton("Start");
  await session.waitForText("#note-heading", (t) => /progress report/i.test(t));
  const word = (goal, status) =>
    session.execute(
      "const s = document.querySelector(`select[aria-label=\"This note's word on: ${arguments[0]}\"]`); s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true }));",
      [goal, status],
    );
  await word("Stairs step over step with one rail", "met");
  await session.find("input[aria-label='Comment on: Stairs step over step with one rail']");
  await fill("input[aria-label='Comment on: Stairs step over step with one rail']", "12 stairs, reciprocal");
  await session.execute("document.activeElement.blur();"); // the comment saves on change
  await word("Walks 1 km without pain", "progressing");
  await session.waitForText(".goals", (t) => t.includes("Walks 1 km"));
  await fill("#assessment", "Stairs goal met; LEFS up since the evaluation.");
  await fill("#service-code", "97110");
  await fill("#service-minutes", "15");
  await click("#add-service");
  await session.waitForText("#services", (t) => t.includes("97110"));
  await screenshot("12-progress-report");
  await sleep(500); // let the autosave of the assessment land
  await click("#sign-note");
  await session.waitForText("#signed-banner", (t) => t.includes("content verified"));
  const said = await session.text("[aria-label='What this note says of the goals']");
  assert.match(said, /Stairs step over step with one rail: met, 12 stairs, reciprocal/);
  assert.match(said, /Walks 1 km without pain: progressing/);

  await click("#back-to-chart");
  await session.waitForText(".overview", (t) => t.includes("1 of 2 goals met"));
  await screenshot("13-goals-on-the-chart");
});
