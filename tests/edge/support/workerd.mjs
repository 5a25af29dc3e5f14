// Starts `workerd serve` on 127.0.0.1 at a port the kernel picks, and stops it.
// The port comes from workerd's control channel (`--control-fd`), so there is no race for
// a "free" port; every wait is bounded; every process started here is killed on exit.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/packed.mjs';

export const workerdBin = join(repoRoot, 'node_modules', '.bin', 'workerd');

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * @param {{ cwd: string, config: string, env?: Record<string,string>, socket?: string, timeoutMs?: number, quiet?: boolean }} o
 *   `quiet`: send the Worker's stdout (its log lines) to /dev/null, for benchmarks.
 * @returns {Promise<{ url: string, port: number, pid: number, startedMs: number, logs: () => object[], stdout: () => string, stderr: () => string, stop: () => Promise<void> }>}
 */
export function startWorkerd({ cwd, config, env = {}, socket = 'http', timeoutMs = 20000, quiet = false }) {
  const t0 = performance.now();
  const child = spawn(workerdBin, ['serve', config, `--socket-addr=${socket}=127.0.0.1:0`, '--control-fd=3'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', quiet ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  let control = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`workerd did not listen within ${timeoutMs} ms\n${err}`));
    }, timeoutMs);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code ?? signal}) before listening\n${err}`));
    });
    child.stdio[3].setEncoding('utf8').on('data', (d) => {
      control += d;
      for (const line of control.split('\n').slice(0, -1)) {
        const event = JSON.parse(line);
        if (event.event === 'listen' && event.socket === socket) {
          clearTimeout(timer);
          resolve({
            url: `http://127.0.0.1:${event.port}`,
            port: event.port,
            pid: child.pid,
            startedMs: performance.now() - t0,
            stdout: () => out,
            stderr: () => err,
            logs: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
            stop,
          });
        }
      }
    });
  });
}
