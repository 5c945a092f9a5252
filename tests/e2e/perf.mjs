// Window-level measurements at clinic scale, run by hand (not in CI):
//   STRIDE_BENCH_PATIENTS=100000 cargo bench -p stride-chart   # seeds the chart once
//   cargo build -p stride-desktop --features custom-protocol --release
//   xvfb-run -a node tests/e2e/perf.mjs [patients]
// Prints the cold start of the real window (launch to an interactive sign-in, then
// sign-in to an interactive schedule) and the memory of the app's processes with a chart
// open. BENCHMARKS.md records the figures.

import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Session, sleep } from "./webdriver.mjs";

const patients = process.argv[2] ?? "100000";
const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/release/stride-desktop");
const env = {
  ...process.env,
  STRIDE_DB: join(root, `target/bench-data/chart-${patients}.stride`),
  STRIDE_PASSPHRASE: "benchmark passphrase",
};

const driver = spawn("tauri-driver", ["--port", "4446", "--native-port", "4447"], { env, stdio: "ignore" });
await sleep(1500);
const t0 = performance.now();
const session = await Session.start("http://127.0.0.1:4446", { "tauri:options": { application: app } });
await session.find("#user");
const signInShown = performance.now() - t0;
await (await session.find("#user")).type("owner");
await (await session.find("#user-password")).type("owner-password");
const t1 = performance.now();
await (await session.find("form button[type=submit]")).click();
await session.find("#schedule-heading");
const scheduleShown = performance.now() - t1;

// Open the five-year chart (the patient with the phone the demo gives it).
await (await session.find("#nav-patients")).click();
await (await session.find("#search")).type("555-099-9999");
// Timed inside the page, from the click to the first frame that shows the timeline, so
// WebDriver's own round trips are not counted.
await session.execute(`
  const t = performance.now();
  window.__chartMs = null;
  document.querySelector('.results button').click();
  const check = () => {
    const timeline = document.querySelector('.timeline');
    if (timeline && timeline.textContent.length > 0) window.__chartMs = performance.now() - t;
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);`);
await session.waitForText(".timeline", (t) => t.length > 0);
let chartShown = null;
while (chartShown === null) chartShown = await session.execute("return window.__chartMs;");

// Resident memory per process group, from /proc: RSS counts shared libraries (WebKit,
// GTK) once in every process that maps them; PSS divides each shared page among its
// users, so the PSS figures add up to what the app really costs the machine.
const memoryKb = (pattern) => {
  // pgrep leaves itself out; a shell around it would match the pattern and be counted.
  let pids = [];
  try {
    pids = execFileSync("pgrep", ["-f", pattern]).toString().split(/\s+/).filter(Boolean);
  } catch {
    // pgrep exits 1 when nothing matches.
  }
  const total = { rss: 0, pss: 0 };
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      total.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      total.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // The process ended between pgrep and the read.
    }
  }
  return total;
};
console.log(`launch to interactive sign-in screen:   ${signInShown.toFixed(0)} ms (includes WebDriver session start)`);
console.log(`sign-in to interactive schedule:        ${scheduleShown.toFixed(0)} ms`);
console.log(`open the five-year chart in the window: ${chartShown.toFixed(1)} ms (click to the frame with the timeline)`);
const appMemory = memoryKb("target/release/stride-desktop");
const webkit = memoryKb("WebKit(Web|Network)Process");
console.log(`memory, app process:                    RSS ${appMemory.rss} KiB, PSS ${appMemory.pss} KiB`);
console.log(`memory, WebKit processes:               RSS ${webkit.rss} KiB, PSS ${webkit.pss} KiB`);
console.log(`memory, all:                            RSS ${appMemory.rss + webkit.rss} KiB, PSS ${appMemory.pss + webkit.pss} KiB`);
await session.end();
driver.kill();
