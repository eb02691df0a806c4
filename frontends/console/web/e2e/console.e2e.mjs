// End-to-end test of the web console in Debian's headless Chromium, driven by playwright-core:
// starts the real maxiofs (temp data dir, free loopback ports), logs in, creates a bucket,
// uploads a file and a folder watching the progress, browses, downloads and compares bytes,
// deletes, creates versions and restores one, sets a legal hold and sees delete refused, sets a
// bucket quota and sees its usage bars and an upload past it refused, edits lifecycle rules
// (the XML of what is saved is shown), edits the tags of an object and of the bucket (boto3
// sees what was saved, and the object page shows tags set over S3); then
// identity and access: creates a user with a console password, writes a policy in the
// validating editor (an inline error for bad JSON, Save disabled until it is valid), attaches
// it, sets a bucket policy, logs in as that user and sees a forbidden action refused.
// Screenshots of each page go to $MAXIOFS_E2E_ARTIFACTS (default tests/artifacts/console).
//
// Run: MAXIOFS_BIN=build/maxiofs node --test frontends/console/web/e2e/console.e2e.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, startMaxiofs, stopMaxiofs } from './maxiofs_server.mjs';

const ACCESS = 'e2eadmin';
const SECRET = `e2e-${randomBytes(12).toString('hex')}`;
const TIMEOUT = 20000;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maxiofs-e2e-'));
let server;
let context;
let page;
let base;
let s3Port;

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

// boto3 on the S3 port, through the helper script (what the console saved, as S3 sees it).
function s3(op) {
  const helper = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3_helper.py');
  const out = execFileSync('/usr/bin/python3', [helper, `http://127.0.0.1:${s3Port}`, ACCESS, SECRET, JSON.stringify(op)], {
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
  base = started.consoleBase;
  s3Port = started.s3Port;
  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1366, height: 860 },
    args: CHROMIUM_ARGS,
  });
  context.setDefaultTimeout(TIMEOUT);
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close().catch(() => undefined);
  await stopMaxiofs(server);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const bucket = `e2e-${randomBytes(4).toString('hex')}`;
const files = path.join(tmp, 'files');

test('console scenario', async (t) => {
  // Steps run in order; after a failure the rest are skipped (they build on each other).
  let broken = false;
  const step = (name, fn) =>
    t.test(name, { skip: broken ? 'an earlier step failed' : false }, async () => {
      try {
        await fn();
      } catch (e) {
        broken = true;
        await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw e;
      }
    });
  fs.mkdirSync(path.join(files, 'album', 'sub'), { recursive: true });
  const big = randomBytes(80 * 1024 * 1024 + 4321); // over the multipart threshold
  fs.writeFileSync(path.join(files, 'big.bin'), big);
  fs.writeFileSync(path.join(files, 'album', 'a.txt'), 'first photo caption\n');
  fs.writeFileSync(path.join(files, 'album', 'sub', 'b.txt'), 'second\n');
  fs.writeFileSync(path.join(files, 'notes.txt'), 'version one\n');
  fs.mkdirSync(path.join(files, 'v2'));
  fs.writeFileSync(path.join(files, 'v2', 'notes.txt'), 'version two, longer\n');

  await step('login page refuses a bad password, then logs in', async () => {
    await page.goto(base);
    await page.getByLabel('User name').fill(ACCESS);
    await page.locator('input[name=password]').fill('wrong');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('alert').getByText('Wrong user name or password.').waitFor();
    await shot('01-login');
    await page.locator('input[name=password]').fill(SECRET);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === 'maxiofs_session');
    assert.ok(session?.httpOnly && session.sameSite === 'Strict');
  });

  await step('dashboard shows stats and charts', async () => {
    await page.getByTestId('stat-buckets').filter({ hasText: /^\d+$/ }).waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    assert.equal(await page.locator('.recharts-surface').count(), 3);
    await page.waitForTimeout(300);
    await shot('02-dashboard');
  });

  await step('create a bucket with object lock', async () => {
    await page.getByRole('link', { name: 'Buckets', exact: true }).click();
    await page.getByRole('button', { name: 'Create bucket', exact: true }).click();
    await page.getByLabel('Name').fill(bucket);
    await page.getByLabel('Object lock').check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('link', { name: bucket, exact: true }).waitFor();
    await page.getByPlaceholder('Search buckets').fill(bucket.slice(0, 8));
    await page.getByText('object lock', { exact: true }).first().waitFor();
    await shot('03-buckets');
  });

  await step('upload a large file and a folder, watching the progress', async () => {
    await page.getByRole('link', { name: bucket, exact: true }).click();
    await page.getByText('Empty. Drop files or folders here').waitFor();
    // Record the overall progress bar's value while the upload runs.
    await page.evaluate(() => {
      window.__progress = [];
      window.__timer = setInterval(() => {
        const bar = document.querySelector('[data-testid=upload-overall] [role=progressbar], [data-testid=upload-overall][role=progressbar]');
        if (bar) window.__progress.push(Number(bar.getAttribute('aria-valuenow')));
      }, 10);
    });
    await page.getByTestId('file-input').setInputFiles(path.join(files, 'big.bin'));
    await page.getByTestId('upload-item').first().waitFor();
    await shot('04-upload-progress');
    await page.locator('[data-testid=upload-item][data-state=done]').first().waitFor({ timeout: 120000 });
    await page.getByTestId('folder-input').setInputFiles(path.join(files, 'album'));
    await page.locator('[data-testid=upload-item][data-state=done]').nth(2).waitFor({ timeout: 60000 });
    const seen = await page.evaluate(() => { clearInterval(window.__timer); return window.__progress; });
    assert.ok(seen.some((v) => v > 0 && v < 100), `no intermediate progress seen: ${seen.slice(0, 20)}`);
    assert.equal(seen[seen.length - 1], 100);
    await page.locator('[data-testid=object-row][data-key="album/"]').waitFor();
    await page.locator('[data-testid=object-row][data-key="big.bin"]').waitFor();
    await shot('05-browser');
  });

  await step('browse into the folder with breadcrumbs', async () => {
    await page.getByRole('button', { name: 'album/', exact: true }).click();
    await page.locator('[data-testid=object-row][data-key="album/a.txt"]').waitFor();
    await page.locator('[data-testid=object-row][data-key="album/sub/"]').waitFor();
    await page.getByLabel('Folder path').getByText('album').waitFor();
    await shot('06-browser-folder');
    await page.getByLabel('Folder path').getByRole('button', { name: bucket, exact: true }).click();
    await page.locator('[data-testid=object-row][data-key="big.bin"]').waitFor();
  });

  await step('download and compare bytes', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download big.bin' }).click(),
    ]);
    const saved = path.join(tmp, 'downloaded.bin');
    await download.saveAs(saved);
    assert.equal(sha(fs.readFileSync(saved)), sha(big));
  });

  await step('delete selected objects', async () => {
    await page.getByLabel('Select big.bin').check();
    await page.getByRole('button', { name: /^Delete \(1\)/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('[data-testid=object-row][data-key="big.bin"]').waitFor({ state: 'detached' });
  });

  await step('create versions and restore one', async () => {
    await page.getByTestId('file-input').setInputFiles(path.join(files, 'notes.txt'));
    await page.locator('[data-testid=object-row][data-key="notes.txt"]').waitFor();
    await page.getByRole('button', { name: 'Clear', exact: true }).click().catch(() => undefined);
    await page.getByTestId('file-input').setInputFiles(path.join(files, 'v2', 'notes.txt'));
    await page.locator('[data-testid=upload-item][data-state=done]').last().waitFor();
    await page.getByRole('link', { name: 'notes.txt', exact: true }).click();
    await page.getByRole('heading', { name: 'notes.txt' }).waitFor();
    await shot('07-object');
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByTestId('text-preview').getByText('version two, longer').waitFor();
    await shot('08-object-preview');
    await page.getByRole('tab', { name: /Versions/ }).click();
    await page.getByTestId('version-row').nth(1).waitFor();
    assert.equal(await page.getByTestId('version-row').count(), 2);
    await page.getByTestId('version-row').nth(1).getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByTestId('version-row').nth(2).waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByTestId('text-preview').getByText('version one').waitFor();
    await page.getByRole('tab', { name: /Versions/ }).click();
    await shot('09-object-versions');
  });

  await step('share link downloads through the S3 API', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Create link', exact: true }).click();
    const url = await page.getByTestId('share-url').inputValue();
    assert.ok(url.startsWith(`http://127.0.0.1:${s3Port}/${bucket}/notes.txt?`), url);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'version one\n');
  });

  await step('legal hold refuses delete of the version', async () => {
    await page.locator('label', { hasText: /^Legal hold$/ }).click(); // the input itself is hidden under the drawn switch
    await page.getByText('Legal hold set').waitFor();
    await page.getByRole('tab', { name: /Versions/ }).click();
    const latest = page.getByTestId('version-row').first();
    await latest.getByText('hold').waitFor();
    await latest.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Cannot delete version').waitFor();
    assert.equal(await page.getByTestId('version-row').count(), 3);
    await shot('10-legal-hold-refused');
  });

  await step('bucket settings and server settings pages', async () => {
    await page.goto(`${base}/buckets/${bucket}/settings`);
    await page.getByText(`Settings of ${bucket}`).waitFor();
    await page.getByText('Object lock keeps versioning enabled for good.').waitFor();
    await shot('11-bucket-settings');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByTestId('config-table').getByText('auth.secret_key').waitFor();
    const text = await page.getByTestId('config-table').innerText();
    assert.ok(text.includes('<hidden>') && !text.includes(SECRET));
    await shot('12-settings');
  });

  await step('quota: usage bars, and an upload past the limit is refused', async () => {
    await page.goto(`${base}/buckets/${bucket}/settings`);
    const card = page.getByTestId('quota-card');
    await card.getByText('(no limit)').first().waitFor();
    // The bucket holds more than 80 MiB of versions (big.bin's is noncurrent, not gone).
    await card.getByTestId('quota-size').fill('1');
    await card.getByRole('textbox', { name: 'Size unit' }).click();
    await page.getByRole('option', { name: 'MiB', exact: true }).click();
    await card.getByTestId('quota-save').click();
    await page.getByText('Quota saved').waitFor();
    await card.getByTestId('quota-bytes-bar').waitFor();
    assert.match(await card.getByTestId('quota-bytes-text').innerText(), /^80 MiB of 1\.0 MiB \(\d+ %\)$/);
    await shot('11b-bucket-quota');
    await page.goto(`${base}/buckets/${bucket}`);
    await page.getByTestId('file-input').setInputFiles(path.join(files, 'album', 'a.txt'));
    const failed = page.locator('[data-testid=upload-item][data-state=failed]').last();
    await failed.waitFor();
    assert.match(await failed.innerText(), /quota/i);
    await shot('11c-upload-over-quota');
    await page.goto(`${base}/buckets/${bucket}/settings`);
    await page.getByTestId('quota-card').getByRole('button', { name: 'Remove limits' }).click();
    await page.getByText('Quota removed').waitFor();
  });

  await step('lifecycle: add a rule in the editor, see its XML, save it, delete it', async () => {
    await page.goto(`${base}/buckets/${bucket}/settings`);
    const card = page.getByTestId('lifecycle-card');
    await card.getByText('No rules').waitFor();
    await card.getByRole('button', { name: 'Add rule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('rule-id').fill('tmp-e2e');
    await dialog.getByTestId('rule-prefix').fill('tmp/');
    await dialog.getByRole('textbox', { name: 'Expire' }).click();
    await page.getByRole('option', { name: 'days after creation' }).click();
    await dialog.getByTestId('rule-days').fill('3');
    await dialog.getByTestId('rule-ok').click();
    const xml = await card.getByTestId('lifecycle-xml').innerText();
    assert.match(xml, /<ID>tmp-e2e<\/ID>/);
    assert.match(xml, /<Filter>\s*<Prefix>tmp\/<\/Prefix>\s*<\/Filter>/);
    assert.match(xml, /<Expiration>\s*<Days>3<\/Days>\s*<\/Expiration>/);
    await card.getByTestId('lifecycle-save').click();
    await page.getByText('Lifecycle rules saved').waitFor();
    await shot('11d-bucket-lifecycle');
    await page.reload();
    const row = page.getByTestId('lifecycle-rule');
    await row.getByText('tmp-e2e').waitFor();
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('lifecycle-save').click();
    await page.getByText('Lifecycle rules saved').last().waitFor();
    await page.getByTestId('lifecycle-card').getByText('No rules').waitFor();
  });

  await step('tags: edited on the object and bucket pages, as S3 sees them', async () => {
    s3({ op: 'put_object_tagging', bucket, key: 'notes.txt', tags: [{ Key: 'source', Value: 's3' }] });
    await page.goto(`${base}/buckets/${bucket}/object?key=notes.txt`);
    const card = page.getByTestId('object-tags-card');
    const field = (c, n, what) => c.getByRole('textbox', { name: `Tag ${n} ${what}` });
    await field(card, 1, 'key').waitFor();
    assert.equal(await field(card, 1, 'key').inputValue(), 'source');
    assert.equal(await field(card, 1, 'value').inputValue(), 's3');
    await card.getByRole('button', { name: 'Add tag' }).click();
    await field(card, 2, 'key').fill('source');
    await card.getByTestId('tags-problem').getByText('Tag 2: the key "source" is used twice.').waitFor();
    assert.ok(await card.getByTestId('tags-save').isDisabled());
    await field(card, 2, 'key').fill('team');
    await field(card, 2, 'value').fill('docs');
    await card.getByTestId('tags-save').click();
    await page.getByText('Tags saved').waitFor();
    await shot('11e-object-tags');
    assert.deepEqual(s3({ op: 'get_object_tagging', bucket, key: 'notes.txt' }).tags, [
      { Key: 'source', Value: 's3' },
      { Key: 'team', Value: 'docs' },
    ]);

    await page.goto(`${base}/buckets/${bucket}/settings`);
    const bcard = page.getByTestId('bucket-tags-card');
    await bcard.getByTestId('tags-none').waitFor();
    await bcard.getByRole('button', { name: 'Add tag' }).click();
    await field(bcard, 1, 'key').fill('project');
    await field(bcard, 1, 'value').fill('e2e');
    await bcard.getByTestId('tags-save').click();
    await page.getByText('Tags saved').waitFor();
    await bcard.screenshot({ path: path.join(ARTIFACTS, '11f-bucket-tags.png') });
    assert.deepEqual(s3({ op: 'get_bucket_tagging', bucket }).tags, [{ Key: 'project', Value: 'e2e' }]);
    await bcard.getByRole('button', { name: 'Remove tag 1' }).click();
    await bcard.getByTestId('tags-save').click();
    await page.getByText('Tags removed').waitFor();
    await bcard.getByTestId('tags-none').waitFor();
    assert.deepEqual(s3({ op: 'get_bucket_tagging', bucket }).tags, []);
  });

  await step('phone width and dark mode', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/buckets/${bucket}?prefix=album%2F`);
    await page.locator('[data-testid=object-row][data-key="album/a.txt"]').waitFor();
    await shot('13-phone-browser');
    await page.getByRole('button', { name: 'Toggle dark mode', exact: true }).click();
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByTestId('stat-buckets').waitFor();
    await page.waitForTimeout(300);
    await shot('14-phone-dashboard-dark');
    await page.setViewportSize({ width: 1366, height: 860 });
  });

  const reader = `reader-${randomBytes(3).toString('hex')}`;
  const readerPassword = `pw-${randomBytes(8).toString('hex')}`;
  const policyName = `read-${bucket}`;

  await step('create a user with a console password', async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Create user', exact: true }).click();
    await page.getByRole('dialog').getByLabel('User name').fill(reader);
    await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: reader, exact: true }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(readerPassword);
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await page.getByTestId('password-state').getByText('set', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create access key', exact: true }).click();
    const secret = await page.getByTestId('new-secret-key').inputValue();
    assert.ok(secret.length >= 30, 'the secret is shown once');
    await shot('15-user-new-key');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByTestId('key-row').first().waitFor();
  });

  await step('write a policy in the validating editor', async () => {
    await page.getByRole('link', { name: 'Policies', exact: true }).click();
    await page.getByRole('link', { name: 'Create policy' }).click();
    await page.getByLabel(/^Name/).fill(policyName);
    const editor = page.getByLabel('Policy document');
    const save = page.getByRole('button', { name: 'Create policy', exact: true });
    await editor.fill('{\n  "Version": "2012-10-17",\n  "Statement": [ }\n}');
    await page.getByTestId('policy-error').getByText(/Invalid JSON at line 3/).waitFor();
    assert.equal(await save.isDisabled(), true);
    await shot('16-policy-invalid-json');
    // Well-formed JSON the server's validator refuses: its message shows inline too.
    await editor.fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Resource: '*' }] }, null, 2));
    await page.locator('[data-testid=policy-validation][data-state=invalid]').waitFor();
    assert.match(await page.getByTestId('policy-error').innerText(), /Effect/);
    assert.equal(await save.isDisabled(), true);
    await editor.fill(JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
        { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
      ],
    }, null, 2));
    await page.locator('[data-testid=policy-validation][data-state=valid]').waitFor();
    assert.equal(await save.isDisabled(), false);
    await shot('17-policy-valid');
    await save.click();
    await page.getByRole('heading', { name: policyName, exact: true }).waitFor();
  });

  await step('attach the policy to the user', async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: reader, exact: true }).click();
    await page.getByRole('heading', { name: reader, exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Attach policy' }).click();
    await page.getByRole('option', { name: policyName, exact: true }).click();
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page.locator(`[data-testid=attached-policy][data-name="${policyName}"]`).waitFor();
    await shot('18-user-detail');
  });

  await step('bucket policy editor and public access block', async () => {
    await page.goto(`${base}/buckets/${bucket}/settings`);
    await page.getByText(`Settings of ${bucket}`).waitFor();
    await page.getByRole('button', { name: 'Write one', exact: true }).click();
    await page.locator('[data-testid=bucket-policy-card] [data-testid=policy-validation][data-state=valid]').waitFor();
    await page.getByLabel('Bucket policy document').fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::elsewhere/*"}]}');
    await page.locator('[data-testid=bucket-policy-card] [data-testid=policy-validation][data-state=invalid]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save policy', exact: true }).isDisabled(), true);
    await page.getByLabel('Bucket policy document').fill(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/notes.txt"}]}`);
    await page.locator('[data-testid=bucket-policy-card] [data-testid=policy-validation][data-state=valid]').waitFor();
    await page.getByRole('button', { name: 'Save policy', exact: true }).click();
    await page.getByText('Bucket policy saved').waitFor();
    await page.getByTestId('bucket-policy-card').getByText('public', { exact: true }).waitFor();
    const anonymous = await fetch(`http://127.0.0.1:${s3Port}/${bucket}/notes.txt`);
    assert.equal(anonymous.status, 200);
    await page.getByTestId('public-access-card').locator('label', { hasText: /^Restrict public buckets/ }).click();
    await page.getByTestId('public-access-card').getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Public access block saved').waitFor();
    assert.equal((await fetch(`http://127.0.0.1:${s3Port}/${bucket}/notes.txt`)).status, 403);
    await shot('19-bucket-policy');
  });

  await step('log in as the limited user: a forbidden action shows an error', async () => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByLabel('User name').fill(reader);
    await page.locator('input[name=password]').fill(readerPassword);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('session-user').getByText(reader).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Users', exact: true }).count(), 0, 'no IAM pages for a limited user');
    await page.getByRole('link', { name: 'Buckets', exact: true }).click();
    await page.getByRole('link', { name: bucket, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create bucket', exact: true }).click();
    await page.getByLabel('Name').fill(`${bucket}-x`);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('Cannot create bucket').waitFor();
    await page.getByText(/s3:CreateBucket/).first().waitFor();
    await shot('20-limited-user-denied');
    await page.keyboard.press('Escape');
    // The IAM pages reached by URL say so instead of breaking.
    await page.goto(`${base}/users`);
    await page.getByTestId('load-error').getByText('Access denied', { exact: true }).waitFor();
    await shot('21-limited-user-iam-denied');
    // Reading is allowed.
    await page.goto(`${base}/buckets/${bucket}`);
    await page.locator('[data-testid=object-row][data-key="notes.txt"]').waitFor();
  });

  await step('logout returns to the login page', async () => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    const res = await page.evaluate(async () => (await fetch('/api/v1/buckets')).status);
    assert.equal(res, 401);
  });
});
