import type { BrowserContext } from 'playwright-core';
import type { Platform } from './platform';

/** Creates an account with the command line, as an operator would (password on standard input). */
export function createUserWithCli(platform: Platform, role: 'admin' | 'trainer' | 'learner', email: string, name: string, password: string) {
  const r = platform.cli(['create-user', '--role', role, '--email', email, '--name', name], `${password}\n`);
  if (r.status !== 0) throw new Error(`create-user failed: ${r.stdout} ${r.stderr}`);
}

export async function logIn(context: BrowserContext, email: string, password: string) {
  const page = await context.newPage();
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/login"] button[type=submit]')]);
  return page;
}

/** Registers through the form; returns the page, signed in. */
export async function register(context: BrowserContext, opts: { name: string; email: string; password: string; language: 'en' | 'es' | 'fr' }) {
  const page = await context.newPage();
  await page.goto('/register');
  await page.fill('#name', opts.name);
  await page.fill('#email', opts.email);
  await page.fill('#password', opts.password);
  await page.selectOption('#language', opts.language);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/register"] button[type=submit]')]);
  return page;
}
