// A small W3C WebDriver client over fetch: just what the desktop tests use.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, capabilities) {
    const res = await call(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, res.sessionId);
  }

  path(p) {
    return `/session/${this.id}${p}`;
  }

  async find(css, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const el = await call(this.base, "POST", this.path("/element"), { using: "css selector", value: css });
        return new Element(this, el[ELEMENT]);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`no element ${css}: ${e.message}`);
        await sleep(200);
      }
    }
  }

  async text(css) {
    return (await this.find(css)).text();
  }

  /** Waits until the text of `css` satisfies `ok`; returns it. */
  async waitForText(css, ok, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      try {
        last = await this.text(css);
        if (ok(last)) return last;
      } catch {
        // not there yet
      }
      if (Date.now() > deadline) throw new Error(`${css}: text never matched; last ${JSON.stringify(last)}`);
      await sleep(200);
    }
  }

  /** Types into whatever has the keyboard focus, as a person at the keyboard would. */
  async keys(text) {
    const active = await call(this.base, "GET", this.path("/element/active"));
    await new Element(this, active[ELEMENT]).type(text);
  }

  async screenshot() {
    return Buffer.from(await call(this.base, "GET", this.path("/screenshot")), "base64");
  }

  async execute(script, args = []) {
    return call(this.base, "POST", this.path("/execute/sync"), { script, args });
  }

  /** Runs an async script: it ends by calling its last argument with the answer. */
  async executeAsync(script, args = []) {
    return call(this.base, "POST", this.path("/execute/async"), { script, args });
  }

  /** Sizes the window (the display must be at least as large). */
  async setWindowSize(width, height) {
    await call(this.base, "POST", this.path("/window/rect"), { x: 0, y: 0, width, height });
  }

  async end() {
    await call(this.base, "DELETE", this.path("")).catch(() => {});
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  path(p) {
    return this.session.path(`/element/${this.id}${p}`);
  }

  async click() {
    await call(this.session.base, "POST", this.path("/click"), {});
  }

  async type(text) {
    await call(this.session.base, "POST", this.path("/value"), { text });
  }

  async clear() {
    await call(this.session.base, "POST", this.path("/clear"), {});
  }

  async text() {
    return call(this.session.base, "GET", this.path("/text"));
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Clicks the first button of the window whose text contains `text`, waiting for it. */
export async function clickButtonIn(session, text) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const found = await session.execute(
      "const b = [...document.querySelectorAll('button')].find(b => b.textContent.includes(arguments[0])); if (b) { b.click(); return true; } return false;",
      [text],
    );
    if (found) return;
    if (Date.now() > deadline) throw new Error(`no button ${text}`);
    await sleep(200);
  }
}

/** WebDriver key codes. */
export const Key = { Enter: "\uE007", Tab: "\uE004", Alt: "\uE00A", Control: "\uE009", Down: "\uE015", Release: "\uE000" };

/**
 * Saves a PNG of the window as it is now. WebKit's own snapshot waits for a compositor
 * frame, which without GPU compositing (how Stride runs, to save memory) some screens
 * never produce; then the X display is captured instead, which shows what a person sees.
 * On Wayland (a developer's run outside Xvfb) there is no display to capture: the
 * screenshot is skipped with a message and the test goes on.
 */
export async function saveScreenshot(session, path) {
  await sleep(400); // let WebKit paint the last change
  const shot = await Promise.race([session.screenshot().catch(() => null), sleep(5000).then(() => null)]);
  if (shot) writeFileSync(path, shot);
  else if (process.env.DISPLAY) execFileSync("sh", ["-c", `xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > '${path}'`]);
  else console.error(`no screenshot for ${path}: WebKit's snapshot did not answer and there is no X display`);
}
