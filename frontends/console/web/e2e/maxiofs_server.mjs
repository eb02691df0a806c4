// The real maxiofs for the end-to-end tests: started on free loopback ports with a temp data dir
// (MAXIOFS_* variables of the caller's environment are not passed on), and stopped by PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../../../..');
export const BIN = path.resolve(process.env.MAXIOFS_BIN ?? path.join(repo, 'build/maxiofs'));
export const ARTIFACTS = path.resolve(process.env.MAXIOFS_E2E_ARTIFACTS ?? path.join(repo, 'tests/artifacts/console'));
export const CHROMIUM = process.env.MAXIOFS_CHROMIUM ?? '/usr/bin/chromium';
// Headless, and nothing that reaches out to the network on its own.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Resolves with the first match of `re` in the log, or rejects after `ms` or when the server
// exits first (with the log's tail).
function waitForLog(server, logPath, re, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
      const m = text.match(re);
      if (m) return resolve(m);
      if (Date.now() > deadline || server.exitCode !== null) return reject(new Error(`maxiofs not ready:\n${text.slice(-3000)}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

// Starts maxiofs with its data and log in `dir` and root credentials `access`/`secret`; resolves
// when both the S3 API and the console listen, with the child process and their base URLs.
// Pair with stopMaxiofs; when this rejects, the child has been stopped already.
export async function startMaxiofs(dir, access, secret) {
  const logPath = path.join(dir, 'maxiofs.log');
  const log = fs.openSync(logPath, 'a');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MAXIOFS_')));
  const server = spawn(
    BIN,
    ['server', '--data-dir', path.join(dir, 'data'), '--listen', '127.0.0.1:0', '--console-listen', '127.0.0.1:0',
     '--access-key', access, '--secret-key', secret],
    { stdio: ['ignore', log, log], env },
  );
  fs.closeSync(log);
  try {
    const consoleLine = await waitForLog(server, logPath, /web console listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const ready = await waitForLog(server, logPath, /maxiofs ready: s3=127\.0\.0\.1:(\d+)/, 30000);
    return {
      server,
      consoleBase: `http://127.0.0.1:${consoleLine[1]}`,
      s3Base: `http://127.0.0.1:${ready[1]}`,
      s3Port: Number(ready[1]),
    };
  } catch (e) {
    await stopMaxiofs(server);
    throw e;
  }
}

// SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. A no-op when it is
// not running.
export async function stopMaxiofs(server) {
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((r) => {
    const t = setTimeout(() => { server.kill('SIGKILL'); r(); }, 10000);
    server.once('exit', () => { clearTimeout(t); r(); });
  });
}
