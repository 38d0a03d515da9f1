// A real SMTP server for the tests of the mailed-link flows: mail_sink.py (Debian's
// python3-aiosmtpd) on a given loopback port, each message it receives saved as JSON in a
// fresh folder, read back here. The server under test is pointed at it with
// `[email] backend = "smtp"` and `smtp_url = sink.url`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'mail_sink.py');

/** Debian's package is for the system's interpreter, which a `python3` earlier on the PATH may hide. */
function python() {
  const found = ['/usr/bin/python3', 'python3'].find((exe) =>
    spawnSync(exe, ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0);
  if (!found) throw new Error('these tests need a real SMTP server: install python3-aiosmtpd');
  return found;
}

/** Start the sink on 127.0.0.1:port; resolves once it accepts mail. */
export async function startMailSink(port) {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-mail-'));
  const child = spawn(python(), [SCRIPT, dir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  await new Promise((ready, fail) => {
    child.stdout.on('data', (d) => { if (String(d).includes('ready')) ready(); });
    child.on('exit', (code) => fail(new Error(`mail_sink.py exited (${code}): ${log}`)));
  });
  const mails = () => readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return {
    url: `smtp://127.0.0.1:${port}?tls=none`,
    mails,
    /** The `count`th mail (1-based), once it has arrived; the server sends off the request path. */
    async mail(count) {
      for (let i = 0; i < 300; i++) {
        const all = mails();
        if (all.length >= count) return all[count - 1];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`mail ${count} did not arrive (${mails().length} did)`);
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** The link in a mail's text (djoser's mails put it on a line of its own). */
export function mailedLink(mail) {
  const line = (mail.text ?? '').split('\n').find((l) => /^https?:\/\//.test(l.trim()));
  if (!line) throw new Error(`no link in the mail: ${mail.text}`);
  return line.trim();
}
