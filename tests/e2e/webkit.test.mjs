// The window's processes as WebKit is set up for Stride (src-tauri/src/webkit.rs): the
// app's own process loads no GL (no Mesa, no LLVM), the web process still gets the
// machine's EGL drivers and paints the first screen, and JavaScriptCore runs without
// its JIT. A regression here costs tens of megabytes (BENCHMARKS.md).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, sleep } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/stride-desktop");
const data = mkdtempSync(join(tmpdir(), "stride-e2e-webkit-"));
const env = { ...process.env, STRIDE_DB: join(data, "clinic.stride"), STRIDE_DEMO_DB: join(data, "demo.stride") };
const PORT = 4490;
let driver;
let session;

before(async () => {
  driver = spawn("tauri-driver", ["--port", String(PORT), "--native-port", String(PORT + 1)], { env, stdio: "ignore" });
  await sleep(1500);
  session = await Session.start(`http://127.0.0.1:${PORT}`, { "tauri:options": { application: app } });
});

after(async () => {
  await session?.end();
  driver?.kill();
});

/** Every process now running, with its parent, its command and what it maps. */
function processes() {
  const found = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      found.push({
        pid,
        parent: /^PPid:\s+(\d+)/m.exec(status)[1],
        command: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0],
        environment: readFileSync(`/proc/${pid}/environ`, "utf8").split("\0"),
        maps: () => readFileSync(`/proc/${pid}/maps`, "utf8"),
      });
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

test("the window process loads no GL, the web process paints with the machine's drivers and no JIT", async () => {
  await session.find("#create-heading"); // the first screen is painted and live
  const all = processes();
  const ours = all.find((p) => p.command === app && p.environment.includes(`STRIDE_DB=${env.STRIDE_DB}`));
  assert.ok(ours, "the app's process");
  const web = all.find((p) => p.parent === ours.pid && p.command.endsWith("WebKitWebProcess"));
  assert.ok(web, "its web process");

  assert.doesNotMatch(ours.maps(), /libLLVM|_dri\.so|libEGL_\w+\.so/, "the window process maps no GL driver");
  assert.match(web.maps(), /libEGL_\w+\.so/, "the web process has the machine's EGL driver (Mesa, NVIDIA, ...)");
  assert.ok(web.environment.includes("JSC_useJIT=false"), "JavaScriptCore runs without its JIT");
  assert.ok(
    !web.environment.some((v) => v.startsWith("__EGL_VENDOR_LIBRARY_FILENAMES=")),
    "the no-vendor setting stays in the window process",
  );
});
