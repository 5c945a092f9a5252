// Every screen of the demo clinic at the sizes clinics use (1366×768 laptops, 1920×1080
// desktops, and a 10-inch tablet in landscape, 1280×800), each checked by axe-core for
// serious or critical accessibility violations and saved to tests/artifacts/screens/ to
// be looked at.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, sleep, saveScreenshot, clickButtonIn } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/stride-desktop");
const shots = join(root, "tests/artifacts/screens");
const data = mkdtempSync(join(tmpdir(), "stride-e2e-screens-"));
const env = {
  ...process.env,
  STRIDE_DB: join(data, "clinic.stride"),
  STRIDE_DEMO_DB: join(data, "demo.stride"),
  STRIDE_PASSPHRASE: "e2e passphrase",
};
const PORT = 4490;
const axeSource = readFileSync(join(root, "ui/node_modules/axe-core/axe.min.js"), "utf8");
const SIZES = [
  [1366, 768],
  [1920, 1080],
  [1280, 800],
];
let driver;
let session;

async function click(css) {
  await (await session.find(css)).click();
}

/** The serious and critical axe-core violations on the page as it stands, in words. */
async function axeViolations() {
  // The page's content security policy refuses injected scripts, so axe-core comes in as
  // the body of a WebDriver script, which the policy does not govern.
  if (!(await session.execute("return !!window.axe;"))) {
    await session.execute(`${axeSource}\nwindow.axe = axe;`);
  }
  const result = await session.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.axe.run(document, { resultTypes: ["violations"] })
       .then((r) => done(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
         .map((v) => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "))))
       .catch((e) => done(["axe failed: " + e]));`,
  );
  return result;
}

/** Checks the screen with axe and saves it at the current size. */
async function look(name, size) {
  await sleep(300);
  const violations = await axeViolations();
  await saveScreenshot(session, join(shots, `${name}-${size}.png`));
  assert.deepEqual(violations, [], `${name} at ${size}`);
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

test("every screen reads well and passes axe at 1366×768, 1920×1080 and on a tablet", async () => {
  await session.find("#clinic");
  await session.setWindowSize(1366, 768);
  // axe is really looking: a button with no name is caught.
  await session.execute("const b = document.createElement('button'); b.id = 'nameless'; document.body.appendChild(b);");
  assert.match((await axeViolations()).join("\n"), /button-name/);
  await session.execute("document.getElementById('nameless').remove();");
  await look("first-run", "1366x768");
  await click("#open-demo");
  await session.find("#schedule-heading");

  for (const [width, height] of SIZES) {
    const size = `${width}x${height}`;
    await session.setWindowSize(width, height);

    await click("#nav-schedule");
    await session.find(".visit");
    await look("schedule-day", size);
    await clickButtonIn(session, "Week");
    await session.waitForText(".hint", (t) => t.startsWith("Week of"));
    await look("schedule-week", size);
    // Next week holds the demo's staff training day: its column shaded, with the reason.
    await click("button[aria-label='Next week']");
    await session.find("section.column[aria-label*='closed: Staff training day'] .why-closed");
    await look("schedule-next-week", size);
    // The hours form lists it among the days closed.
    await clickButtonIn(session, "Change the hours");
    await session.waitForText("#closures", (t) => t.includes("Staff training day"));
    await look("schedule-hours", size);
    await clickButtonIn(session, "Change the hours");
    await clickButtonIn(session, "Today");
    await clickButtonIn(session, "Day");
    await click("#book-visits");
    await session.find("#book-patient");
    await look("schedule-book", size);
    await click("#book-visits");

    await click("#nav-patients");
    const search = await session.find("#search");
    await search.clear();
    await search.type("a");
    await session.find(".results button");
    await look("patients", size);

    // A demo patient with a month of visits and outcome measures.
    await click(".results button");
    await session.find("#chart-heading");
    await session.find(".timeline");
    await look("chart-overview", size);
    for (const tab of ["notes", "measures", "billing", "details"]) {
      await click(`#tab-${tab}`);
      await session.find(`#tabpanel-${tab}`);
      await look(`chart-${tab}`, size);
    }
    await click("#tab-notes");
    await click(".timeline .open");
    await session.find("#note-heading");
    await look("note", size);

    // A progress report being written: the banner, the last visit, the goals to assess.
    await click("#back-to-chart");
    await session.find("#note-kind");
    await session.execute("const s = document.getElementById('note-kind'); s.value = 'progress'; s.dispatchEvent(new Event('change'));");
    await clickButtonIn(session, "Start");
    await session.find("#subjective");
    await look("note-draft", size);

    await click("#nav-billing");
    await session.find("#billing-heading");
    await look("billing", size);
  }
});
