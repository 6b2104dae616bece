import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const ctx = await b.newContext({ viewport: { width: 360, height: 740 } });
const p = await ctx.newPage();
const base = 'http://127.0.0.1:28111';
await p.goto(base + '/register');
await p.getByLabel('Full name').fill('Phone Tester');
await p.getByLabel('Work email').fill(`p${Date.now()}@example.com`);
await p.getByLabel('Password').fill('correct horse battery');
await p.getByRole('button', { name: 'Create account' }).click();
await p.getByTestId('welcome').waitFor();
for (const path of process.argv.slice(2)) {
  await p.goto(base + path);
  await p.waitForTimeout(800);
  if (path === '/questions') { await p.getByTestId('question-table').getByRole('link').first().click(); await p.waitForTimeout(800); }
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  const texts = await p.evaluate(() => { const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); let n; while ((n = w.nextNode())) { const r = document.createRange(); r.selectNodeContents(n); const b = r.getBoundingClientRect(); if (b.right > innerWidth + 1) out.push(`${n.parentElement.tagName}.${n.parentElement.className}: ${n.textContent.slice(0,40)} ${Math.round(b.right)}`); } return out; });
  const els = await p.evaluate(() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 15));
  console.log(path, sw, '\n ', texts.join('\n  '), '\n ', els.join('\n  '));
  await p.screenshot({ path: `/tmp/shot${path.replace(/\W/g,'_')}.png`, fullPage: true });
}
await b.close();
