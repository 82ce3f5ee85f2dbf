import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { describeOp } from '../../src/lin/explain.js';
import { generateKvHistory } from '../../src/lin/generate.js';
import { renderHistoryHtml } from '../../src/lin/html.js';
import { kvModel } from '../../src/lin/models/kv.js';
import { shrinkHistory } from '../../src/lin/shrink.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's chromium, installed by .ci/install-browser; a missing browser fails the test (never skips). */
describe('the failure page in a real headless browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run .ci/install-browser`).toBe(true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('loads without errors, shows the failing operation, and the jump link scrolls to it', async () => {
    const ops = generateKvHistory({ seed: 2, clients: 12, opsPerClient: 40, keys: 3, mutate: true });
    const res = checkOperations(kvModel, ops);
    expect(res.verdict).toBe('illegal');
    const shrunk = shrinkHistory(kvModel, ops)!;
    const html = renderHistoryHtml(kvModel, ops, res, 'generated kv', {
      shrunk,
      annotations: [{ client: 3, start: 100, end: 140, label: 'client 3 disconnected' }, { start: 200, label: 'compaction' }],
    });
    const stuckLabel = describeOp(kvModel, res.violation!.stuck);

    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setContent(html, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    // The explanation names the stuck operation and why; every bar carries its label.
    await expect(page.locator('#explanation tr.stuck').textContent()).resolves.toContain(stuckLabel);
    await expect(page.locator('#explanation .why').textContent()).resolves.toMatch(/returned '.*', the key holds/);
    await expect(page.locator('#minimal tr').count()).resolves.toBe(shrunk.ops.length + 1);
    expect(await page.locator('#canvas .op.lin').count()).toBeGreaterThan(0);
    const laneNames = await page.locator('#canvas .client').allTextContents();
    expect(laneNames.slice(0, 3)).toEqual([...laneNames].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).slice(0, 3));

    // Before the jump the failing bar is out of view (the page is long); after it, it is in view.
    // Evaluated in the page (a string: this project's TypeScript has no DOM types).
    const inView = () =>
      page.evaluate(`(() => {
        const el = document.getElementById('first-error');
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const box = document.getElementById('timeline').getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.right > box.left && r.left < box.right;
      })()`);
    await page.evaluate('window.scrollTo(0, 0)');
    expect(await inView()).toBe(false);
    await page.click('#jump');
    await page.waitForTimeout(100);
    expect(await inView()).toBe(true);
    await expect(page.locator('#first-error').getAttribute('title')).resolves.toContain(stuckLabel);

    // Zoom and another partition draw without errors.
    await page.click('#zoom-in');
    await page.selectOption('#partition', '0');
    expect(await page.locator('#canvas .op').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
