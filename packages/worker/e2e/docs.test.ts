import { describe, expect, it } from 'vitest';
import { baseUrl, useBrowser, openPage, screenshot } from './helpers.js';

const browser = useBrowser();

describe('API docs (/docs)', () => {
  it('renders Swagger UI over the served OpenAPI document from the worker alone (no CDN)', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Shizi');
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    // Every path of the document is listed as an operation block.
    await page.locator('.opblock').first().waitFor();
    const shown = new Set(await page.locator('.opblock-summary-path').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-path'))));
    for (const path of Object.keys(document.paths)) expect(shown.has(path), path).toBe(true);
    await screenshot(page, 'docs-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends nosniff on the static files served before the worker (public/_headers) and forbids framing /docs', async () => {
    for (const path of ['/docs/init.js', '/docs/vendor/swagger-ui-bundle.js', '/docs/vendor/swagger-ui.css']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const docs = await fetch(`${baseUrl}/docs`);
    expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
  });
});
