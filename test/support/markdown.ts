/**
 * What the docs test reads out of Markdown: links, headings (as GitHub makes their anchors) and
 * fenced code blocks with the hidden context an HTML comment may give them.
 */

export interface CodeBlock {
  lang: string;
  code: string;
  /** Lines an HTML comment just before the block gives it (`<!-- context: ... -->`), unseen by readers. */
  context: string;
  line: number;
}

/** Text outside code fences, line by line, so links and headings in examples are not read. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (line.startsWith("```")) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/** Every link target of `[text](target)` outside code, inline code removed first. */
export function linkTargets(markdown: string): string[] {
  const prose = proseLines(markdown)
    .join("\n")
    .replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a page's headings. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) found.add(anchorOf(heading[1]!));
  }
  return found;
}

/** The fenced code blocks of a page, each with the context comment that precedes it, if any. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, code: body.join("\n"), context: contextBefore(lines, start), line: start + 1 });
  }
  return blocks;
}

function contextBefore(lines: string[], fence: number): string {
  if (fence === 0 || lines[fence - 1]!.trim() !== "-->") return "";
  for (let start = fence - 2; start >= 0; start--) {
    if (lines[start]!.trim() === "<!-- context:") return lines.slice(start + 1, fence - 1).join("\n");
  }
  return "";
}
