import type { ChildProcess } from 'node:child_process';

/** Resolves the URL a `modu start` child prints once it listens; rejects with its output if it exits or the budget ends. */
export async function waitListening(child: ChildProcess, output: () => string, budgetMs = 30_000): Promise<string> {
  const deadline = Date.now() + budgetMs;
  const pattern = /listening on (http:\/\/\S+)/;
  while (!pattern.test(output())) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL'); // never left behind, with its plugin processes, when the test gives up
      throw new Error(`modu start did not listen:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (pattern.exec(output()) as RegExpExecArray)[1] as string;
}
