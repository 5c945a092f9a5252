// Window-level measurements at clinic scale, run by hand (not in CI):
//   STRIDE_BENCH_PATIENTS=100000 cargo bench -p stride-chart   # seeds the chart once
//   cargo build -p stride-desktop --features custom-protocol --release
//   xvfb-run -a node tests/e2e/perf.mjs [patients]
// Prints the cold start of the real window (launch to an interactive sign-in, then
// sign-in to an interactive schedule) and the memory of the app's processes with a chart
// open. BENCHMARKS.md records the figures.

import { spawn, execFileSync } from "node:child_process";
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
const t2 = performance.now();
await session.execute("document.querySelector('.results button').click();");
await session.find("#chart-heading");
await session.waitForText(".timeline", (t) => t.length > 0);
const chartShown = performance.now() - t2;

const rssKb = (pattern) => {
  try {
    return execFileSync("sh", ["-c", `ps -eo rss,args | grep -E '${pattern}' | grep -v grep | awk '{s+=$1} END {print s}'`])
      .toString()
      .trim();
  } catch {
    return "?";
  }
};
console.log(`launch to interactive sign-in screen:   ${signInShown.toFixed(0)} ms (includes WebDriver session start)`);
console.log(`sign-in to interactive schedule:        ${scheduleShown.toFixed(0)} ms`);
console.log(`open the five-year chart in the window: ${chartShown.toFixed(0)} ms`);
console.log(`resident memory, app process:           ${rssKb("target/release/stride-desktop")} KiB`);
console.log(`resident memory, WebKit processes:      ${rssKb("WebKit(Web|Network)Process")} KiB`);
await session.end();
driver.kill();
