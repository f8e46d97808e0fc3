import { badUserInput } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Ids are UUIDs; anything else is the caller's mistake, named by field. */
export function assertId(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`"${field}" is not a valid id: ${JSON.stringify(value).slice(0, 60)}`, [{ field, message: 'not a valid id' }]);
  return value.toLowerCase();
}
