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
});
