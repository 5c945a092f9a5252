import { describe, expect, it } from "vitest";
import { dateFormat, numberFormat } from "./intl";

describe("the page's Intl formatters", () => {
  it("are made once per locale and options", () => {
    const a = dateFormat("en-US", { weekday: "short" });
    expect(dateFormat("en-US", { weekday: "short" })).toBe(a);
    expect(numberFormat("en-US")).toBe(numberFormat("en-US", {}));
  });

  it("keep each locale, time zone and option apart", () => {
    const at = new Date(Date.UTC(2026, 11, 3, 11, 48));
    expect(dateFormat("en-US", { timeStyle: "short", timeZone: "America/Chicago" }).format(at)).toBe("5:48 AM");
    expect(dateFormat("en-US", { timeStyle: "short", timeZone: "Europe/London" }).format(at)).toBe("11:48 AM");
    expect(dateFormat("en-GB", { timeStyle: "short", timeZone: "Europe/London" }).format(at)).toBe("11:48");
    expect(dateFormat("en-US", { timeStyle: "short", timeZone: "America/Chicago" })).not.toBe(dateFormat("en-US", { timeStyle: "medium", timeZone: "America/Chicago" }));
    expect(numberFormat("de-DE").format(1234)).toBe("1.234");
    expect(numberFormat("en-US").format(1234)).toBe("1,234");
  });
});
