// Reads `# expect: rule-id [severity] ["text"]` and `# ok` annotations from a fixture; the text is
// found in the finding's message or its details (the hover).
// An annotation applies to the next line that is neither blank nor a comment.

export interface Expectation {
  line: number;
  ruleId: string;
  severity?: string;
  messagePart?: string;
}

const EXPECT = /^\s*(?:#|\/\/)\s*expect:\s*([\w-]+)(?:\s+(error|warning|info|hint))?(?:\s+"([^"]*)")?\s*$/;
const COMMENT = /^\s*(#|\/\/)/;

export function readExpectations(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  lines.forEach((l, i) => {
    const m = EXPECT.exec(l);
    if (!m) return;
    let target = i + 1;
    while (target < lines.length && (lines[target]!.trim() === '' || COMMENT.test(lines[target]!))) target++;
    out.push({ line: target, ruleId: m[1]!, ...(m[2] ? { severity: m[2] } : {}), ...(m[3] ? { messagePart: m[3] } : {}) });
  });
  return out;
}
