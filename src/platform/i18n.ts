import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import FsBackend from 'i18next-fs-backend';
import * as i18nMiddleware from 'i18next-http-middleware';
import { localesDir } from './paths';

export const LANGUAGES = ['en', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'lng';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function namespaces(): string[] {
  return fs
    .readdirSync(path.join(localesDir, 'en'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
}

/**
 * One i18next instance per app, its resources read synchronously at construction so the
 * first request never waits and a missing file fails start-up rather than a page.
 */
export function createI18n(): I18n {
  const detector = new i18nMiddleware.LanguageDetector();
  // The signed-in user's stored preference wins over everything else (DESIGN.md).
  detector.addDetector({
    name: 'userPreference',
    lookup: (req: Request) => {
      const lng = (req.user as { language?: string } | undefined)?.language;
      return isLanguage(lng) ? lng : undefined;
    },
  });
  const instance = i18next.createInstance();
  instance
    .use(FsBackend)
    .use(detector)
    .init({
      initAsync: false,
      preload: [...LANGUAGES],
      supportedLngs: [...LANGUAGES],
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      fallbackLng: 'en',
      ns: namespaces(),
      defaultNS: 'common',
      backend: { loadPath: path.join(localesDir, '{{lng}}', '{{ns}}.json') },
      detection: {
        order: ['userPreference', 'querystring', 'cookie', 'header'],
        lookupQuerystring: 'lng',
        lookupCookie: LANGUAGE_COOKIE,
        caches: false,
      },
      interpolation: { escapeValue: false }, // EJS escapes on output
      returnNull: false,
    });
  return instance;
}

type Detector = { detect(req: Request, res: Response): string | readonly string[] | undefined };

/**
 * Per request: the language, detected in DESIGN.md's order (the user's preference, `?lng=`, the
 * cookie, Accept-Language), the translator fixed to it, and the Content-Language header.
 * i18next-http-middleware's own handler clones the whole i18next instance on every request, which
 * cost more than grading a quiz; the translators are immutable, so one per language, built at start,
 * gives the same words.
 */
export function i18nHandler(instance: I18n) {
  const detector = instance.services.languageDetector as Detector;
  // A clone per language, set to it once: its t is what the middleware's per-request clone gave.
  // (getFixedT's translator gives the same words but, measured, made the CSV export of 50,000
  // learners — a few hundred thousand translated cells — peak at twice the memory.)
  const translators = new Map(
    LANGUAGES.map((lng) => {
      const clone = instance.cloneInstance({ initAsync: false, lng });
      return [lng, clone.t.bind(clone) as TFunction];
    }),
  );
  const detect = (req: Request, res: Response): Language => {
    // the signed-in user's preference comes first in the order and settles it: the detector would
    // still parse the query, the cookies and Accept-Language on every request only to drop them
    const preferred = (req.user as { language?: string } | undefined)?.language;
    if (isLanguage(preferred)) return preferred;
    const detected = detector.detect(req, res);
    // the detector answers a supported code or a regional form of one ('fr-CA'), else the fallback
    const code = (Array.isArray(detected) ? detected[0] : detected)?.slice(0, 2).toLowerCase();
    return isLanguage(code) ? code : 'en';
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const lng = detect(req, res);
    req.language = lng;
    req.t = translators.get(lng)!;
    res.setHeader('Content-Language', lng);
    next();
  };
}

/** Remembers a language in a cookie for a year, so the next page (signed in or not) keeps it. */
export function setLanguageCookie(res: Response, lng: Language, secure: boolean | 'auto') {
  res.cookie(LANGUAGE_COOKIE, lng, {
    maxAge: 365 * 24 * 3600 * 1000,
    sameSite: 'lax',
    httpOnly: true,
    secure: secure === 'auto' ? res.req.secure : secure,
  });
}

/** An explicit `?lng=` choice is remembered in a cookie, so the next page keeps the language. */
export function rememberLanguageChoice(secure: boolean | 'auto') {
  return (req: Request, res: Response, next: NextFunction) => {
    const lng = req.query.lng;
    if (isLanguage(lng) && req.cookies?.[LANGUAGE_COOKIE] !== lng) setLanguageCookie(res, lng, secure);
    next();
  };
}

export function currentLanguage(req: Request): Language {
  const lng = req.language;
  return isLanguage(lng) ? lng : 'en';
}

export type { TFunction };
