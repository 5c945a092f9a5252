// Window-level measurements at clinic scale, run by hand (not in CI):
//   STRIDE_BENCH_PATIENTS=100000 cargo bench -p stride-chart   # seeds the chart once
//   cargo build --release -p stride-desktop -p stride-blank-window \
//     --features stride-desktop/custom-protocol,stride-blank-window/custom-protocol
//   xvfb-run -a node tests/e2e/perf.mjs [patients]
// Build both apps with that one command, and again after any `cargo bench`, which puts a
// bench-profile build of the app where this script looks: each app's code is laid out by
// its `hot-text.ld`, whose names fit the release build of that command (ARCHITECTURE.md).
// Prints the cold start of the real window (launch to an interactive sign-in, then
// sign-in to an interactive schedule), the memory of the app's processes with a chart
// open, that memory as a ratio to the Tauri template app's (crates/blank-window: the same
// Tauri, build and WebKitGTK settings, measured in the same run), and the engine's
// feedback in the window as a visit's minutes change.
// BENCHMARKS.md records the figures; with STRIDE_MEMORY_MAP=1 it also prints where the
// memory goes (scripts/memory-map), for Stride and for the template app, and with
// STRIDE_MEMORY_STAGES=1 Stride's memory at each step before the chart.
// scripts/symbol-order runs the same session under a profiler: STRIDE_PERF_BIN_DIR then
// names where both apps are launched from (its wrappers), every wait is patient, and
// STRIDE_PERF_BEFORE_END is a command run before each app is closed (the profile's dump).

import { spawn, execFileSync, execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Session, sleep } from "./webdriver.mjs";

const patients = process.argv[2] ?? "100000";
const root = resolve(import.meta.dirname, "../..");
const bin = process.env.STRIDE_PERF_BIN_DIR ?? join(root, "target/release");
const app = join(bin, "stride-desktop");
const wait = { timeoutMs: process.env.STRIDE_PERF_BIN_DIR ? 600_000 : 15_000 };
const beforeEnd = () => process.env.STRIDE_PERF_BEFORE_END && execSync(process.env.STRIDE_PERF_BEFORE_END);
const env = {
  ...process.env,
  STRIDE_DB: join(root, `target/bench-data/chart-${patients}.stride`),
  STRIDE_PASSPHRASE: "benchmark passphrase",
};

// Resident memory per process group, from /proc: RSS counts shared libraries (WebKit,
// GTK) once in every process that maps them; PSS divides each shared page among its
// users, so the PSS figures add up to what the app really costs the machine.
/** Process ids pgrep finds (pgrep leaves itself out; it exits 1 when none match). */
const pgrep = (...args) => {
  try {
    return execFileSync("pgrep", args).toString().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
};
const memoryKb = (pids) => {
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
// With STRIDE_MEMORY_STAGES=1, each process's PSS 2 s after each step on the way to the
// chart, to tell which screen brings what into memory (BENCHMARKS.md read the search
// field's cost off it). The timings above each pause are taken before it.
const stage = async (name) => {
  if (process.env.STRIDE_MEMORY_STAGES !== "1") return;
  await sleep(2000);
  const apps = pgrep("-x", "stride-desktop");
  const each = [...apps, ...apps.flatMap((pid) => pgrep("-P", pid))].flatMap((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      return [`${command} ${(memoryKb([pid]).pss / 1024).toFixed(1)}`];
    } catch {
      return []; // The process ended between pgrep and the read.
    }
  });
  console.log(`memory at ${name}, PSS in MiB: ${each.join(", ")}`);
};

const driver = spawn("tauri-driver", ["--port", "4446", "--native-port", "4447"], { env, stdio: "ignore" });
await sleep(1500);
const t0 = performance.now();
const session = await Session.start("http://127.0.0.1:4446", {
  "tauri:options": { application: app },
  // The in-page timings below are asynchronous scripts, given as long as any other wait.
  timeouts: { script: wait.timeoutMs },
});
await session.find("#user", wait);
const signInShown = performance.now() - t0;
await stage("the sign-in screen");
await (await session.find("#user")).type("owner");
await (await session.find("#user-password")).type("owner-password");
const t1 = performance.now();
await (await session.find("form button[type=submit]")).click();
await session.find("#schedule-heading", wait);
const scheduleShown = performance.now() - t1;
await stage("the schedule");

// Open the five-year chart (the patient with the phone the demo gives it).
await (await session.find("#nav-patients")).click();
await (await session.find("#search")).type("555-099-9999");
await session.find(".results button", wait);
await stage("the search's answer");
// Timed inside the page, from the click to the first frame that shows the timeline, so
// WebDriver's own round trips are not counted. One asynchronous WebDriver call waits for
// the page's answer: polling the page meanwhile would put WebDriver's requests on the
// window's main thread, the thread that also carries the app's IPC and paints the window.
const chartShown = await session.executeAsync(`
  const answer = arguments[arguments.length - 1];
  const t = performance.now();
  document.querySelector('.results button').click();
  const check = () => {
    const timeline = document.querySelector('.timeline');
    if (timeline && timeline.textContent.length > 0) answer(performance.now() - t);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);`);

console.log(`launch to interactive sign-in screen:   ${signInShown.toFixed(0)} ms (includes WebDriver session start)`);
console.log(`sign-in to interactive schedule:        ${scheduleShown.toFixed(0)} ms`);
console.log(`open the five-year chart in the window: ${chartShown.toFixed(1)} ms (click to the frame with the timeline)`);
// Twice: at the chart's first frame, and two seconds later, once the page has settled
// (its garbage collected, the painting done).
const reportMemory = (when) => {
  // The app, and WebKit's processes it started (not another WebKit app's).
  const apps = pgrep("-x", "stride-desktop");
  const webkit = memoryKb(apps.flatMap((pid) => pgrep("-P", pid)));
  const ours = memoryKb(apps);
  console.log(`memory ${when}, app process:      RSS ${ours.rss} KiB, PSS ${ours.pss} KiB`);
  console.log(`memory ${when}, WebKit processes: RSS ${webkit.rss} KiB, PSS ${webkit.pss} KiB`);
  console.log(`memory ${when}, all:              RSS ${ours.rss + webkit.rss} KiB, PSS ${ours.pss + webkit.pss} KiB`);
  return { rss: ours.rss + webkit.rss, pss: ours.pss + webkit.pss };
};
reportMemory("at the chart's first frame");
await sleep(2000);
const settled = reportMemory("2 s later");
// With STRIDE_MEMORY_MAP=1, where that memory goes, mapping by mapping.
const mapMemory = (...pids) => {
  if (process.env.STRIDE_MEMORY_MAP === "1") console.log(execFileSync(join(root, "scripts/memory-map"), pids).toString());
};
mapMemory();

// Engine feedback in the window: a new daily note on the chart, then 97110's minutes
// changed ten times. Each change is timed inside the page from the submit to the DOM
// showing the new minutes (the save, the engine, the IPC round trip and Svelte's
// update, seen by a MutationObserver), and to the next frame after it (the paint, which
// waits for the display's 60 Hz tick).
await (await session.find(".new-note", wait)).click();
await session.find("#service-code", wait);
const domMs = [];
const frameMs = [];
for (let minutes = 8; minutes < 18; minutes += 1) {
  // As the chart's opening: one asynchronous call, answered by the page.
  const feedback = await session.executeAsync(`
    const answer = arguments[arguments.length - 1];
    const set = (css, value) => {
      const input = document.querySelector(css);
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    set("#service-code", "97110");
    set("#service-minutes", "${minutes}");
    const shown = () => document.querySelector("#billing-summary")?.textContent.includes("from ${minutes} timed minutes");
    const t = performance.now();
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      const dom = performance.now() - t;
      requestAnimationFrame(() => answer({ dom, frame: performance.now() - t }));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    document.querySelector("#add-service").click();`);
  domMs.push(feedback.dom);
  frameMs.push(feedback.frame);
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`engine feedback in the window, 10 minute changes, to the DOM: median ${median(domMs).toFixed(1)} ms, max ${Math.max(...domMs).toFixed(1)} ms`);
console.log(`engine feedback in the window, 10 minute changes, to the frame: median ${median(frameMs).toFixed(1)} ms, max ${Math.max(...frameMs).toFixed(1)} ms`);
beforeEnd();
await session.end();
driver.kill();

// The baseline: the Tauri template app (crates/blank-window), opened once Stride has
// closed (so that neither shares the other's pages in PSS), through WebDriver as Stride
// was, used once (a name greeted by its Rust command) and left to settle as Stride was.
// Its own ports: the first driver's WebKitWebDriver may still be closing on its own.
const baselineDriver = spawn("tauri-driver", ["--port", "4448", "--native-port", "4449"], { env, stdio: "ignore" });
await sleep(1500);
const template = await Session.start("http://127.0.0.1:4448", {
  "tauri:options": { application: join(bin, "stride-blank-window") },
});
await (await template.find("#greet-input", wait)).type("Stride");
await (await template.find("button[type=submit]")).click();
await template.waitForText("#greet-msg", (t) => t.includes("Hello, Stride"), wait);
await sleep(2000);
const blankPids = pgrep("-x", "stride-blank-wi");
const blankProcesses = [...blankPids, ...blankPids.flatMap((pid) => pgrep("-P", pid))];
const baseline = memoryKb(blankProcesses);
mapMemory(...blankProcesses);
beforeEnd();
await template.end();
baselineDriver.kill();
console.log(`memory of the Tauri template app (the baseline): RSS ${baseline.rss} KiB, PSS ${baseline.pss} KiB`);
console.log(
  `Stride with a chart open, as a ratio to the template app: RSS ${(settled.rss / baseline.rss).toFixed(2)}x, PSS ${(settled.pss / baseline.pss).toFixed(2)}x`,
);
