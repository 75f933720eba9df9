/** One fenced code block of a Markdown document: its language tag and its text. */
export interface CodeBlock {
  readonly lang: string;
  readonly text: string;
}

/** Every fenced code block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
}

/** The fenced code block of `markdown` whose first line is `marker`. */
export function block(markdown: string, marker: string): string {
  const found = codeBlocks(markdown).find((b) => b.text.startsWith(marker));
  if (found === undefined) throw new Error(`no code block starting with ${marker}`);
  return found.text;
}
