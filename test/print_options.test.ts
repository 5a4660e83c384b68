// torch.set_printoptions: precision, threshold, edgeitems, linewidth, the three profiles and a forced
// sci_mode, as torch/_tensor_str.py applies them. Expected strings follow from the settings (the
// examples of PyTorch's docstring and the formatter's rules), not from PyTorch's output.
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

afterEach(() => torch.setPrintoptions({ profile: "default" }));

describe("set_printoptions", () => {
  it("precision rounds every element, and profile 'default' restores the defaults", () => {
    torch.setPrintoptions({ precision: 2 });
    expect(String(torch.tensor([1.12345]))).toBe("tensor([1.12])");
    torch.setPrintoptions({ profile: "default" });
    expect(String(torch.tensor([1.12345]))).toBe("tensor([1.1235])");
  });

  it("threshold summarises with edgeitems on each side; 'full' never summarises", () => {
    torch.setPrintoptions({ threshold: 5 });
    expect(String(torch.arange(10))).toBe("tensor([0, 1, 2,  ..., 7, 8, 9])");
    torch.setPrintoptions({ threshold: 5, edgeitems: 1 });
    expect(String(torch.arange(10))).toBe("tensor([0,  ..., 9])");
    torch.setPrintoptions({ profile: "full" });
    expect(String(torch.arange(2000)).includes("...")).toBe(false);
    torch.setPrintoptions({ profile: "default" });
    expect(String(torch.arange(2000)).includes("...")).toBe(true);
  });

  it("'short' is precision 2 with 2 edge items", () => {
    torch.setPrintoptions({ profile: "short" });
    expect(String(torch.tensor([0.123456, 2]))).toBe("tensor([0.12, 2.00])");
    expect(String(torch.arange(2000))).toBe("tensor([   0,    1,  ..., 1998, 1999])");
  });

  it("linewidth decides how many elements a line holds", () => {
    torch.setPrintoptions({ linewidth: 20 });
    // width 6 + ", " = 8 per element; (20 - 7) / 8 -> 1 element per line
    expect(String(torch.tensor([1.5, 2.5]))).toBe("tensor([1.5000,\n        2.5000])");
    torch.setPrintoptions({ linewidth: 30 });
    expect(String(torch.tensor([1.5, 2.5, 3.5]))).toBe("tensor([1.5000, 2.5000,\n        3.5000])");
  });

  it("sciMode forces the notation; the next call without it goes back to automatic", () => {
    torch.setPrintoptions({ sciMode: true });
    expect(String(torch.tensor([1.5, 2]))).toBe("tensor([1.5000e+00, 2.0000e+00])");
    torch.setPrintoptions({ sciMode: false });
    expect(String(torch.tensor([1e-5, 1]))).toBe("tensor([    0.0000,     1.0000])");
    torch.setPrintoptions({ precision: 4 });
    expect(String(torch.tensor([1e-5, 1]))).toBe("tensor([1.0000e-05, 1.0000e+00])");
  });

  it("refuses unknown keys, bad values and unknown profiles", () => {
    expect(() => torch.setPrintoptions({ digits: 3 } as any)).toThrow(/unexpected keyword argument 'digits'/);
    expect(() => torch.setPrintoptions({ precision: -1 })).toThrow(/precision must be a non-negative integer/);
    expect(() => torch.setPrintoptions({ profile: "long" as any })).toThrow(/profile must be/);
  });
});
