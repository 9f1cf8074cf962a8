// The native CLI, run through cargo (which builds it if need be), for tests that compare the
// page's files with the CLI's.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { REPO_ROOT } from './browser.mjs';

const run = promisify(execFile);

/** Runs `ztgym ...args`; a failure carries the CLI's stderr. */
export async function ztgym(...args) {
  try {
    return await run('cargo', ['run', '-q', '-p', 'ztgym-cli', '--', ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    throw new Error(`the CLI failed: ${error.message}\n${(error.stderr ?? '').slice(-3000)}`);
  }
}
