import { isFQDN } from 'class-validator';
import { badUserInput } from '../../../../shared/errors';

/** "https://www.Acme.com/about" → "acme.com"; the form two partners' records meet on. */
export function normalizeDomain(raw: string | null | undefined, field = 'input.domain'): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const host = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  if (!isFQDN(host)) throw badUserInput(`${field} "${raw.slice(0, 100)}" is not a valid domain (e.g. "acme.com")`, [{ field, message: 'not a valid domain' }]);
  return host;
}
