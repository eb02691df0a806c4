// CORS and browser form uploads in Debian's headless Chromium (playwright-core), against the real
// maxiofs: a page served from another loopback origin (its own port) uses the S3 API directly.
//  - fetch() PUT to a presigned URL (boto3's) is refused by the browser while the bucket has no
//    matching CORS rule (nothing is stored), and works once one allows the page's origin: the
//    page reads the exposed ETag, but not a header the rule does not expose.
//  - A real HTML form (fields from boto3's generate_presigned_post) is submitted by Chromium; the
//    303 success_action_redirect brings it back to the page with bucket, key and ETag.
//  - fetch() POST of a FormData (the same kind of form, cross-origin) reads the 201 answer.
//  - The console's CORS editor: a rule added, checked, saved and then obeyed by the browser.
// Screenshots go to $MAXIOFS_E2E_ARTIFACTS (default tests/artifacts/console).
//
// Run: MAXIOFS_BIN=build/maxiofs node --test frontends/console/web/e2e/s3_browser.e2e.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, startMaxiofs, stopMaxiofs } from './maxiofs_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const ACCESS = 'corsadmin';
const SECRET = `cors-${randomBytes(12).toString('hex')}`;
const TIMEOUT = 20000;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maxiofs-e2e-cors-'));
let server;
let web; // the other origin's web server
const pages = new Map(); // path -> html served by `web`
let context;
let page;
let consoleBase;
let s3Base;
let webBase;

const md5 = (s) => createHash('md5').update(s).digest('hex');
const shot = (name, target = page) => target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

// boto3, through the helper script.
function s3(op) {
  const out = execFileSync('/usr/bin/python3', [path.join(here, 's3_helper.py'), s3Base, ACCESS, SECRET, JSON.stringify(op)], {
    encoding: 'utf8',
    timeout: 30000,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'AWS_CA_BUNDLE')),
  });
  return JSON.parse(out);
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const started = await startMaxiofs(tmp, ACCESS, SECRET);
  server = started.server;
  consoleBase = started.consoleBase;
  s3Base = started.s3Base;
  web = http.createServer((req, res) => {
    const html = pages.get(new URL(req.url, 'http://x').pathname);
    res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise((r) => web.listen(0, '127.0.0.1', r));
  webBase = `http://127.0.0.1:${web.address().port}`;
  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: CHROMIUM_ARGS,
  });
  context.setDefaultTimeout(TIMEOUT);
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close().catch(() => undefined);
  await new Promise((r) => (web ? web.close(r) : r()));
  await stopMaxiofs(server);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const bucket = `cors-${randomBytes(4).toString('hex')}`;

// What the page's script gets from a cross-origin fetch (the browser enforces CORS).
async function pageFetch(url, init) {
  return page.evaluate(
    async ([u, i]) => {
      try {
        const r = await fetch(u, i);
        return {
          ok: true,
          status: r.status,
          etag: r.headers.get('ETag'),
          requestId: r.headers.get('x-amz-request-id'),
          body: await r.text(),
        };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    },
    [url, init],
  );
}

const rule = (methods, origins, extra = {}) => ({ AllowedMethods: methods, AllowedOrigins: origins, ...extra });

test('CORS and form uploads in Chromium', async (t) => {
  let broken = false;
  const step = (name, fn) =>
    t.test(name, { skip: broken ? 'an earlier step failed' : false }, async () => {
      try {
        await fn();
      } catch (e) {
        broken = true;
        await shot(`cors-failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw e;
      }
    });
  pages.set('/app.html', '<!doctype html><title>web app</title><h1>A web app on another origin</h1>');
  pages.set('/done.html', '<!doctype html><title>done</title><h1 id="done">Uploaded</h1>');

  await step('fetch() to a bucket without CORS rules is refused by the browser', async () => {
    s3({ op: 'create_bucket', bucket });
    await page.goto(`${webBase}/app.html`);
    const { url } = s3({ op: 'presign', method: 'put_object', bucket, key: 'from-page.txt' });
    const r = await pageFetch(url, { method: 'PUT', body: 'hello from the page' });
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.match(r.error, /Failed to fetch/);
    // The preflight was refused, so the PUT was never sent.
    assert.equal(s3({ op: 'get', bucket, key: 'from-page.txt' }).found, false);
  });

  await step('with a matching rule the page uploads and reads the exposed ETag', async () => {
    s3({ op: 'put_cors', bucket, rules: [rule(['PUT', 'GET', 'POST'], [webBase], { ExposeHeaders: ['ETag'], AllowedHeaders: ['*'] })] });
    const body = 'hello from the page';
    const { url } = s3({ op: 'presign', method: 'put_object', bucket, key: 'from-page.txt' });
    const r = await pageFetch(url, { method: 'PUT', body, headers: { 'x-amz-meta-from': 'browser' } });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.status, 200);
    assert.equal(r.etag, `"${md5(body)}"`);
    assert.equal(r.requestId, null); // not exposed by the rule: the browser hides it
    const stored = s3({ op: 'get', bucket, key: 'from-page.txt' });
    assert.equal(stored.body, body);
    // And reads it back.
    const get = s3({ op: 'presign', method: 'get_object', bucket, key: 'from-page.txt' });
    const back = await pageFetch(get.url, { method: 'GET' });
    assert.equal(back.ok, true, JSON.stringify(back));
    assert.equal(back.body, body);
    assert.equal(back.etag, `"${md5(body)}"`);
  });

  await step('a rule for another origin does not let the page in', async () => {
    s3({ op: 'put_cors', bucket, rules: [rule(['PUT', 'GET'], ['https://elsewhere.example'], { ExposeHeaders: ['ETag'] })] });
    const { url } = s3({ op: 'presign', method: 'put_object', bucket, key: 'refused.txt' });
    const r = await pageFetch(url, { method: 'PUT', body: 'nope' });
    assert.equal(r.ok, false, JSON.stringify(r));
    assert.equal(s3({ op: 'get', bucket, key: 'refused.txt' }).found, false);
  });

  await step('Chromium submits an HTML form made by generate_presigned_post', async () => {
    const redirect = `${webBase}/done.html`;
    const post = s3({
      op: 'presign_post',
      bucket,
      key: 'forms/${filename}',
      fields: { success_action_redirect: redirect, 'Content-Type': 'text/plain', 'x-amz-meta-via': 'form' },
      conditions: [['starts-with', '$key', 'forms/'], { success_action_redirect: redirect },
                   ['starts-with', '$Content-Type', 'text/'], { 'x-amz-meta-via': 'form' },
                   ['content-length-range', 1, 1048576]],
    });
    const inputs = Object.entries(post.fields)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${String(v).replace(/"/g, '&quot;')}">`)
      .join('\n');
    pages.set('/form.html', `<!doctype html><title>upload form</title>
      <form id="f" action="${post.url}" method="post" enctype="multipart/form-data">
        ${inputs}
        <input type="file" name="file" id="file">
        <button type="submit">Upload</button>
      </form>`);
    const file = path.join(tmp, 'report.txt');
    const content = `quarterly report ${randomBytes(8).toString('hex')}\n`;
    fs.writeFileSync(file, content);
    await page.goto(`${webBase}/form.html`);
    await page.locator('#file').setInputFiles(file);
    await shot('cors-01-form');
    await Promise.all([page.waitForURL(/done\.html/), page.getByRole('button', { name: 'Upload' }).click()]);
    await page.locator('#done').waitFor();
    const q = new URL(page.url()).searchParams;
    assert.equal(q.get('bucket'), bucket);
    assert.equal(q.get('key'), 'forms/report.txt');
    assert.equal(q.get('etag'), `"${md5(content)}"`);
    const stored = s3({ op: 'get', bucket, key: 'forms/report.txt' });
    assert.equal(stored.body, content);
    assert.equal(stored.content_type, 'text/plain');
    assert.deepEqual(stored.metadata, { via: 'form' });
  });

  await step('fetch() POST of a FormData reads the 201 answer cross-origin', async () => {
    s3({ op: 'put_cors', bucket, rules: [rule(['POST'], [webBase], { ExposeHeaders: ['ETag', 'Location'] })] });
    const post = s3({
      op: 'presign_post',
      bucket,
      key: 'xhr/${filename}',
      fields: { success_action_status: '201' },
      conditions: [['starts-with', '$key', 'xhr/'], { success_action_status: '201' }],
    });
    await page.goto(`${webBase}/app.html`);
    const r = await page.evaluate(async ([url, fields]) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      fd.append('file', new Blob(['posted by fetch'], { type: 'text/plain' }), 'note.txt');
      try {
        const res = await fetch(url, { method: 'POST', body: fd });
        const xml = new DOMParser().parseFromString(await res.text(), 'application/xml');
        return { ok: true, status: res.status, etag: res.headers.get('ETag'), location: res.headers.get('Location'),
                 key: xml.querySelector('Key')?.textContent };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    }, [post.url, post.fields]);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.status, 201);
    assert.equal(r.key, 'xhr/note.txt');
    assert.equal(r.etag, `"${md5('posted by fetch')}"`);
    assert.ok(r.location.endsWith(`/${bucket}/xhr/note.txt`), r.location);
    assert.equal(s3({ op: 'get', bucket, key: 'xhr/note.txt' }).body, 'posted by fetch');
  });

  await step('the console edits the rules and the browser obeys them', async () => {
    s3({ op: 'delete_cors', bucket });
    const admin = await context.newPage();
    await admin.goto(consoleBase);
    await admin.getByLabel('User name').fill(ACCESS);
    await admin.locator('input[name=password]').fill(SECRET);
    await admin.getByRole('button', { name: 'Log in', exact: true }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.goto(`${consoleBase}/buckets/${bucket}/settings`);
    const card = admin.getByTestId('cors-card');
    await card.getByText('no rules', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Add rule' }).click();
    const r1 = card.getByTestId('cors-rule-1');
    // A mistake is shown next to the rule and Save stays disabled.
    await r1.getByLabel('Allowed origins').fill('https://*.*.example');
    await r1.getByTestId('cors-rule-problem').getByText(/more than one \*/).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Save CORS rules' }).isDisabled(), true);
    await r1.getByLabel('Allowed origins').fill(webBase);
    await r1.getByLabel('DELETE').check();
    await r1.getByLabel('Max age (seconds)').fill('600');
    await r1.getByLabel('ID (optional)').fill('web app');
    await card.getByRole('button', { name: 'Save CORS rules' }).click();
    await card.getByText('1 rule', { exact: true }).waitFor();
    await shot('cors-02-console-editor', card);
    await shot('cors-03-settings-page', admin);
    // Stored as S3 sees it.
    const stored = execFileSync('/usr/bin/python3', ['-c', `
import boto3, json, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
print(json.dumps(s3.get_bucket_cors(Bucket=sys.argv[4])["CORSRules"]))`, s3Base, ACCESS, SECRET, bucket], { encoding: 'utf8' });
    const rules = JSON.parse(stored);
    assert.equal(rules.length, 1);
    assert.equal(rules[0].ID, 'web app');
    assert.deepEqual(rules[0].AllowedOrigins, [webBase]);
    assert.deepEqual(rules[0].AllowedMethods, ['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
    assert.equal(rules[0].MaxAgeSeconds, 600);
    // The browser now lets the page delete an object it could not reach before.
    const { url } = s3({ op: 'presign', method: 'delete_object', bucket, key: 'from-page.txt' });
    const del = await pageFetch(url, { method: 'DELETE' });
    assert.equal(del.ok, true, JSON.stringify(del));
    assert.equal(del.status, 204);
    assert.equal(s3({ op: 'get', bucket, key: 'from-page.txt' }).found, false);
    // Deleting the rules in the console closes the door again.
    await card.getByRole('button', { name: 'Delete all rules' }).click();
    await card.getByText('no rules', { exact: true }).waitFor();
    const again = s3({ op: 'presign', method: 'put_object', bucket, key: 'late.txt' });
    const refused = await pageFetch(again.url, { method: 'PUT', body: 'late' });
    assert.equal(refused.ok, false, JSON.stringify(refused));
    await admin.close();
  });
});
