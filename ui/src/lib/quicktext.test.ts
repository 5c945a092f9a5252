import { describe, expect, it } from "vitest";
import { expandPhrase } from "./quicktext";

const phrases = [{ shortcut: "hep", text: "Reviewed the home exercise program." }];

describe("expandPhrase", () => {
  it("turns ;shortcut and a space into the phrase, with the cursor after it", () => {
    const typed = "Pain 3/10. ;hep ";
    expect(expandPhrase(typed, typed.length, phrases)).toEqual({
      text: "Pain 3/10. Reviewed the home exercise program. ",
      cursor: "Pain 3/10. Reviewed the home exercise program. ".length,
    });
  });

  it("works at the start, on a new line, in any case, and keeps the text after the cursor", () => {
    expect(expandPhrase(";HEP\nmore", 5, phrases)).toEqual({ text: "Reviewed the home exercise program.\nmore", cursor: 36 });
  });

  it("leaves everything else alone", () => {
    for (const typed of ["x;hep ", ";hep", ";nope ", "hep "]) expect(expandPhrase(typed, typed.length, phrases)).toBeNull();
  });
});
